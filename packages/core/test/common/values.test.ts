import { describe, expect, it } from 'vitest';
import { PyFloat, isFloat, isInt, makeFloat, unbox } from '../../src/common/values.js';

describe('values', () => {
  it('tells Python ints from floats', () => {
    expect(isInt(1)).toBe(true);
    expect(isInt(new PyFloat(1))).toBe(false);
    expect(isFloat(new PyFloat(1))).toBe(true);
    expect(isFloat(0.5)).toBe(true);
    expect(isFloat(3)).toBe(false);
    expect(makeFloat(2)).toBeInstanceOf(PyFloat);
    expect(makeFloat(2.5)).toBe(2.5);
    expect(unbox({ a: [new PyFloat(3), 1.5] })).toEqual({ a: [3, 1.5] });
  });
});
