import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/common/json/json-reader.js';
import { stringifyJson } from '../../../src/common/json/json-writer.js';
import { PyFloat } from '../../../src/common/values.js';

describe('parseJson', () => {
  it('keeps floats written with a point or an exponent', () => {
    const v = parseJson('{"a": 1, "b": 1.0, "c": 3e6, "d": 0.5, "e": -2}') as Record<string, unknown>;
    expect(v.a).toBe(1);
    expect(v.b).toEqual(new PyFloat(1));
    expect(v.c).toEqual(new PyFloat(3e6));
    expect(v.d).toBe(0.5);
    expect(v.e).toBe(-2);
  });
  it("accepts Python's NaN and Infinity tokens", () => {
    const v = parseJson('[NaN, Infinity, -Infinity]') as number[];
    expect(Number.isNaN(v[0])).toBe(true);
    expect(v[1]).toBe(Infinity);
    expect(v[2]).toBe(-Infinity);
  });
  it('reads strings with escapes and keeps __proto__ as a plain key', () => {
    const v = parseJson('{"s": "a\\"b\\u00e9\\n", "__proto__": {"x": 1}}') as Record<string, unknown>;
    expect(v.s).toBe('a"bé\n');
    expect(Object.keys(v)).toEqual(['s', '__proto__']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });
  it('reports line and column of a syntax error', () => {
    expect(() => parseJson('{\n  "a": 1,\n  "b": }', 'runs.json')).toThrow(/^runs\.json:3:8: invalid JSON: unexpected character "}"/);
    expect(() => parseJson('[1, 2', 'x')).toThrow(/unexpected end of input|expected , or \]/);
    expect(() => parseJson('{"a":1} x', 'x')).toThrow(/unexpected text after/);
  });
  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(() => parseJson('['.repeat(100_000), 'deep')).toThrow(/nesting deeper/);
  });
});

describe('stringifyJson', () => {
  it('round-trips floats and non-finite numbers', () => {
    const text = '{"a":1,"b":1.0,"c":0.25,"d":NaN,"e":-Infinity,"f":[true,null,"x"]}';
    expect(stringifyJson(parseJson(text))).toBe(text);
    expect(stringifyJson({ a: [1, { b: 2 }] }, 2)).toBe('{\n  "a": [\n    1,\n    {\n      "b": 2\n    }\n  ]\n}');
  });
});
