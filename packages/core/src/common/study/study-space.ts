import type { SweepConfig } from '../config/types.js';
import { SearchError } from '../errors/broom-error.js';
import type { SamplerDistribution, SamplerSpace, SamplerValue } from '../plugin/sampler.js';
import { cdf, categoricalIndex, ppf, quantize, type LeafParamSpec } from '../space/distributions.js';
import { flattenParams, getPath, nestValues } from '../space/flatten.js';
import { isPyFloat, makeFloat, type Value, type ValueRecord } from '../values.js';

/**
 * How one W&B parameter is presented to a sampler, and how values travel both ways. Distributions
 * with an Optuna equivalent map to it (`uniform` → float, `int_uniform` → int, `log_uniform_values`
 * → float with log, `q_uniform` → float with step, categoricals → categorical); the others (normal,
 * beta, their q/log forms) become the quantile `u` ∈ [0, 1] of the W&B distribution, so the sampler
 * searches a bounded space and the W&B prior is kept: the value is `ppf(u)`.
 */
interface StudyParam {
  /** The sampler's name for it: the dotted path of a nested parameter. */
  name: string;
  path: string[];
  spec: LeafParamSpec;
  dist: SamplerDistribution;
  /** Sampler value → run config value. */
  toRun(x: SamplerValue): Value;
  /** Run config value → sampler value; `undefined` when the run's value is not in the space. */
  fromRun(v: Value): SamplerValue | undefined;
}

/** A sweep's parameters as a sampler's flat space, with the conversions both ways. */
export interface StudySpace {
  space: SamplerSpace;
  /** Parameters held constant (not in `space`), added to every proposal. */
  constants: { path: string[]; value: Value }[];
  /** The run config of a sampler's proposal. */
  toConfig(params: Record<string, SamplerValue>): ValueRecord;
  /** A run's parameters in sampler values; `null` when a value is missing or outside the space. */
  paramsOf(config: ValueRecord): Record<string, SamplerValue> | null;
}

function num(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (isPyFloat(v)) return v.value;
  return undefined;
}

/** A categorical choice as a sampler value: primitives as they are, lists and dicts by their JSON. */
function choiceOf(v: Value): SamplerValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (isPyFloat(v)) return v.value;
  return JSON.stringify(v);
}

function categorical(name: string, path: string[], spec: LeafParamSpec, values: Value[]): StudyParam {
  const choices = values.map(choiceOf);
  return {
    name, path, spec,
    dist: { type: 'categorical', choices },
    toRun: (x) => {
      const i = choices.findIndex((c) => Object.is(c, x) || c === x);
      if (i < 0) throw new SearchError('sampler-value', `The sampler proposed ${JSON.stringify(x)} for ${name}, which is not one of its choices ${JSON.stringify(choices)}.`, { name });
      return values[i];
    },
    fromRun: (v) => {
      const i = categoricalIndex(values, v);
      return i < 0 ? undefined : choices[i];
    },
  };
}

function inRange(x: number | undefined, low: number, high: number): x is number {
  return x !== undefined && Number.isFinite(x) && x >= low - 1e-12 * Math.abs(low) && x <= high + 1e-12 * Math.abs(high);
}

function numeric(name: string, path: string[], spec: LeafParamSpec, dist: SamplerDistribution & { low: number; high: number }, post: (x: number) => Value): StudyParam {
  return {
    name, path, spec, dist,
    toRun: (x) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new SearchError('sampler-value', `The sampler proposed ${JSON.stringify(x)} for ${name}, which is not a number.`, { name });
      return post(Math.min(dist.high, Math.max(dist.low, x)));
    },
    fromRun: (v) => {
      const x = num(v);
      return inRange(x, dist.low, dist.high) ? Math.min(dist.high, Math.max(dist.low, x)) : undefined;
    },
  };
}

function studyParam(name: string, path: string[], spec: LeafParamSpec): StudyParam | null {
  const float = (low: number, high: number, extra: { log?: boolean; step?: number } = {}, post: (x: number) => Value = makeFloat) =>
    numeric(name, path, spec, { type: 'float', low, high, ...extra }, post);
  switch (spec.distribution) {
    case 'constant':
      return null;
    case 'categorical':
    case 'categorical_w_probabilities':
      return categorical(name, path, spec, spec.values);
    case 'int_uniform':
      return numeric(name, path, spec, { type: 'int', low: spec.min, high: spec.max }, (x) => Math.round(x));
    case 'uniform':
      return float(spec.min, spec.max);
    case 'log_uniform_values':
    case 'inv_log_uniform_values':
      return float(spec.min, spec.max, { log: true });
    case 'log_uniform':
      return float(Math.exp(spec.min), Math.exp(spec.max), { log: true });
    case 'inv_log_uniform':
      return float(Math.exp(-spec.max), Math.exp(-spec.min), { log: true });
    case 'q_uniform': {
      const q = spec.q.value;
      const low = Math.ceil(spec.min / q - 1e-9) * q + 0;
      const high = Math.floor(spec.max / q + 1e-9) * q + 0;
      if (spec.q.isInt && Number.isInteger(low)) {
        return numeric(name, path, spec, { type: 'int', low, high, step: q }, (x) => Math.round(x));
      }
      return float(low, high, { step: q }, (x) => quantize(x, spec.q));
    }
    case 'q_log_uniform_values':
      return float(spec.min, spec.max, { log: true }, (x) => quantize(x, spec.q));
    case 'q_log_uniform':
      return float(Math.exp(spec.min), Math.exp(spec.max), { log: true }, (x) => quantize(x, spec.q));
    default: {
      // normal, log_normal, beta and their q forms: search the quantile, keep W&B's distribution.
      const p: StudyParam = {
        name, path, spec,
        dist: { type: 'float', low: 0, high: 1 },
        toRun: (x) => ppf(spec, Math.min(1, Math.max(0, Number(x)))),
        fromRun: (v) => {
          try {
            const u = cdf(spec, v, name);
            return Number.isFinite(u) ? u : undefined;
          } catch {
            return undefined;
          }
        },
      };
      return p;
    }
  }
}

/** The sampler's space for a sweep's `parameters` (nested ones flattened to dotted names). */
export function studySpace(config: SweepConfig): StudySpace {
  const params: StudyParam[] = [];
  const constants: { path: string[]; value: Value }[] = [];
  for (const flat of flattenParams(config.parameters)) {
    const p = studyParam(flat.name, flat.path, flat.spec);
    if (p) params.push(p);
    else if (flat.spec.distribution === 'constant') constants.push({ path: flat.path, value: flat.spec.value });
  }
  const space: SamplerSpace = {};
  for (const p of params) space[p.name] = p.dist;
  return {
    space,
    constants,
    toConfig(values) {
      const entries = params.map((p) => {
        if (!Object.prototype.hasOwnProperty.call(values, p.name)) {
          throw new SearchError('sampler-value', `The sampler proposed no value for ${p.name}; a sampler must return one for every parameter of the space.`, { name: p.name });
        }
        return { path: p.path, value: p.toRun(values[p.name]) };
      });
      return nestValues([...entries, ...constants]);
    },
    paramsOf(config) {
      const out: Record<string, SamplerValue> = {};
      for (const p of params) {
        const v = getPath(config, p.path);
        if (v === undefined) return null;
        const x = p.fromRun(v);
        if (x === undefined) return null;
        out[p.name] = x;
      }
      return out;
    },
  };
}
