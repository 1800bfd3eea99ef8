import { definePlugin } from '@broom/core';
import { z } from 'zod';
import { PACKAGE } from './meta.js';
import { RandomSampler } from './random-sampler.js';

export { RandomSampler, sampleUniform } from './random-sampler.js';

/** `scheduler.settings.sampler: {type: RandomSampler, args: {seed}}`, with Optuna's argument names. */
export const RandomSamplerOptions = z.strictObject({
  /** Proposals depend only on this seed and the history, not on the sweep's random stream. */
  seed: z.int().optional(),
});

export default definePlugin({
  meta: { name: PACKAGE.name, version: PACKAGE.version, kind: 'sampler', alias: 'RandomSampler', description: "Optuna's RandomSampler: independent uniform draws" },
  options: RandomSamplerOptions,
  create: (options) => new RandomSampler(options.seed),
});
