import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: '@broom/e2e',
      // Fixture plugins sit in node_modules folders; run them through vitest like the rest so that
      // their `import '@broom/core'` resolves to the same sources.
      server: { deps: { inline: [/fixtures\/plugins/] } },
    },
  }),
);
