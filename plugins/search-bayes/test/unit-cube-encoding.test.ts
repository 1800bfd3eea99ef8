import { cdf, PyFloat, type ParamSpecs } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { encodeValue, isPythonFalsy, UnitCubeEncoding } from '../src/index.js';

const parameters: ParamSpecs = {
  z: { distribution: 'uniform', min: -1, max: 1 },
  cat: { distribution: 'categorical', values: ['a', 'b', 'c', 'd'] },
  k: { distribution: 'constant', value: 'fixed' },
  opt: {
    distribution: 'param_dict',
    parameters: {
      lr: { distribution: 'log_uniform_values', min: 1e-4, max: 1 },
      n: { distribution: 'int_uniform', min: 1, max: 4 },
      flag: { distribution: 'categorical', values: [true, false] },
    },
  },
  w: { distribution: 'categorical_w_probabilities', values: ['x', 'y', 'z'], probabilities: [0.5, 0.3, 0.2] },
};
const encoding = new UnitCubeEncoding(parameters);

describe('UnitCubeEncoding', () => {
  it("has one dimension per searchable leaf, in W&B's sorted order, constants excluded", () => {
    expect(encoding.dimensions.map((p) => p.name)).toEqual(['cat', 'opt.flag', 'opt.lr', 'opt.n', 'w', 'z']);
    expect(encoding.size).toBe(6);
  });

  it('maps values through the CDFs; categoricals by index (i+1)/n, with probabilities cumulated', () => {
    const u = encoding.encode({ z: 0.5, cat: 'c', k: 'fixed', opt: { lr: 0.01, n: 3, flag: true }, w: 'y' });
    expect(u[0]).toBe(3 / 4);
    expect(u[1]).toBe(1 / 2);
    expect(u[2]).toBeCloseTo(0.5, 12);
    expect(u[3]).toBe(3 / 4);
    expect(u[4]).toBeCloseTo(0.8, 12);
    expect(u[5]).toBe(0.75);
  });

  it("keeps W&B's quirk: falsy values (0, false, '', null, missing) are a raw 0 before the CDF", () => {
    const u = encoding.encode({ z: 0, cat: 'a', opt: { lr: 0.01, n: 0, flag: false } });
    expect(u[5]).toBe(0.5); // uniform cdf(0) on [-1, 1]: harmless
    expect(u[1]).toBe(1 / 2); // false is index 1, but is encoded as index 0 (like true)
    expect(u[3]).toBe(0); // int_uniform cdf(0) on [1, 4]
    expect(u[4]).toBe(0.5); // missing categorical_w_probabilities: index 0
    const missing = encoding.encode({});
    expect(Array.from(missing)).toEqual([1 / 4, 1 / 2, 0, 0, 0.5, 0.5]);
    for (const v of [0, new PyFloat(0), false, '', null, undefined, [], {}]) expect(isPythonFalsy(v)).toBe(true);
    for (const v of [1, NaN, true, 'a', [0], { a: 0 }]) expect(isPythonFalsy(v)).toBe(false);
  });

  it("throws W&B's message for a categorical value outside the list", () => {
    expect(() => encoding.encode({ cat: 'zzz' })).toThrow('"zzz" is not a permitted value of the categorical hyperparameter cat in the current sweep.');
  });

  it('leaves a NaN CDF at 0', () => {
    const z = encoding.dimensions.find((p) => p.name === 'z')!;
    expect(Number.isNaN(cdf(z.spec, NaN))).toBe(true);
    expect(encodeValue(z, NaN)).toBe(0);
  });

  it('decodes through the inverse CDFs, nesting and passing constants through', () => {
    const c = encoding.decode([0.99, 0.2, 0.5, 0.6, 0.9, 0.25]);
    expect(c).toEqual({
      cat: 'd',
      k: 'fixed',
      opt: { flag: true, lr: expect.closeTo(0.01, 12), n: 3 },
      w: 'z',
      z: -0.5,
    });
    // Round trip through the encoding for continuous parameters.
    expect(encoding.encode(c)[2]).toBeCloseTo(0.5, 12);
  });
});
