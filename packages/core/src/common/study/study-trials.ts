import { metricHistory } from '../engine/metrics.js';
import type { Run } from '../engine/run.js';
import type { TrialSnapshot, TrialState } from '../plugin/sampler.js';
import type { StudySpace } from './study-space.js';
import type { StudyObjective } from './study-spec.js';

/** The stop reason the Optuna scheduler gives the runs its pruner condemns; such runs are PRUNED trials. */
export const PRUNED_REASON = 'pruned';

/**
 * A sweep's runs as the trials of an Optuna study, in run order (trial number = position):
 * - pending and running runs are RUNNING trials;
 * - a run stopped by the pruner (`stop_reason: pruned`) is PRUNED, with its intermediate values;
 * - a finished run, or one killed by a user, with a value for every objective is COMPLETE, its values
 *   the last logged ones (as W&B's Optuna scheduler tells Optuna); without one it is FAIL;
 * - failed and crashed runs are FAIL.
 * Intermediate values are the objective's logged values keyed by their index (W&B reports step i =
 * the i-th logged value, not `_step`). A run whose parameters are not in the space (a run from an
 * older config) is left out, as Optuna's samplers skip trials outside their space.
 */
export function trialsFromRuns(runs: readonly Run[], space: StudySpace, objectives: readonly StudyObjective[]): TrialSnapshot[] {
  const trials: TrialSnapshot[] = [];
  for (const run of runs) {
    const params = space.paramsOf(run.config);
    if (params === null) continue;
    const histories = objectives.map((o) => metricHistory(run, o.name));
    const intermediate: Record<number, number> = {};
    if (objectives.length === 1) histories[0].forEach((v, i) => (intermediate[i] = v));
    const last = histories.map((h) => (h.length > 0 ? h[h.length - 1] : undefined));
    const complete = last.every((v) => v !== undefined);
    let state: TrialState;
    switch (run.state) {
      case 'pending':
      case 'running':
      case 'preempting':
      case 'preempted':
        state = 'running';
        break;
      case 'killed':
        state = run.stop_reason === PRUNED_REASON ? 'pruned' : complete ? 'complete' : 'fail';
        break;
      case 'finished':
        state = complete ? 'complete' : 'fail';
        break;
      default:
        state = 'fail';
    }
    const trial: TrialSnapshot = { number: trials.length, state, params };
    if (state === 'complete') trial.values = last as number[];
    if (objectives.length === 1 && histories[0].length > 0) trial.intermediate = intermediate;
    trials.push(trial);
  }
  return trials;
}
