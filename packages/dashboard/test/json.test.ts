import { describe, expect, it } from 'vitest';
import { parseApiJson } from '../src/json.js';

describe('parseApiJson', () => {
  it('reads NaN, Infinity and -Infinity as numbers, outside strings only', () => {
    expect(parseApiJson('{"a": NaN, "b": [Infinity, -Infinity, 1.5], "c": "NaN Infinity -Infinity", "d": "x\\"NaN"}')).toEqual({
      a: NaN,
      b: [Infinity, -Infinity, 1.5],
      c: 'NaN Infinity -Infinity',
      d: 'x"NaN',
    });
    expect(parseApiJson('[-Infinity,NaN]')).toEqual([-Infinity, NaN]);
    expect(parseApiJson('{"k\\\\": NaN}')).toEqual({ 'k\\': NaN });
  });

  it('is JSON.parse for plain JSON, and refuses what is not JSON', () => {
    const text = '{"a": [1, 2.5, "s", null, true], "b": {"c": "é"}}';
    expect(parseApiJson(text)).toEqual(JSON.parse(text));
    expect(() => parseApiJson('{"a": NaNa}')).toThrow();
  });
});
