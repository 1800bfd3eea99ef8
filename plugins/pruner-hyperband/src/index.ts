import { definePlugin } from '@broom/core';
import { HyperbandPruner } from './hyperband-pruner.js';

export { HyperbandPruner, type HyperbandInfo, type HyperbandResult } from './hyperband-pruner.js';
export { EMPTY_BANDS_MESSAGE, hyperbandBands, hyperbandSettings, type HyperbandSettings } from './hyperband-bands.js';

export default definePlugin({
  meta: {
    name: '@broom/pruner-hyperband',
    version: '0.1.0',
    kind: 'pruner',
    alias: 'hyperband',
    description: 'Hyperband early termination as W&B does it: stop running runs that fall behind at each band',
  },
  create: () => new HyperbandPruner(),
});
