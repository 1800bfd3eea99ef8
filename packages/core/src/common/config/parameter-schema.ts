import { z } from 'zod';
import { isFloat, isInt, isRecord, toNumber, type PyFloat, type Value } from '../values.js';
import { DISTRIBUTION_ORDER, type Distribution, type ParamSpec, type ParamSpecs, type Q } from './types.js';
import { mapping, zInt, zList, zNonNegative, zNumber, zPositive, zValue } from './value-schemas.js';

/**
 * The 19 parameter definitions of W&B's schema (`definitions.parameter.anyOf`), in the order W&B's
 * `fill_parameter` tries them: the first that validates decides the distribution. Each is strict
 * (`additionalProperties: false`), so an extra key such as `log:` makes it fail. The definitions
 * only check shape; `min < max`, probabilities and deprecations are checked afterwards
 * (`check-parameter.ts`), as W&B does.
 */

/** W&B's parameter-name pattern (the schema writes it with a doubled `^`). */
export const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** One parameter definition: its distribution name, the keys it allows, and its zod schema. */
export interface ParameterDefinition {
  distribution: Distribution;
  /** Every key the definition allows. */
  keys: readonly string[];
  /** Keys that must be present (`distribution` included when it cannot be inferred). */
  required: readonly string[];
  /** The zod schema of each key, to explain a failure key by key. */
  shape: Readonly<z.ZodRawShape>;
  schema: z.ZodType<ParamSpec>;
}

type Num = number | PyFloat;
const n = (v: Num): number => toNumber(v);
const n0 = (v: Num | undefined, d: number): number => (v === undefined ? d : toNumber(v));

/** The default `q` is the float 1.0; an int `q` makes results ints. */
export function toQ(v: Num | undefined): Q {
  return v === undefined ? { value: 1, isInt: false } : { value: toNumber(v), isInt: isInt(v) };
}

const implicit = <N extends string>(name: N) => z.literal(name).optional();
const q = zPositive.optional();
const mu = zNumber.optional();
const sigma = zNonNegative.optional();

function def(
  distribution: Distribution,
  shape: z.ZodRawShape,
  required: readonly string[],
  build: (v: Record<string, never>) => ParamSpec,
  refine?: { check: (v: Record<string, Value>) => boolean; message: string },
): ParameterDefinition {
  let schema: z.ZodType = mapping(shape);
  if (refine) schema = schema.refine((v) => refine.check(v as Record<string, Value>), { error: refine.message });
  return {
    distribution,
    keys: Object.keys(shape),
    required,
    shape,
    schema: schema.transform((v) => build(v as Record<string, never>)) as unknown as z.ZodType<ParamSpec>,
  };
}

type Raw = Record<string, never>;
const minMax = (d: Distribution) => (v: Raw) => ({ distribution: d, min: n(v.min), max: n(v.max) }) as ParamSpec;
const minMaxQ = (d: Distribution) => (v: Raw) => ({ distribution: d, min: n(v.min), max: n(v.max), q: toQ(v.q) }) as ParamSpec;
const muSigma = (d: Distribution) => (v: Raw) => ({ distribution: d, mu: n0(v.mu, 0), sigma: n0(v.sigma, 1) }) as ParamSpec;
const muSigmaQ = (d: Distribution) => (v: Raw) =>
  ({ distribution: d, mu: n0(v.mu, 0), sigma: n0(v.sigma, 1), q: toQ(v.q) }) as ParamSpec;

/** `parameters:` (top level or nested): a non-empty mapping of valid names to parameters. */
export const ParametersSchema: z.ZodType<ParamSpecs> = z.lazy(() =>
  z.custom<Record<string, unknown>>((v) => isRecord(v), { error: 'must be a mapping' })
    .pipe(
      z.record(
        z.string().regex(PARAMETER_NAME, { error: 'must match ^[A-Za-z_][A-Za-z0-9_.-]*$' }),
        ParameterSchema,
      ),
    )
    .refine((o) => Object.keys(o).length > 0, { error: 'must define at least one parameter' }),
) as z.ZodType<ParamSpecs>;

