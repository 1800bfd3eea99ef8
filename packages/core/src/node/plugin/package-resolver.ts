import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Finds the entry file of a package by walking `node_modules` up from a directory, as Node does,
 * and picking an `exports` condition. Written out (instead of `require.resolve`) because the
 * conditions must be ours: `source` when broom runs from its TypeScript sources, `import`/`default`
 * when it runs built, whatever flags the host process was started with.
 */
export function resolvePackageEntry(name: string, fromDir: string, conditions: readonly string[]): string | undefined {
  let dir = path.resolve(fromDir);
  for (;;) {
    const pkgDir = path.join(dir, 'node_modules', ...name.split('/'));
    const manifest = path.join(pkgDir, 'package.json');
    if (existsSync(manifest)) return packageEntry(pkgDir, conditions);
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The entry file of the package in `pkgDir` for the given conditions. */
export function packageEntry(pkgDir: string, conditions: readonly string[]): string | undefined {
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
    exports?: unknown;
    module?: string;
    main?: string;
  };
  let target: string | undefined;
  if (manifest.exports !== undefined) {
    const exp = manifest.exports as Record<string, unknown> | string;
    const root = typeof exp === 'string' || !Object.keys(exp).some((k) => k.startsWith('.')) ? exp : exp['.'];
    target = pickCondition(root, conditions);
  } else {
    target = manifest.module ?? manifest.main ?? 'index.js';
  }
  if (target === undefined) return undefined;
  const file = path.resolve(pkgDir, target);
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

function pickCondition(node: unknown, conditions: readonly string[]): string | undefined {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) {
    for (const item of node) {
      const hit = pickCondition(item, conditions);
      if (hit) return hit;
    }
    return undefined;
  }
  if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'default' || conditions.includes(key)) {
        const hit = pickCondition(value, conditions);
        if (hit) return hit;
      }
    }
  }
  return undefined;
}
