import { definePlugin } from '@broom/core';
import { PACKAGE_VERSION } from '../meta.js';
import { HyperbandPruner } from '../hyperband-pruner.js';
import { HyperbandPrunerOptions } from '../options.js';

export default definePlugin({
  meta: {
    name: '@broom/pruner-optuna/hyperband',
    version: PACKAGE_VERSION,
    kind: 'pruner',
    alias: 'HyperbandPruner',
    description: "Optuna's HyperbandPruner: brackets of successive-halving pruners, a trial's bracket picked by a hash of its number",
  },
  options: HyperbandPrunerOptions,
  create: (options) => new HyperbandPruner(options),
});
