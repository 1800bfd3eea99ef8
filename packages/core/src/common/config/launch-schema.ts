import type { z } from 'zod';
import { LAUNCH_BLOCK_FIELD, LAUNCH_SCHEDULER_FIELD } from './launch-fields.js';
import type { SchedulerBlock } from './types.js';
import { fieldSchema } from './value-schemas.js';

/*
 * The Launch-only blocks (spec §1.7) in zod, built from the zod-free table of `launch-fields.ts`.
 * They are checked on their own, strictly.
 */

export { LAUNCH_SCHEDULER_KEYS } from './launch-fields.js';

/** `scheduler:` of a Launch sweep. */
export const LaunchSchedulerSchema = fieldSchema(LAUNCH_SCHEDULER_FIELD) as z.ZodType<SchedulerBlock>;

/** `launch:`: the queue, and overrides copied to every trial. */
export const LaunchBlockSchema = fieldSchema(LAUNCH_BLOCK_FIELD) as z.ZodType<Record<string, unknown>>;
