import { describe, expect, it } from 'vitest';
import { jsonDumps, pyFloatRepr, pyRepr, pyStr, pyStrRepr } from '../../../src/common/macros/python-format.js';
import { PyFloat } from '../../../src/common/values.js';

describe('pyFloatRepr', () => {
  it.each([
    [0.001, '0.001'],
    [0.0001, '0.0001'],
    [1e-5, '1e-05'],
    [1e-7, '1e-07'],
    [1.5e-7, '1.5e-07'],
    [0.1 + 0.2, '0.30000000000000004'],
    [2.5, '2.5'],
    [-0.75, '-0.75'],
    [123456789, '123456789.0'],
    [123456789012345, '123456789012345.0'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.2345e16, '1.2345e+16'],
    [1e22, '1e+22'],
    [-1e100, '-1e+100'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [0, '0.0'],
    [-0, '-0.0'],
    [Number.NaN, 'nan'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NEGATIVE_INFINITY, '-inf'],
  ])('%s -> %s', (x, expected) => {
    expect(pyFloatRepr(x)).toBe(expected);
  });
});

describe('pyStr', () => {
  it('formats numbers by Python kind', () => {
    expect(pyStr(0.001)).toBe('0.001');
    expect(pyStr(1e-5)).toBe('1e-05');
    expect(pyStr(new PyFloat(1e16))).toBe('1e+16');
    expect(pyStr(new PyFloat(3))).toBe('3.0');
    expect(pyStr(new PyFloat(1))).toBe('1.0');
    expect(pyStr(new PyFloat(-0))).toBe('-0.0');
    expect(pyStr(new PyFloat(123456789))).toBe('123456789.0');
    expect(pyStr(Number.NaN)).toBe('nan');
    expect(pyStr(Number.NEGATIVE_INFINITY)).toBe('-inf');
    expect(pyStr(3)).toBe('3');
    expect(pyStr(-42)).toBe('-42');
    // an integral JS number is a Python int: no exponent form, and no negative zero
    expect(pyStr(1e21)).toBe('1000000000000000000000');
    expect(pyStr(-0)).toBe('0');
  });

  it('formats True/False/None and strings', () => {
    expect(pyStr(true)).toBe('True');
    expect(pyStr(false)).toBe('False');
    expect(pyStr(null)).toBe('None');
    expect(pyStr("it's a 'test'")).toBe("it's a 'test'");
    expect(pyStr('')).toBe('');
  });

  it('formats lists and dicts with repr items', () => {
    expect(pyStr([1, 'a', 2.5, true])).toBe("[1, 'a', 2.5, True]");
    expect(pyStr([])).toBe('[]');
    expect(pyStr({})).toBe('{}');
    expect(pyStr([null, false, new PyFloat(2), [1, [2]]])).toBe('[None, False, 2.0, [1, [2]]]');
    expect(pyStr({ lr: 0.01, nadam: { beta: 0.9 } })).toBe("{'lr': 0.01, 'nadam': {'beta': 0.9}}");
    expect(pyStr({ z: 1, a: [new PyFloat(1), 1e-5] })).toBe("{'z': 1, 'a': [1.0, 1e-05]}");
    expect(pyStr({ "it's": 'x' })).toBe(`{"it's": 'x'}`);
  });
});

describe('pyStrRepr', () => {
  it.each([
    ['a', "'a'"],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
    [`both ' "`, `'both \\' "'`],
    ['back\\slash', "'back\\\\slash'"],
    ['tab\tnl\ncr\r', "'tab\\tnl\\ncr\\r'"],
    ['\x00\x1f\x7f', "'\\x00\\x1f\\x7f'"],
    ['é😀', "'é😀'"],
    ['\xa0\u200b\u2028', "'\\xa0\\u200b\\u2028'"],
    ['\ud800', "'\\ud800'"],
  ])('%j', (s, expected) => {
    expect(pyStrRepr(s)).toBe(expected);
  });

  it('is what pyRepr uses for strings only', () => {
    expect(pyRepr('x')).toBe("'x'");
    expect(pyRepr(1)).toBe('1');
    expect(pyRepr([`it's`])).toBe(`["it's"]`);
  });
});

describe('jsonDumps', () => {
  it('uses Python separators, float repr and key order', () => {
    expect(jsonDumps({ lr: 0.01, epochs: 10, f: new PyFloat(1), g: 1e-5, h: 1e16 })).toBe(
      '{"lr": 0.01, "epochs": 10, "f": 1.0, "g": 1e-05, "h": 10000000000000000}',
    );
    expect(jsonDumps({ b: true, n: null, l: [1, { x: null }], e: {}, a: [] })).toBe(
      '{"b": true, "n": null, "l": [1, {"x": null}], "e": {}, "a": []}',
    );
    expect(jsonDumps({ z: 1, a: 2 })).toBe('{"z": 1, "a": 2}');
  });

  it('writes NaN and infinities as Python does', () => {
    expect(jsonDumps([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])).toBe(
      '[NaN, Infinity, -Infinity]',
    );
  });

  it('escapes non-ASCII and control characters (ensure_ascii)', () => {
    expect(jsonDumps({ a: 'é😀\x7f\x00\u2028', 'ключ': 'q"\\\n\t\b\f\r' })).toBe(
      '{"a": "\\u00e9\\ud83d\\ude00\\u007f\\u0000\\u2028", "\\u043a\\u043b\\u044e\\u0447": "q\\"\\\\\\n\\t\\b\\f\\r"}',
    );
  });
});
