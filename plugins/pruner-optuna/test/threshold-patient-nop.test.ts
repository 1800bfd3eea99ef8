import type { PruneVerdict, TrialPruner } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { NopPruner, PatientPrunerOptions, ThresholdPruner, ThresholdPrunerOptions, createPatientPruner } from '../src/index.js';
import { study } from './helpers.js';

const threshold = (args: Record<string, unknown>) => new ThresholdPruner(ThresholdPrunerOptions.parse(args));
const patient = (args: Record<string, unknown>) => createPatientPruner(PatientPrunerOptions.parse(args));
const sync = (p: TrialPruner, r: Parameters<TrialPruner['prune']>[0]) => p.prune(r) as PruneVerdict;

describe('ThresholdPruner', () => {
  const bounds = threshold({ lower: 1, upper: 8 });

  it('prunes a latest value below lower, above upper, or NaN', () => {
    expect(sync(bounds, study([], [5, 0.5]))).toMatchObject({
      prune: true,
      info: { pruner: 'ThresholdPruner', step: 1, value: 0.5, lower: 1, upper: 8, reason: 'the value 0.5 at step 1 is below lower = 1' },
    });
    expect(sync(bounds, study([], [5, 9])).info?.reason).toBe('the value 9 at step 1 is above upper = 8');
    expect(sync(bounds, study([], [5, Number.NaN]))).toMatchObject({ prune: true, info: { value: null } });
    expect(sync(bounds, study([], [5, 1])).prune).toBe(false);
    expect(sync(bounds, study([], [5, 8])).prune).toBe(false);
  });

  it('judges the latest value, not the best one, and ignores other trials', () => {
    expect(sync(bounds, study([[0, 0]], [5, 5, 0.5])).prune).toBe(true);
    expect(sync(bounds, study([], [0.5, 5])).prune).toBe(false);
  });

  it('takes one bound alone, and bounds written as Python float strings', () => {
    expect(sync(threshold({ lower: 1 }), study([], [1e9])).prune).toBe(false);
    expect(sync(threshold({ upper: '1e-3' }), study([], [0.002])).prune).toBe(true);
    expect(sync(threshold({ lower: '-inf', upper: 2 }), study([], [-1e300])).prune).toBe(false);
  });

  it('waits for n_warmup_steps and checks the first report of each interval', () => {
    const p = threshold({ lower: 1, n_warmup_steps: 2, interval_steps: 3 });
    const low = (steps: number[]) => sync(p, study([], Object.fromEntries(steps.map((s) => [s, 0])))).prune;
    expect(low([0, 1])).toBe(false);
    expect(low([0, 1, 2])).toBe(true);
    expect(low([0, 1, 2, 3])).toBe(false);
    expect(low([0, 1, 2, 4])).toBe(false);
    expect(low([0, 1, 2, 4, 6])).toBe(true); // 5 was skipped: checked at 6
  });
});

