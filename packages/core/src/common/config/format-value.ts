import { pyFloatRepr } from '../macros/python-format.js';
import { isRecord, PyFloat, type Value } from '../values.js';

export { pyFloatRepr };

/** A number as W&B (Python) prints it: ints as ints, floats (boxed or fractional) as Python floats. */
export function pyNumber(v: number | PyFloat): string {
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
}

/** A value quoted for a message: strings in double quotes, floats as Python prints them, short JSON for the rest. */
export function showValue(v: Value | undefined, max = 60): string {
  let text: string;
  if (v === undefined) return 'nothing';
  if (v === null) text = 'null';
  else if (typeof v === 'number' || v instanceof PyFloat) text = pyNumber(v);
  else if (typeof v === 'string' || typeof v === 'boolean') text = JSON.stringify(v);
  else text = JSON.stringify(v, (_k, x: unknown) => (x instanceof PyFloat ? x.value : x));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "a string", "a mapping", …: what the user wrote, in words. */
export function typeName(v: Value | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isRecord(v)) return 'a mapping';
  if (v instanceof PyFloat) return 'a float';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a float';
  if (typeof v === 'boolean') return 'a boolean';
  return 'a string';
}

/** `"1e-5" (a string)`, `2.0 (a float)`, `null`: the value and, where it helps, its type. */
export function showValueWithType(v: Value | undefined): string {
  if (v === undefined || v === null) return showValue(v);
  if (typeof v === 'boolean') return showValue(v);
  return `${showValue(v)} (${typeName(v)})`;
}

/** `"a", "b" or "c"`: a list of names for a message. */
export function quoteList(names: readonly string[], conjunction = 'or'): string {
  const q = names.map((n) => `"${n}"`);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} ${conjunction} ${q[q.length - 1]}`;
}
