import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEMS, isCurvesProblem } from '../src/problems/index.js';
import { buildReport, renderMarkdown } from '../src/report/build-report.js';
import { g, roundHalfEven } from '../src/report/format.js';
import { loadResults, type RunResult } from '../src/report/load-results.js';
import {
  baselineSampler,
  bestAfter,
  bestWithinSteps,
  meanRanks,
  optima,
  pruningRows,
  regretRow,
  type RegretRow,
} from '../src/report/metrics.js';
import { median, normalizedRegret, ranks } from '../src/report/stats.js';
import { sharedBenchDir } from './shared-bench.js';

const run = (over: Partial<RunResult> & Pick<RunResult, 'sampler' | 'trajectories'>): RunResult => ({
  engine: 'e',
  problem: 'p',
  budget: over.trajectories[0].length,
  seeds: over.trajectories.map((_, i) => i),
  ...over,
});

/** A trajectory of `n` trials that is `v` from trial `from` (1-based) on. */
const steps = (n: number, points: [from: number, v: number][]): number[] =>
  Array.from({ length: n }, (_, i) => points.filter(([from]) => i + 1 >= from).at(-1)?.[1] ?? 100);

describe('stats', () => {
  it('median of odd and even lists; Infinity sorts last', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([1, Infinity, Infinity])).toBe(Infinity);
    expect(median([1, 2, Infinity, Infinity])).toBe(Infinity);
    expect(median([])).toBeNaN();
  });

  it('normalized regret: 0 at the optimum, 1 at the random median, clipped at 0, Infinity when missing', () => {
    expect(normalizedRegret(2, 2, 12)).toBe(0);
    expect(normalizedRegret(12, 2, 12)).toBe(1);
    expect(normalizedRegret(4.5, 2, 12)).toBeCloseTo(0.25, 15);
    expect(normalizedRegret(1.5, 2, 12)).toBe(0);
    expect(normalizedRegret(-3, -4, 0)).toBe(0.25);
    expect(normalizedRegret(null, 2, 12)).toBe(Infinity);
  });

  it('ranks: 1 = smallest, ties share the mean rank, NaN stays out', () => {
    expect(ranks([0.3, 0.1, 0.2])).toEqual([3, 1, 2]);
    expect(ranks([0.1, 0.1, 0.5, 0.05])).toEqual([2.5, 2.5, 4, 1]);
    expect(ranks([0, 0, 0])).toEqual([2, 2, 2]);
    expect(ranks([Infinity, 1, NaN])).toEqual([2, 1, NaN]);
  });
});

