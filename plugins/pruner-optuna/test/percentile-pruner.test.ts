import { describe, expect, it } from 'vitest';
import { MedianPruner, MedianPrunerOptions, PercentilePruner, PercentilePrunerOptions } from '../src/index.js';
import { study, trial } from './helpers.js';

const percentile = (args: Record<string, unknown>) => new PercentilePruner(PercentilePrunerOptions.parse(args));
const median = (args: Record<string, unknown> = {}) => new MedianPruner(MedianPrunerOptions.parse(args));
const five = [
  [9, 1],
  [9, 2],
  [9, 3],
  [9, 4],
  [9, 5],
];

describe('PercentilePruner thresholds at a step', () => {
  it('25th percentile of 1..5 at step 1 is 2 (numpy linear): 2.5 is pruned, 2 is kept', () => {
    const p = percentile({ percentile: 25 });
    const pruned = p.prune(study(five, [9, 2.5]));
    expect(pruned.prune).toBe(true);
    expect(pruned.info).toMatchObject({ pruner: 'PercentilePruner', step: 1, best: 2.5, threshold: 2, completed_reporting_at_step: 5 });
    expect(pruned.info?.reason).toBe('best value 2.5 is above 2, the threshold keeping the best 25% of the 5 completed trials at step 1');
    expect(p.prune(study(five, [9, 2])).info?.reason).toBe('best value 2 is not above 2, the threshold keeping the best 25% of the 5 completed trials at step 1');
    expect(p.prune(study(five, [9, 2])).prune).toBe(false);
  });

  it('interpolates between values: the median of 1..4 is 2.5', () => {
    const four = five.slice(0, 4);
    expect(median({ n_startup_trials: 4 }).prune(study(four, [9, 2.6])).info).toMatchObject({ threshold: 2.5 });
    expect(median({ n_startup_trials: 4 }).prune(study(four, [9, 2.6])).prune).toBe(true);
    expect(median({ n_startup_trials: 4 }).prune(study(four, [9, 2.5])).prune).toBe(false);
  });

  it('maximising keeps the top percentile: the threshold is the (100 - p)th percentile', () => {
    const p = percentile({ percentile: 25 });
    expect(p.prune(study(five, [0, 3.9], 'maximize'))).toMatchObject({
      prune: true,
      info: { threshold: 4, reason: 'best value 3.9 is below 4, the threshold keeping the best 25% of the 5 completed trials at step 1' },
    });
    expect(p.prune(study(five, [0, 4], 'maximize')).prune).toBe(false);
  });

  it("judges the trial's best value so far, and the completed trials' values at exactly that step", () => {
    // The judged trial was good at step 0 (1.0) and is bad now (9): its best, 1.0, is kept.
    expect(median().prune(study(five, [1, 9])).prune).toBe(false);
    // A completed trial counts with its value at the step (5), not its best (0.1).
    const completed = [[0.1, 5], [9, 5], [9, 5], [9, 5], [9, 5]];
    expect(median().prune(study(completed, [9, 4.9]))).toMatchObject({ prune: false, info: { threshold: 5 } });
  });

  it('only completed trials count; pruned, failed and running ones do not', () => {
    const others = (['pruned', 'fail', 'running'] as const).map((s, i) => trial(i, s, [0, 0]));
    expect(median().prune(study(five, [9, 3.5], 'minimize', others))).toMatchObject({ prune: true, info: { completed_trials: 5, threshold: 3 } });
  });

  it('percentile 0 and 100 are the best and the worst values', () => {
    expect(percentile({ percentile: 0 }).prune(study(five, [9, 1.5])).info).toMatchObject({ threshold: 1 });
    expect(percentile({ percentile: 100 }).prune(study(five, [9, 5])).prune).toBe(false);
    expect(percentile({ percentile: 100 }).prune(study(five, [9, 5.1])).prune).toBe(true);
  });
});

