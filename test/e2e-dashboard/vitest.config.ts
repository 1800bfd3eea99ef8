import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

export default mergeConfig(
  shared,
  defineProject({
    test: {
      name: '@broom/e2e-dashboard',
      globalSetup: ['./test/global-setup.ts'],
      // One browser and one server at a time: the machine has 2 cores.
      fileParallelism: false,
      testTimeout: 120_000,
      hookTimeout: 300_000,
    },
  }),
);
