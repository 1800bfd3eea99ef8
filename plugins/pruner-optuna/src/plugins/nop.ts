import { definePlugin } from '@broom/core';
import { PACKAGE_VERSION } from '../meta.js';
import { NopPruner } from '../nop-pruner.js';
import { NopPrunerOptions } from '../options.js';

export default definePlugin({
  meta: {
    name: '@broom/pruner-optuna/nop',
    version: PACKAGE_VERSION,
    kind: 'pruner',
    alias: 'NopPruner',
    description: "Optuna's NopPruner: never prunes",
  },
  options: NopPrunerOptions,
  create: () => new NopPruner(),
});
