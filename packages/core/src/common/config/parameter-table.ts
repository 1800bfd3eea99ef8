import { isFloat, isInt, isRecord, toNumber, type PyFloat, type Value, type ValueRecord } from '../values.js';
import { field, fieldAccepts, own, type Field, type Fields } from './fields.js';
import { DISTRIBUTION_ORDER, type Distribution, type ParamSpec, type ParamSpecs, type Q } from './types.js';

/**
 * The 19 parameter definitions of W&B's schema (`definitions.parameter.anyOf`) as a table, in the
 * order W&B's `fill_parameter` tries them: the first that validates decides the distribution. Each
 * is strict (`additionalProperties: false`), so an extra key such as `log:` makes it fail. The
 * definitions only check shape; `min < max`, probabilities and deprecations are checked afterwards
 * (`check-parameter.ts`), as W&B does.
 *
 * This table is the one source of the definitions: `matchParameter` below walks it without zod (the
 * engine's path), `parameter-schema.ts` builds the strict validator's zod union from it, and
 * `diagnose-parameter.ts` explains a failed match with it.
 */

/** W&B's parameter-name pattern (the schema writes it with a doubled `^`). */
export const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

type Num = number | PyFloat;
/** A matched mapping: its numbers checked, its nested `parameters` already filled. */
type Raw = Record<string, never>;

/** One parameter definition: its distribution name, its keys and what each accepts, and its filled form. */
export interface ParameterForm {
  distribution: Distribution;
  /** What each key accepts, in W&B's key order. */
  fields: Fields;
  /** Every key the definition allows. */
  keys: readonly string[];
  /** Keys that must be present (`distribution` included when it cannot be inferred). */
  required: readonly string[];
  /** A check across keys, after every key passed (W&B's `param_uniform` variants). */
  refine?: { check: (v: ValueRecord) => boolean; message: string };
  /** The filled spec (W&B's defaults) of a mapping that matched. */
  build: (v: Raw) => ParamSpec;
}

const n = (v: Num): number => toNumber(v);
const n0 = (v: Num | undefined, d: number): number => (v === undefined ? d : toNumber(v));

/** The default `q` is the float 1.0; an int `q` makes results ints. */
export function toQ(v: Num | undefined): Q {
  return v === undefined ? { value: 1, isInt: false } : { value: toNumber(v), isInt: isInt(v) };
}

const { number, positive, nonNegative, int, any, optional, literal, list, arrayOf } = field;
/** `distribution:` that must be written (the form cannot be inferred without it). */
const explicit = (d: Distribution): Field => literal(d);
/** `distribution:` that may be left out (W&B infers it from the other keys). */
const implicit = (d: Distribution): Field => optional(literal(d));
const q = optional(positive);
const mu = optional(number);
const sigma = optional(nonNegative);

function form(
  distribution: Distribution,
  fields: Fields,
  build: (v: Raw) => ParamSpec,
  refine?: ParameterForm['refine'],
): ParameterForm {
  const keys = Object.keys(fields);
  return { distribution, fields, keys, required: keys.filter((k) => !fields[k].optional), build, ...(refine ? { refine } : {}) };
}

const minMax = (d: Distribution) => (v: Raw) => ({ distribution: d, min: n(v.min), max: n(v.max) }) as ParamSpec;
const minMaxQ = (d: Distribution) => (v: Raw) => ({ distribution: d, min: n(v.min), max: n(v.max), q: toQ(v.q) }) as ParamSpec;
const muSigma = (d: Distribution) => (v: Raw) => ({ distribution: d, mu: n0(v.mu, 0), sigma: n0(v.sigma, 1) }) as ParamSpec;
const muSigmaQ = (d: Distribution) => (v: Raw) =>
  ({ distribution: d, mu: n0(v.mu, 0), sigma: n0(v.sigma, 1), q: toQ(v.q) }) as ParamSpec;

