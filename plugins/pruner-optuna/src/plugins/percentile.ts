import { definePlugin } from '@broom/core';
import { PACKAGE_VERSION } from '../meta.js';
import { PercentilePrunerOptions } from '../options.js';
import { PercentilePruner } from '../percentile-pruner.js';

export default definePlugin({
  meta: {
    name: '@broom/pruner-optuna/percentile',
    version: PACKAGE_VERSION,
    kind: 'pruner',
    alias: 'PercentilePruner',
    description: "Optuna's PercentilePruner: prune a trial whose best value is outside the given percentile of the completed trials at the same step",
  },
  options: PercentilePrunerOptions,
  create: (options) => new PercentilePruner(options),
});
