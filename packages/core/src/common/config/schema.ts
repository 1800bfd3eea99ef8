import { z } from 'zod';
import { toNumber, type PyFloat } from '../values.js';
import { ParametersSchema } from './parameter-schema.js';
import {
  METHODS, type HyperbandConfig, type MetricConfig, type SchedulerBlock, type SweepConfig,
} from './types.js';
import { looseMapping, mapping, zInt, zList, zNumber } from './value-schemas.js';

/*
 * W&B's sweep config schema (wandb/sweeps `config/schema.json`, 2026) in zod: every top-level key of
 * spec §1.1, strict objects everywhere W&B has `additionalProperties: false`. Each schema also fills
 * W&B's defaults, so a successful parse is the filled config. The rules JSON Schema cannot express
 * (cross-key rules, hyperband's "min_iter, or max_iter and s", min < max) live in `rules.ts` and
 * `check-parameter.ts`; the Launch-only blocks in `launch-schema.ts`.
 */

export const GOALS = ['minimize', 'maximize'] as const;
export const IMPUTES = ['latest', 'best', 'worst'] as const;
export const IMPUTES_WHILE_RUNNING = ['latest', 'best', 'worst', 'false'] as const;
export const ENGINES = ['optuna', 'ax', 'wandb'] as const;

const optionalNumber = zNumber.optional().transform((v) => (v === undefined ? undefined : toNumber(v)));

/** `metric:` (and each item of `metrics:`), with W&B's defaults filled. */
export const MetricSchema = mapping({
  name: z.string(),
  goal: z.enum(GOALS).optional(),
  target: zNumber.optional(),
  impute: z.enum(IMPUTES).optional(),
  impute_while_running: z.enum(IMPUTES_WHILE_RUNNING).optional(),
}).transform((m): MetricConfig => ({
  name: m.name,
  goal: m.goal ?? 'minimize',
  ...(m.target !== undefined ? { target: toNumber(m.target as number | PyFloat) } : {}),
  impute: m.impute ?? 'worst',
  impute_while_running: m.impute_while_running ?? 'false',
}));

/** `early_terminate:` (hyperband only), with eta 3 and strict true by default. */
export const HyperbandSchema = mapping({
  type: z.literal('hyperband'),
  max_iter: zInt.optional(),
  min_iter: zInt.refine((v) => v >= 1, { error: 'must be ≥ 1' }).optional(),
  s: optionalNumber,
  eta: zNumber.refine((v) => toNumber(v) > 1, { error: 'must be > 1' }).optional(),
  strict: z.boolean().optional(),
}).transform((h): HyperbandConfig => ({
  type: 'hyperband',
  ...(h.min_iter !== undefined ? { min_iter: h.min_iter } : {}),
  ...(h.max_iter !== undefined ? { max_iter: h.max_iter } : {}),
  ...(h.s !== undefined ? { s: h.s } : {}),
  eta: h.eta === undefined ? 3 : toNumber(h.eta),
  strict: h.strict ?? true,
}));

/** The 2026 external-scheduler block (`scheduler.engine`), not the Launch one. */
export const EngineSchedulerSchema = mapping({
  engine: z.enum(ENGINES),
  source: z.string().optional(),
  optimizer: z.string().optional(),
  search_space: z.string().optional(),
}).transform((s): SchedulerBlock => ({ ...s }));

/** `controller:`. W&B's schema lets it have other keys; broom warns about them (see `validate.ts`). */
export const ControllerSchema = looseMapping({ type: z.enum(['local', 'cloud']) })
  .transform((c) => ({ type: c.type }));

const str = z.string().optional();

/** Every top-level key of a sweep config as W&B uploads it (Launch blocks already removed). */
export const SWEEP_CONFIG_SHAPE = {
  method: z.enum(METHODS),
  parameters: ParametersSchema.optional(),
  metric: MetricSchema.optional(),
  metrics: z.array(MetricSchema).min(2, { error: 'must list at least 2 metrics' }).optional(),
  early_terminate: HyperbandSchema.optional(),
  program: str,
  command: zList.optional(),
  run_cap: zInt.refine((v) => v > 0, { error: 'must be > 0' }).optional(),
  name: str,
  description: str,
  project: str,
  entity: str,
  job: str,
  image_uri: str,
  controller: ControllerSchema.optional(),
  scheduler: EngineSchedulerSchema.optional(),
  apiVersion: str,
  kind: z.literal('sweep').optional(),
};

/** A whole sweep config, to a filled `SweepConfig`. */
export const SweepConfigSchema = mapping(SWEEP_CONFIG_SHAPE).transform((c): SweepConfig => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (v !== undefined) out[k] = v;
  out.parameters = c.parameters ?? {};
  if (c.metrics) out.metrics = c.metrics.map((m: MetricConfig) => ({ name: m.name, goal: m.goal }));
  return out as unknown as SweepConfig;
});

/** The top-level keys W&B accepts. */
export const TOP_LEVEL_KEYS: readonly string[] = Object.keys(SWEEP_CONFIG_SHAPE);
