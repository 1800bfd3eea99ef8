import {
  createRandom, isPluginDefinition, sampleConfig, unbox,
  type ParamSpecs, type Run, type SweepConfig, type ValueRecord,
} from '@broom/core';
import { describeSearchMethodContract } from '@broom/core/testing';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import plugin, {
  BAD_FIT_WARNING, BayesSearch, collectGpData, NO_METRIC_MESSAGE, NO_SEARCHABLE_PARAMETER_MESSAGE,
  NO_VALID_SAMPLES_WARNING, UnitCubeEncoding,
} from '../src/index.js';
import { bayesConfig, finished, finishedRuns, metric, withHistory } from './helpers.js';

const parameters: ParamSpecs = {
  lr: { distribution: 'log_uniform_values', min: 1e-5, max: 1e-1 },
  epochs: { distribution: 'constant', value: 5 },
  batch: { distribution: 'q_uniform', min: 16, max: 256, q: { value: 16, isInt: true } },
  model: {
    distribution: 'param_dict',
    parameters: {
      depth: { distribution: 'int_uniform', min: 2, max: 8 },
      act: { distribution: 'categorical', values: ['relu', 'gelu'] },
      dropout: { distribution: 'beta', a: 2, b: 8 },
      name: { distribution: 'constant', value: 'mlp' },
    },
  },
};
const config = bayesConfig(parameters);
const small: ParamSpecs = {
  x: { distribution: 'uniform', min: 0, max: 1 },
  y: { distribution: 'uniform', min: 0, max: 1 },
};

describe('@broom/search-bayes plugin', () => {
  it('declares itself as the bayes search method', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.meta).toMatchObject({ name: pkg.name, version: pkg.version, kind: 'search', alias: 'bayes' });
    expect(plugin.create({})).toBeInstanceOf(BayesSearch);
  });
});

describe('BayesSearch.check', () => {
  const method = new BayesSearch();
  it('accepts a config with a metric and a searchable parameter', () => {
    expect(method.check(config)).toEqual([]);
  });
  it("reports W&B's messages for a missing metric and for constants only", () => {
    expect(method.check({ method: 'bayes', parameters })).toEqual([NO_METRIC_MESSAGE]);
    expect(NO_METRIC_MESSAGE).toBe('Bayesian search requires "metric" section');
    const constants: ParamSpecs = {
      a: { distribution: 'constant', value: 1 },
      b: { distribution: 'param_dict', parameters: { c: { distribution: 'constant', value: 2 } } },
    };
    expect(method.check(bayesConfig(constants))).toEqual(['Need at least one searchable parameter for bayes search.']);
    expect(method.check({ method: 'bayes', parameters: constants })).toEqual([NO_METRIC_MESSAGE, NO_SEARCHABLE_PARAMETER_MESSAGE]);
  });
  it('refuses to propose for a config that fails the check', () => {
    expect(() => method.next({ config: { method: 'bayes', parameters }, runs: [], random: createRandom(1) })).toThrow(NO_METRIC_MESSAGE);
  });
  it('expects no run count', () => {
    expect(method.expectedRunCount()).toBeNull();
  });
});

