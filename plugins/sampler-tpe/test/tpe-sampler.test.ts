import {
  createRandom,
  isPluginDefinition,
  type SamplerSpace,
  type SamplerValue,
  type StudyDirection,
  type TrialSnapshot,
} from '@broom/core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import plugin, { hypervolume, defaultGamma, defaultWeights, numericalKernels, prunedTrialScore, splitTrials, TpeSampler } from '../src/index.js';
import { TpeSamplerOptions } from '../src/tpe-options.schema.js';

const params = { considerPrior: true, priorWeight: 1, considerMagicClip: true, considerEndpoints: false, multivariate: false };

function done(number: number, value: number | number[], p: Record<string, SamplerValue> = {}): TrialSnapshot {
  return { number, state: 'complete', params: p, values: Array.isArray(value) ? value : [value] };
}

describe('@broom/sampler-tpe plugin', () => {
  it('declares itself as the TPESampler sampler with strict options and Optuna defaults', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.meta).toMatchObject({ name: pkg.name, version: pkg.version, kind: 'sampler', alias: 'TPESampler' });
    const parsed = plugin.options!.safeParse({});
    expect(parsed.success && parsed.data).toEqual({
      n_startup_trials: 10,
      n_ei_candidates: 24,
      consider_prior: true,
      prior_weight: 1,
      consider_magic_clip: true,
      consider_endpoints: false,
      multivariate: false,
      group: false,
      constant_liar: false,
    });
    expect(plugin.create(parsed.success ? parsed.data : ({} as never))).toBeInstanceOf(TpeSampler);
  });

  it('rejects a misspelt key, a bad value and group without multivariate, naming the key', () => {
    const typo = TpeSamplerOptions.safeParse({ n_startup_trial: 5 });
    expect(typo.success).toBe(false);
    expect(JSON.stringify(!typo.success && typo.error.issues)).toContain('n_startup_trial');
    expect(TpeSamplerOptions.safeParse({ n_ei_candidates: 0 }).success).toBe(false);
    expect(TpeSamplerOptions.safeParse({ prior_weight: -1 }).success).toBe(false);
    expect(() => new TpeSampler({ group: true })).toThrow(/'group'.*multivariate/);
    expect(() => new TpeSampler({ seed: 1.5 } as never)).toThrow(/'seed'/);
    expect(() => new TpeSampler({ multivariate: true, group: true })).not.toThrow();
  });

  it('refuses a space it cannot sample with a clear error', () => {
    const s = new TpeSampler();
    const bad: [SamplerSpace, RegExp][] = [
      [{ lr: { type: 'float', low: 0, high: 1, log: true } }, /'lr'.*log range needs low > 0/],
      [{ x: { type: 'float', low: 2, high: 1 } }, /'x'.*must not be greater/],
      [{ n: { type: 'int', low: 0.5, high: 3 } }, /'n'.*integer/],
      [{ c: { type: 'categorical', choices: [] } }, /'c'.*at least one choice/],
      [{ f: { type: 'float', low: 1, high: 2, log: true, step: 0.5 } }, /'f'.*both log and step/],
    ];
    for (const [space, msg] of bad) expect(() => s.sample({ space, trials: [], directions: ['minimize'], random: createRandom(1) })).toThrow(msg);
  });
});

describe("Optuna's gamma and weights", () => {
  it('default_gamma = min(ceil(0.1 n), 25)', () => {
    expect([0, 1, 10, 11, 30, 249, 250, 251, 1000].map(defaultGamma)).toEqual([0, 1, 1, 2, 3, 25, 25, 25, 25]);
  });
  it('default_weights: flat below 25, then a ramp from 1/n for the oldest', () => {
    expect(defaultWeights(0)).toEqual([]);
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    expect(defaultWeights(25)).toEqual(new Array(25).fill(1));
    expect(defaultWeights(26)).toEqual([1 / 26, ...new Array(25).fill(1)]);
    const w = defaultWeights(30);
    expect(w.slice(0, 5)).toEqual([1 / 30, 1 / 30 + (29 / 30) * 0.25, 1 / 30 + (29 / 30) * 0.5, 1 / 30 + (29 / 30) * 0.75, 1]);
    expect(w.length).toBe(30);
  });
});

