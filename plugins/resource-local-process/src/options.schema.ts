import { z } from 'zod';

/**
 * `resource_args` of `local-process` (`scheduler.resource_args`, `launch.resource_args`): strict, so
 * a typo is an error that names the key.
 */
export const LocalProcessOptions = z.strictObject({
  /** Extra environment variables for the job, on top of the launch agent's own. */
  env: z.record(z.string(), z.string()).optional(),
  /** The job's working directory (default: the launch agent's). Relative paths are from the agent's. */
  cwd: z.string().min(1).optional(),
  /** Seconds between SIGTERM and SIGKILL when the job is stopped (default 30, W&B's KILL_DELAY). */
  kill_delay: z.number().min(0).max(3600).optional(),
});

export type LocalProcessOptions = z.infer<typeof LocalProcessOptions>;