const DEFINITIONS: Record<Distribution, ParameterDefinition> = {
  q_beta: def('q_beta', { distribution: z.literal('q_beta'), a: zNonNegative.optional(), b: zNonNegative.optional(), q },
    ['distribution'], (v) => ({ distribution: 'q_beta', a: n0(v.a, 1), b: n0(v.b, 1), q: toQ(v.q) })),
  beta: def('beta', { distribution: z.literal('beta'), a: zNonNegative.optional(), b: zNonNegative.optional() },
    ['distribution'], (v) => ({ distribution: 'beta', a: n0(v.a, 1), b: n0(v.b, 1) })),
  categorical: def('categorical', { values: zList.refine((l) => l.length >= 1, { error: 'must have at least 1 item' }), distribution: implicit('categorical') },
    ['values'], (v) => ({ distribution: 'categorical', values: v.values })),
  categorical_w_probabilities: def('categorical_w_probabilities', {
    values: zList.refine((l) => l.length >= 1, { error: 'must have at least 1 item' }),
    probabilities: z.array(zNonNegative).min(1, { error: 'must have at least 1 item' }),
    distribution: implicit('categorical_w_probabilities'),
  }, ['values', 'probabilities'], (v) => ({
    distribution: 'categorical_w_probabilities', values: v.values, probabilities: (v.probabilities as Num[]).map(n),
  })),
  int_uniform: def('int_uniform', { min: zInt, max: zInt, distribution: implicit('int_uniform') },
    ['min', 'max'], minMax('int_uniform')),
  // W&B's four `param_uniform` variants: `distribution: uniform` with any numbers, or no
  // distribution and at least one float bound (two ints were taken by int_uniform just before).
  uniform: def('uniform', { min: zNumber, max: zNumber, distribution: implicit('uniform') }, ['min', 'max'], minMax('uniform'), {
    check: (v) => v.distribution === 'uniform' || isFloat(v.min) || isFloat(v.max),
    message: 'needs a float min or max, or distribution: uniform',
  }),
  log_normal: def('log_normal', { distribution: z.literal('log_normal'), mu, sigma }, ['distribution'], muSigma('log_normal')),
  log_uniform: def('log_uniform', { distribution: z.literal('log_uniform'), min: zNumber, max: zNumber },
    ['distribution', 'min', 'max'], minMax('log_uniform')),
  inv_log_uniform: def('inv_log_uniform', { distribution: z.literal('inv_log_uniform'), min: zNumber, max: zNumber },
    ['distribution', 'min', 'max'], minMax('inv_log_uniform')),
  normal: def('normal', { distribution: z.literal('normal'), mu, sigma }, ['distribution'], muSigma('normal')),
  q_log_normal: def('q_log_normal', { distribution: z.literal('q_log_normal'), mu, sigma, q }, ['distribution'], muSigmaQ('q_log_normal')),
  q_log_uniform: def('q_log_uniform', { distribution: z.literal('q_log_uniform'), min: zNumber, max: zNumber, q },
    ['distribution', 'min', 'max'], minMaxQ('q_log_uniform')),
  q_normal: def('q_normal', { distribution: z.literal('q_normal'), mu, sigma, q }, ['distribution'], muSigmaQ('q_normal')),
  q_uniform: def('q_uniform', { distribution: z.literal('q_uniform'), min: zNumber, max: zNumber, q },
    ['distribution', 'min', 'max'], minMaxQ('q_uniform')),
  constant: def('constant', { value: zValue, distribution: implicit('constant') }, ['value'],
    (v) => ({ distribution: 'constant', value: v.value })),
  inv_log_uniform_values: def('inv_log_uniform_values', { distribution: z.literal('inv_log_uniform_values'), min: zPositive, max: zNumber },
    ['distribution', 'min', 'max'], minMax('inv_log_uniform_values')),
  log_uniform_values: def('log_uniform_values', { distribution: z.literal('log_uniform_values'), min: zPositive, max: zNumber },
    ['distribution', 'min', 'max'], minMax('log_uniform_values')),
  q_log_uniform_values: def('q_log_uniform_values', { distribution: z.literal('q_log_uniform_values'), min: zPositive, max: zNumber, q },
    ['distribution', 'min', 'max'], minMaxQ('q_log_uniform_values')),
  param_dict: def('param_dict', { parameters: ParametersSchema }, ['parameters'],
    (v) => ({ distribution: 'param_dict', parameters: v.parameters })),
};

/** The definitions in W&B's order. */
export const PARAMETER_DEFINITIONS: readonly ParameterDefinition[] = DISTRIBUTION_ORDER.map((d) => DEFINITIONS[d]);

export function parameterDefinition(distribution: Distribution): ParameterDefinition {
  return DEFINITIONS[distribution];
}

/** One parameter: the first of the 19 definitions that validates (zod's union keeps the first success). */
export const ParameterSchema: z.ZodType<ParamSpec> = z.lazy(() =>
  z.union(PARAMETER_DEFINITIONS.map((d) => d.schema) as [z.ZodType<ParamSpec>, ...z.ZodType<ParamSpec>[]]),
);

/** The distributions a user may write after `distribution:` (every definition but `param_dict`). */
export const DISTRIBUTION_NAMES: readonly string[] = DISTRIBUTION_ORDER.filter((d) => d !== 'param_dict');

/** W&B's inference: the filled spec of a raw parameter, or `undefined` if no definition matches. */
export function matchParameter(raw: Value): ParamSpec | undefined {
  if (!isRecord(raw)) return undefined;
  const r = ParameterSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}
