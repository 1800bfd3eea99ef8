import {
  cdf, cloneValue, flattenParams, getPath, isRecord, nestValues, ppf, PyFloat,
  type FlatParam, type ParamSpecs, type Value, type ValueRecord,
} from '@broom/core';

/**
 * Python truthiness: `0`, `0.0`, `False`, `""`, `None`, empty lists and dicts are falsy; a missing
 * key counts as falsy too. NaN is truthy in Python, and so it is here.
 */
export function isPythonFalsy(value: Value | undefined): boolean {
  if (value === undefined || value === null || value === false || value === '') return true;
  if (typeof value === 'number') return value === 0;
  if (value instanceof PyFloat) return value.value === 0;
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value)) return Object.keys(value).length === 0;
  return false;
}

/**
 * A run's value of one searchable parameter as a coordinate of the unit cube, as W&B's bayes search
 * computes it (spec §1.4 "Bayes CDFs", §3.3 step 1):
 * - categoricals go through the value's *index* i: (i+1)/n, or the cumulated probabilities up to i
 *   when probabilities are given; a value not in the list throws W&B's "is not a permitted value";
 * - everything else through the distribution's CDF (core's `cdf`);
 * - W&B quirk, kept on purpose: a falsy value (0, false, "", null, [], {} or a missing key) is left
 *   as a raw 0 *before* the CDF. For numbers that is harmless (`cdf(0)`), but a falsy categorical
 *   value maps to index 0 whatever its real position (`values: [1, 0]` encodes 0 like 1), and a
 *   run missing the parameter is encoded as if it had 0 / the first value;
 * - a CDF that comes out NaN leaves the coordinate at 0, as W&B's NaN filter does.
 */
export function encodeValue(param: FlatParam, value: Value | undefined): number {
  const { spec, name } = param;
  let u: number;
  if (spec.distribution === 'categorical' || spec.distribution === 'categorical_w_probabilities') {
    if (isPythonFalsy(value)) {
      u = spec.distribution === 'categorical' ? 1 / spec.values.length : Math.min(1, spec.probabilities[0]);
    } else {
      u = cdf(spec, value as Value, name);
    }
  } else {
    u = cdf(spec, isPythonFalsy(value) ? 0 : (value as Value), name);
  }
  return Number.isNaN(u) ? 0 : u;
}

/**
 * The map between run configs and bayes search's unit cube: one dimension per searchable
 * (non-constant) leaf parameter, in W&B's order (sorted names, nested ones where their parent
 * sorts). Constants are not dimensions; `decode` passes them through.
 */
export class UnitCubeEncoding {
  /** The searchable parameters, one per dimension. */
  readonly dimensions: readonly FlatParam[];
  private readonly leaves: readonly FlatParam[];

  constructor(parameters: ParamSpecs) {
    this.leaves = flattenParams(parameters);
    this.dimensions = this.leaves.filter((p) => p.spec.distribution !== 'constant');
  }

  /** The number of dimensions. */
  get size(): number {
    return this.dimensions.length;
  }

  /** A run config (nested plain values) as a point of [0, 1]^d, written at `offset` of `out`. */
  encode(config: ValueRecord, out = new Float64Array(this.size), offset = 0): Float64Array {
    this.dimensions.forEach((param, i) => {
      out[offset + i] = encodeValue(param, getPath(config, param.path));
    });
    return out;
  }

  /**
   * A point of the unit cube (read from `offset`) as a nested run config: each coordinate through
   * the parameter's inverse CDF, constants included as they are.
   */
  decode(point: ArrayLike<number>, offset = 0): ValueRecord {
    let i = 0;
    const entries = this.leaves.map(({ path, spec }) => {
      if (spec.distribution === 'constant') return { path, value: cloneValue(spec.value) };
      const u = Math.min(1, Math.max(0, point[offset + i++]));
      return { path, value: cloneValue(ppf(spec, u)) };
    });
    return nestValues(entries);
  }
}
