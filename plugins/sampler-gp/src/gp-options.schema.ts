import { z } from 'zod';

/**
 * The options of `GPSampler`, with Optuna's argument names and defaults. Strict: a misspelt key is
 * an error, never silently dropped. Optuna's `independent_sampler` (a sampler object; the startup
 * trials here are Optuna's RandomSampler), `constraints_func` (a callable) and
 * `warn_independent_sampling` (a log message only) are not offered.
 */
export const GpSamplerOptions = z.strictObject({
  /** Complete trials sampled at random before the Gaussian process takes over. */
  n_startup_trials: z.int().min(0).default(10),
  /**
   * The objective has no noise: the noise variance of the model is fixed at its minimum (1e-6)
   * instead of being fitted.
   */
  deterministic_objective: z.boolean().default(false),
  /** Make proposals depend only on this seed and the history, not on the caller's random stream. */
  seed: z.int().optional(),
});

/** Validated options, as the sampler uses them. */
export type GpSamplerOptions = z.output<typeof GpSamplerOptions>;
/** Options as a user writes them (every key optional). */
export type GpSamplerInput = z.input<typeof GpSamplerOptions>;
