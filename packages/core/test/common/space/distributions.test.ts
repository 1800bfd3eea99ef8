import { describe, expect, it } from 'vitest';
import type { ParamSpec, Q } from '../../../src/common/config/types.js';
import { type LeafParamSpec, cdf, ppf, quantize, roundHalfEven } from '../../../src/common/space/distributions.js';
import { createRandom } from '../../../src/common/space/random.js';
import { PyFloat, isFloat, isInt, toNumber, type Value } from '../../../src/common/values.js';

const qi = (value: number): Q => ({ value, isInt: true });
const qf = (value: number): Q => ({ value, isInt: false });
const num = (v: Value): number => toNumber(v as number | PyFloat);

/** `n` draws of ppf at uniform u from a seeded stream. */
function draws(spec: LeafParamSpec, n = 5000, seed = 1): Value[] {
  const r = createRandom(seed);
  return Array.from({ length: n }, () => ppf(spec, r.next()));
}

function expectAll(values: Value[], check: (v: Value) => boolean, what: string): void {
  const bad = values.filter((v) => !check(v));
  expect(bad.slice(0, 3), what).toEqual([]);
}

describe('roundHalfEven and quantize (numpy round)', () => {
  it('rounds ties to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, -2.5, -3.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -4, 2, 3]);
  });
  it('casts to int only for an int q, and keeps whole floats boxed', () => {
    expect(quantize(7.4, qi(5))).toBe(5);
    expect(quantize(-0.4, qi(1))).toBe(0);
    expect(Object.is(quantize(-0.4, qi(1)), -0)).toBe(false);
    expect(quantize(7.4, qf(5))).toEqual(new PyFloat(5));
    expect(quantize(0.33, qf(0.1))).toBeCloseTo(0.30000000000000004, 15);
  });
});

