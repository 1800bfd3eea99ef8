import type { PruneRequest, PruneVerdict, StudyDirection, TrialPruner } from '@broom/core';
import type { PatientPrunerOptions } from './options.js';
import { nanBest, reported, show } from './steps.js';
import { isGatedTrialPruner, type CheckGate, type GatedTrialPruner } from './successive-halving-pruner.js';

type Patience = Readonly<Pick<PatientPrunerOptions, 'patience' | 'min_delta'>>;

/** The best value before and within the patience window of the first `count` reports, and whether the trial stalled. */
function stall(values: readonly [number, number][], count: number, { patience, min_delta: minDelta }: Patience, direction: StudyDirection) {
  if (count <= patience + 1) return undefined;
  const split = count - patience - 1;
  const earlier = nanBest(values.slice(0, split).map(([, v]) => v), direction);
  const recent = nanBest(values.slice(split, count).map(([, v]) => v), direction);
  const stalled = direction === 'minimize' ? earlier + minDelta < recent : earlier - minDelta > recent;
  return { split, earlier, recent, stalled };
}

/**
 * Optuna's `PatientPruner`: waits until the trial has not improved for `patience` reports, then
 * asks the wrapped pruner (or prunes outright when there is none).
 *
 * With the last `patience + 1` reports as "recent" and the ones before as "earlier" (at least one
 * earlier report is needed), the trial has stalled when its best recent value is worse than its
 * best earlier value by more than `min_delta` (minimising: `min(earlier) + min_delta <
 * min(recent)`; maximising: `max(earlier) - min_delta > max(recent)`). NaN values are left out; if
 * either side is all NaN the trial counts as improving.
 *
 * A wrapped successive-halving or Hyperband pruner is told that only the checks where the trial had
 * stalled reached it, since in Optuna it records rungs only at those.
 */
export class PatientPruner implements GatedTrialPruner {
  constructor(
    readonly wrapped: TrialPruner | null,
    readonly options: Patience,
  ) {}

  prune(request: PruneRequest): PruneVerdict | Promise<PruneVerdict> {
    return this.pruneGated(request, undefined);
  }

  pruneGated(request: PruneRequest, gate: CheckGate | undefined): PruneVerdict | Promise<PruneVerdict> {
    const { patience, min_delta: minDelta } = this.options;
    const base = { pruner: 'PatientPruner', patience, min_delta: minDelta };
    const values = reported(request.trial);
    if (values.length === 0) return { prune: false, info: { ...base, reason: 'the trial has reported no intermediate value' } };
    const step = values[values.length - 1][0];
    const s = stall(values, values.length, this.options, request.direction);
    if (!s) {
      return {
        prune: false,
        info: { ...base, step, reason: `only ${values.length} reports, patience needs more than ${patience + 1}` },
      };
    }
    const at = {
      ...base,
      step,
      best_before: Number.isNaN(s.earlier) ? null : s.earlier,
      best_recent: Number.isNaN(s.recent) ? null : s.recent,
      recent_from_step: values[s.split][0],
    };
    const compared = `${show(s.recent)} vs ${show(s.earlier)} before (min_delta ${show(minDelta)})`;
    if (!s.stalled) {
      return { prune: false, info: { ...at, reason: `still improving: best of the last ${patience + 1} reports ${compared}` } };
    }
    const why = `no improvement in the last ${patience + 1} reports: best ${compared}`;
    if (!this.wrapped) return { prune: true, info: { ...at, reason: why } };
    const combine = (inner: PruneVerdict): PruneVerdict => ({
      prune: inner.prune,
      info: { ...at, reason: `${why}; the wrapped pruner says ${inner.prune ? 'prune' : 'keep'}`, wrapped: inner.info ?? {} },
    });
    const inner = isGatedTrialPruner(this.wrapped)
      ? this.wrapped.pruneGated(request, (v, i) => (gate ? gate(v, i) : true) && stall(v, i + 1, this.options, request.direction)?.stalled === true)
      : this.wrapped.prune(request);
    return inner instanceof Promise ? inner.then(combine) : combine(inner);
  }
}
