import { z } from 'zod';

/** `scheduler.settings` of the logging scheduler (strict: a typo is an error naming the key). */
export const LoggingSettings = z.strictObject({
  /** The metric to show for each run (default: the sweep's `metric.name`). */
  metric: z.string().min(1).optional(),
  /** Log every n-th poll only (default 1: every poll). */
  every: z.number().int().min(1).optional(),
  /** W&B's `settings.method`: the sweep's method (read by broom before the scheduler starts, not by it). */
  method: z.enum(['grid', 'random', 'bayes']).optional(),
});

export type LoggingSettings = z.infer<typeof LoggingSettings>;
