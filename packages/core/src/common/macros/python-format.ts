import { PyFloat, isRecord, type Value } from '../values.js';

/**
 * Python's text forms of W&B values, as the agent puts them on a command line: `str()` for
 * `--name=value`, `repr()` inside containers and `json.dumps()` for `${args_json}`.
 *
 * Numbers follow {@link PyFloat}'s rule: an integral JS number is an `int`, anything else (and a
 * boxed whole float) a `float`. Dict keys come out in the object's own order, which for a plain JS
 * object puts integer-like keys ("1", "2") first.
 */

/**
 * Python's `repr(float)`: the shortest digits that round-trip (as JS), laid out as Python does:
 * exponent form when the decimal exponent is < -4 or >= 16 (`1e-05`, `1.5e+16`), otherwise fixed
 * with at least one fractional digit (`0.0001`, `3.0`, `123456789012345.0`); `inf`, `-inf`, `nan`.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const { digits, exp } = shortestDigits(Math.abs(x));
  if (exp < -4 || exp >= 16) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/**
 * Significant digits (no leading or trailing zeros) and decimal exponent of a positive finite
 * number, taken from `String(x)`, whose digits are the shortest round-trip ones with ties broken
 * towards the closer value, as Python's `repr` does.
 */
function shortestDigits(x: number): { digits: string; exp: number } {
  const [mantissa, e = '0'] = String(x).split('e');
  const [intPart, fracPart = ''] = mantissa.split('.');
  let all = intPart + fracPart;
  let point = intPart.length + Number(e);
  const lead = /^0*/.exec(all)![0].length;
  all = all.slice(lead).replace(/0+$/, '');
  point -= lead;
  return { digits: all, exp: point - 1 };
}

/** Python `str(int)`: every digit, never exponent form (`1e21` is an int of 22 digits). */
function pyIntStr(x: number): string {
  return BigInt(x).toString();
}

function pyNumber(x: number, float: boolean): string {
  return float || !Number.isInteger(x) ? pyFloatRepr(x) : pyIntStr(x);
}

const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/**
 * Python `repr(str)`: single quotes unless the text holds a `'` and no `"`; backslash, the quote,
 * `\t`, `\n`, `\r` escaped; other control characters as `\xhh`; non-ASCII kept when printable,
 * else `\xhh`, `\uhhhh` or `\Uhhhhhhhh`.
 */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code < 0x7f || !NON_PRINTABLE.test(ch)) out += ch;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return out + quote;
}

/** Python `repr()` of a value: strings quoted, containers as `[...]` and `{'k': v}`. */
export function pyRepr(v: Value): string {
  if (typeof v === 'string') return pyStrRepr(v);
  return pyStr(v);
}

/** Python `str()` of a value: a string as is, `True`/`False`/`None`, containers via `repr` of their items. */
export function pyStr(v: Value): string {
  if (v === null) return 'None';
  if (v instanceof PyFloat) return pyNumber(v.value, true);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isRecord(v)) {
    return `{${Object.entries(v)
      .map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  }
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'True' : 'False';
    case 'number':
      return pyNumber(v, false);
    default:
      throw new TypeError(`Cannot format ${typeof v} as a Python value`);
  }
}

/** Python `json.dumps` string escaping with `ensure_ascii=True` (UTF-16 units, lowercase hex). */
function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else out += `\\u${hex(code, 4)}`;
  }
  return out + '"';
}

function jsonNumber(x: number, float: boolean): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  return pyNumber(x, float);
}

/**
 * Python `json.dumps(v)` with its defaults: separators `", "` and `": "`, `ensure_ascii=True`,
 * floats as `repr` (`1.0`, `1e-05`), `NaN`/`Infinity`/`-Infinity`, keys in object order.
 */
export function jsonDumps(v: Value): string {
  if (v === null) return 'null';
  if (v instanceof PyFloat) return jsonNumber(v.value, true);
  if (Array.isArray(v)) return `[${v.map(jsonDumps).join(', ')}]`;
  if (isRecord(v)) {
    return `{${Object.entries(v)
      .map(([k, x]) => `${jsonString(k)}: ${jsonDumps(x)}`)
      .join(', ')}}`;
  }
  switch (typeof v) {
    case 'string':
      return jsonString(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return jsonNumber(v, false);
    default:
      throw new TypeError(`Object of type ${typeof v} is not JSON serializable`);
  }
}
