import { readFileSync } from 'node:fs';
import { createRandom, type SamplerSpace, type SamplerValue, type TrialSnapshot } from '@broom/core';
import { distributionViolation } from '@broom/core/testing';
import { describe, expect, it } from 'vitest';
import plugin, { GpSampler, GpSpace, standardize } from '../src/index.js';
import { PACKAGE } from '../src/meta.js';

type Params = Record<string, SamplerValue>;

const SPACE2: SamplerSpace = { x: { type: 'float', low: -5, high: 10 }, y: { type: 'float', low: 0, high: 15 } };

function branin(p: Params): number {
  const x = p.x as number;
  const y = p.y as number;
  const b = 5.1 / (4 * Math.PI ** 2);
  return (y - b * x * x + (5 / Math.PI) * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
}

/** A sequential study: each proposal completes before the next. */
function run(sampler: GpSampler, space: SamplerSpace, f: (p: Params) => number, n: number, seed: number): TrialSnapshot[] {
  const trials: TrialSnapshot[] = [];
  for (let i = 0; i < n; i++) {
    const p = sampler.sample({ space, trials, directions: ['minimize'], random: createRandom(seed * 1000 + i) });
    trials.push({ number: i, state: 'complete', params: p, values: [f(p)] });
  }
  return trials;
}

const best = (trials: TrialSnapshot[]) => Math.min(...trials.map((t) => t.values?.[0] ?? Infinity));

function complete(number: number, params: Params, value: number): TrialSnapshot {
  return { number, state: 'complete', params, values: [value] };
}

describe('GPSampler', () => {
  it('is the GPSampler sampler plugin, with a strict options schema', () => {
    expect(plugin.meta).toMatchObject({ name: '@broom/sampler-gp', kind: 'sampler', alias: 'GPSampler' });
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(PACKAGE).toEqual({ name: pkg.name, version: pkg.version });
    expect(plugin.options?.safeParse({ n_startup_trials: 5, deterministic_objective: true, seed: 3 }).success).toBe(true);
    const bad = plugin.options!.safeParse({ n_startup_trails: 5 });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.success ? null : bad.error.issues)).toContain('n_startup_trails');
    expect(() => new GpSampler({ n_startup_trials: -1 })).toThrow(/GPSampler: 'n_startup_trials'/);
    expect(() => new GpSampler({ independent_sampler: 'x' } as never)).toThrow(/GPSampler: options: .*independent_sampler/);
  });

  it('finds the minimum of Branin far better than random search with the same budget', () => {
    const gpBest: number[] = [];
    const randomBest: number[] = [];
    for (const seed of [1, 2, 3]) {
      gpBest.push(best(run(new GpSampler(), SPACE2, branin, 35, seed)) - 0.397887);
      randomBest.push(best(run(new GpSampler({ n_startup_trials: 1000 }), SPACE2, branin, 35, seed)) - 0.397887);
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[1];
    expect(median(gpBest)).toBeLessThan(0.01);
    expect(median(gpBest)).toBeLessThan(median(randomBest) / 20);
  });

  it('finds the best categories and integer of a mixed space', () => {
    const space: SamplerSpace = {
      lr: { type: 'float', low: 1e-5, high: 1e-1, log: true },
      layers: { type: 'int', low: 1, high: 8 },
      act: { type: 'categorical', choices: ['relu', 'tanh', 'gelu'] },
      opt: { type: 'categorical', choices: ['sgd', 'adam'] },
    };
    const f = (p: Params) =>
      (Math.log10(p.lr as number) + 3) ** 2 + 0.1 * ((p.layers as number) - 5) ** 2 + (p.act === 'gelu' ? 0 : 0.5) + (p.opt === 'adam' ? 0 : 0.7);
    const trials = run(new GpSampler(), space, f, 40, 4);
    const top = trials.reduce((a, b) => (a.values![0] <= b.values![0] ? a : b));
    expect(top.params).toMatchObject({ act: 'gelu', opt: 'adam', layers: 5 });
    expect(top.values![0]).toBeLessThan(0.02);
  });

  it('handles an int range too large for a grid, a float step grid, and a space of categoricals only', () => {
    const wide: SamplerSpace = { big: { type: 'int', low: 0, high: 1_000_000 }, q: { type: 'float', low: 0, high: 1, step: 0.1 } };
    const trials = run(new GpSampler(), wide, (p) => (((p.big as number) - 123_456) / 1e6) ** 2 + ((p.q as number) - 0.3) ** 2, 25, 2);
    for (const t of trials) for (const [k, d] of Object.entries(wide)) expect(distributionViolation(d, t.params[k]), k).toBeNull();
    expect(best(trials)).toBeLessThan(0.01);
    const cats: SamplerSpace = {
      a: { type: 'categorical', choices: ['w', 'x', 'y', 'z'] },
      b: { type: 'categorical', choices: [1, 2, 3] },
    };
    const catTrials = run(new GpSampler({ n_startup_trials: 4 }), cats, (p) => (p.a === 'y' ? 0 : 1) + (p.b === 2 ? 0 : 0.5), 10, 3);
    expect(best(catTrials)).toBe(0);
  });

  it('is reproducible from its seed whatever the random stream, and other seeds give other proposals', () => {
    const history = run(new GpSampler({ seed: 1 }), SPACE2, branin, 14, 9);
    const propose = (seed: number, stream: number) =>
      new GpSampler({ seed }).sample({ space: SPACE2, trials: history, directions: ['minimize'], random: createRandom(stream) });
    expect(propose(5, 1)).toEqual(propose(5, 2));
    expect(propose(6, 1)).not.toEqual(propose(5, 1));
    // Without a seed the stream drives the quasi-random points and the roulette: they show.
    const streams = [1, 2, 3, 4, 5].map((s) =>
      JSON.stringify(new GpSampler().sample({ space: SPACE2, trials: history, directions: ['minimize'], random: createRandom(s) })),
    );
    expect(new Set(streams).size).toBeGreaterThan(1);
    const a = run(new GpSampler({ seed: 11 }), SPACE2, branin, 16, 1).map((t) => t.params);
    const b = run(new GpSampler({ seed: 11 }), SPACE2, branin, 16, 2).map((t) => t.params);
    expect(b).toEqual(a);
  });

  it('copes with constant objective values', () => {
    const sampler = new GpSampler({ n_startup_trials: 5 });
    const trials = run(new GpSampler({ n_startup_trials: 1000 }), SPACE2, () => 3.5, 15, 1);
    const p = sampler.sample({ space: SPACE2, trials, directions: ['minimize'], random: createRandom(1) });
    expect(new GpSpace(SPACE2).encode(p)).toBeDefined();
    const info = sampler.lastProposal!;
    expect(info.observations).toBe(15);
    expect([...info.params.inverseSquaredLengthscales, info.params.kernelScale, info.params.noiseVar].every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(info.acquisition)).toBe(true);
  });

  it('copes with duplicated points, with equal or different values, deterministic or not', () => {
    for (const deterministic_objective of [false, true]) {
      const trials = Array.from({ length: 14 }, (_, i) => complete(i, { x: 1, y: 2 }, i % 2 === 0 ? 5 : 5 + i * 1e-9));
      trials.push(complete(14, { x: 7, y: 12 }, 9), complete(15, { x: 7, y: 12 }, 1));
      const sampler = new GpSampler({ deterministic_objective });
      const p = sampler.sample({ space: SPACE2, trials, directions: ['minimize'], random: createRandom(3) });
      expect(new GpSpace(SPACE2).encode(p)).toBeDefined();
      expect(Number.isFinite(sampler.lastProposal!.acquisition)).toBe(true);
      if (deterministic_objective) expect(sampler.lastProposal!.params.noiseVar).toBe(1e-6);
    }
  });

  it('moves away from running trials (kriging believer), so parallel agents get different proposals', () => {
    const history = run(new GpSampler(), SPACE2, branin, 20, 5);
    const sampler = new GpSampler();
    const first = sampler.sample({ space: SPACE2, trials: history, directions: ['minimize'], random: createRandom(42) });
    expect(sampler.lastProposal!.pending).toBe(0);
    const withRunning = [...history, { number: 20, state: 'running' as const, params: first }];
    const second = sampler.sample({ space: SPACE2, trials: withRunning, directions: ['minimize'], random: createRandom(42) });
    expect(sampler.lastProposal!.pending).toBe(1);
    const distance = Math.hypot(((second.x as number) - (first.x as number)) / 15, ((second.y as number) - (first.y as number)) / 15);
    expect(distance).toBeGreaterThan(1e-3);
  });

  it('ignores pruned and failed trials, NaN values and trials outside the space', () => {
    const history = run(new GpSampler(), SPACE2, branin, 15, 6);
    const noise: TrialSnapshot[] = [
      { number: 15, state: 'pruned', params: { x: 0, y: 0 }, intermediate: { 0: -1000 } },
      { number: 16, state: 'fail', params: { x: 9, y: 1 } },
      { number: 17, state: 'complete', params: { x: 2, y: 2 }, values: [Number.NaN] },
      { number: 18, state: 'complete', params: { x: 50, y: 2 }, values: [-1000] },
      { number: 19, state: 'complete', params: { x: 2 }, values: [-1000] },
    ];
    const propose = (trials: TrialSnapshot[]) => new GpSampler().sample({ space: SPACE2, trials, directions: ['minimize'], random: createRandom(8) });
    expect(propose([...history, ...noise])).toEqual(propose(history));
  });

  it('maximises when the direction says so', () => {
    const trials: TrialSnapshot[] = run(new GpSampler({ n_startup_trials: 1000 }), SPACE2, branin, 12, 3).map((t) => ({ ...t, values: [-t.values![0]] }));
    for (let i = 12; i < 30; i++) {
      const p = new GpSampler().sample({ space: SPACE2, trials, directions: ['maximize'], random: createRandom(i) });
      trials.push(complete(i, p, -branin(p)));
    }
    expect(-Math.max(...trials.slice(12).map((t) => t.values![0]))).toBeLessThan(0.5);
  });

  it('refuses several objectives with a clear error', () => {
    const sampler = new GpSampler();
    expect(() => sampler.sample({ space: SPACE2, trials: [], directions: ['minimize', 'maximize'], random: createRandom(1) })).toThrow(
      'GPSampler supports a single objective, but this study has 2 (minimize, maximize)',
    );
  });

  it('names the parameter of a bad distribution', () => {
    expect(() =>
      new GpSampler().sample({ space: { lr: { type: 'float', low: 0, high: 1, log: true } }, trials: [], directions: ['minimize'], random: createRandom(1) }),
    ).toThrow("GPSampler: parameter 'lr': a log range needs low > 0 (got low = 0)");
  });

  it('standardises scores as Optuna does, infinities clipped to the finite extremes', () => {
    expect([...standardize([1, 2, 3])].map((v) => v.toFixed(6))).toEqual(['-1.224745', '0.000000', '1.224745']);
    expect([...standardize([4, 4, 4])]).toEqual([0, 0, 0]);
    expect([...standardize([0, Infinity, -Infinity, 2])]).toEqual([...standardize([0, 2, 0, 2])]);
  });
});

