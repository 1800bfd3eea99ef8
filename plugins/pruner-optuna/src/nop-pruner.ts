import type { PruneVerdict, TrialPruner } from '@broom/core';

/** Optuna's `NopPruner`: never prunes. */
export class NopPruner implements TrialPruner {
  prune(): PruneVerdict {
    return { prune: false, info: { pruner: 'NopPruner', reason: 'NopPruner never prunes' } };
  }
}
