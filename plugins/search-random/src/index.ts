import { definePlugin } from '@broom/core';
import { PACKAGE } from './meta.js';
import { RandomSearch } from './random-search.js';

export { RandomSearch } from './random-search.js';

export default definePlugin({
  meta: {
    name: PACKAGE.name,
    version: PACKAGE.version,
    kind: 'search',
    alias: 'random',
    description: 'Random search as W&B does it: every parameter drawn independently, without end',
  },
  create: () => new RandomSearch(),
});
