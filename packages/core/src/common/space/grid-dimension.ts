import type { Distribution } from '../config/types.js';
import { isRecord, makeFloat, type Value } from '../values.js';
import type { LeafParamSpec } from './distributions.js';
import { valueKey } from './value-key.js';

/** The distributions a grid can enumerate (spec §3.1). */
export const GRIDABLE: ReadonlySet<Distribution> = new Set<Distribution>([
  'categorical', 'constant', 'int_uniform', 'q_uniform',
]);

/** W&B's message for a parameter a grid cannot enumerate (`name` is the dotted, flattened name). */
export function gridDisallowedMessage(name: string): string {
  return (
    `Parameter ${name} is a disallowed type with grid search. Grid search requires all parameters ` +
    'to be categorical, constant, int_uniform, or q_uniform. Specification of probabilities for ' +
    'categorical parameters is disallowed in grid search'
  );
}

/**
 * One axis of a grid: its distinct values, in order, without materialising long ranges. `keyAt(i)`
 * is the identity of `valueAt(i)` ({@link valueKey}); distinct positions have distinct keys.
 */
export interface GridDimension {
  readonly size: number;
  /** Constants are output but are not part of a combination's identity (as in W&B). */
  readonly constant: boolean;
  /** For dict-valued axes, every key any grid value has; other keys of a run's value are ignored. */
  readonly dictKeys: ReadonlySet<string> | null;
  valueAt(i: number): Value;
  keyAt(i: number): string;
}

/** The axis of a gridable parameter; throws for any other distribution. */
export function gridDimension(spec: LeafParamSpec, name = '?'): GridDimension {
  switch (spec.distribution) {
    case 'constant':
      return listDimension([spec.value], true);
    case 'categorical':
      return listDimension(spec.values, false);
    case 'int_uniform': {
      const min = Number(spec.min);
      const size = Math.max(0, Number(spec.max) - min + 1);
      return lazyDimension(size, (i) => min + i);
    }
    case 'q_uniform':
      return arangeDimension(Number(spec.min), Number(spec.max), spec.q.value, isIntSpec(spec.min, spec.max, spec.q.isInt));
    default:
      throw new RangeError(gridDisallowedMessage(name));
  }
}

/** Every value of a gridable parameter, as W&B's grid lists them (duplicates collapsed). */
export function gridValues(spec: LeafParamSpec): Value[] {
  const dim = gridDimension(spec);
  if (dim.size > 0xffffffff) throw new RangeError(`Too many grid values to list: ${dim.size}`);
  return Array.from({ length: dim.size }, (_, i) => dim.valueAt(i));
}

function isIntSpec(min: unknown, max: unknown, qIsInt: boolean): boolean {
  const isInt = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x);
  return qIsInt && isInt(min) && isInt(max); // a boxed float min/max (PyFloat) is not an int
}

/**
 * A listed axis with duplicates collapsed: a duplicate keeps the position of its first occurrence
 * and the value of its last (W&B builds `dict(zip(hashes, values))`, so the last value wins).
 */
function listDimension(values: readonly Value[], constant: boolean): GridDimension {
  const keys: string[] = [];
  const unique: Value[] = [];
  const position = new Map<string, number>();
  for (const value of values) {
    const key = valueKey(value);
    const at = position.get(key);
    if (at === undefined) {
      position.set(key, unique.length);
      keys.push(key);
      unique.push(value);
    } else unique[at] = value;
  }
  let dictKeys: Set<string> | null = null;
  for (const value of unique) {
    if (!isRecord(value)) continue;
    dictKeys ??= new Set();
    for (const k of Object.keys(value)) dictKeys.add(k);
  }
  return { size: unique.length, constant, dictKeys, valueAt: (i) => unique[i], keyAt: (i) => keys[i] };
}

function lazyDimension(size: number, valueAt: (i: number) => Value): GridDimension {
  return { size, constant: false, dictKeys: null, valueAt, keyAt: (i) => valueKey(valueAt(i)) };
}

/**
 * numpy's `arange(min, max, q)` (max exclusive): length ceil((max − min)/q); values start,
 * start + q, then start + i·((start + q) − start), as numpy fills float ranges.
 */
function arangeDimension(start: number, stop: number, step: number, ints: boolean): GridDimension {
  const length = Math.ceil((stop - start) / step);
  const size = Number.isFinite(length) && length > 0 ? length : 0;
  if (ints) return lazyDimension(size, (i) => start + i * step);
  const second = start + step;
  const delta = second - start;
  return lazyDimension(size, (i) => makeFloat(i === 0 ? start : i === 1 ? second : start + i * delta));
}
