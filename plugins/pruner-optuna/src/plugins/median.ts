import { definePlugin } from '@broom/core';
import { PACKAGE_VERSION } from '../meta.js';
import { MedianPrunerOptions } from '../options.js';
import { MedianPruner } from '../percentile-pruner.js';

export default definePlugin({
  meta: {
    name: '@broom/pruner-optuna/median',
    version: PACKAGE_VERSION,
    kind: 'pruner',
    alias: 'MedianPruner',
    description: "Optuna's MedianPruner: prune a trial whose best value is worse than the median of the completed trials at the same step",
  },
  options: MedianPrunerOptions,
  create: (options) => new MedianPruner(options),
});