describe('PercentilePruner: when it does not judge', () => {
  it('waits for n_startup_trials completed trials (5 by default)', () => {
    expect(median().prune(study(five.slice(0, 4), [9, 100]))).toMatchObject({
      prune: false,
      info: { reason: 'only 4 of n_startup_trials = 5 trials have completed' },
    });
    expect(median({ n_startup_trials: 0 }).prune(study([], [9, 100]))).toMatchObject({
      prune: false,
      info: { reason: 'no trial has completed yet' },
    });
  });

  it('waits until step n_warmup_steps', () => {
    const completed = five.map((v) => [...v, 1, 1, 1]);
    const p = median({ n_warmup_steps: 3 });
    expect(p.prune(study(completed, [9, 9, 9]))).toMatchObject({ prune: false, info: { step: 2, reason: 'step 2 is before n_warmup_steps = 3' } });
    expect(p.prune(study(completed, [9, 9, 9, 9])).prune).toBe(true);
  });

  it('checks at the first report of each interval_steps interval, counted from the warmup', () => {
    const completed = five.map(() => Array.from({ length: 10 }, () => 1));
    const p = median({ n_warmup_steps: 1, interval_steps: 3 });
    const checked = (steps: number[]) => p.prune(study(completed, Object.fromEntries(steps.map((s) => [s, 9])))).prune;
    // Pruning points 1, 4, 7: reporting every step, only those are checked.
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((last) => checked(Array.from({ length: last + 1 }, (_, i) => i)))).toEqual([
      false, true, false, false, true, false, false, true,
    ]);
    // Step 4 was never reported: the check postponed to step 5 happens there, and only there.
    expect(checked([0, 1, 2, 3, 5])).toBe(true);
    expect(checked([0, 1, 2, 3, 5, 6])).toBe(false);
    expect(p.prune(study(completed, { 0: 9, 1: 9, 2: 9, 3: 9, 5: 9, 6: 9 })).info?.reason).toBe(
      'step 6 is not a pruning check: the trial was already checked at or after step 4 (interval_steps = 3)',
    );
  });

  it('does not prune when fewer than n_min_trials completed trials reported at the step', () => {
    const completed = [[9, 1, 1], [9, 1, 1], [9, 1]];
    const p = median({ n_startup_trials: 1, n_min_trials: 3 });
    expect(p.prune(study(completed, [9, 9, 9]))).toMatchObject({
      prune: false,
      info: { completed_reporting_at_step: 2, reason: 'only 2 completed trials reported at step 2, fewer than n_min_trials = 3' },
    });
    expect(p.prune(study(completed, [9, 9])).prune).toBe(true);
  });
});

describe('PercentilePruner and NaN', () => {
  it('prunes a trial whose values are all NaN', () => {
    expect(median().prune(study(five, [Number.NaN, Number.NaN]))).toMatchObject({
      prune: true,
      info: { reason: 'every intermediate value of the trial is NaN' },
    });
  });

  it('leaves NaN out of the best value and of the threshold, but counts it for n_min_trials', () => {
    expect(median().prune(study(five, [Number.NaN, 3.5])).prune).toBe(true);
    const withNaN = [[9, 1], [9, Number.NaN], [9, Number.NaN], [9, 2], [9, Number.NaN]];
    const verdict = median({ n_min_trials: 5 }).prune(study(withNaN, [9, 1.6]));
    expect(verdict).toMatchObject({ prune: true, info: { threshold: 1.5, completed_reporting_at_step: 5 } });
  });

  it('does not prune when every completed value at the step is NaN', () => {
    const allNaN = five.map(() => [9, Number.NaN]);
    expect(median().prune(study(allNaN, [9, 100]))).toMatchObject({ prune: false, info: { threshold: null } });
  });
});

describe('MedianPruner', () => {
  it('is the 50th percentile and takes no percentile argument', () => {
    expect(median().options.percentile).toBe(50);
    expect(MedianPrunerOptions.safeParse({ percentile: 30 }).success).toBe(false);
    expect(median().prune(study(five, [9, 3.1]))).toMatchObject({ prune: true, info: { pruner: 'MedianPruner', threshold: 3 } });
  });
});