describe('ppf: range and type of every distribution', () => {
  it('constant passes the value through', () => {
    expect(ppf({ distribution: 'constant', value: { a: [1] } }, 0.7)).toEqual({ a: [1] });
  });

  it('categorical: every value, uniformly; scipy randint.ppf indices', () => {
    const values: Value[] = ['a', 2, null, [1, 2]];
    const spec: LeafParamSpec = { distribution: 'categorical', values };
    const counts = new Map<string, number>();
    for (const v of draws(spec, 8000)) counts.set(JSON.stringify(v), (counts.get(JSON.stringify(v)) ?? 0) + 1);
    expect(counts.size).toBe(4);
    for (const c of counts.values()) expect(Math.abs(c / 8000 - 0.25)).toBeLessThan(0.03);
    // scipy: randint.ppf([0.2, 1/3, 0.34, 0.999], 0, 3) = [0, 0, 1, 2]
    const abc: LeafParamSpec = { distribution: 'categorical', values: ['a', 'b', 'c'] };
    expect([0.2, 1 / 3, 0.34, 0.999, 1].map((u) => ppf(abc, u))).toEqual(['a', 'a', 'b', 'c', 'c']);
    expect(ppf(abc, 0)).toBe('a'); // scipy gives index −1 (the last value) at exactly 0; guarded
  });

  it('categorical with probabilities: first index with u < cumsum, frequencies honoured', () => {
    const spec: LeafParamSpec = {
      distribution: 'categorical_w_probabilities', values: ['x', 'y', 'z'], probabilities: [0.1, 0.6, 0.3],
    };
    expect([0, 0.0999, 0.1, 0.69, 0.7, 0.99, 1].map((u) => ppf(spec, u))).toEqual(['x', 'x', 'y', 'y', 'z', 'z', 'z']);
    const vs = draws(spec, 20000);
    for (const [v, p] of [['x', 0.1], ['y', 0.6], ['z', 0.3]] as const) {
      expect(Math.abs(vs.filter((x) => x === v).length / 20000 - p)).toBeLessThan(0.015);
    }
    const zeroLast: LeafParamSpec = { distribution: 'categorical_w_probabilities', values: ['a', 'b'], probabilities: [1, 0] };
    expect(ppf(zeroLast, 1)).toBe('a');
  });

  it('int_uniform: ints on [min, max] inclusive, each value about equally often', () => {
    const spec: LeafParamSpec = { distribution: 'int_uniform', min: -2, max: 5 };
    const vs = draws(spec, 16000);
    expectAll(vs, (v) => isInt(v) && num(v) >= -2 && num(v) <= 5, 'int in range');
    for (let k = -2; k <= 5; k++) expect(Math.abs(vs.filter((v) => v === k).length / 16000 - 1 / 8)).toBeLessThan(0.015);
    // scipy: randint.ppf([0.2, 0.5, 0.75, 0.999, 0.25], -2, 6) = [-1, 1, 3, 5, -1]
    expect([0.2, 0.5, 0.75, 0.999, 0.25].map((u) => ppf(spec, u))).toEqual([-1, 1, 3, 5, -1]);
    expect(ppf(spec, 0)).toBe(-2);
    expect(ppf(spec, 1)).toBe(5);
  });

  it('uniform: floats in [min, max], whole values boxed', () => {
    const spec: LeafParamSpec = { distribution: 'uniform', min: -1, max: 3 };
    expectAll(draws(spec), (v) => isFloat(v) && num(v) >= -1 && num(v) <= 3, 'float in range');
    expect(ppf(spec, 0.25)).toEqual(new PyFloat(0));
    expect(ppf(spec, 0.3)).toBeCloseTo(0.2, 14);
  });

  it('q_uniform: multiples of q, int for an int q, float otherwise', () => {
    const intQ: LeafParamSpec = { distribution: 'q_uniform', min: 0, max: 10, q: qi(3) };
    expectAll(draws(intQ), (v) => isInt(v) && num(v) % 3 === 0 && num(v) >= 0 && num(v) <= 9, 'int multiple of 3');
    expect(ppf(intQ, 0.37)).toBe(3); // numpy: round(3.7/3)*3
    const floatQ: LeafParamSpec = { distribution: 'q_uniform', min: 0, max: 1, q: qf(0.25) };
    expectAll(draws(floatQ), (v) => isFloat(v) && Number.isInteger(num(v) / 0.25) && num(v) >= 0 && num(v) <= 1, 'float multiple');
    expect(ppf(floatQ, 0.37)).toBe(0.25);
    expect(ppf({ distribution: 'q_uniform', min: 0, max: 10, q: qf(1) }, 0.37)).toEqual(new PyFloat(4));
  });

  it('log_uniform: min/max are exponents', () => {
    const spec: LeafParamSpec = { distribution: 'log_uniform', min: -2, max: 1 };
    expectAll(draws(spec), (v) => isFloat(v) && num(v) >= Math.exp(-2) && num(v) <= Math.exp(1), 'in [e^-2, e]');
    expect(ppf(spec, 0.37)).toBeCloseTo(0.41065575275234545, 14); // numpy
    const logs = draws(spec, 10000).map((v) => Math.log(num(v)));
    expect(logs.reduce((s, x) => s + x, 0) / logs.length).toBeCloseTo(-0.5, 1);
  });

  it('log_uniform_values and q_log_uniform_values: actual limits', () => {
    const spec: LeafParamSpec = { distribution: 'log_uniform_values', min: 1e-4, max: 1e-1 };
    expectAll(draws(spec), (v) => isFloat(v) && num(v) >= 1e-4 * (1 - 1e-12) && num(v) <= 1e-1 * (1 + 1e-12), 'in range');
    expect(ppf(spec, 0.37)).toBeCloseTo(0.0012882495516931352, 16); // numpy
    const decades = draws(spec, 9000).map((v) => Math.floor(Math.log10(num(v)) + 4));
    for (let d = 0; d < 3; d++) expect(Math.abs(decades.filter((x) => x === d).length / 9000 - 1 / 3)).toBeLessThan(0.03);
    const q: LeafParamSpec = { distribution: 'q_log_uniform_values', min: 1, max: 1000, q: qi(10) };
    expectAll(draws(q), (v) => isInt(v) && num(v) % 10 === 0 && num(v) <= 1000, 'int multiple of 10');
    expect(ppf(q, 0.37)).toBe(10);
  });

  it('q_log_uniform: exponents, quantised', () => {
    const spec: LeafParamSpec = { distribution: 'q_log_uniform', min: 0, max: 5, q: qf(2) };
    expectAll(draws(spec), (v) => isFloat(v) && num(v) % 2 === 0 && num(v) <= Math.exp(5) + 2, 'float multiple of 2');
  });

  it('inv_log_uniform[a, b] is log_uniform[−b, −a]; inv_log_uniform_values is log_uniform_values (W&B quirk)', () => {
    const inv: LeafParamSpec = { distribution: 'inv_log_uniform', min: 1, max: 4 };
    const lu: LeafParamSpec = { distribution: 'log_uniform', min: -4, max: -1 };
    const invV: LeafParamSpec = { distribution: 'inv_log_uniform_values', min: 1e-4, max: 1e-1 };
    const luV: LeafParamSpec = { distribution: 'log_uniform_values', min: 1e-4, max: 1e-1 };
    for (let u = 0; u <= 1; u += 0.05) {
      expect(num(ppf(inv, u))).toBeCloseTo(num(ppf(lu, u)), 12);
      expect(num(ppf(invV, u)) / num(ppf(luV, u))).toBeCloseTo(1, 12);
      expect(cdf(invV, ppf(luV, u))).toBeCloseTo(u, 12);
    }
    expect(ppf({ distribution: 'inv_log_uniform', min: 1, max: 4 }, 0.37)).toBeCloseTo(0.05557621261148306, 15); // numpy
    expectAll(draws(inv), (v) => isFloat(v) && num(v) >= Math.exp(-4) && num(v) <= Math.exp(-1), 'in [e^-4, e^-1]');
  });

  it('normal and q_normal', () => {
    const spec: LeafParamSpec = { distribution: 'normal', mu: 1.5, sigma: 2 };
    expect(ppf(spec, 0.37)).toBeCloseTo(0.8362933071263667, 13); // scipy
    const xs = draws(spec, 20000).map(num);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(1.5, 1);
    expect(sd).toBeCloseTo(2, 1);
    const q: LeafParamSpec = { distribution: 'q_normal', mu: 1.5, sigma: 2, q: qf(0.5) };
    expect(ppf(q, 0.37)).toEqual(new PyFloat(1));
    expectAll(draws(q), (v) => isFloat(v) && Number.isInteger(num(v) * 2), 'float multiple of 0.5');
    expectAll(draws({ distribution: 'q_normal', mu: 0, sigma: 10, q: qi(2) }), (v) => isInt(v) && num(v) % 2 === 0, 'even ints');
  });

  it('log_normal and q_log_normal: scipy lognorm(s=sigma, scale=e^mu)', () => {
    const spec: LeafParamSpec = { distribution: 'log_normal', mu: 1.2, sigma: 0.5 };
    expect(ppf(spec, 0.37)).toBeCloseTo(2.81249876039386, 13);
    expect(ppf(spec, 0.7)).toBeCloseTo(4.315444173656793, 13);
    expectAll(draws(spec), (v) => isFloat(v) && num(v) > 0, 'positive float');
    expectAll(draws({ distribution: 'q_log_normal', mu: 2, sigma: 1, q: qi(1) }), (v) => isInt(v) && num(v) >= 0, 'non-negative int');
  });

  it('beta and q_beta', () => {
    const spec: LeafParamSpec = { distribution: 'beta', a: 2, b: 5 };
    expect(ppf(spec, 0.37)).toBeCloseTo(0.21032463252174394, 13); // scipy
    expect(ppf(spec, 0.3)).toBeCloseTo(0.18180347131894917, 13);
    const xs = draws(spec, 20000).map(num);
    expect(xs.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(2 / 7, 2);
    const q: LeafParamSpec = { distribution: 'q_beta', a: 1, b: 1, q: qf(0.1) };
    expectAll(draws(q), (v) => isFloat(v) && Math.abs(num(v) * 10 - Math.round(num(v) * 10)) < 1e-9, 'tenths');
    expect(ppf({ distribution: 'q_beta', a: 1, b: 1, q: qi(1) }, 0.7)).toBe(1);
  });

  it('refuses u outside [0, 1] and nested dicts', () => {
    expect(() => ppf({ distribution: 'uniform', min: 0, max: 1 }, 1.5)).toThrow(/outside of \[0,1\]/);
    expect(() => ppf({ distribution: 'uniform', min: 0, max: 1 }, NaN)).toThrow(RangeError);
    const dict = { distribution: 'param_dict', parameters: {} } as ParamSpec;
    expect(() => ppf(dict as LeafParamSpec, 0.5)).toThrow(/param_dict/);
  });
});

describe('cdf: the bayes encoding', () => {
  it('categorical: index i → (i+1)/n, looked up with Python ==', () => {
    const spec: LeafParamSpec = { distribution: 'categorical', values: ['a', 1, [2, 3], { k: 1 }] };
    expect(cdf(spec, 'a')).toBe(0.25);
    expect(cdf(spec, new PyFloat(1))).toBe(0.5);
    expect(cdf(spec, true)).toBe(0.5); // Python: True == 1
    expect(cdf(spec, [2, 3])).toBe(0.75);
    expect(cdf(spec, { k: 1 })).toBe(1);
    expect(() => cdf(spec, 'zz', 'opt')).toThrow('"zz" is not a permitted value of the categorical hyperparameter opt in the current sweep.');
  });

  it('int_uniform: (x − min + 1)/(max − min + 1), clipped', () => {
    const spec: LeafParamSpec = { distribution: 'int_uniform', min: 3, max: 6 };
    expect([3, 4, 6, 2, 9, 4.7].map((x) => cdf(spec, x))).toEqual([0.25, 0.5, 1, 0, 1, 0.5]);
  });

  it('continuous forms: uniform, q_uniform, logs in ln space, normal, lognormal, beta', () => {
    expect(cdf({ distribution: 'uniform', min: 0, max: 4 }, 1)).toBe(0.25);
    expect(cdf({ distribution: 'q_uniform', min: 0, max: 4, q: qi(1) }, 3)).toBe(0.75);
    expect(cdf({ distribution: 'uniform', min: 0, max: 4 }, -1)).toBe(0);
    expect(cdf({ distribution: 'log_uniform', min: 0, max: 2 }, Math.E)).toBeCloseTo(0.5, 14);
    expect(cdf({ distribution: 'q_log_uniform_values', min: 1, max: 100, q: qi(1) }, 10)).toBeCloseTo(0.5, 14);
    expect(cdf({ distribution: 'inv_log_uniform', min: 1, max: 3 }, Math.exp(-2))).toBeCloseTo(0.5, 14);
    expect(cdf({ distribution: 'inv_log_uniform', min: 1, max: 3 }, Math.exp(-1.5))).toBeCloseTo(0.75, 14);
    expect(cdf({ distribution: 'normal', mu: 1, sigma: 2 }, 3.6)).toBeCloseTo(0.9031995154143897, 14);
    expect(cdf({ distribution: 'log_normal', mu: 1.2, sigma: 0.5 }, 3)).toBeCloseTo(0.41965528436162586, 14);
    expect(cdf({ distribution: 'log_normal', mu: 1.2, sigma: 0.5 }, 0)).toBe(0);
    expect(cdf({ distribution: 'beta', a: 0.5, b: 3 }, 0.01)).toBeCloseTo(0.18625375, 12);
    expect(cdf({ distribution: 'constant', value: 5 }, 5)).toBe(0);
    expect(() => cdf({ distribution: 'uniform', min: 0, max: 1 }, 'x')).toThrow(TypeError);
  });

  it('round-trips with ppf for every continuous distribution', () => {
    const specs: LeafParamSpec[] = [
      { distribution: 'uniform', min: -3, max: 7 },
      { distribution: 'log_uniform', min: -3, max: 2 },
      { distribution: 'log_uniform_values', min: 0.001, max: 10 },
      { distribution: 'inv_log_uniform', min: -1, max: 2 },
      { distribution: 'inv_log_uniform_values', min: 0.5, max: 50 },
      { distribution: 'normal', mu: -2, sigma: 0.3 },
      { distribution: 'log_normal', mu: 0.4, sigma: 1.7 },
      { distribution: 'beta', a: 0.7, b: 2.2 },
    ];
    for (const spec of specs) {
      for (let u = 0.01; u < 1; u += 0.049) expect(cdf(spec, ppf(spec, u)), spec.distribution).toBeCloseTo(u, 10);
    }
  });

  it('round-trips categorical and int_uniform on the grid of CDF values', () => {
    const cat: LeafParamSpec = { distribution: 'categorical', values: ['a', 'b', 'c', 'd', 'e'] };
    const int: LeafParamSpec = { distribution: 'int_uniform', min: 10, max: 16 };
    for (let i = 0; i < 5; i++) expect(cdf(cat, ppf(cat, (i + 1) / 5))).toBeCloseTo((i + 1) / 5, 14);
    for (let k = 10; k <= 16; k++) expect(ppf(int, cdf(int, k))).toBe(k);
  });
});
