import { z } from 'zod';

/**
 * The options of `TPESampler`, with Optuna's argument names and defaults. Strict: a misspelt key is
 * an error, never silently dropped. Optuna's `gamma` and `weights` callables are not configurable
 * here: Optuna's defaults are used (`default_gamma(n) = min(ceil(0.1·n), 25)`; `default_weights(n)`:
 * all 1 below 25, else a linear ramp from 1/n to 1 for the oldest n − 25 and 1 for the newest 25).
 * Optuna's `warn_independent_sampling`, `constraints_func` and `categorical_distance_func` are not
 * offered (the first only logs; the others are callables).
 */
export const TpeSamplerOptions = z.strictObject({
  /** Trials sampled at random before TPE starts (complete and pruned trials count). */
  n_startup_trials: z.int().min(0).default(10),
  /** Candidates drawn from l(x); the one with the largest l(x)/g(x) is proposed. */
  n_ei_candidates: z.int().min(1).default(24),
  /** Add a prior component (centre of the range, width of the range) to each estimator. */
  consider_prior: z.boolean().default(true),
  /** The prior component's weight. */
  prior_weight: z.number().positive().default(1.0),
  /** Bound each bandwidth below by range / min(100, 1 + number of components). */
  consider_magic_clip: z.boolean().default(true),
  /** Let the range ends count as neighbours of the outermost observations. */
  consider_endpoints: z.boolean().default(false),
  /** Model the parameters jointly (one kernel per trial over all parameters). */
  multivariate: z.boolean().default(false),
  /** With `multivariate`: sample jointly within each group of parameters that trials share. */
  group: z.boolean().default(false),
  /** Count running trials as the worst ones (in the above group), for parallel sweeps. */
  constant_liar: z.boolean().default(false),
  /** Make proposals depend only on this seed and the history, not on the caller's random stream. */
  seed: z.int().optional(),
}).refine((o) => !o.group || o.multivariate, {
  message: '`group` can only be enabled together with `multivariate` (set multivariate: true)',
  path: ['group'],
});

/** Validated options, as the sampler uses them. */
export type TpeSamplerOptions = z.output<typeof TpeSamplerOptions>;
/** Options as a user writes them (every key optional). */
export type TpeSamplerInput = z.input<typeof TpeSamplerOptions>;