describe('BayesSearch.next', () => {
  const history = finishedRuns(parameters, 12, 5);

  it('passes constants through and nests the output like the parameters', () => {
    const { config: c } = new BayesSearch().next({ config, runs: history, random: createRandom(2) });
    expect(c.epochs).toBe(5);
    expect((c.model as ValueRecord).name).toBe('mlp');
    expect(Object.keys(c).sort()).toEqual(['batch', 'epochs', 'lr', 'model']);
    expect(Object.keys(c.model as ValueRecord).sort()).toEqual(['act', 'depth', 'dropout', 'name']);
  });

  it('reports every search_info field, finite, once the GP is fitted', () => {
    const { search_info: info } = new BayesSearch().next({ config, runs: history, random: createRandom(2) });
    expect(Object.keys(info!).sort()).toEqual([
      'expected_improvement', 'predicted_value', 'predicted_value_std_dev', 'success_probability', 'warnings',
    ]);
    for (const key of ['expected_improvement', 'predicted_value', 'predicted_value_std_dev', 'success_probability']) {
      expect(Number.isFinite(info![key]), key).toBe(true);
    }
    expect(info!.success_probability as number).toBeGreaterThanOrEqual(0);
    expect(info!.success_probability as number).toBeLessThanOrEqual(1);
    expect(info!.expected_improvement as number).toBeGreaterThanOrEqual(0);
    expect(info!.predicted_value_std_dev as number).toBeGreaterThanOrEqual(0);
    expect(Array.isArray(info!.warnings)).toBe(true);
  });

  it('is random with a warning when there is no observation, and random without one for a single observation', () => {
    const none = new BayesSearch().next({ config, runs: [], random: createRandom(3) });
    expect(none.search_info).toEqual({
      success_probability: 1, predicted_value: 0, predicted_value_std_dev: null, expected_improvement: null,
      warnings: [NO_VALID_SAMPLES_WARNING],
    });
    expect(NO_VALID_SAMPLES_WARNING).toBe('Sweep has no valid samples of the metric.');
    const pendingOnly: Run[] = [{ name: 'p', state: 'pending', config: none.config }];
    expect(new BayesSearch().next({ config, runs: pendingOnly, random: createRandom(3) }).search_info!.warnings).toEqual([NO_VALID_SAMPLES_WARNING]);

    const one = new BayesSearch().next({ config, runs: [finished('a', none.config, 0.25)], random: createRandom(3) });
    expect(one.search_info).toMatchObject({ success_probability: 1, predicted_value: 0.25, warnings: [] });
    // The random point is the same uniform draw in both cases.
    expect(one.config).toEqual(none.config);
  });

  it('is deterministic for the same seed and runs, and depends on the seed', () => {
    const a = new BayesSearch().next({ config, runs: history, random: createRandom(9) });
    const b = new BayesSearch().next({ config, runs: history, random: createRandom(9) });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = new BayesSearch().next({ config, runs: history, random: createRandom(10) });
    expect(JSON.stringify(c.config)).not.toBe(JSON.stringify(a.config));
  });

  it('maximize negates the targets (and, as W&B, reports predicted_value negated): same proposal as minimising −metric', () => {
    const runs = finishedRuns(small, 10, 7);
    const negated = runs.map((r) => finished(r.name, r.config, -(r.summary!.loss as number), 'score'));
    const min = new BayesSearch().next({ config: bayesConfig(small), runs, random: createRandom(4) });
    const max = new BayesSearch().next({
      config: bayesConfig(small, { name: 'score', goal: 'maximize' }), runs: negated, random: createRandom(4),
    });
    expect(max.config).toEqual(min.config);
    const a = min.search_info!;
    const b = max.search_info!;
    expect(b.predicted_value).toBeCloseTo(a.predicted_value as number, 12);
    expect(b.predicted_value_std_dev).toBeCloseTo(a.predicted_value_std_dev as number, 12);
    expect(b.expected_improvement).toBeCloseTo(a.expected_improvement as number, 12);
    expect(b.success_probability).toBeCloseTo(a.success_probability as number, 12);

    const data = collectGpData(metric({ name: 'score', goal: 'maximize' }), negated, new UnitCubeEncoding(small));
    expect(Array.from(data.y)).toEqual(runs.map((r) => r.summary!.loss));
  });

  it('takes pending runs into account: parallel proposals from the same seed differ', () => {
    const runs = finishedRuns(small, 8, 11);
    const method = new BayesSearch();
    const first = method.next({ config: bayesConfig(small), runs, random: createRandom(6) });
    expect(first.search_info!.warnings).toEqual([]);
    const inFlight: Run[] = [...runs, { name: 'p0', state: 'running', config: first.config }];
    const second = method.next({ config: bayesConfig(small), runs: inFlight, random: createRandom(6) });
    expect(second.search_info!.warnings).toEqual([]);
    const [x1, y1] = [first.config.x as number, first.config.y as number];
    const [x2, y2] = [second.config.x as number, second.config.y as number];
    expect(Math.hypot(x1 - x2, y1 - y2)).toBeGreaterThan(1e-3);
    // Without the pending run the same seed gives the first proposal again.
    expect(method.next({ config: bayesConfig(small), runs, random: createRandom(6) }).config).toEqual(first.config);
  });

  const finiteInfo = (info: Record<string, unknown>) => {
    for (const key of ['expected_improvement', 'predicted_value', 'predicted_value_std_dev', 'success_probability']) {
      expect(Number.isFinite(info[key]), key).toBe(true);
    }
  };

  it('stays finite when every run sits on the same point with the same value', () => {
    const runs = [0, 1, 2, 3].map((i) => finished(`d${i}`, { x: 0.5, y: 0.5 }, 1));
    const p = new BayesSearch().next({ config: bayesConfig(small), runs, random: createRandom(1) });
    finiteInfo(p.search_info!);
    expect(p.search_info!.predicted_value).toBeCloseTo(1, 6);
  });

  it('stays finite on duplicate points with different values', () => {
    const runs = [
      finished('a', { x: 0.5, y: 0.5 }, 1), finished('b', { x: 0.5, y: 0.5 }, 3),
      finished('c', { x: 0.5, y: 0.5 }, 2), finished('d', { x: 0.1, y: 0.9 }, 0),
    ];
    const p = new BayesSearch().next({ config: bayesConfig(small), runs, random: createRandom(1) });
    finiteInfo(p.search_info!);
  });

  it('warns about a bad fit for a constant metric (the length-scale runs to its upper bound) and stays finite', () => {
    const runs = finishedRuns(small, 6, 2).map((r) => finished(r.name, r.config, 4));
    const p = new BayesSearch().next({ config: bayesConfig(small), runs, random: createRandom(1) });
    expect(p.search_info!.warnings).toEqual([BAD_FIT_WARNING]);
    finiteInfo(p.search_info!);
    expect(p.search_info!.predicted_value).toBeCloseTo(4, 6);
  });

  it('uses failed runs (imputed worst) as observations', () => {
    const runs: Run[] = [
      finished('a', { x: 0.1, y: 0.1 }, 2),
      { name: 'b', state: 'failed', config: { x: 0.9, y: 0.9 } },
    ];
    const data = collectGpData(metric(), runs, new UnitCubeEncoding(small));
    expect(data.n).toBe(2);
    expect(Array.from(data.y)).toEqual([2, 2]);
  });

  it('keeps proposals inside the space over a sequence of finished runs', () => {
    const method = new BayesSearch();
    const runs: Run[] = [];
    for (let i = 0; i < 15; i++) {
      const { config: c } = method.next({ config, runs, random: createRandom(100 + i) });
      const u = new UnitCubeEncoding(parameters).encode(c);
      expect(u.every((v) => v >= 0 && v <= 1)).toBe(true);
      runs.push(finished(`r${i}`, c, u.reduce((s, v) => s + v, 0)));
    }
  });
});