describe('regret rows and mean rank', () => {
  it('takes the median over seeds of the regret after k trials', () => {
    // optimum 0, f_random_median 10: regret = best / 10.
    const r = run({
      sampler: 's',
      trajectories: [steps(100, [[1, 5], [30, 1], [60, 0.5]]), steps(100, [[1, 8], [20, 2]]), steps(100, [[1, 3], [90, 0]])],
      overhead_ms: [1, 2, 6],
      wall_s: [0.1, 0.3, 0.2],
    });
    const row = regretRow(r, 0, 10);
    expect(row.regret[25]).toBeCloseTo(0.3, 15); // seeds at 25: 5, 2, 3 -> median 3
    expect(row.regret[50]).toBeCloseTo(0.2, 15); // 1, 2, 3 -> 2
    expect(row.regret[100]).toBeCloseTo(0.05, 15); // 0.5, 2, 0 -> 0.5
    expect(row.medianBest).toBe(0.5);
    expect(row.overheadMs).toBe(2);
    expect(row.medianWallS).toBe(0.2);
    expect(row.seeds).toBe(3);
  });

  it('checkpoints past the budget are NaN; a trajectory with nulls counts as Infinity regret', () => {
    const r = run({ sampler: 's', trajectories: [[null, null, 4], [null, 2, 2]] });
    expect(bestAfter(r.trajectories[0], 1)).toBeNull();
    expect(bestAfter(r.trajectories[0], 4)).toBeUndefined();
    const row = regretRow(r, 0, 10);
    expect(row.regret[25]).toBeNaN();
    expect(row.regret[100]).toBeNaN();
  });

  it('averages ranks over the problems each sampler ran on', () => {
    const row = (problem: string, label: string, r25: number, r50: number, r100: number): RegretRow => ({
      problem, label, seeds: 10, regret: { 25: r25, 50: r50, 100: r100 }, medianBest: 0, medianWallS: 0, overheadMs: 0,
    });
    const ranked = meanRanks([
      row('a', 'x', 0.1, 0.1, 0.1), row('a', 'y', 0.2, 0.1, 0.0), row('a', 'z', 0.3, 0.3, 0.3),
      row('b', 'x', 0.5, 0.5, 0.5), row('b', 'y', 0.4, 0.6, 0.5),
    ]);
    const by = Object.fromEntries(ranked.map((r) => [r.label, r]));
    // a: @25 x1 y2 z3; @50 x1.5 y1.5 z3; @100 y1 x2 z3.  b: @25 y1 x2; @50 x1 y2; @100 tie 1.5.
    expect(by.x.rank).toEqual({ 25: 1.5, 50: 1.25, 100: 1.75 });
    expect(by.y.rank).toEqual({ 25: 1.5, 50: 1.75, 100: 1.25 });
    expect(by.z.rank).toEqual({ 25: 3, 50: 3, 100: 3 });
    expect(by.x.problems).toBe(2);
    expect(by.z.problems).toBe(1);
    expect(ranked.map((r) => r.label)).toEqual(['y', 'x', 'z']);
  });

  it('uses the best value ever seen across compared runs when the optimum is unknown', () => {
    const results = [
      run({ problem: 'c', sampler: 'a-nopruner', trajectories: [[null, 0.4, 0.3], [0.5, 0.5, 0.5]] }),
      run({ problem: 'c', sampler: 'a-median', engine: 'f', trajectories: [[null, null, 0.28]] }),
      run({ problem: 'd', sampler: 'a', trajectories: [[0.1]] }),
    ];
    expect(optima(results, { c: { optimum: null, fRandomMedian: 1 }, d: { optimum: 0.05, fRandomMedian: 1 } })).toEqual({
      c: 0.28,
      d: 0.05,
    });
  });
});

describe('pruning table', () => {
  it('pairs each pruner with the no-pruning run of the same engine and sampler', () => {
    expect(baselineSampler('tpe-median')).toBe('tpe-nopruner');
    expect(baselineSampler('random-p4-hyperband')).toBe('random-p4-nopruner');
  });

  it('best within N steps counts only trials that ended within N cumulative steps', () => {
    expect(bestWithinSteps([0.5, null, 0.3, 0.2], [100, 110, 210, 310], 210)).toBe(0.3);
    expect(bestWithinSteps([null, 0.3], [10, 110], 100)).toBe(Infinity);
  });

  it('computes steps ratio and Δ best final against the baseline', () => {
    const base = run({
      sampler: 's-nopruner',
      trajectories: [[0.5, 0.4], [0.6, 0.3], [0.7, 0.35]],
      steps_consumed: [200, 200, 200],
      cum_steps: [[100, 200], [100, 200], [100, 200]],
      values: [[0.5, 0.4], [0.6, 0.3], [0.7, 0.35]],
      n_pruned: [0, 0, 0],
    });
    const pruned = run({
      sampler: 's-hyperband',
      trajectories: [[0.5, 0.5], [null, 0.45], [0.3, 0.3]],
      steps_consumed: [110, 103, 150],
      cum_steps: [[100, 110], [3, 103], [100, 150]],
      values: [[0.5, null], [null, 0.45], [0.3, null]],
      n_pruned: [1, 1, 1],
    });
    const rows = pruningRows([base, pruned], 0.25, 0.5);
    const p = rows.find((r) => r.label === 'e/s-hyperband')!;
    const b = rows.find((r) => r.label === 'e/s-nopruner')!;
    expect(b.bestFinal).toBe(0.35);
    expect(b.stepsRatio).toBe(1);
    expect(b.deltaBestFinal).toBe(0);
    expect(p.bestFinal).toBe(0.45);
    expect(p.steps).toBe(110);
    expect(p.stepsRatio).toBeCloseTo(0.55, 15);
    expect(p.deltaBestFinal).toBeCloseTo(0.1, 15);
    expect(p.pruned).toBe(1);
    expect(p.regret100).toBeCloseTo(0.8, 12); // (0.45 - 0.25) / 0.25
    expect(p.bestWithin[2500]).toBe(0.45);
    expect(p.baseline).toBe('e/s-nopruner');
  });
});

