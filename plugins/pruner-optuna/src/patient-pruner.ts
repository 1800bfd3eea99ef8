import type { PruneRequest, PruneVerdict, TrialPruner } from '@broom/core';
import type { PatientPrunerOptions } from './options.js';
import { nanBest, reported, show } from './steps.js';

/**
 * Optuna's `PatientPruner`: waits until the trial has not improved for `patience` reports, then
 * asks the wrapped pruner (or prunes outright when there is none).
 *
 * With the last `patience + 1` reports as "recent" and the ones before as "earlier" (at least one
 * earlier report is needed), the trial has stopped improving when its best recent value is worse
 * than its best earlier value by more than `min_delta` (minimising: `min(earlier) + min_delta <
 * min(recent)`; maximising: `max(earlier) - min_delta > max(recent)`). NaN values are left out; if
 * either side is all NaN the trial counts as improving.
 */
export class PatientPruner implements TrialPruner {
  constructor(
    readonly wrapped: TrialPruner | null,
    readonly options: Readonly<Pick<PatientPrunerOptions, 'patience' | 'min_delta'>>,
  ) {}

  prune(request: PruneRequest): PruneVerdict | Promise<PruneVerdict> {
    const { patience, min_delta: minDelta } = this.options;
    const base = { pruner: 'PatientPruner', patience, min_delta: minDelta };
    const values = reported(request.trial);
    if (values.length === 0) return { prune: false, info: { ...base, reason: 'the trial has reported no intermediate value' } };
    const step = values[values.length - 1][0];
    if (values.length <= patience + 1) {
      return {
        prune: false,
        info: { ...base, step, reason: `only ${values.length} reports, patience needs more than ${patience + 1}` },
      };
    }
    const split = values.length - patience - 1;
    const earlier = nanBest(values.slice(0, split).map(([, v]) => v), request.direction);
    const recent = nanBest(values.slice(split).map(([, v]) => v), request.direction);
    const stalled =
      request.direction === 'minimize' ? earlier + minDelta < recent : earlier - minDelta > recent;
    const at = {
      ...base,
      step,
      best_before: Number.isNaN(earlier) ? null : earlier,
      best_recent: Number.isNaN(recent) ? null : recent,
      recent_from_step: values[split][0],
    };
    if (!stalled) {
      return {
        prune: false,
        info: {
          ...at,
          reason: `still improving: best of the last ${patience + 1} reports ${show(recent)} vs ${show(earlier)} before (min_delta ${show(minDelta)})`,
        },
      };
    }
    const why = `no improvement in the last ${patience + 1} reports: best ${show(recent)} vs ${show(earlier)} before (min_delta ${show(minDelta)})`;
    if (!this.wrapped) return { prune: true, info: { ...at, reason: why } };
    const combine = (inner: PruneVerdict): PruneVerdict => ({
      prune: inner.prune,
      info: { ...at, reason: `${why}; the wrapped pruner says ${inner.prune ? 'prune' : 'keep'}`, wrapped: inner.info ?? {} },
    });
    const inner = this.wrapped.prune(request);
    return inner instanceof Promise ? inner.then(combine) : combine(inner);
  }
}
