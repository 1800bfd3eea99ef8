import { field, type Field } from './fields.js';
import type { SchedulerBlock } from './types.js';

/*
 * The Launch-only blocks (spec §1.7) that `wandb launch-sweep` reads and removes before it uploads
 * the sweep config, as a zod-free table (`launch-schema.ts` builds their zod schemas from it). They
 * are checked on their own, strictly.
 */

/** Keys that make a `scheduler:` block the Launch kind rather than the 2026 `engine` kind. */
export const LAUNCH_SCHEDULER_KEYS = [
  'job', 'num_workers', 'resource', 'resource_args', 'docker_image', 'template_variables', 'settings',
] as const;

const { string, record, list, optional, mapping, intWhere } = field;
const str = optional(string);

/** `scheduler:` of a Launch sweep. */
export const LAUNCH_SCHEDULER_FIELD: Field = mapping({
  job: str,
  num_workers: optional(intWhere((v) => v > 0, 'must be > 0')),
  resource: str,
  resource_args: optional(record),
  docker_image: str,
  template_variables: optional(record),
  settings: optional(record),
}, (s): SchedulerBlock => {
  const out: SchedulerBlock = {};
  for (const [k, v] of Object.entries(s)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
});

/** `launch:`: the queue, and overrides copied to every trial. */
export const LAUNCH_BLOCK_FIELD: Field = mapping({
  queue: str,
  registry: optional(mapping({ url: str })),
  overrides: optional(mapping({
    run_config: optional(record),
    args: optional(list()),
    entry_point: optional(list()),
  })),
  priority: optional(intWhere((v) => v >= 0 && v <= 3, 'must be 0 (critical), 1 (high), 2 (medium) or 3 (low)')),
  resource: str,
  resource_args: optional(record),
  template_variables: optional(record),
});