const FORMS: Record<Distribution, ParameterForm> = {
  q_beta: form('q_beta', { distribution: explicit('q_beta'), a: optional(nonNegative), b: optional(nonNegative), q },
    (v) => ({ distribution: 'q_beta', a: n0(v.a, 1), b: n0(v.b, 1), q: toQ(v.q) })),
  beta: form('beta', { distribution: explicit('beta'), a: optional(nonNegative), b: optional(nonNegative) },
    (v) => ({ distribution: 'beta', a: n0(v.a, 1), b: n0(v.b, 1) })),
  categorical: form('categorical', { values: list(1), distribution: implicit('categorical') },
    (v) => ({ distribution: 'categorical', values: v.values })),
  categorical_w_probabilities: form('categorical_w_probabilities', {
    values: list(1),
    probabilities: arrayOf(nonNegative, 1, 'must have at least 1 item'),
    distribution: implicit('categorical_w_probabilities'),
  }, (v) => ({
    distribution: 'categorical_w_probabilities', values: v.values, probabilities: (v.probabilities as Num[]).map(n),
  })),
  int_uniform: form('int_uniform', { min: int, max: int, distribution: implicit('int_uniform') }, minMax('int_uniform')),
  // W&B's four `param_uniform` variants: `distribution: uniform` with any numbers, or no
  // distribution and at least one float bound (two ints were taken by int_uniform just before).
  uniform: form('uniform', { min: number, max: number, distribution: implicit('uniform') }, minMax('uniform'), {
    check: (v) => v.distribution === 'uniform' || isFloat(v.min) || isFloat(v.max),
    message: 'needs a float min or max, or distribution: uniform',
  }),
  log_normal: form('log_normal', { distribution: explicit('log_normal'), mu, sigma }, muSigma('log_normal')),
  log_uniform: form('log_uniform', { distribution: explicit('log_uniform'), min: number, max: number }, minMax('log_uniform')),
  inv_log_uniform: form('inv_log_uniform', { distribution: explicit('inv_log_uniform'), min: number, max: number },
    minMax('inv_log_uniform')),
  normal: form('normal', { distribution: explicit('normal'), mu, sigma }, muSigma('normal')),
  q_log_normal: form('q_log_normal', { distribution: explicit('q_log_normal'), mu, sigma, q }, muSigmaQ('q_log_normal')),
  q_log_uniform: form('q_log_uniform', { distribution: explicit('q_log_uniform'), min: number, max: number, q },
    minMaxQ('q_log_uniform')),
  q_normal: form('q_normal', { distribution: explicit('q_normal'), mu, sigma, q }, muSigmaQ('q_normal')),
  q_uniform: form('q_uniform', { distribution: explicit('q_uniform'), min: number, max: number, q }, minMaxQ('q_uniform')),
  constant: form('constant', { value: any, distribution: implicit('constant') },
    (v) => ({ distribution: 'constant', value: v.value })),
  inv_log_uniform_values: form('inv_log_uniform_values', { distribution: explicit('inv_log_uniform_values'), min: positive, max: number },
    minMax('inv_log_uniform_values')),
  log_uniform_values: form('log_uniform_values', { distribution: explicit('log_uniform_values'), min: positive, max: number },
    minMax('log_uniform_values')),
  q_log_uniform_values: form('q_log_uniform_values', { distribution: explicit('q_log_uniform_values'), min: positive, max: number, q },
    minMaxQ('q_log_uniform_values')),
  param_dict: form('param_dict', { parameters: field.parameters },
    (v) => ({ distribution: 'param_dict', parameters: v.parameters })),
};

/** The definitions in W&B's order. */
export const PARAMETER_FORMS: readonly ParameterForm[] = DISTRIBUTION_ORDER.map((d) => FORMS[d]);

export function parameterForm(distribution: Distribution): ParameterForm {
  return FORMS[distribution];
}

/** The distributions a user may write after `distribution:` (every definition but `param_dict`). */
export const DISTRIBUTION_NAMES: readonly string[] = DISTRIBUTION_ORDER.filter((d) => d !== 'param_dict');

/**
 * W&B's inference (`fill_parameter`): the filled spec of the first definition `raw` matches, or
 * `undefined` if none does. Plain code over the table, so the engine can run without zod.
 */
export function matchParameter(raw: Value | undefined): ParamSpec | undefined {
  if (!isRecord(raw)) return undefined;
  for (const f of PARAMETER_FORMS) {
    const spec = matchForm(f, raw);
    if (spec) return spec;
  }
  return undefined;
}

/** `parameters:` (top level or nested): a non-empty mapping of valid names to parameters that all match. */
export function matchParameters(raw: Value | undefined): ParamSpecs | undefined {
  if (!isRecord(raw)) return undefined;
  const names = Object.keys(raw);
  if (names.length === 0) return undefined;
  const out: ParamSpecs = {};
  for (const name of names) {
    if (!PARAMETER_NAME.test(name)) return undefined;
    const spec = matchParameter(raw[name]);
    if (!spec) return undefined;
    out[name] = spec;
  }
  return out;
}

function matchForm(f: ParameterForm, raw: ValueRecord): ParamSpec | undefined {
  for (const key of Object.keys(raw)) if (!Object.hasOwn(f.fields, key)) return undefined;
  let v: ValueRecord = raw;
  for (const key of f.keys) {
    const fk = f.fields[key];
    const x = own(raw, key);
    if (fk.kind === 'parameters') {
      const children = matchParameters(x);
      if (!children) return undefined;
      v = { ...raw, [key]: children as unknown as Value };
    } else if (!fieldAccepts(fk, x)) return undefined;
  }
  if (f.refine && !f.refine.check(raw)) return undefined;
  return f.build(v as Raw);
}