describe('splitting trials into below and above', () => {
  it('takes the best complete trials in the study direction, stably, and returns both in number order', () => {
    const trials = [done(0, 5), done(1, 1), done(2, 3), done(3, 1), done(4, 9)];
    const min = splitTrials(trials, ['minimize'], 2);
    expect(min.below.map((t) => t.number)).toEqual([1, 3]);
    expect(min.above.map((t) => t.number)).toEqual([0, 2, 4]);
    const max = splitTrials(trials, ['maximize'], 2);
    expect(max.below.map((t) => t.number)).toEqual([0, 4]);
  });

  it('ranks pruned trials after complete ones: furthest step first, then the value there; failed ignored, running above', () => {
    const pruned = (number: number, intermediate: Record<number, number>): TrialSnapshot => ({ number, state: 'pruned', params: {}, intermediate });
    const trials: TrialSnapshot[] = [
      done(0, 10),
      pruned(1, { 0: 1, 3: 7 }),
      pruned(2, { 0: 0, 5: 9 }),
      pruned(3, { 5: 8 }),
      pruned(4, {}),
      { number: 5, state: 'fail', params: {} },
      { number: 6, state: 'running', params: {} },
      pruned(7, { 5: NaN }),
    ];
    expect(prunedTrialScore(trials[1], 'minimize')).toEqual([-3, 7]);
    expect(prunedTrialScore(trials[2], 'maximize')).toEqual([-5, -9]);
    expect(prunedTrialScore(trials[4], 'minimize')).toEqual([1, 0]);
    expect(prunedTrialScore(trials[7], 'minimize')).toEqual([-5, Infinity]);
    // Minimize: complete 0, then step 5 (8 < 9 < NaN), then step 3, then none.
    const three = splitTrials(trials, ['minimize'], 3);
    expect(three.below.map((t) => t.number)).toEqual([0, 2, 3]);
    expect(three.above.map((t) => t.number)).toEqual([1, 4, 6, 7]);
    const all = splitTrials(trials, ['minimize'], 25);
    expect(all.below.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 7]);
    expect(all.above.map((t) => t.number)).toEqual([6]);
    // Maximize: at step 5, 9 beats 8.
    expect(splitTrials(trials, ['maximize'], 2).below.map((t) => t.number)).toEqual([0, 2]);
  });

  it('multi-objective: whole fronts first, then a hypervolume subset of the next front', () => {
    const pts = [[0, 3], [1, 1], [3, 0], [2, 2], [1.5, 3.5], [3.5, 1.5], [4, 4]];
    const trials = pts.map((v, i) => done(i, v));
    const { below, above } = splitTrials(trials, ['minimize', 'minimize'], 4);
    expect(below.map((t) => t.number)).toEqual([0, 1, 2, 3]);
    expect(above.map((t) => t.number)).toEqual([4, 5, 6]);
    // Maximising the second objective is the same as minimising its negation.
    const flipped = pts.map((v, i) => done(i, [v[0], -v[1]]));
    expect(splitTrials(flipped, ['minimize', 'maximize'], 4).below.map((t) => t.number)).toEqual([0, 1, 2, 3]);
    expect(splitTrials(trials, ['minimize', 'minimize'], 2).below.map((t) => t.number)).toEqual(
      // From the first front, (1, 1) has the largest box, then the better of the two ends.
      expect.arrayContaining([1]),
    );
  });
});

