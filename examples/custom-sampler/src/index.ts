import { definePlugin } from '@broom/core';
import { z } from 'zod';
import { HaltonSampler } from './halton-sampler.js';
import { PACKAGE } from './meta.js';

export { HaltonSampler, valueAt, type HaltonSamplerSettings } from './halton-sampler.js';
export { HaltonSequence, firstPrimes, radicalInverse, digitCount, type HaltonOptions } from './halton.js';

/**
 * `scheduler.settings.sampler: {type: halton, args: {seed, scramble}}`. Strict: a misspelt key is
 * an error that names it, never silently dropped.
 */
export const HaltonSamplerOptions = z.strictObject({
  /** Seed of the scrambling: proposals depend only on it and the number of trials so far. */
  seed: z.int().optional(),
  /** Randomise the digits of the sequence (default true); false gives the classic Halton sequence. */
  scramble: z.boolean().default(true),
});

export default definePlugin({
  meta: {
    name: PACKAGE.name,
    version: PACKAGE.version,
    kind: 'sampler',
    alias: 'halton',
    description: 'A scrambled Halton sequence: quasi-random proposals that cover the space evenly',
  },
  options: HaltonSamplerOptions,
  create: (options) => new HaltonSampler(options),
});
