import { z } from 'zod';
import type { SchedulerBlock } from './types.js';
import { mapping, zInt, zList, zRecord } from './value-schemas.js';

/*
 * The Launch-only blocks (spec §1.7) that `wandb launch-sweep` reads and removes before it uploads
 * the sweep config. They are checked on their own, strictly.
 */

/** Keys that make a `scheduler:` block the Launch kind rather than the 2026 `engine` kind. */
export const LAUNCH_SCHEDULER_KEYS = [
  'job', 'num_workers', 'resource', 'resource_args', 'docker_image', 'template_variables', 'settings',
] as const;

/** `scheduler:` of a Launch sweep. */
export const LaunchSchedulerSchema = mapping({
  job: z.string().optional(),
  num_workers: zInt.refine((v) => v > 0, { error: 'must be > 0' }).optional(),
  resource: z.string().optional(),
  resource_args: zRecord.optional(),
  docker_image: z.string().optional(),
  template_variables: zRecord.optional(),
  settings: zRecord.optional(),
}).transform((s): SchedulerBlock => {
  const out: SchedulerBlock = {};
  for (const [k, v] of Object.entries(s)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
});

/** `launch:`: the queue, and overrides copied to every trial. */
export const LaunchBlockSchema = mapping({
  queue: z.string().optional(),
  registry: mapping({ url: z.string().optional() }).optional(),
  overrides: mapping({
    run_config: zRecord.optional(),
    args: zList.optional(),
    entry_point: zList.optional(),
  }).optional(),
  priority: zInt.refine((v) => v >= 0 && v <= 3, { error: 'must be 0 (critical), 1 (high), 2 (medium) or 3 (low)' }).optional(),
  resource: z.string().optional(),
  resource_args: zRecord.optional(),
  template_variables: zRecord.optional(),
});
