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
 * them when `should_prune()` follows every `report()` (see `recordsOf`): a trial's value at rung k
 * is its value at its first checked step at or after the rung's step; the rungs the judged trial
 * has already passed are those recorded at its earlier checks; a pruned trial has no record past
 * the rung it failed. `min_resource: 'auto'` is estimated from the completed trials at every check
 * (Optuna fixes it at the first estimate and records nothing before it; see the README).
 */
export class SuccessiveHalvingPruner implements GatedTrialPruner {
  readonly options: Readonly<SuccessiveHalvingPrunerOptions>;

  constructor(options: SuccessiveHalvingPrunerOptions) {
    this.options = { ...options };
  }

  prune(request: PruneRequest): PruneVerdict {
    return this.pruneGated(request, undefined);
  }

  pruneGated({ trial, trials, direction }: PruneRequest, gate: CheckGate | undefined): PruneVerdict {
    return successiveHalving(this.options, trial, trials, direction, { pruner: 'SuccessiveHalvingPruner' }, gate);
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
 * Which of a trial's checks reached this pruner: `gate(values, i)` says whether the check made
 * right after report `i` (of the step-sorted `values`) was passed on to it. Optuna's
 * PatientPruner passes a check on to its wrapped pruner only once the trial has stalled, and a
 * successive-halving pruner records rungs only at the checks it sees. Absent: every check.
 */
export type CheckGate = (values: readonly [number, number][], index: number) => boolean;

/** A pruner that can be told which checks reached it (the stateful Optuna pruners). */
export interface GatedTrialPruner extends TrialPruner {
  pruneGated(request: PruneRequest, gate: CheckGate | undefined): PruneVerdict | Promise<PruneVerdict>;
}

export function isGatedTrialPruner(p: TrialPruner): p is GatedTrialPruner {
  return typeof (p as GatedTrialPruner).pruneGated === 'function';
}

/**
 * The rungs a trial recorded (Optuna's `completed_rung_k`), read back from its intermediate
 * values as Optuna writes them when checks follow reports: at each check that reached the pruner,
 * every rung whose step the check's step has reached is recorded with the value at that step, in
 * order, until the trial fails one (a NaN value records nothing and stops). Only a pruned trial's
 * last check can have failed; `failed(rung, value)` tells whether it failed there.
 */
function recordsOf(
  values: readonly [number, number][],
  upTo: number,
  rungStep: (rung: number) => number,
  gate: CheckGate | undefined,
  failed: (rung: number, value: number) => boolean,
): Map<number, number> {
  const records = new Map<number, number>();
  let rung = 0;
  for (let i = 0; i < upTo; i++) {
    if (gate && !gate(values, i)) continue;
    const [step, value] = values[i];
    while (step >= rungStep(rung)) {
      if (Number.isNaN(value)) return records;
      records.set(rung, value);
      if (failed(rung, value)) return records;
      rung++;
    }
  }
  return records;
}

/**
 * The rung records of every trial but the judged one. A pruned trial stopped at the rung it
 * failed: when its last check reached several new rungs, the one it failed is found by judging it
 * there against the records of the trials numbered before it.
 */
function rungRecords(
  trials: readonly TrialSnapshot[],
  judged: number,
  rungStep: (rung: number) => number,
  gate: CheckGate | undefined,
  judge: (value: number, competing: number[]) => boolean,
): Map<number, Map<number, number>> {
  const sorted = trials.filter((t) => t.number !== judged).sort((a, b) => a.number - b.number);
  const records = new Map<number, Map<number, number>>();
  for (const t of sorted) {
    const values = reported(t);
    const last = values.length - 1;
    let index = -1;
    const failed = (rung: number, value: number): boolean => {
      if (t.state !== 'pruned' || index !== last) return false;
      const competing = [value];
      for (const theirs of records.values()) {
        const v = theirs.get(rung);
        if (v !== undefined) competing.push(v);
      }
      return !judge(value, competing);
    };
    const gateTracking: CheckGate = (v, i) => {
      index = i;
      return gate ? gate(v, i) : true;
    };
    records.set(t.number, recordsOf(values, values.length, rungStep, gateTracking, failed));
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
  gate?: CheckGate,
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
  // Rungs recorded at the trial's earlier checks were judged then (and passed: it is still running).
  let rung = recordsOf(values, values.length - 1, rungStep, gate, () => false).size;

  const records = rungRecords(
    trials,
    trial.number,
    rungStep,
    gate,
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
