import type { PruneRequest, PruneVerdict, TrialPruner } from '@broom/core';
import type { ThresholdPrunerOptions } from './options.js';
import { isFirstInIntervalStep, pruningPointBefore, reported, show } from './steps.js';

/**
 * Optuna's `ThresholdPruner`: prunes a trial whose latest intermediate value is below `lower`,
 * above `upper`, or NaN. Like the percentile pruner it waits for `n_warmup_steps` and checks only
 * the first report in each interval of `interval_steps`. Other trials play no part.
 */
export class ThresholdPruner implements TrialPruner {
  readonly options: Readonly<ThresholdPrunerOptions>;

  constructor(options: ThresholdPrunerOptions) {
    this.options = { ...options };
  }

  prune({ trial }: PruneRequest): PruneVerdict {
    const { lower, upper, n_warmup_steps: warmup, interval_steps: interval } = this.options;
    const base = { pruner: 'ThresholdPruner', lower, upper };
    const values = reported(trial);
    if (values.length === 0) return { prune: false, info: { ...base, reason: 'the trial has reported no intermediate value' } };
    const [step, value] = values[values.length - 1];
    const keep = (reason: string): PruneVerdict => ({ prune: false, info: { ...base, step, reason } });
    if (step < warmup) return keep(`step ${step} is before n_warmup_steps = ${warmup}`);
    if (!isFirstInIntervalStep(step, values.map(([s]) => s), warmup, interval)) {
      const point = pruningPointBefore(step, warmup, interval);
      return keep(`step ${step} is not a pruning check: the trial was already checked at or after step ${point} (interval_steps = ${interval})`);
    }
    const at = { ...base, step, value: Number.isNaN(value) ? null : value };
    if (Number.isNaN(value)) return { prune: true, info: { ...at, reason: `the value at step ${step} is NaN` } };
    if (lower !== null && value < lower) {
      return { prune: true, info: { ...at, reason: `the value ${show(value)} at step ${step} is below lower = ${show(lower)}` } };
    }
    if (upper !== null && value > upper) {
      return { prune: true, info: { ...at, reason: `the value ${show(value)} at step ${step} is above upper = ${show(upper)}` } };
    }
    return { prune: false, info: { ...at, reason: `the value ${show(value)} at step ${step} is within the bounds` } };
  }
}
