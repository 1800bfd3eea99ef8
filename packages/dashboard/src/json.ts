/**
 * broom's server writes JSON as Python does: `NaN`, `Infinity` and `-Infinity` may stand as numbers
 * (a metric that diverged). `JSON.parse` refuses them, so they are swapped for marked strings outside
 * of string literals first and turned back into numbers by the reviver.
 */
const MARK = '\u0000broom:';
/** The mark as it is written inside a JSON string literal. */
const MARK_JSON = '\\u0000broom:';

export function parseApiJson(text: string): unknown {
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string literal, honouring escapes.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === 0x4e /* N */ && text.startsWith('NaN', i)) {
      out += `${text.slice(last, i)}"${MARK_JSON}NaN"`;
      i += 3;
      last = i;
      continue;
    }
    if (c === 0x49 /* I */ && text.startsWith('Infinity', i)) {
      const neg = i > 0 && text[i - 1] === '-';
      out += `${text.slice(last, neg ? i - 1 : i)}"${MARK_JSON}${neg ? '-' : ''}Infinity"`;
      i += 8;
      last = i;
      continue;
    }
    i++;
  }
  if (last === 0) return JSON.parse(text);
  out += text.slice(last);
  return JSON.parse(out, (_key, value: unknown) => {
    if (typeof value === 'string' && value.startsWith(MARK)) return Number(value.slice(MARK.length));
    return value;
  });
}