describe('PatientPruner', () => {
  it('needs more than patience + 1 reports', () => {
    expect(sync(patient({ wrapped_pruner: null, patience: 2 }), study([], [3, 4, 5]))).toMatchObject({
      prune: false,
      info: { reason: 'only 3 reports, patience needs more than 3' },
    });
  });

  it('minimising: prunes once the best of the last patience + 1 values is worse than the best before by more than min_delta', () => {
    const p = (minDelta: number) => patient({ wrapped_pruner: null, patience: 2, min_delta: minDelta });
    // Before: [3]; recent: [3.05, 3.08, 3.02] → best 3.02.
    expect(sync(p(0.1), study([], [3, 3.05, 3.08, 3.02])).prune).toBe(false);
    expect(sync(p(0.01), study([], [3, 3.05, 3.08, 3.02]))).toMatchObject({
      prune: true,
      info: { best_before: 3, best_recent: 3.02, recent_from_step: 1, min_delta: 0.01 },
    });
    // Still improving: 2.9 < 3.
    expect(sync(p(0), study([], [3, 3.05, 3.08, 2.9])).prune).toBe(false);
  });

  it('maximising: the mirror image, min_delta included', () => {
    const p = (minDelta: number) => patient({ wrapped_pruner: null, patience: 2, min_delta: minDelta });
    expect(sync(p(0.1), study([], [3, 2.95, 2.92, 2.98], 'maximize')).prune).toBe(false);
    expect(sync(p(0.01), study([], [3, 2.95, 2.92, 2.98], 'maximize')).prune).toBe(true);
    expect(sync(p(0), study([], [3, 2.95, 2.92, 3.1], 'maximize')).prune).toBe(false);
  });

  it('leaves NaN out; a side with only NaN counts as improving', () => {
    const p = patient({ wrapped_pruner: null, patience: 1 });
    expect(sync(p, study([], [1, Number.NaN, 2, 3])).prune).toBe(true);
    expect(sync(p, study([], [Number.NaN, Number.NaN, 2, 3])).prune).toBe(false);
  });

  it('asks the wrapped pruner only once the trial has stalled', () => {
    const wrapped = (upper: number) => ({ wrapped_pruner: { type: 'ThresholdPruner', args: { upper } }, patience: 1 });
    const stalled = study([], [1, 2, 3]);
    expect(sync(patient(wrapped(10)), stalled)).toMatchObject({
      prune: false,
      info: { pruner: 'PatientPruner', wrapped: { pruner: 'ThresholdPruner', reason: 'the value 3 at step 2 is within the bounds' } },
    });
    expect(sync(patient(wrapped(2.5)), stalled).prune).toBe(true);
    expect(sync(patient(wrapped(2.5)), stalled).info?.reason).toMatch(/no improvement .*; the wrapped pruner says prune$/);
    // Improving: the wrapped pruner (which would prune) is not asked.
    const improving = sync(patient(wrapped(0)), study([], [3, 2, 1]));
    expect(improving.prune).toBe(false);
    expect(improving.info).not.toHaveProperty('wrapped');
  });

  it('wraps any of the pruners, built from {type, args}', () => {
    const p = patient({ wrapped_pruner: { type: 'MedianPruner', args: { n_startup_trials: 1 } }, patience: 0 });
    // Stalled (2 > 1), and the median of the completed trial at step 1 is 0.5 < 2.
    expect(sync(p, study([[0, 0.5]], [1, 2]))).toMatchObject({ prune: true, info: { wrapped: { pruner: 'MedianPruner', threshold: 0.5 } } });
  });
});

describe('PatientPruner wrapping SuccessiveHalvingPruner', () => {
  // Rungs at steps 1, 2, 4; patience 0: stalled when the latest value is worse than every earlier one.
  const wrapped = { wrapped_pruner: { type: 'SuccessiveHalvingPruner', args: { min_resource: 1, reduction_factor: 2 } }, patience: 0 };
  const me = [5, 4, 3, 3.5]; // stalls at step 3, so the halving pruner first sees it there

  it('counts rung records only from the checks where a trial had stalled, as Optuna records them', () => {
    // Trials that never stalled never reached the halving pruner: no records, so nothing to lose to.
    const steady = [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]];
    expect(sync(patient(wrapped), study(steady, me))).toMatchObject({ prune: false, info: { wrapped: { rung: 2, rung_step: 4 } } });
    // Trials that stalled at steps 1 and 2 recorded 2 at rungs 0 and 1: 3.5 is not in the best half.
    const stalling = [[1, 2, 2, 2], [1, 2, 2, 2], [1, 2, 2, 2]];
    expect(sync(patient(wrapped), study(stalling, me))).toMatchObject({ prune: true, info: { wrapped: { rung: 0, threshold: 2 } } });
  });

  it('unwrapped, the same pruner sees every check', () => {
    const steady = [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]];
    const halving = createPatientPruner(PatientPrunerOptions.parse(wrapped)).wrapped!;
    // At step 3 the trial's rungs 0 and 1 were judged at steps 1 and 2 (it passed them, it is running); rung 2 is at 4.
    expect(sync(halving, study(steady, me))).toMatchObject({ prune: false, info: { rung: 2 } });
    expect(sync(halving, study(steady, [5, 4]))).toMatchObject({ prune: true, info: { rung: 0, threshold: 1 } });
  });
});

describe('NopPruner', () => {
  it('never prunes', () => {
    expect(new NopPruner().prune()).toEqual({ prune: false, info: { pruner: 'NopPruner', reason: 'NopPruner never prunes' } });
  });
});
