import { PyFloat, type Value } from '../values.js';

/**
 * JSON text that keeps Python's number kinds: a whole float is written `1.0`, and non-finite
 * numbers as `NaN`/`Infinity`/`-Infinity` (what Python's json writes and `parseJson` reads).
 */
export function stringifyJson(value: unknown, indent = 0): string {
  return write(value, indent, '');
}

function number(x: number, float: boolean): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  const s = JSON.stringify(x);
  return float && Number.isInteger(x) && !/[eE]/.test(s) ? `${s}.0` : s;
}

function write(v: unknown, indent: number, pad: string): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof PyFloat) return number(v.value, true);
  switch (typeof v) {
    case 'number':
      return number(v, false);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return JSON.stringify(v);
    case 'bigint':
      return v.toString();
    case 'object':
      break;
    default:
      return 'null';
  }
  const inner = indent ? pad + ' '.repeat(indent) : '';
  const nl = indent ? '\n' : '';
  const sep = indent ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${nl}${v.map((x) => inner + write(x, indent, inner)).join(`,${nl}`)}${nl}${pad}]`;
  }
  const entries = Object.entries(v as Record<string, Value>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{${nl}${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}${sep}${write(x, indent, inner)}`).join(`,${nl}`)}${nl}${pad}}`;
}
