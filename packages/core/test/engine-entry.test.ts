import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * `@broom/core` (its root entry) must not load zod or yaml: `broom next-runs` and `stop-runs` pay for every
 * module they load, on every call. This walks the import graph of src/index.ts as the compiler
 * emits it (type-only imports are erased, so they do not count) and lists every package it
 * reaches: through static imports (loaded with the entry) and through literal dynamic imports
 * (loaded when a function needs them, like workerpool for the worker engine). Independent of the build.
 */

const src = fileURLToPath(new URL('../src/', import.meta.url));
const FORBIDDEN = ['zod', 'yaml'];

/** The module specifiers of a file's emitted JavaScript: static imports and re-exports, and (`lazy`) literal dynamic imports. */
function specifiers(file: string, lazy: boolean): string[] {
  const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, isolatedModules: true, verbatimModuleSyntax: false },
  }).outputText;
  const out: string[] = [];
  const re = /(?:^|[\s;])(?:import|export)\s*(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of js.matchAll(re)) if (m[1] !== undefined || lazy) out.push(m[1] ?? m[2]);
  return out;
}

/** Every file and package reachable from `entry` (following dynamic imports if `lazy`), with the chain of files that leads to each package. */
function importGraph(entry: string, lazy = true): { files: Set<string>; packages: Map<string, string[]> } {
  const files = new Set<string>();
  const packages = new Map<string, string[]>();
  const visit = (file: string, chain: string[]) => {
    if (files.has(file)) return;
    files.add(file);
    const here = [...chain, path.relative(src, file)];
    for (const spec of specifiers(file, lazy)) {
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
        expect(fs.existsSync(target), `${here.join(' → ')} imports ${spec}, which does not exist`).toBe(true);
        visit(target, here);
      } else if (!spec.startsWith('node:')) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!packages.has(name)) packages.set(name, here);
      }
    }
  };
  visit(entry, []);
  return { files, packages };
}

describe('@broom/core', () => {
  const { files, packages } = importGraph(path.join(src, 'index.ts'));

  it('reaches neither zod nor yaml, even lazily', () => {
    for (const name of FORBIDDEN) {
      expect(packages.get(name), `${name} is reached through ${packages.get(name)?.join(' → ')}`).toBeUndefined();
    }
  });

  it('loads no package with the entry, and only workerpool when a worker engine starts', () => {
    const eager = importGraph(path.join(src, 'index.ts'), false);
    expect([...eager.packages.keys()], `reached through ${[...eager.packages.values()].map((c) => c.join(' → ')).join('; ')}`).toEqual([]);
    expect([...packages.keys()]).toEqual(['workerpool']);
    expect(packages.get('workerpool')).toEqual(['index.ts', 'node/worker/worker-engine.ts']);
  });

  it('holds the engine and the lenient fill (the walk follows re-exports)', () => {
    const reached = [...files].map((f) => path.relative(src, f).split(path.sep).join('/'));
    expect(reached).toEqual(expect.arrayContaining([
      'node/engine/engine.ts', 'common/config/fill.ts', 'common/config/parameter-table.ts', 'node/plugin/plugin-loader.ts',
    ]));
  });

  it('the walk does see zod and yaml from @broom/core/config', () => {
    const full = importGraph(path.join(src, 'config.ts'));
    expect([...full.packages.keys()]).toEqual(expect.arrayContaining(FORBIDDEN));
  });
});
