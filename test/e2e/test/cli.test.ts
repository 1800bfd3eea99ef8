import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJson, unbox } from '@broom/core';
import { broom, fixtures } from './broom.js';

const cfg = (name: string) => path.join(fixtures, 'configs', name);
const input = (config: unknown, runs: unknown[] = []) => JSON.stringify({ config, runs });
const gridConfig = {
  method: 'grid',
  parameters: { b: { values: [1, 2] }, a: { values: ['x', 'y', 'z'] }, c: { value: 0.5 } },
};

describe('broom validate', () => {
  it('accepts a valid config and says what it will do', () => {
    const r = broom(['validate', cfg('grid.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${cfg('grid.yaml')}: valid (method grid, 3 parameters, 6 runs in the grid)\n`);
  });

  it('lists every problem with the file, the key path and a suggestion', () => {
    const r = broom(['validate', cfg('bad.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('problems');
    expect(r.stderr).toContain('method');
    expect(r.stderr).toContain('"grid"');
    expect(r.stderr).toContain('metric.goal');
    expect(r.stderr).toContain('Did you mean "minimize"?');
    expect(r.stderr).toContain('Did you mean "early_terminate"?');
    expect(r.stderr).toContain('lr: min 0.1 is not less than max 0.01');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('prints JSON with --json', () => {
    const ok = broom(['validate', '--json', cfg('grid.yaml')]);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, errors: [] });
    const bad = broom(['validate', '--json', cfg('bad.yaml')]);
    expect(bad.code).toBe(1);
    const parsed = JSON.parse(bad.stdout);
    expect(parsed.valid).toBe(false);
    expect(parsed.errors.length).toBeGreaterThanOrEqual(4);
  });

  it('reads standard input with -', () => {
    const r = broom(['validate', '-'], 'method: random\nparameters:\n  x: {min: 0, max: 3}\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<stdin>: valid (method random, 1 parameter, runs until stopped or run_cap)');
  });

  it('shows line and column of a YAML syntax error', () => {
    const r = broom(['validate', cfg('syntax.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/syntax\.yaml:\d+:\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('fills every default with --fill', () => {
    const r = broom(['validate', '--fill', cfg('grid.yaml')]);
    expect(r.code).toBe(0);
    const filled = JSON.parse(r.stdout);
    expect(filled.parameters.a).toEqual({ distribution: 'categorical', values: ['x', 'y', 'z'] });
    expect(filled.parameters.c).toEqual({ distribution: 'constant', value: 0.5 });
    expect(filled.metric).toMatchObject({ name: 'loss', goal: 'minimize' });
  });

  it('warns that a grid cannot search a continuous parameter', () => {
    const r = broom(['validate', cfg('grid-uniform.yaml')]);
    // W&B's validator calls this valid (its engine refuses it later): broom says so up front.
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('grid-uniform.yaml:3:3: warning: Key "parameters.lr": grid search cannot use distribution uniform');
  });

  it('checks the scheduler settings and the sampler and pruner arguments of an optuna sweep', () => {
    const base = (settings: string) =>
      `method: custom\nmetric: {name: loss, goal: minimize}\nparameters: {lr: {min: 0.001, max: 0.1}}\nscheduler:\n  job: optuna\n  settings: ${settings}\n`;
    const ok = broom(['validate', '-'], base('{sampler: {type: TPESampler, args: {n_startup_trials: 5}}, pruner: {type: MedianPruner}}'));
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    const key = broom(['validate', '-'], base('{samplr: {type: TPESampler}}'));
    // W&B does not look into scheduler.settings: still valid, with broom's warning naming plugin and key.
    expect(key.code).toBe(0);
    expect(key.stderr).toContain('Invalid options for the plugin "@broom/scheduler-optuna":\n  Key "scheduler.settings.samplr": unknown option');
    const arg = broom(['validate', '-'], base('{pruner: {type: PercentilePruner, args: {percentile: 140}}}'));
    expect(arg.stderr).toContain('Key "scheduler.settings.pruner.args.percentile"');
    const type = broom(['validate', '-'], base('{sampler: {type: TPSampler}}'));
    expect(type.stderr).toContain('Cannot find the sampler plugin "TPSampler"');
    expect(type.stderr).toContain('Did you mean "TPESampler"?');
  });

  it('names a missing file', () => {
    const r = broom(['validate', cfg('nope.yaml')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('nope.yaml');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('broom next-runs', () => {
  it('walks a grid in W&B order (names sorted, last varies fastest) and stops when exhausted', () => {
    const first = broom(['next-runs', '--count', '10'], input(gridConfig));
    expect(first.code).toBe(0);
    const proposals = JSON.parse(first.stdout);
    expect(proposals.map((p: { config: { a: string; b: number } }) => `${p.config.a}${p.config.b}`)).toEqual([
      'x1', 'x2', 'y1', 'y2', 'z1', 'z2',
    ]);
    expect(proposals[0].config.c).toBe(0.5);
    const runs = proposals.map((p: { config: unknown }, i: number) => ({ name: `r${i}`, state: 'finished', config: p.config }));
    expect(JSON.parse(broom(['next-runs'], input(gridConfig, runs)).stdout)).toEqual([]);
  });

  it('skips cells that any run already has, in any state', () => {
    const runs = [
      { name: 'a', state: 'crashed', config: { a: 'x', b: 1, c: 0.5 } },
      { name: 'b', state: 'running', config: { a: 'x', b: 2.0, c: 0.5 } },
    ];
    const r = broom(['next-runs'], input(gridConfig, runs));
    expect(JSON.parse(r.stdout)).toEqual([{ config: { a: 'y', b: 1, c: 0.5 } }]);
  });

  it('keeps floats written 1.0 as floats on the way out', () => {
    const config = { method: 'grid', parameters: { x: { values: [1.0, 2.5] } } };
    const r = broom(['next-runs', '--count', '2'], JSON.stringify({ config, runs: [] }).replace('[1,', '[1.0,'));
    expect(r.stdout.trim()).toBe('[{"config":{"x":1.0}},{"config":{"x":2.5}}]');
  });

  it('is reproducible with --seed, and --count N equals N single calls', () => {
    const config = { method: 'random', parameters: { x: { min: 0.0, max: 1.0 }, n: { min: 1, max: 100 } } };
    const a = broom(['next-runs', '--count', '3', '--seed', '7'], input(config));
    const b = broom(['next-runs', '--count', '3', '--seed', '7'], input(config));
    expect(a.stdout).toBe(b.stdout);
    const all = JSON.parse(a.stdout);
    const runs: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const [one] = JSON.parse(broom(['next-runs', '--seed', '7'], input(config, runs)).stdout);
      expect(one).toEqual(all[i]);
      runs.push({ name: `p${i}`, state: 'pending', config: one.config });
    }
  });

  it('respects run_cap and nests nested parameters', () => {
    const r = broom(['next-runs', '--count', '10', '--input', cfg('../inputs/random-nested.json')]);
    expect(r.code).toBe(0);
    const proposals = JSON.parse(r.stdout);
    expect(proposals).toHaveLength(2); // run_cap 3, one run already
    for (const p of proposals) {
      expect(Object.keys(p.config).sort()).toEqual(['dropout', 'layers', 'lr', 'optimizer']);
      expect(p.config.optimizer.momentum).toBe(0.9);
      expect(['adam', 'sgd']).toContain(p.config.optimizer.name);
      expect(Number.isInteger(p.config.layers)).toBe(true);
    }
  });

  it('accepts NaN and Infinity in metrics as Python writes them', () => {
    const text = '{"config": {"method": "random", "parameters": {"x": {"values": [1]}}}, "runs": [{"name": "r", "state": "finished", "config": {"x": 1}, "history": [{"loss": NaN}, {"loss": Infinity}], "summary": {"loss": -Infinity}}]}';
    const r = broom(['next-runs'], text);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ config: { x: 1 } }]);
  });

  it('exits 2 with a clear message on bad input', () => {
    const cases: [string, RegExp][] = [
      ['{"config": {"method": "grid"', /<stdin>:1:\d+: invalid JSON/],
      [input({ method: 'grid', parameters: { x: { values: [1] } } }, [{ name: 'r', state: 'done' }]), /runs\[0\]\.state.*"finished"/],
      [input({ method: 'bayes', parameters: { x: { min: 0.5, max: 1.5 } } }), /Bayesian search requires "metric" section/],
      [input({ method: 'grid', parameters: { x: { min: 0.5, max: 1.5 } } }), /Parameter x is a disallowed type with grid search/],
      [input({ method: 'grid', parameters: { x: { min: 0.0, max: 1.0 } } }).replace('"config"', '"cofnig"'), /Did you mean "config"\?/],
    ];
    for (const [text, message] of cases) {
      const r = broom(['next-runs'], text);
      expect(r.code, text).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('is lenient where W&B is lenient at search time', () => {
    const config = { method: 'random', metric: { name: 'loss', goal: 'maximise' }, early_terminate: { type: 'hyperband', min_iter: 3, extra: 1 }, parameters: { x: { values: [1] } } };
    const r = broom(['next-runs'], input(config));
    expect(r.code).toBe(0);
  });
});

describe('broom stop-runs', () => {
  const hyperband = {
    method: 'random',
    metric: { name: 'loss', goal: 'minimize' },
    early_terminate: { type: 'hyperband', min_iter: 2, eta: 2 },
    parameters: { x: { values: [1] } },
  };
  const hist = (...xs: number[]) => xs.map((loss) => ({ loss }));
  const runs = [
    { name: 'r1', state: 'finished', config: { x: 1 }, history: hist(1, 0.5, 0.4, 0.3) },
    { name: 'r2', state: 'finished', config: { x: 1 }, history: hist(1, 0.6, 0.5, 0.4) },
    { name: 'r3', state: 'running', config: { x: 1 }, history: hist(2, 1.5) },
    { name: 'r4', state: 'running', config: { x: 1 }, history: hist(1, 0.55) },
  ];

  it('stops the running runs hyperband condemns', () => {
    const r = broom(['stop-runs'], input(hyperband, runs));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(['r3']);
  });

  it('explains its bands and thresholds with --info', () => {
    const r = broom(['stop-runs', '--info'], input(hyperband, runs));
    // Python's json writes (and reads) Infinity for a band no run has reached yet.
    const out = unbox(parseJson(r.stdout)) as { stop: string[]; info: Record<string, { lines: string[]; thresholds: number[] }> };
    expect(out.info.r3.thresholds.slice(0, 3)).toEqual([0.6, 0.4, Infinity]);
    expect(out.stop).toEqual(['r3']);
    expect(Object.keys(out.info)).toEqual(['r3', 'r4']);
    expect(out.info.r3.lines.join('\n')).toMatch(/Run: r3 Step: 2 +\(Band: 2 Metric: 1\.5 Threshold: 0\.6\) +STOP/);
  });

  it('prints an empty list when there is no early termination', () => {
    const r = broom(['stop-runs'], input(gridConfig, [{ name: 'a', state: 'running', config: {} }]));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});

describe('broom command', () => {
  it('expands the macros of the config', () => {
    const r = broom(['command', cfg('command.yaml'), '--params', '{"lr": 0.001, "fast": true, "layers": [64, 32]}', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(['/usr/bin/env', 'python3', 'train.py', '--lr=0.001', '--fast', '--layers=[64, 32]', '--tag=BROOM_TEST_TAG']);
  });
});
