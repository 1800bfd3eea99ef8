import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageEntry, resolvePackageEntry, splitSpecifier } from '../../../src/node/plugin/package-resolver.js';

let root: string;

function write(file: string, text = 'export default 1;\n'): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'broom-resolver-'));
  // A scoped package with several plugins behind subpath exports, each with a `source` condition.
  write(
    'node_modules/@acme/pruners/package.json',
    JSON.stringify({
      name: '@acme/pruners',
      exports: {
        '.': { source: './src/index.ts', default: './dist/index.js' },
        './median': { source: './src/median.ts', default: './dist/median.js' },
        './extra/*': './dist/extra/*.js',
        './extra/blocked': null,
        './package.json': './package.json',
      },
    }),
  );
  for (const f of ['src/index.ts', 'dist/index.js', 'src/median.ts', 'dist/median.js', 'dist/extra/one.js']) {
    write(`node_modules/@acme/pruners/${f}`);
  }
  // An unscoped package with no `exports` map: subpaths are files inside it.
  write('node_modules/plain/package.json', JSON.stringify({ name: 'plain', main: 'main.js' }));
  write('node_modules/plain/main.js');
  write('node_modules/plain/lib/thing.js');
  // Sugar: `exports` as a single string serves `.` only.
  write('node_modules/sugar/package.json', JSON.stringify({ name: 'sugar', exports: './entry.js' }));
  write('node_modules/sugar/entry.js');
  write('node_modules/sugar/other.js');
  mkdirSync(path.join(root, 'project/deep'), { recursive: true });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const pkg = (...p: string[]) => path.join(root, 'node_modules', ...p);

describe('splitSpecifier', () => {
  it.each([
    ['@broom/pruner-optuna', '@broom/pruner-optuna', '.'],
    ['@broom/pruner-optuna/median', '@broom/pruner-optuna', './median'],
    ['@a/b/c/d', '@a/b', './c/d'],
    ['lodash', 'lodash', '.'],
    ['lodash/fp/map', 'lodash', './fp/map'],
  ])('%s → %s + %s', (spec, name, subpath) => {
    expect(splitSpecifier(spec)).toEqual({ name, subpath });
  });
});

describe('resolvePackageEntry', () => {
  it("resolves a package's `.` export, walking node_modules up from a nested directory", () => {
    expect(resolvePackageEntry('@acme/pruners', path.join(root, 'project/deep'), ['source'])).toBe(pkg('@acme/pruners/src/index.ts'));
    expect(resolvePackageEntry('@acme/pruners', root, ['import'])).toBe(pkg('@acme/pruners/dist/index.js'));
  });

  it('resolves a subpath through the exports map, with the conditions given', () => {
    expect(resolvePackageEntry('@acme/pruners/median', root, ['source', 'import'])).toBe(pkg('@acme/pruners/src/median.ts'));
    expect(resolvePackageEntry('@acme/pruners/median', root, ['import'])).toBe(pkg('@acme/pruners/dist/median.js'));
  });

  it('resolves a `./*` pattern export, and honours a null target', () => {
    expect(resolvePackageEntry('@acme/pruners/extra/one', root, [])).toBe(pkg('@acme/pruners/dist/extra/one.js'));
    expect(resolvePackageEntry('@acme/pruners/extra/two', root, [])).toBeUndefined(); // matched, but no such file
    expect(resolvePackageEntry('@acme/pruners/extra/blocked', root, [])).toBeUndefined();
  });

  it('does not serve a subpath the exports map does not list', () => {
    expect(resolvePackageEntry('@acme/pruners/src/median.ts', root, ['source'])).toBeUndefined();
    expect(resolvePackageEntry('@acme/pruners/mean', root, ['source'])).toBeUndefined();
    expect(resolvePackageEntry('sugar/other.js', root, [])).toBeUndefined();
    expect(resolvePackageEntry('sugar', root, [])).toBe(pkg('sugar/entry.js'));
  });

  it('serves a subpath of a package without exports as a file inside it', () => {
    expect(resolvePackageEntry('plain', root, [])).toBe(pkg('plain/main.js'));
    expect(resolvePackageEntry('plain/lib/thing', root, [])).toBe(pkg('plain/lib/thing.js'));
    expect(resolvePackageEntry('plain/lib/thing.js', root, [])).toBe(pkg('plain/lib/thing.js'));
    expect(resolvePackageEntry('plain/lib/none', root, [])).toBeUndefined();
    expect(resolvePackageEntry('plain/../sugar/entry.js', root, [])).toBeUndefined();
  });

  it('gives undefined for a package that is not installed', () => {
    expect(resolvePackageEntry('@acme/nothing/median', root, ['source'])).toBeUndefined();
  });
});

describe('packageEntry', () => {
  it("defaults to the package's `.` export", () => {
    expect(packageEntry(pkg('@acme/pruners'), ['source'])).toBe(pkg('@acme/pruners/src/index.ts'));
    expect(packageEntry(pkg('@acme/pruners'), ['source'], './median')).toBe(pkg('@acme/pruners/src/median.ts'));
  });
});
