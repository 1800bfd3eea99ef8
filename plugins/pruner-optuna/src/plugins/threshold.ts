import { definePlugin } from '@broom/core';
import { PACKAGE_VERSION } from '../meta.js';
import { ThresholdPrunerOptions } from '../options.js';
import { ThresholdPruner } from '../threshold-pruner.js';

export default definePlugin({
  meta: {
    name: '@broom/pruner-optuna/threshold',
    version: PACKAGE_VERSION,
    kind: 'pruner',
    alias: 'ThresholdPruner',
    description: "Optuna's ThresholdPruner: prune a trial whose latest value is outside [lower, upper] or NaN",
  },
  options: ThresholdPrunerOptions,
  create: (options) => new ThresholdPruner(options),
});
