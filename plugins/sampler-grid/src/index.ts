import { definePlugin } from '@broom/core';
import { z } from 'zod';
import { GridSampler } from './grid-sampler.js';
import { PACKAGE } from './meta.js';

export { GridSampler } from './grid-sampler.js';

const GridValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** `scheduler.settings.sampler: {type: GridSampler, args: {search_space, seed}}`, with Optuna's argument names. */
export const GridSamplerOptions = z.strictObject({
  /** The values of each parameter; absent: the sweep's discrete parameters (values, int_uniform, q_uniform). */
  search_space: z.record(z.string(), z.array(GridValue).min(1)).optional(),
  /** The order of the grid depends only on this seed, not on the sweep's random stream. */
  seed: z.int().optional(),
});

export default definePlugin({
  meta: { name: PACKAGE.name, version: PACKAGE.version, kind: 'sampler', alias: 'GridSampler', description: "Optuna's GridSampler: each grid point once, in a seeded random order" },
  options: GridSamplerOptions,
  create: (options) => new GridSampler(options.search_space, options.seed),
});
