import type { StudyDirection, TrialSnapshot } from './sampler.js';

/** What an Optuna-style pruner is given to judge one running trial. Plain data. */
export interface PruneRequest {
  /** The trial to judge: `state: 'running'`, with its intermediate values so far. */
  trial: TrialSnapshot;
  /** Every trial of the study (the judged one included), in number order. */
  trials: readonly TrialSnapshot[];
  /** The study's direction (pruning is single-objective only, as in Optuna). */
  direction: StudyDirection;
  /**
   * The study's name (Optuna's `optuna-study-<sweep_id>`), when the caller has one. Optuna's
   * HyperbandPruner hashes it with the trial number to pick the trial's bracket; absent, `''` is hashed.
   */
  studyName?: string;
}

/** A pruner's verdict on one trial, with what it based it on (shown by `broom stop-runs --info`). */
export interface PruneVerdict {
  prune: boolean;
  /** Plain data: thresholds, steps, the reason in words. */
  info?: Record<string, unknown>;
}

/**
 * An Optuna-style pruner (`BasePruner.prune(study, trial)`), the kind `scheduler.settings.pruner`
 * names: it judges one running trial at its last reported step. Stateless: every call gets the
 * whole study, so the verdict is the same after a restart.
 */
export interface TrialPruner {
  prune(request: PruneRequest): PruneVerdict | Promise<PruneVerdict>;
}

/** Whether a pruner plugin's product is Optuna-style (`prune`) rather than W&B-style (`evaluate`). */
export function isTrialPruner(value: unknown): value is TrialPruner {
  return typeof (value as TrialPruner | null)?.prune === 'function';
}