describe('bandwidths (hand-computed)', () => {
  it('univariate: the larger neighbour gap, the prior counted, outermost use the inner gap, magic clip', () => {
    const k = numericalKernels([0.2, 0.5, 0.9], 0, 1, 0, params, 1);
    if (k.kind !== 'numerical') throw new Error('numerical');
    // Sorted with the prior (0.5): 0.2, 0.5, 0.5p, 0.9 inside [0, 1]; sigmas 0.3, 0.3, 0.4 (≥ 1/5).
    expect([...k.mu]).toEqual([0.2, 0.5, 0.9, 0.5]);
    [0.3, 0.3, 0.4, 1].forEach((s, i) => expect(k.sigma[i]).toBeCloseTo(s, 14));
  });

  it('consider_endpoints and magic clip change the outermost sigmas as Optuna does', () => {
    const bare = { ...params, considerPrior: false, considerMagicClip: false };
    const sig = (p: typeof params) => {
      const k = numericalKernels([0.6, 0.7], 0, 1, 0, p, 1);
      return k.kind === 'numerical' ? [...k.sigma] : [];
    };
    const close = (a: number[], b: number[]) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 14));
    close(sig(bare), [0.1, 0.1]);
    close(sig({ ...bare, considerEndpoints: true }), [0.6, 0.3]);
    close(sig({ ...bare, considerMagicClip: true }), [1 / 3, 1 / 3]); // range / (1 + 2)
    close(sig({ ...bare, considerMagicClip: true, considerEndpoints: true }), [0.6, 1 / 3]);
  });

  it('steps widen the range by half a step each side; the prior sigma is the widened range', () => {
    const k = numericalKernels([2, 3], 0, 10, 1, params, 1);
    if (k.kind !== 'numerical') throw new Error('numerical');
    // Sorted: 2, 3, 5p in [-0.5, 10.5]; sigmas: 2 → inner gap 1 → clipped to 11/4; 3 → max(1, 2) = 2 → 11/4.
    [11 / 4, 11 / 4, 11].forEach((s, i) => expect(k.sigma[i]).toBeCloseTo(s, 14));
    expect([...k.mu]).toEqual([2, 3, 5]);
  });

  it("multivariate: Scott's rule 0.2 · n^(-1/(d+4)) · range, then clipped", () => {
    const obs = Array.from({ length: 16 }, (_, i) => i / 16);
    const k = numericalKernels(obs, 0, 1, 0, { ...params, multivariate: true }, 4);
    if (k.kind !== 'numerical') throw new Error('numerical');
    expect(k.sigma[0]).toBeCloseTo(0.2 * 16 ** (-1 / 8), 14);
    expect(k.sigma[16]).toBe(1);
    const few = numericalKernels([0.5], 0, 1, 0, { ...params, multivariate: true }, 1);
    if (few.kind !== 'numerical') throw new Error('numerical');
    expect(few.sigma[0]).toBeCloseTo(1 / 3, 14); // 0.2 is below the clip range / (1 + 1 + 1)
  });
});

const square: SamplerSpace = { x: { type: 'float', low: -5, high: 5 }, y: { type: 'float', low: -5, high: 5 } };
const quadratic = (p: Record<string, SamplerValue>) => ((p.x as number) - 1.3) ** 2 + ((p.y as number) + 0.7) ** 2;

async function runStudy(sampler: TpeSampler, space: SamplerSpace, f: (p: Record<string, SamplerValue>) => number, n: number, seed: number) {
  const trials: TrialSnapshot[] = [];
  for (let i = 0; i < n; i++) {
    const p = sampler.sample({ space, trials, directions: ['minimize'], random: createRandom(seed * 7919 + i) });
    trials.push(done(i, f(p), p));
  }
  return trials;
}

