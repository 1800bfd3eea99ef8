import type { PruneRequest, PruneVerdict, StudyDirection, TrialPruner, TrialSnapshot } from '@broom/core';
import type { SuccessiveHalvingPrunerOptions } from './options.js';
import { lastStep, ordinal, reported, show } from './steps.js';

/**
 * Optuna's `SuccessiveHalvingPruner` (asynchronous successive halving), without its stored state.
 *
 * Rung k ends at step `min_resource · reduction_factor^(min_early_stopping_rate + k)`. A trial is
 * judged at a rung when its first report at or after that step comes in: its value there competes
 * with the values the other trials had at the same rung, and it is promoted only if it is among the
 * best `1/reduction_factor` of them (the best one while there are fewer than `reduction_factor`).
 *
 * Optuna records each trial's value at each rung it reaches (`completed_rung_k` system attributes).
 * broom keeps no state, so the records are read back from the intermediate values, as Optuna makes
 * them when `should_prune()` follows every `report()`: a trial's value at rung k is its value at
 * its first reported step at or after the rung's step; the rungs the judged trial has already
 * passed are those it reached before its last step; a pruned trial has no record past the rung it
 * failed. `min_resource: 'auto'` is estimated from the completed trials at every check (Optuna
 * fixes it at the first estimate; the same while complete trials run the same number of steps).
 */
export class SuccessiveHalvingPruner implements TrialPruner {
  readonly options: Readonly<SuccessiveHalvingPrunerOptions>;

  constructor(options: SuccessiveHalvingPrunerOptions) {
    this.options = { ...options };
  }

  prune({ trial, trials, direction }: PruneRequest): PruneVerdict {
    return successiveHalving(this.options, trial, trials, direction, { pruner: 'SuccessiveHalvingPruner' });
  }
}

/** Optuna's `_estimate_min_resource`: the largest last step of the completed trials / 100, at least 1. */
export function estimateMinResource(trials: readonly TrialSnapshot[]): number | undefined {
  let max: number | undefined;
  for (const t of trials) {
    if (t.state !== 'complete') continue;
    const last = lastStep(t);
    if (last !== undefined && (max === undefined || last > max)) max = last;
  }
  return max === undefined ? undefined : Math.max(Math.floor(max / 100), 1);
}

/**
 * The rung records (Optuna's `completed_rung_k`) of every trial but the judged one, read back
 * from the intermediate values. A trial records at rung k its value at its first report at or
 * after the rung's step (a NaN value records nothing). A pruned trial recorded nothing past the
 * rung it failed: when its last report reached several new rungs at once, the rung it failed is
 * found by judging it there against the records of the trials numbered before it.
 */
function rungRecords(
  trials: readonly TrialSnapshot[],
  judged: number,
  rungStep: (rung: number) => number,
  judge: (value: number, competing: number[]) => boolean,
): Map<number, Map<number, number>> {
  const sorted = trials.filter((t) => t.number !== judged).sort((a, b) => a.number - b.number);
  const records = new Map<number, Map<number, number>>();
  for (const t of sorted) {
    const values = reported(t);
    const mine = new Map<number, number>();
    records.set(t.number, mine);
    if (values.length === 0) continue;
    const last = values.length - 1;
    for (let rung = 0; ; rung++) {
      const index = values.findIndex(([step]) => step >= rungStep(rung));
      if (index < 0) break;
      const value = values[index][1];
      if (Number.isNaN(value)) break;
      mine.set(rung, value);
      if (t.state === 'pruned' && index === last) {
        const competing = [value];
        for (const [number, theirs] of records) {
          const v = number < t.number ? theirs.get(rung) : undefined;
          if (v !== undefined) competing.push(v);
        }
        if (!judge(value, competing)) break;
      }
    }
  }
  return records;
}

/** Optuna's `_is_trial_promotable_to_next_rung`, also giving the value to beat. */
function promotion(value: number, competing: number[], reductionFactor: number, direction: StudyDirection) {
  let index = Math.floor(competing.length / reductionFactor) - 1;
  // Fewer than reduction_factor competitors: only the best one goes on.
  if (index === -1) index = 0;
  const sorted = [...competing].sort((a, b) => a - b);
  const bar = direction === 'maximize' ? sorted[sorted.length - 1 - index] : sorted[index];
  return { promotable: direction === 'maximize' ? value >= bar : value <= bar, bar, rank: index + 1 };
}

/**
 * The successive-halving verdict for `trial` among `trials` (Hyperband passes only its bracket's
 * trials). `extra` goes into `info`.
 */
export function successiveHalving(
  options: SuccessiveHalvingPrunerOptions,
  trial: TrialSnapshot,
  trials: readonly TrialSnapshot[],
  direction: StudyDirection,
  extra: Record<string, unknown>,
): PruneVerdict {
  const { reduction_factor: eta, min_early_stopping_rate: rate, bootstrap_count: bootstrap } = options;
  const keep = (reason: string, more: Record<string, unknown> = {}): PruneVerdict => ({
    prune: false,
    info: { ...extra, ...more, reason },
  });
  const values = reported(trial);
  if (values.length === 0) return keep('the trial has reported no intermediate value');
  const [step, value] = values[values.length - 1];

  const minResource = options.min_resource === 'auto' ? estimateMinResource(trials) : options.min_resource;
  if (minResource === undefined) {
    return keep("min_resource is 'auto' and no trial has completed yet to estimate it from", { step });
  }
  const rungStep = (rung: number) => minResource * eta ** (rate + rung);
  // Rungs the trial reached at an earlier report were judged then (and passed: it is still running).
  const previous = values.length > 1 ? values[values.length - 2][0] : -1;
  let rung = 0;
  while (rungStep(rung) <= previous) rung++;

  const records = rungRecords(
    trials,
    trial.number,
    rungStep,
    (v, competing) => competing.length > bootstrap && promotion(v, competing, eta, direction).promotable,
  );
  const base = { ...extra, step, value: Number.isNaN(value) ? null : value, min_resource: minResource };

  for (;;) {
    const promotionStep = rungStep(rung);
    if (step < promotionStep) {
      return {
        prune: false,
        info: {
          ...base,
          rung,
          rung_step: promotionStep,
          reason:
            rung === 0
              ? `step ${step} is before the first rung, at step ${promotionStep}`
              : `promoted; the next rung (${rung}) is at step ${promotionStep}`,
        },
      };
    }
    if (Number.isNaN(value)) {
      return { prune: true, info: { ...base, rung, rung_step: promotionStep, reason: `the value at step ${step} is NaN` } };
    }
    const competing = [value];
    for (const theirs of records.values()) {
      const v = theirs.get(rung);
      if (v !== undefined) competing.push(v);
    }
    const at = { ...base, rung, rung_step: promotionStep, competing: competing.length };
    if (competing.length <= bootstrap) {
      return {
        prune: true,
        info: { ...at, reason: `only ${competing.length} trials reached rung ${rung} (step ${promotionStep}), not more than bootstrap_count = ${bootstrap}` },
      };
    }
    const { promotable, bar, rank } = promotion(value, competing, eta, direction);
    if (!promotable) {
      return {
        prune: true,
        info: {
          ...at,
          threshold: bar,
          reason: `value ${show(value)} at rung ${rung} (step ${promotionStep}) is not among the best ${rank} of ${competing.length} trials there (the ${rank === 1 ? 'best' : `${ordinal(rank)} best`} is ${show(bar)})`,
        },
      };
    }
    rung++;
  }
}
