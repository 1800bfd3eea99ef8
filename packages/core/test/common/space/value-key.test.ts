import { describe, expect, it } from 'vitest';
import { cloneValue, compareCodePoints, pyEquals, valueKey } from '../../../src/common/space/value-key.js';
import { PyFloat } from '../../../src/common/values.js';

describe('valueKey (W&B grid identity)', () => {
  it('equates whole floats with ints', () => {
    expect(valueKey(3e6)).toBe(valueKey(3000000));
    expect(valueKey(new PyFloat(3))).toBe(valueKey(3));
    expect(valueKey(new PyFloat(-0))).toBe(valueKey(0));
    expect(valueKey([new PyFloat(1), { a: new PyFloat(2) }])).toBe(valueKey([1, { a: 2 }]));
  });
  it('tells bools, ints, strings and null apart', () => {
    const keys = [true, 1, false, 0, '1', 'true', null, 'null', '', [], {}].map(valueKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
  it('matches NaN with NaN, and keeps infinities apart', () => {
    expect(valueKey(NaN)).toBe(valueKey(new PyFloat(NaN)));
    expect(new Set([NaN, Infinity, -Infinity, 0].map(valueKey)).size).toBe(4);
  });
  it('orders arrays but not dict keys', () => {
    expect(valueKey([1, 2])).not.toBe(valueKey([2, 1]));
    expect(valueKey({ a: 1, b: { c: [1], d: 'x' } })).toBe(valueKey({ b: { d: 'x', c: [1] }, a: 1 }));
    expect(valueKey({ a: 1 })).not.toBe(valueKey({ a: 1, b: null }));
  });
  it('compares strings exactly and cannot be fooled by separators', () => {
    expect(valueKey('a')).not.toBe(valueKey('A'));
    expect(valueKey(['a,b'])).not.toBe(valueKey(['a', 'b']));
    expect(valueKey({ 'a":1,"b': 2 })).not.toBe(valueKey({ a: 1, b: 2 }));
    expect(valueKey(0.1)).not.toBe(valueKey(0.10000000000000002));
  });
});

describe('pyEquals (Python ==)', () => {
  it('compares numbers by value across bool, int and float', () => {
    expect(pyEquals(true, 1)).toBe(true);
    expect(pyEquals(false, new PyFloat(0))).toBe(true);
    expect(pyEquals(1, '1')).toBe(false);
    expect(pyEquals(NaN, NaN)).toBe(false);
    expect(pyEquals(null, null)).toBe(true);
    expect(pyEquals([1, { a: 2 }], [new PyFloat(1), { a: 2 }])).toBe(true);
    expect(pyEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(pyEquals([1], { 0: 1 })).toBe(false);
  });
});

describe('helpers', () => {
  it('clones deeply, keeping boxed floats boxed', () => {
    const v = { a: [new PyFloat(1), { b: 2 }] };
    const c = cloneValue(v);
    expect(c).toEqual(v);
    expect(c.a).not.toBe(v.a);
    expect(c.a[0]).toBeInstanceOf(PyFloat);
  });
  it('sorts strings by code point, as Python does', () => {
    expect(['b', 'B', 'a_b', 'a.b', 'a', '\u{1F600}', '\uFF5E'].sort(compareCodePoints)).toEqual([
      'B', 'a', 'a.b', 'a_b', 'b', '\uFF5E', '\u{1F600}',
    ]);
  });
});