describe('TPE behaviour', () => {
  it('draws at random until n_startup_trials trials are complete or pruned', () => {
    const tpe = new TpeSampler({ n_startup_trials: 3 });
    const random = new TpeSampler({ n_startup_trials: 1_000_000 });
    const history = [done(0, 1, { x: 0, y: 0 }), { number: 1, state: 'fail', params: { x: 1, y: 1 } } as TrialSnapshot, done(2, 2, { x: 2, y: 2 })];
    const req = (trials: TrialSnapshot[]) => ({ space: square, trials, directions: ['minimize'] as StudyDirection[], random: createRandom(4) });
    // Two finished trials: still random. Three: TPE (different draws from the same stream).
    expect(tpe.sample(req(history))).toEqual(random.sample(req(history)));
    const more = [...history, done(3, 3, { x: 3, y: 3 })];
    expect(tpe.sample(req(more))).not.toEqual(random.sample(req(more)));
  });

  it('converges on a quadratic better than random search', async () => {
    const best = (ts: TrialSnapshot[]) => Math.min(...ts.map((t) => t.values![0]));
    let tpeSum = 0;
    let randomSum = 0;
    for (let seed = 0; seed < 5; seed++) {
      tpeSum += best(await runStudy(new TpeSampler(), square, quadratic, 60, seed));
      randomSum += best(await runStudy(new TpeSampler({ n_startup_trials: 1_000_000 }), square, quadratic, 60, seed));
    }
    expect(tpeSum / 5).toBeLessThan(randomSum / 5);
    expect(tpeSum / 5).toBeLessThan(0.2);
  });

  it('constant liar: running trials push proposals away from them; without it they are ignored', () => {
    const space: SamplerSpace = { x: { type: 'float', low: 0, high: 1 } };
    const trials: TrialSnapshot[] = [];
    for (let i = 0; i < 30; i++) {
      const x = (i + 0.5) / 30;
      trials.push(done(i, Math.abs(x - 0.5), { x }));
    }
    const running: TrialSnapshot[] = [0.49, 0.5, 0.51, 0.5, 0.495, 0.505].map((x, i) => ({ number: 30 + i, state: 'running', params: { x } }));
    const withRunning = [...trials, ...running];
    const plain = new TpeSampler();
    const liar = new TpeSampler({ constant_liar: true });
    let plainDist = 0;
    let liarDist = 0;
    let changed = 0;
    for (let s = 0; s < 40; s++) {
      const req = (ts: TrialSnapshot[]) => ({ space, trials: ts, directions: ['minimize'] as StudyDirection[], random: createRandom(s) });
      const a = plain.sample(req(withRunning)).x as number;
      expect(a).toBe(plain.sample(req(trials)).x); // running trials change nothing without the liar
      const b = liar.sample(req(withRunning)).x as number;
      if (b !== a) changed++;
      plainDist += Math.abs(a - 0.5);
      liarDist += Math.abs(b - 0.5);
    }
    expect(changed).toBeGreaterThan(10);
    expect(liarDist).toBeGreaterThan(plainDist);
  });

  it('multivariate models the joint distribution; univariate only the marginals', () => {
    // Good trials sit on the diagonal corners, bad ones on the anti-diagonal: the marginals agree.
    const space: SamplerSpace = { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 0, high: 1 } };
    const trials: TrialSnapshot[] = [];
    const jitter = (i: number) => ((i * 37) % 11) / 200;
    for (let i = 0; i < 40; i++) {
      const good = i < 20 && i % 5 === 0; // trials 0, 5, 10, 15: both diagonal corners
      const corner = i % 2 === 0;
      const x = corner ? 0.1 + jitter(i) : 0.9 - jitter(i);
      const y = good ? x : 1 - x;
      trials.push(done(i, good ? 0 : 1, { x, y }));
    }
    const onDiagonal = (sampler: TpeSampler) => {
      let hits = 0;
      for (let s = 0; s < 60; s++) {
        const p = sampler.sample({ space, trials, directions: ['minimize'], random: createRandom(s) });
        if (Math.abs((p.x as number) - (p.y as number)) < 0.3) hits++;
      }
      return hits / 60;
    };
    const multi = onDiagonal(new TpeSampler({ multivariate: true }));
    const uni = onDiagonal(new TpeSampler());
    expect(multi).toBeGreaterThan(0.8);
    expect(multi).toBeGreaterThan(uni + 0.2);
  });

  it('group decomposition samples each group of parameters that trials share jointly', () => {
    const tpe = new TpeSampler({ multivariate: true, group: true, n_startup_trials: 1 });
    const space: SamplerSpace = {
      kind: { type: 'categorical', choices: ['a', 'b'] },
      ya: { type: 'float', low: 0, high: 1 },
      zb: { type: 'int', low: 0, high: 5 },
      fixed: { type: 'int', low: 2, high: 2 },
    };
    const trials: TrialSnapshot[] = [
      done(0, 1, { kind: 'a', ya: 0.3, fixed: 2 }),
      done(1, 2, { kind: 'b', zb: 4, fixed: 2 }),
      done(2, 0, { kind: 'a', ya: 0.6, fixed: 2 }),
    ];
    expect(tpe.relativeGroups(new Map(Object.entries(space).map(([k, d]) => [k, d as never])), trials)).toEqual([['kind'], ['ya'], ['zb']]);
    const p = tpe.sample({ space, trials, directions: ['minimize'], random: createRandom(3) });
    expect(Object.keys(p)).toEqual(['kind', 'ya', 'zb', 'fixed']);
    expect(p.fixed).toBe(2);
  });

  it('with the seed option, proposals depend only on the seed and the history', () => {
    const space: SamplerSpace = { x: { type: 'float', low: 0, high: 1 }, c: { type: 'categorical', choices: [1, 2, 3] } };
    const trials = Array.from({ length: 15 }, (_, i) => done(i, i % 4, { x: i / 15, c: (i % 3) + 1 }));
    const seeded = new TpeSampler({ seed: 42 });
    const a = seeded.sample({ space, trials, directions: ['minimize'], random: createRandom(1) });
    const b = new TpeSampler({ seed: 42 }).sample({ space, trials, directions: ['minimize'], random: createRandom(2) });
    expect(b).toEqual(a);
    const c = new TpeSampler({ seed: 43 }).sample({ space, trials, directions: ['minimize'], random: createRandom(1) });
    expect(c).not.toEqual(a);
  });

  it('returns int, step, log and categorical values exactly as the space allows, choices by identity', () => {
    const choice = 'keep-me';
    const space: SamplerSpace = {
      n: { type: 'int', low: 2, high: 11, step: 3 }, // high moves down to 11 → 2, 5, 8, 11
      q: { type: 'float', low: 0.1, high: 1, step: 0.2 }, // 0.1, 0.3, …, 0.9
      units: { type: 'int', low: 1, high: 64, log: true },
      c: { type: 'categorical', choices: [choice, false, null] },
    };
    const tpe = new TpeSampler({ n_startup_trials: 2 });
    const trials: TrialSnapshot[] = [];
    for (let i = 0; i < 40; i++) {
      const p = tpe.sample({ space, trials, directions: ['maximize'], random: createRandom(i) });
      expect([2, 5, 8, 11]).toContain(p.n);
      expect(Math.abs(((p.q as number) - 0.1) / 0.2 - Math.round(((p.q as number) - 0.1) / 0.2))).toBeLessThan(1e-9);
      expect(p.q as number).toBeLessThanOrEqual(0.9 + 1e-12);
      expect(Number.isInteger(p.units) && (p.units as number) >= 1 && (p.units as number) <= 64).toBe(true);
      expect([choice, false, null].some((c) => Object.is(c, p.c))).toBe(true);
      trials.push(done(i, (p.n as number) + (p.units as number) / 10, p));
    }
  });

  it('a complete trial without values is a clear error; a NaN objective counts as failed', () => {
    const space: SamplerSpace = { x: { type: 'float', low: 0, high: 1 } };
    const bad: TrialSnapshot = { number: 0, state: 'complete', params: { x: 0.5 } };
    expect(() => new TpeSampler().sample({ space, trials: [bad], directions: ['minimize'], random: createRandom(1) })).toThrow(
      /trial 0 is complete but has no objective values/,
    );
    const nan = [done(0, NaN, { x: 0.5 })];
    const one = new TpeSampler({ n_startup_trials: 1 });
    const random = new TpeSampler({ n_startup_trials: 1_000_000 });
    const req = () => ({ space, trials: nan, directions: ['minimize'] as StudyDirection[], random: createRandom(5) });
    expect(one.sample(req())).toEqual(random.sample(req()));
  });

  it('multi-objective: a two-objective study reaches a larger hypervolume than random search', () => {
    // A convex two-objective problem on [0, 1]²: f1 = x, f2 = 1 − √x + y² (front at y = 0).
    const space: SamplerSpace = { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: -1, high: 1 } };
    const f = (p: Record<string, SamplerValue>) => {
      const x = p.x as number;
      const y = p.y as number;
      return [x, 1 - Math.sqrt(x) + 4 * y * y];
    };
    const run = (sampler: TpeSampler, seed: number) => {
      const trials: TrialSnapshot[] = [];
      for (let i = 0; i < 60; i++) {
        const p = sampler.sample({ space, trials, directions: ['minimize', 'minimize'], random: createRandom(seed * 31 + i) });
        trials.push(done(i, f(p), p));
      }
      return hypervolume(trials.map((t) => t.values!), [1.1, 5.1]);
    };
    let tpe = 0;
    let rnd = 0;
    for (let seed = 0; seed < 4; seed++) {
      tpe += run(new TpeSampler(), seed);
      rnd += run(new TpeSampler({ n_startup_trials: 1_000_000 }), seed);
    }
    expect(tpe).toBeGreaterThan(rnd);
  });
});
