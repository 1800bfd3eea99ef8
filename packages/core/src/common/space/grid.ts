import type { ParamSpecs } from '../config/types.js';
import { isRecord, type Value, type ValueRecord } from '../values.js';
import { flattenParams, getPath, nestValues, type FlatParam } from './flatten.js';
import { GRIDABLE, gridDimension, gridDisallowedMessage, type GridDimension } from './grid-dimension.js';
import { cloneValue, valueKey } from './value-key.js';

/** W&B's messages for every parameter a grid cannot enumerate; empty when the grid is fine. */
export function checkGridParams(params: ParamSpecs): string[] {
  return flattenParams(params)
    .filter((p) => !GRIDABLE.has(p.spec.distribution))
    .map((p) => gridDisallowedMessage(p.name));
}

/** A grid axis with the parameter it belongs to. */
export interface GridAxis extends GridDimension {
  readonly param: FlatParam;
}

const SEPARATOR = '\u0000'; // never inside a value key: JSON.stringify escapes control characters

/**
 * The cartesian product of the parameters' grid values, enumerated lazily (spec §3.1): parameters in
 * W&B's order ({@link flattenParams}), the last one varying fastest, values in listed order. A
 * grid of 10⁹ combinations costs no more than one of ten.
 */
export class Grid {
  readonly axes: readonly GridAxis[];
  /** The number of combinations, exactly. */
  readonly bigSize: bigint;
  private readonly safe: boolean;
  private readonly identityAxes: number[];

  constructor(params: ParamSpecs) {
    const problems = checkGridParams(params);
    if (problems.length > 0) throw new RangeError(problems.join('\n'));
    this.axes = flattenParams(params).map((param) => ({ ...gridDimension(param.spec, param.name), param }));
    this.bigSize = this.axes.reduce((n, a) => n * BigInt(a.size), 1n);
    this.safe = this.bigSize <= BigInt(Number.MAX_SAFE_INTEGER);
    this.identityAxes = this.axes.flatMap((a, i) => (a.constant ? [] : [i]));
  }

  /** The number of combinations (W&B's expected run count); inexact beyond 2⁵³, see `bigSize`. */
  get size(): number {
    return Number(this.bigSize);
  }

  /** The value index of each axis for a combination index (mixed radix, last axis fastest). */
  digits(index: number | bigint): number[] {
    const out = new Array<number>(this.axes.length);
    if (this.safe) {
      let rest = Number(index);
      if (!(Number.isInteger(rest) && rest >= 0 && rest < this.size)) throw outOfRange(index, this.bigSize);
      for (let d = this.axes.length - 1; d >= 0; d--) {
        const n = this.axes[d].size;
        out[d] = rest % n;
        rest = Math.floor(rest / n);
      }
      return out;
    }
    let rest = typeof index === 'bigint' ? index : BigInt(index);
    if (rest < 0n || rest >= this.bigSize) throw outOfRange(index, this.bigSize);
    for (let d = this.axes.length - 1; d >= 0; d--) {
      const n = BigInt(this.axes[d].size);
      out[d] = Number(rest % n);
      rest /= n;
    }
    return out;
  }

  /** The values of a combination, one per axis (constants included), in axis order. */
  valuesAt(index: number | bigint): Value[] {
    return this.digits(index).map((i, d) => this.axes[d].valueAt(i));
  }

  /** A combination as a nested run config (fresh objects, safe to hand out). */
  at(index: number | bigint): ValueRecord {
    const values = this.valuesAt(index);
    return nestValues(this.axes.map((a, d) => ({ path: a.param.path, value: cloneValue(values[d]) })));
  }

  /** The identity of a combination, equal to {@link keyOfValues} of its values. */
  keyAt(index: number | bigint): string {
    const digits = this.digits(index);
    return this.identityAxes.map((d) => this.axes[d].keyAt(digits[d])).join(SEPARATOR);
  }

  /**
   * The identity of a combination given one value per axis (W&B's tuple of value hashes, constants
   * left out); `null` when a value is missing, so that it never matches a grid combination. Keys of
   * a dict value that no grid value of its axis has are ignored (values injected at run time).
   */
  keyOfValues(values: readonly (Value | undefined)[]): string | null {
    const keys: string[] = [];
    for (const d of this.identityAxes) {
      const value = values[d];
      if (value === undefined) return null;
      keys.push(valueKey(strip(value, this.axes[d].dictKeys)));
    }
    return keys.join(SEPARATOR);
  }

  /** The identity of the combination a run used, read from its nested config; `null` if partial. */
  keyOfRun(config: ValueRecord): string | null {
    return this.keyOfValues(this.axes.map((a) => getPath(config, a.param.path)));
  }

  /**
   * The first combination (in grid order) whose key is not in `seen`, or `null` when every one is.
   * Each index has its own key, so this looks at most `seen.size + 1` combinations.
   */
  firstUnseen(seen: ReadonlySet<string>): number | bigint | null {
    if (this.safe) {
      for (let i = 0; i < this.size; i++) if (!seen.has(this.keyAt(i))) return i;
      return null;
    }
    for (let i = 0n; i < this.bigSize; i++) if (!seen.has(this.keyAt(i))) return i;
    return null;
  }
}

function strip(value: Value, keep: ReadonlySet<string> | null): Value {
  if (keep === null || !isRecord(value)) return value;
  const out: ValueRecord = {};
  for (const [k, v] of Object.entries(value)) if (keep.has(k)) out[k] = v;
  return out;
}

function outOfRange(index: number | bigint, size: bigint): RangeError {
  return new RangeError(`Grid index ${index} is out of range: the grid has ${size} combinations`);
}
