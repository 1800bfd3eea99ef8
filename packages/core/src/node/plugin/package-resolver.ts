import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Splits a package specifier into the package name and the subpath inside it, as Node does:
 * `@broom/pruner-optuna/median` → `@broom/pruner-optuna` and `./median`; `lodash` → `lodash` and `.`.
 */
export function splitSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const take = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(take).filter((p) => p !== '');
  return { name: parts.slice(0, take).join('/'), subpath: rest.length ? `./${rest.join('/')}` : '.' };
}

/**
 * Finds the entry file of a package (or of a subpath of it, `@scope/pkg/sub`, through the package's
 * `exports` map) by walking `node_modules` up from a directory, as Node does, and picking an
 * `exports` condition. Written out (instead of `require.resolve`) because the conditions must be
 * ours: `source` when broom runs from its TypeScript sources, `import`/`default` when it runs built,
 * whatever flags the host process was started with.
 */
export function resolvePackageEntry(specifier: string, fromDir: string, conditions: readonly string[]): string | undefined {
  const { name, subpath } = splitSpecifier(specifier);
  let dir = path.resolve(fromDir);
  for (;;) {
    const pkgDir = path.join(dir, 'node_modules', ...name.split('/'));
    const manifest = path.join(pkgDir, 'package.json');
    if (existsSync(manifest)) return packageEntry(pkgDir, conditions, subpath);
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The entry file of the package in `pkgDir` for the given conditions: its `.` export, or the export
 * of `subpath` (`./median`), matched exactly or by a `./*` pattern as Node matches them. A package
 * without an `exports` map serves a subpath as a file inside it.
 */
export function packageEntry(pkgDir: string, conditions: readonly string[], subpath = '.'): string | undefined {
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
    exports?: unknown;
    module?: string;
    main?: string;
  };
  let target: string | undefined;
  if (manifest.exports !== undefined) {
    const exp = manifest.exports as Record<string, unknown> | string;
    const sugar = typeof exp === 'string' || Array.isArray(exp) || !Object.keys(exp).some((k) => k.startsWith('.'));
    if (sugar) target = subpath === '.' ? pickCondition(exp, conditions) : undefined;
    else target = exportTarget(exp, subpath, conditions);
  } else if (subpath === '.') {
    target = manifest.module ?? manifest.main ?? 'index.js';
  } else {
    const base = path.resolve(pkgDir, subpath);
    if (!isInside(pkgDir, base)) return undefined;
    if (existsSync(base) && statSync(base).isDirectory()) return packageEntryOrIndex(base, conditions);
    target = [subpath, `${subpath}.js`, `${subpath}.mjs`].find((t) => isFile(path.resolve(pkgDir, t)));
  }
  if (target === undefined) return undefined;
  const file = path.resolve(pkgDir, target);
  return isInside(pkgDir, file) && isFile(file) ? file : undefined;
}

function packageEntryOrIndex(dir: string, conditions: readonly string[]): string | undefined {
  if (existsSync(path.join(dir, 'package.json'))) return packageEntry(dir, conditions);
  const index = path.join(dir, 'index.js');
  return isFile(index) ? index : undefined;
}

/** The target of `subpath` in an `exports` map with `.`-keys: an exact key, else the longest `*` pattern. */
function exportTarget(exp: Record<string, unknown>, subpath: string, conditions: readonly string[]): string | undefined {
  if (Object.hasOwn(exp, subpath)) return pickCondition(exp[subpath], conditions);
  let best: { key: string; star: string } | undefined;
  for (const key of Object.keys(exp)) {
    const star = key.indexOf('*');
    if (star < 0 || key.indexOf('*', star + 1) >= 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.length < key.length - 1 || !subpath.startsWith(prefix) || !subpath.endsWith(suffix)) continue;
    if (!best || prefix.length > best.key.indexOf('*')) best = { key, star: subpath.slice(prefix.length, subpath.length - suffix.length) };
  }
  if (!best) return undefined;
  const target = pickCondition(exp[best.key], conditions);
  return target?.replaceAll('*', best.star);
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
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
