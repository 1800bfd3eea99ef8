import type { PruneRequest, PruneVerdict, TrialPruner } from '@broom/core';
import type { MedianPrunerOptions, PercentilePrunerOptions } from './options.js';
import { isFirstInIntervalStep, lastStep, nanBest, nanPercentile, pruningPointBefore, reported, show, valueAt } from './steps.js';

/**
 * Optuna's `PercentilePruner`: prunes a trial whose best intermediate value so far is in the worst
 * `100 - percentile` percent of the values the completed trials reported at the same step.
 *
 * In the order Optuna checks: no pruning until `n_startup_trials` trials have completed, before
 * step `n_warmup_steps`, or except at the first report in each interval of `interval_steps`
 * (counted from the warmup step). A trial whose values are all NaN is pruned. The threshold is the
 * percentile (numpy's linear interpolation, NaNs left out) of the completed trials' values at
 * exactly the judged step; fewer than `n_min_trials` of them there means no pruning.
 */
export class PercentilePruner implements TrialPruner {
  readonly options: Readonly<PercentilePrunerOptions>;

  constructor(
    options: PercentilePrunerOptions,
    private readonly name = 'PercentilePruner',
  ) {
    this.options = { ...options };
  }

  prune({ trial, trials, direction }: PruneRequest): PruneVerdict {
    const o = this.options;
    const completed = trials.filter((t) => t.state === 'complete');
    const base = { pruner: this.name, percentile: o.percentile, completed_trials: completed.length };
    const keep = (reason: string, extra: Record<string, unknown> = {}): PruneVerdict => ({
      prune: false,
      info: { ...base, ...extra, reason },
    });

    if (completed.length === 0) return keep('no trial has completed yet');
    if (completed.length < o.n_startup_trials) {
      return keep(`only ${completed.length} of n_startup_trials = ${o.n_startup_trials} trials have completed`);
    }
    const step = lastStep(trial);
    if (step === undefined) return keep('the trial has reported no intermediate value');
    if (step < o.n_warmup_steps) return keep(`step ${step} is before n_warmup_steps = ${o.n_warmup_steps}`, { step });
    const steps = reported(trial).map(([s]) => s);
    if (!isFirstInIntervalStep(step, steps, o.n_warmup_steps, o.interval_steps)) {
      const point = pruningPointBefore(step, o.n_warmup_steps, o.interval_steps);
      return keep(
        `step ${step} is not a pruning check: the trial was already checked at or after step ${point} (interval_steps = ${o.interval_steps})`,
        { step },
      );
    }

    const best = nanBest(
      reported(trial).map(([, v]) => v),
      direction,
    );
    if (Number.isNaN(best)) {
      return { prune: true, info: { ...base, step, best: null, reason: 'every intermediate value of the trial is NaN' } };
    }

    const atStep = completed.map((t) => valueAt(t, step)).filter((v): v is number => v !== undefined);
    if (atStep.length < o.n_min_trials) {
      return keep(`only ${atStep.length} completed trials reported at step ${step}, fewer than n_min_trials = ${o.n_min_trials}`, {
        step,
        best,
        completed_reporting_at_step: atStep.length,
      });
    }
    // For maximisation the kept top `percentile` percent are above the (100 - percentile)th percentile.
    const q = direction === 'maximize' ? 100 - o.percentile : o.percentile;
    const threshold = nanPercentile(atStep, q);
    const extra = { step, best, completed_reporting_at_step: atStep.length, threshold: Number.isNaN(threshold) ? null : threshold };
    if (Number.isNaN(threshold)) {
      return keep(`every completed trial's value at step ${step} is NaN`, extra);
    }
    const prune = direction === 'maximize' ? best < threshold : best > threshold;
    const worse = direction === 'maximize' ? 'below' : 'above';
    const keeps = `${show(threshold)}, the threshold keeping the best ${show(o.percentile)}% of the ${atStep.length} completed trials at step ${step}`;
    const reason = `best value ${show(best)} is ${prune ? '' : 'not '}${worse} ${keeps}`;
    return { prune, info: { ...extra, ...base, reason } };
  }
}

/** Optuna's `MedianPruner`: a {@link PercentilePruner} with `percentile = 50`. */
export class MedianPruner extends PercentilePruner {
  constructor(options: MedianPrunerOptions) {
    super({ ...options, percentile: 50 }, 'MedianPruner');
  }
}
