import { definePlugin } from '@broom/core';
import { GridSearch } from './grid-search.js';
import { PACKAGE } from './meta.js';

export { GridSearch } from './grid-search.js';

export default definePlugin({
  meta: {
    name: PACKAGE.name,
    version: PACKAGE.version,
    kind: 'search',
    alias: 'grid',
    description: 'Grid search as W&B does it: every combination once, in order, across runs of any state',
  },
  create: () => new GridSearch(),
});