describe('format', () => {
  it("g() writes numbers as Python's '.3g'", () => {
    expect(g(0.0916)).toBe('0.0916');
    expect(g(1.36e-5)).toBe('1.36e-05');
    expect(g(0.000386)).toBe('0.000386');
    expect(g(0.51)).toBe('0.51');
    expect(g(0.001)).toBe('0.001');
    expect(g(1120.77, 6)).toBe('1120.77');
    expect(g(-3.07692, 6)).toBe('-3.07692');
    expect(g(260000)).toBe('2.6e+05');
    expect(g(0)).toBe('0');
    expect(g(Infinity)).toBe('inf');
    expect(g(Number.NaN)).toBe('—');
  });

  it('rounds half to even like Python', () => {
    expect([5094.5, 5095.5, 54.5, 3.2, -3.5].map(roundHalfEven)).toEqual([5094, 5096, 54, 3, -4]);
  });
});

const optunaDir = path.join(sharedBenchDir, 'results');
describe.skipIf(!existsSync(optunaDir))(`reproduces reference.md from Optuna's results (${optunaDir})`, () => {
  const results = loadResults(optunaDir, 'optuna');
  const norms = Object.fromEntries(PROBLEMS.map((p) => [p.name, { optimum: p.optimum, fRandomMedian: p.fRandomMedian }]));
  const report = buildReport(results, norms, PROBLEMS.filter(isCurvesProblem).map((p) => p.name));
  const markdown = renderMarkdown(report, { sources: [] });

  it('loads every per-run file (not optuna-overhead.json)', () => {
    expect(results).toHaveLength(23);
  });

  it('regret rows', () => {
    expect(markdown).toContain('| branin | optuna/tpe | 10 | 0.0199 | 0.00524 | 0.000471 | 0.414178 | 0.66 | 6.63 |');
    expect(markdown).toContain('| hartmann6 | optuna/random | 10 | 0.675 | 0.541 | 0.399 | -2.03683 | 0.04 | 0.37 |');
    expect(markdown).toContain('| mlp_surrogate | optuna/tpe | 10 | 0.102 | 0.0275 | 1.36e-05 | 0.090002 | 0.66 | 6.58 |');
    expect(markdown).toContain('| rosenbrock4 | optuna/cmaes | 10 | 0.0012 | 0.000471 | 0.000146 | 38.0225 | 0.07 | 0.71 |');
  });

  it('mean ranks', () => {
    expect(markdown).toContain('| optuna/cmaes | 4 | 2.50 | 2.75 | 1.75 |');
    expect(markdown).toContain('| optuna/tpe-multivariate | 4 | 1.50 | 1.25 | 2.25 |');
    expect(markdown).toContain('| optuna/qmc-sobol | 4 | 4.00 | 4.00 | 4.75 |');
  });

  it('pruning table on curves, with the best value ever seen as the optimum', () => {
    expect(g(report.optimum.curves, 6)).toBe('0.238959');
    expect(markdown).toContain(
      '| optuna/tpe-median | 10 | 0.24564 | 0.0337 | 0.25941 | 0.24674 | 5094 | 0.509 | +0.00408 | 55 | 2.21 |',
    );
    expect(markdown).toContain(
      '| optuna/tpe-percentile25 | 10 | 0.25947 | 0.104 | 0.25947 | 0.25947 | 2522 | 0.252 | +0.01791 | 85 | 1.40 |',
    );
  });
});
