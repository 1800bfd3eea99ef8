import { nextRuns, type Value } from '@broom/core';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What a user does: `npm pack` this package, `npm install` the tarball into a fresh project outside
 * the workspace, and run the real, built `broom next-runs` there with a sweep that names the sampler
 * `halton`. Needs the CLI built (`pnpm build`, which the root `pnpm test` runs) and the npm registry
 * (for zod, the plugin's one dependency).
 */
const example = fileURLToPath(new URL('..', import.meta.url));
const repo = path.resolve(example, '..', '..');
const bin = path.join(repo, 'packages', 'cli', 'bin', 'broom.mjs');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const parameters = {
  lr: { min: 0.0001, max: 0.1, distribution: 'log_uniform_values' },
  layers: { min: 1, max: 4 },
  act: { values: ['relu', 'tanh', 'gelu'] },
  dropout: { min: 0, max: 0.5, q: 0.1, distribution: 'q_uniform' },
};
const sweep = (sampler: Value): Record<string, Value> => ({
  method: 'random',
  metric: { name: 'loss', goal: 'minimize' },
  parameters,
  scheduler: { job: 'optuna', settings: { sampler, pruner: null } },
});

describe('broom-plugin-halton, packed and installed as a user installs it', () => {
  let tmp: string;
  let project: string;
  let files: string[] = [];

  beforeAll(() => {
    for (const built of [path.join(repo, 'packages', 'cli', 'dist', 'main.js'), path.join(repo, 'packages', 'core', 'dist', 'index.js')]) {
      if (!existsSync(built)) throw new Error(`${built} is missing: build broom first (\`pnpm build\`; the root \`pnpm test\` does).`);
    }
    tmp = mkdtempSync(path.join(os.tmpdir(), 'broom-halton-'));
    project = path.join(tmp, 'my-sweeps');
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'my-sweeps', private: true, type: 'module' }, null, 2)}\n`);
    writeFileSync(path.join(project, 'sweep.json'), `${JSON.stringify({ config: sweep({ type: 'halton', args: { seed: 1 } }), runs: [] }, null, 2)}\n`);
    writeFileSync(path.join(project, 'typo.json'), `${JSON.stringify({ config: sweep({ type: 'halton', args: { sed: 1 } }), runs: [] })}\n`);
  });

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('is not found before it is installed: the sampler is looked up from the sweep config\'s folder', () => {
    const r = run(process.execPath, [bin, 'next-runs', '--input', 'sweep.json'], project);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Cannot find the sampler plugin "halton" named by `scheduler.settings.sampler.type` in sweep.json.');
    expect(r.stderr).toContain(`the package broom-plugin-halton in node_modules above ${project}`);
  });

  it('packs with its build (prepack) and nothing but dist, src, README and package.json', () => {
    const [pack] = JSON.parse(ok(run(npm, ['pack', '--json', '--pack-destination', tmp], example), 'npm pack')) as { filename: string; files: { path: string }[] }[];
    expect(pack.filename).toBe('broom-plugin-halton-0.1.0.tgz');
    files = pack.files.map((f) => f.path).sort();
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('README.md');
    expect(files.filter((f) => !/^(dist|src)\/|^README\.md$|^package\.json$/.test(f))).toEqual([]);
  });

  it('installs from the tarball with npm and proposes runs through the real CLI, found by the name halton', async () => {
    const tarball = path.join(tmp, 'broom-plugin-halton-0.1.0.tgz');
    expect(existsSync(tarball)).toBe(true);
    // @broom/core is a peer dependency and is not on the registry: --legacy-peer-deps leaves it to
    // the project, which has it as a user who installed broom has it. The link is made after the
    // install, because npm removes a package it did not install from node_modules.
    ok(run(npm, ['install', tarball, '--no-audit', '--no-fund', '--legacy-peer-deps'], project), 'npm install');
    expect(existsSync(path.join(project, 'node_modules', 'broom-plugin-halton', 'dist', 'index.js'))).toBe(true);
    mkdirSync(path.join(project, 'node_modules', '@broom'), { recursive: true });
    symlinkSync(path.join(repo, 'packages', 'core'), path.join(project, 'node_modules', '@broom', 'core'), 'junction');

    const r = run(process.execPath, [bin, 'next-runs', '--count', '6', '--seed', '5', '--input', 'sweep.json'], project);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const proposals = JSON.parse(r.stdout) as { config: Record<string, number | string> }[];
    expect(proposals).toHaveLength(6);
    for (const { config } of proposals) {
      expect(Object.keys(config).sort()).toEqual(['act', 'dropout', 'layers', 'lr']);
      expect(config.lr).toBeGreaterThanOrEqual(0.0001);
      expect(config.lr).toBeLessThanOrEqual(0.1);
      expect([1, 2, 3, 4]).toContain(config.layers);
      expect(['relu', 'tanh', 'gelu']).toContain(config.act);
      expect([0, 0.1, 0.2, 0.3, 0.4, 0.5]).toContain(config.dropout);
    }
    expect(new Set(proposals.map((p) => p.config.act))).toEqual(new Set(['relu', 'tanh', 'gelu']));
    expect(new Set(proposals.map((p) => JSON.stringify(p.config))).size).toBe(6);

    // The installed, built package proposes exactly what this workspace's source does.
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const fromSource = await nextRuns(sweep({ type: entry, args: { seed: 1 } }), [], 6, { seed: 5 });
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(fromSource)));
  });

  it('reports a misspelt option by its key, without a stack trace', () => {
    const r = run(process.execPath, [bin, 'next-runs', '--input', 'typo.json'], project);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('broom: Invalid options for the plugin "broom-plugin-halton":\n  Key "scheduler.settings.sampler.args.sed": unknown option\n');
  });
});
