/**
 * Values as W&B's Python engine sees them. JavaScript has one number type; Python has two, and W&B
 * tells them apart (`{min: 0.0, max: 1.0}` is uniform, `{min: 0, max: 1}` int_uniform; a float `1.0`
 * is formatted `1.0` on the command line). A non-integral JS number is a float, an integral one is an
 * int, and a float whose value happens to be whole (`1.0`, `3e6`) is boxed as a {@link PyFloat}.
 */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  /** JSON.stringify writes the plain number; use `stringifyJson` to keep `1.0`. */
  toJSON(): number {
    return this.value;
  }
}

export type Value = null | boolean | number | string | PyFloat | Value[] | { [key: string]: Value };
export type ValueRecord = { [key: string]: Value };

export function isPyFloat(v: unknown): v is PyFloat {
  return v instanceof PyFloat;
}

/** A number as W&B would see it: true for JS numbers and boxed floats. */
export function isNumeric(v: unknown): v is number | PyFloat {
  return typeof v === 'number' || v instanceof PyFloat;
}

/** Python `int`: an integral JS number that is not boxed as a float. */
export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Python `float`: a non-integral number, a non-finite number or a boxed whole float. */
export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

export function toNumber(v: number | PyFloat): number {
  return typeof v === 'number' ? v : v.value;
}

/** A float result: boxed when whole so that it stays a float on output. */
export function makeFloat(x: number): number | PyFloat {
  return Number.isInteger(x) ? new PyFloat(x) : x;
}

export function isRecord(v: unknown): v is ValueRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat);
}

/** Replace boxed floats by plain numbers, deeply (for callers that do not care about the distinction). */
export function unbox(v: Value): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(unbox);
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = unbox(x);
    return out;
  }
  return v;
}