/** A smooth bowl with its minimum 0 at (0.5, −0.7), inside [−2, 2]². */
describe('bayes search on a smooth 2-D quadratic', () => {
  const bowl: ParamSpecs = {
    x: { distribution: 'uniform', min: -2, max: 2 },
    y: { distribution: 'uniform', min: -2, max: 2 },
  };
  const loss = (c: ValueRecord) => ((c.x as number) - 0.5) ** 2 + ((c.y as number) + 0.7) ** 2;
  const STEPS = 25;
  const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  function bayesBest(seed: number): number {
    const method = new BayesSearch();
    const runs: Run[] = [];
    let best = Infinity;
    for (let i = 0; i < STEPS; i++) {
      const { config: c } = method.next({ config: bayesConfig(bowl), runs, random: createRandom(seed * 1000 + i) });
      const value = loss(unbox(c) as ValueRecord);
      best = Math.min(best, value);
      runs.push(finished(`r${i}`, c, value));
    }
    return best;
  }

  function randomBest(seed: number): number {
    const random = createRandom(seed);
    let best = Infinity;
    for (let i = 0; i < STEPS; i++) best = Math.min(best, loss(unbox(sampleConfig(bowl, random)) as ValueRecord));
    return best;
  }

  it(`gets clearly closer to the optimum than random search in ${STEPS} steps (median over seeds)`, () => {
    const bayes = SEEDS.map(bayesBest);
    const random = SEEDS.map(randomBest);
    // Seen: bayes medians ~1e-4, random ~1e-1. A 20× margin leaves plenty of room.
    expect(median(bayes)).toBeLessThan(median(random) / 20);
    expect(Math.max(...bayes)).toBeLessThan(median(random));
  });
});

const mixed: SweepConfig = {
  method: 'bayes',
  metric: metric({ goal: 'maximize', name: 'acc' }),
  parameters: {
    n: { distribution: 'q_normal', mu: 0, sigma: 3, q: { value: 0.5, isInt: false } },
    p: { distribution: 'categorical_w_probabilities', values: ['a', 'b'], probabilities: [0.2, 0.8] },
    i: { distribution: 'inv_log_uniform_values', min: 0.01, max: 1 },
    c: { distribution: 'constant', value: { nested: [1, 2] } },
  },
};
const mixedHistory = finishedRuns(mixed.parameters, 10, 3).map((r) => finished(r.name, r.config, -(r.summary!.loss as number), 'acc'));

describeSearchMethodContract('bayes (no history: random warm-up)', () => new BayesSearch(), [{ config }, { config: mixed }]);
describeSearchMethodContract('bayes (with finished runs: GP path)', () => withHistory(new BayesSearch(), finishedRuns(parameters, 10, 1)), [
  { config, proposals: 8 },
]);
describeSearchMethodContract('bayes (maximize, mixed distributions)', () => withHistory(new BayesSearch(), mixedHistory), [
  { config: mixed, proposals: 8 },
]);
