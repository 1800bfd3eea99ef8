import { definePlugin } from '@broom/core';
import { PACKAGE_VERSION } from '../meta.js';
import { SuccessiveHalvingPrunerOptions } from '../options.js';
import { SuccessiveHalvingPruner } from '../successive-halving-pruner.js';

export default definePlugin({
  meta: {
    name: '@broom/pruner-optuna/successive-halving',
    version: PACKAGE_VERSION,
    kind: 'pruner',
    alias: 'SuccessiveHalvingPruner',
    description: "Optuna's SuccessiveHalvingPruner: asynchronous successive halving over rungs of steps",
  },
  options: SuccessiveHalvingPrunerOptions,
  create: (options) => new SuccessiveHalvingPruner(options),
});
