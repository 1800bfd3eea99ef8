import { PyFloat, isRecord, type Value } from '../values.js';

/**
 * The identity of a value as W&B's grid search sees it (md5 of a sorted-keys YAML dump, spec §3.1),
 * written as a canonical string: whole-number floats equal ints (`3e6` ≡ `3000000`, `PyFloat(3)` ≡
 * `3`), a bool is not an int, arrays are ordered, dict key order does not matter, NaN equals NaN,
 * strings compare exactly. Two values have the same key exactly when W&B treats them as the same.
 */
export function valueKey(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return numberKey(value);
  if (value instanceof PyFloat) return numberKey(value.value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(valueKey).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort(compareCodePoints);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${valueKey(value[k])}`).join(',')}}`;
  }
  throw new TypeError(`Not a sweep value: ${String(value)}`);
}

function numberKey(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x); // String(-0) is '0'; whole floats print as ints
}

/** Python's `==` on sweep values: numbers by value (so `True == 1` and `1 == 1.0`), NaN ≠ NaN. */
export function pyEquals(a: Value, b: Value): boolean {
  const na = pyNumber(a);
  const nb = pyNumber(b);
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined && na === nb;
  if (a === null || b === null) return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && pyEquals(a[k], b[k]));
  }
  return false;
}

function pyNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  return undefined;
}

/** A deep copy (boxed floats stay boxed), so proposals never share objects with the sweep config. */
export function cloneValue<T extends Value>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  if (value instanceof PyFloat) return new PyFloat(value.value) as T;
  if (isRecord(value)) {
    const out: { [key: string]: Value } = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneValue(v);
    return out as T;
  }
  return value;
}

/** Python's `sorted` order on strings: by Unicode code point (not UTF-16 unit, as `<` compares). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}
