import type { z } from 'zod';
import { ParametersSchema } from './parameter-schema.js';
import {
  CONTROLLER_FIELD, ENGINE_SCHEDULER_FIELD, HYPERBAND_FIELD, METRIC_FIELD, SWEEP_CONFIG_FIELD, SWEEP_CONFIG_FIELDS,
} from './sweep-fields.js';
import type { HyperbandConfig, MetricConfig, SchedulerBlock, SweepConfig } from './types.js';
import { fieldSchema, shapeOf } from './value-schemas.js';

/*
 * W&B's sweep config schema in zod, for the strict validator: built from the zod-free table of
 * `sweep-fields.ts` (which the engine's lenient fill reads directly), strict objects everywhere W&B
 * has `additionalProperties: false`. Each schema also fills W&B's defaults, so a successful parse is
 * the filled config.
 */

export { ENGINES, GOALS, IMPUTES, IMPUTES_WHILE_RUNNING, TOP_LEVEL_KEYS } from './sweep-fields.js';

const parameters = () => ParametersSchema;

/** `metric:` (and each item of `metrics:`), with W&B's defaults filled. */
export const MetricSchema = fieldSchema(METRIC_FIELD) as z.ZodType<MetricConfig>;

/** `early_terminate:` (hyperband only), with eta 3 and strict true by default. */
export const HyperbandSchema = fieldSchema(HYPERBAND_FIELD) as z.ZodType<HyperbandConfig>;

/** The 2026 external-scheduler block (`scheduler.engine`), not the Launch one. */
export const EngineSchedulerSchema = fieldSchema(ENGINE_SCHEDULER_FIELD) as z.ZodType<SchedulerBlock>;

/** `controller:`. W&B's schema lets it have other keys; broom warns about them (see `validate.ts`). */
export const ControllerSchema = fieldSchema(CONTROLLER_FIELD) as z.ZodType<{ type: 'local' | 'cloud' }>;

/** Every top-level key of a sweep config as W&B uploads it (Launch blocks already removed). */
export const SWEEP_CONFIG_SHAPE: Readonly<Record<string, z.ZodType>> =
  shapeOf(SWEEP_CONFIG_FIELDS, parameters) as Record<string, z.ZodType>;

/** A whole sweep config, to a filled `SweepConfig`. */
export const SweepConfigSchema = fieldSchema(SWEEP_CONFIG_FIELD, parameters) as z.ZodType<SweepConfig>;