describe('GpSpace (normalisation)', () => {
  const space = new GpSpace({
    f: { type: 'float', low: -2, high: 2 },
    lg: { type: 'float', low: 1e-4, high: 1, log: true },
    q: { type: 'float', low: 0, high: 1, step: 0.25 },
    i: { type: 'int', low: 1, high: 4 },
    li: { type: 'int', low: 1, high: 100, log: true },
    c: { type: 'categorical', choices: ['a', 'b', 'c'] },
    one: { type: 'categorical', choices: ['only'] },
  });

  it('maps numbers onto [0, 1] (log ranges in log space, grids widened by half a step) and categoricals to indices', () => {
    expect(space.dims.map((d) => d.name)).toEqual(['f', 'lg', 'q', 'i', 'li', 'c']);
    const row = space.encode({ f: 0, lg: 1e-2, q: 0.25, i: 1, li: 10, c: 'c', one: 'only' })!;
    expect(row[0]).toBeCloseTo(0.5, 12);
    expect(row[1]).toBeCloseTo(0.5, 12);
    expect(row[2]).toBeCloseTo((0.25 + 0.125) / 1.25, 12);
    expect(row[3]).toBeCloseTo(0.5 / 4, 12);
    expect(row[4]).toBeCloseTo((Math.log(10) - Math.log(0.5)) / (Math.log(100.5) - Math.log(0.5)), 12);
    expect(row[5]).toBe(2);
    expect(space.decode(row)).toEqual({ f: 0, lg: expect.closeTo(1e-2, 12), q: 0.25, i: 1, li: 10, c: 'c', one: 'only' });
  });

  it('rejects a trial with a missing or impossible value', () => {
    const ok = { f: 0, lg: 1e-2, q: 0.25, i: 1, li: 10, c: 'c' };
    expect(space.encode(ok)).toBeDefined();
    expect(space.encode({ ...ok, c: 'z' })).toBeUndefined();
    expect(space.encode({ ...ok, i: 1.5 })).toBeUndefined();
    expect(space.encode({ ...ok, f: 3 })).toBeUndefined();
    const { f: _f, ...missing } = ok;
    expect(space.encode(missing)).toBeUndefined();
  });

  it('draws each grid point and choice equally often at random', () => {
    const r = createRandom(5);
    const counts = new Map<SamplerValue, number>();
    for (let k = 0; k < 4000; k++) {
      const p = space.decode(space.randomRow(r));
      counts.set(p.i, (counts.get(p.i) ?? 0) + 1);
    }
    for (const v of [1, 2, 3, 4]) expect(counts.get(v)! / 4000).toBeCloseTo(0.25, 1);
  });
});
