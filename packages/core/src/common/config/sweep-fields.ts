import { toNumber, type PyFloat } from '../values.js';
import { field, type Field, type Fields } from './fields.js';
import { METHODS, type HyperbandConfig, type MetricConfig, type SchedulerBlock, type SweepConfig } from './types.js';

/*
 * W&B's sweep config schema (wandb/sweeps `config/schema.json`, 2026) as a zod-free table: every
 * top-level key of spec §1.1, strict mappings everywhere W&B has `additionalProperties: false`, and
 * the functions that fill W&B's defaults. `schema.ts` builds the strict validator's zod schemas from
 * it; the engine's lenient `fillConfig` reads it with `fieldIssues` and `fillField`. The rules JSON
 * Schema cannot express (cross-key rules, hyperband's "min_iter, or max_iter and s", min < max) live
 * in `rules.ts` and `check-parameter.ts`; the Launch-only blocks in `launch-fields.ts`.
 */

export const GOALS = ['minimize', 'maximize'] as const;
export const IMPUTES = ['latest', 'best', 'worst'] as const;
export const IMPUTES_WHILE_RUNNING = ['latest', 'best', 'worst', 'false'] as const;
export const ENGINES = ['optuna', 'ax', 'wandb'] as const;

const { string, number, int, boolean, list, oneOf, literal, optional, mapping, looseMapping, arrayOf, intWhere, numberWhere } = field;
const str = optional(string);
type Num = number | PyFloat;

/** `metric:` (and each item of `metrics:`), with W&B's defaults filled. */
export const METRIC_FIELD: Field = mapping({
  name: string,
  goal: optional(oneOf(GOALS)),
  target: optional(number),
  impute: optional(oneOf(IMPUTES)),
  impute_while_running: optional(oneOf(IMPUTES_WHILE_RUNNING)),
}, (m): MetricConfig => ({
  name: m.name as string,
  goal: (m.goal as MetricConfig['goal'] | undefined) ?? 'minimize',
  ...(m.target !== undefined ? { target: toNumber(m.target as Num) } : {}),
  impute: (m.impute as MetricConfig['impute'] | undefined) ?? 'worst',
  impute_while_running: (m.impute_while_running as MetricConfig['impute_while_running'] | undefined) ?? 'false',
}));

/** `early_terminate:` (hyperband only), with eta 3 and strict true by default. */
export const HYPERBAND_FIELD: Field = mapping({
  type: literal('hyperband'),
  max_iter: optional(int),
  min_iter: optional(intWhere((v) => v >= 1, 'must be ≥ 1')),
  s: optional(number),
  eta: optional(numberWhere((v) => v > 1, 'must be > 1')),
  strict: optional(boolean),
}, (h): HyperbandConfig => ({
  type: 'hyperband',
  ...(h.min_iter !== undefined ? { min_iter: h.min_iter as number } : {}),
  ...(h.max_iter !== undefined ? { max_iter: h.max_iter as number } : {}),
  ...(h.s !== undefined ? { s: toNumber(h.s as Num) } : {}),
  eta: h.eta === undefined ? 3 : toNumber(h.eta as Num),
  strict: (h.strict as boolean | undefined) ?? true,
}));

/** The 2026 external-scheduler block (`scheduler.engine`), not the Launch one. */
export const ENGINE_SCHEDULER_FIELD: Field = mapping({
  engine: oneOf(ENGINES),
  source: str,
  optimizer: str,
  search_space: str,
}, (s): SchedulerBlock => ({ ...s }));

/** `controller:`. W&B's schema lets it have other keys; broom warns about them (see `validate.ts`). */
export const CONTROLLER_FIELD: Field = looseMapping({ type: oneOf(['local', 'cloud']) }, (c) => ({ type: c.type }));

/** Every top-level key of a sweep config as W&B uploads it (Launch blocks already removed). */
export const SWEEP_CONFIG_FIELDS: Fields = {
  method: oneOf(METHODS),
  parameters: optional(field.parameters),
  metric: optional(METRIC_FIELD),
  metrics: optional(arrayOf(METRIC_FIELD, 2, 'must list at least 2 metrics')),
  early_terminate: optional(HYPERBAND_FIELD),
  program: str,
  command: optional(list()),
  run_cap: optional(intWhere((v) => v > 0, 'must be > 0')),
  name: str,
  description: str,
  project: str,
  entity: str,
  job: str,
  image_uri: str,
  controller: optional(CONTROLLER_FIELD),
  scheduler: optional(ENGINE_SCHEDULER_FIELD),
  apiVersion: str,
  kind: optional(literal('sweep')),
};

/** A whole sweep config, to a filled `SweepConfig` (its parameters filled by the caller). */
export const SWEEP_CONFIG_FIELD: Field = mapping(SWEEP_CONFIG_FIELDS, (c): SweepConfig => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (v !== undefined) out[k] = v;
  out.parameters = c.parameters ?? {};
  if (c.metrics) out.metrics = (c.metrics as unknown as MetricConfig[]).map((m) => ({ name: m.name, goal: m.goal }));
  return out as unknown as SweepConfig;
});

/** The top-level keys W&B accepts. */
export const TOP_LEVEL_KEYS: readonly string[] = Object.keys(SWEEP_CONFIG_FIELDS);
