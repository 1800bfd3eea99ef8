import { describe, expect, it } from 'vitest';
import type { ParamSpecs } from '../../../src/common/config/types.js';
import { Grid, checkGridParams } from '../../../src/common/space/grid.js';
import { gridValues } from '../../../src/common/space/grid-dimension.js';
import { PyFloat, unbox, type ValueRecord } from '../../../src/common/values.js';

const cat = (...values: unknown[]) => ({ distribution: 'categorical' as const, values: values as never[] });

/** Every combination, in grid order, as plain data. */
const all = (grid: Grid): unknown[] => Array.from({ length: grid.size }, (_, i) => unbox(grid.at(i)));

describe('gridValues', () => {
  it('lists int_uniform inclusively and constants as one value', () => {
    expect(gridValues({ distribution: 'int_uniform', min: -1, max: 2 })).toEqual([-1, 0, 1, 2]);
    expect(gridValues({ distribution: 'constant', value: 'x' })).toEqual(['x']);
  });

  it('lists q_uniform as numpy arange(min, max, q), max exclusive, bit for bit', () => {
    const vs = gridValues({ distribution: 'q_uniform', min: -9.211, max: 23.23, q: { value: 2.341, isInt: false } });
    expect(vs).toHaveLength(14);
    // numpy.arange(-9.211, 23.23, 2.341).tolist()
    expect(unbox(vs)).toEqual([
      -9.211, -6.87, -4.529, -2.1879999999999997, 0.15300000000000047, 2.4940000000000015, 4.835000000000001,
      7.176, 9.517000000000001, 11.858000000000002, 14.199000000000003, 16.54, 18.881, 21.222,
    ]);
    const tenths = gridValues({ distribution: 'q_uniform', min: -1, max: 1, q: { value: 0.1, isInt: false } });
    const plain = unbox(tenths) as number[];
    expect(plain.slice(0, 4)).toEqual([-1.0, -0.9, -0.8, -0.7000000000000001]);
    expect(plain[10]).toBe(-2.220446049250313e-16);
    expect(tenths[0]).toEqual(new PyFloat(-1)); // floats stay floats
    expect(gridValues({ distribution: 'q_uniform', min: 1, max: 10, q: { value: 2, isInt: true } })).toEqual([1, 3, 5, 7, 9]);
    expect(gridValues({ distribution: 'q_uniform', min: 0, max: 1, q: { value: 0.25, isInt: false } })).toEqual([
      new PyFloat(0), 0.25, 0.5, 0.75,
    ]);
  });

  it('collapses duplicate values by identity (first position, last value as W&B)', () => {
    expect(gridValues(cat(1, 2, 1, new PyFloat(2), 3e6, 3000000))).toEqual([1, new PyFloat(2), 3000000]);
    expect(gridValues(cat(true, 1, NaN, NaN, { a: 1, b: 2 }, { b: 2, a: 1 }))).toEqual([true, 1, NaN, { b: 2, a: 1 }]);
  });

  it('refuses the other distributions with W&B\'s message', () => {
    expect(() => gridValues({ distribution: 'uniform', min: 0, max: 1 })).toThrow(/disallowed type with grid search/);
  });
});

describe('checkGridParams', () => {
  it('names every disallowed parameter by its dotted name', () => {
    const params: ParamSpecs = {
      lr: { distribution: 'uniform', min: 0, max: 1 },
      ok: cat(1),
      opt: {
        distribution: 'param_dict',
        parameters: { p: { distribution: 'categorical_w_probabilities', values: [1, 2], probabilities: [0.5, 0.5] } },
      },
    };
    expect(checkGridParams(params)).toEqual([
      'Parameter lr is a disallowed type with grid search. Grid search requires all parameters to be categorical, ' +
        'constant, int_uniform, or q_uniform. Specification of probabilities for categorical parameters is ' +
        'disallowed in grid search',
      expect.stringMatching(/^Parameter opt\.p is a disallowed type/),
    ]);
    expect(() => new Grid(params)).toThrow(/Parameter lr/);
  });
});

describe('Grid', () => {
  it('orders parameters by name with the last varying fastest', () => {
    const grid = new Grid({ b: cat(1, 2), a: cat('x', 'y', 'z'), c: { distribution: 'constant', value: true } });
    expect(grid.size).toBe(6);
    expect(all(grid)).toEqual([
      { a: 'x', b: 1, c: true }, { a: 'x', b: 2, c: true }, { a: 'y', b: 1, c: true },
      { a: 'y', b: 2, c: true }, { a: 'z', b: 1, c: true }, { a: 'z', b: 2, c: true },
    ]);
  });

  it('enumerates nested parameters and int_uniform/q_uniform axes', () => {
    const grid = new Grid({
      opt: { distribution: 'param_dict', parameters: { lr: cat(0.1, 0.01), name: { distribution: 'constant', value: 'adam' } } },
      depth: { distribution: 'int_uniform', min: 1, max: 2 },
      drop: { distribution: 'q_uniform', min: 0, max: 0.5, q: { value: 0.25, isInt: false } },
    });
    expect(grid.axes.map((a) => a.param.name)).toEqual(['depth', 'drop', 'opt.lr', 'opt.name']);
    expect(grid.size).toBe(8);
    expect(all(grid).slice(0, 3)).toEqual([
      { depth: 1, drop: 0, opt: { lr: 0.1, name: 'adam' } },
      { depth: 1, drop: 0, opt: { lr: 0.01, name: 'adam' } },
      { depth: 1, drop: 0.25, opt: { lr: 0.1, name: 'adam' } },
    ]);
    expect(grid.at(7).drop).toBe(0.25);
    expect(grid.at(0).drop).toEqual(new PyFloat(0));
    expect(() => grid.at(8)).toThrow(RangeError);
    expect(() => grid.at(-1)).toThrow(RangeError);
  });

  it('gives each combination its key, and a run its combination\'s key', () => {
    const grid = new Grid({ a: cat(3e6, true, NaN), b: cat({ x: 1, y: [1, 2] }, 'q'), k: { distribution: 'constant', value: 1 } });
    const keys = Array.from({ length: grid.size }, (_, i) => grid.keyAt(i));
    expect(new Set(keys).size).toBe(grid.size);
    for (let i = 0; i < grid.size; i++) expect(grid.keyOfValues(grid.valuesAt(i))).toBe(keys[i]);

    const key = (config: ValueRecord) => grid.keyOfRun(config);
    // 3e6 ≡ 3000000 ≡ PyFloat(3000000); dict key order is irrelevant; constants are not part of the identity.
    expect(key({ a: 3000000, b: { y: [1, 2], x: 1 }, k: 99 })).toBe(keys[0]);
    expect(key({ a: new PyFloat(3e6), b: 'q' })).toBe(keys[1]);
    expect(key({ a: NaN, b: 'q' })).toBe(keys[5]);
    // true is not 1, arrays are ordered.
    expect(key({ a: 1, b: 'q' })).not.toBe(keys[3]);
    expect(key({ a: true, b: 'q' })).toBe(keys[3]);
    expect(key({ a: true, b: { x: 1, y: [2, 1] } })).not.toBe(keys[2]);
    // Keys no grid value has are stripped (injected at run time); missing ones are not invented.
    expect(key({ a: true, b: { x: 1, y: [1, 2], injected: 'now' } })).toBe(keys[2]);
    expect(key({ a: true, b: { x: 1 } })).not.toBe(keys[2]);
    // A missing parameter never matches.
    expect(key({ a: true })).toBeNull();
    expect(key({ b: 'q', k: 1 })).toBeNull();
  });

  it('reads nested parameters of a run by path', () => {
    const grid = new Grid({ opt: { distribution: 'param_dict', parameters: { lr: cat(1, 2) } } });
    expect(grid.keyOfRun({ opt: { lr: 2, extra: 5 } })).toBe(grid.keyAt(1));
    expect(grid.keyOfRun({ opt: 2 })).toBeNull();
    expect(grid.keyOfRun({ 'opt.lr': 2 })).toBeNull();
  });

  it('finds the first combination not seen, looking at no more than |seen| + 1', () => {
    const grid = new Grid({ a: cat(1, 2), b: cat(1, 2) });
    expect(grid.firstUnseen(new Set())).toBe(0);
    expect(grid.firstUnseen(new Set([grid.keyAt(0), grid.keyAt(2)]))).toBe(1);
    expect(grid.firstUnseen(new Set([0, 1, 2, 3].map((i) => grid.keyAt(i))))).toBeNull();
  });

  it('handles 10^9 combinations without materialising them', () => {
    const params: ParamSpecs = {};
    for (let i = 0; i < 9; i++) params[`p${i}`] = { distribution: 'int_uniform', min: 0, max: 9 };
    const grid = new Grid(params);
    expect(grid.size).toBe(1e9);
    const t = performance.now();
    expect(grid.at(123456789)).toEqual({ p0: 1, p1: 2, p2: 3, p3: 4, p4: 5, p5: 6, p6: 7, p7: 8, p8: 9 });
    expect(grid.at(999_999_999)).toEqual(Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`p${i}`, 9])));
    expect(performance.now() - t).toBeLessThan(50);
  });

  it('counts beyond 2^53 exactly and decodes with bigints', () => {
    const params: ParamSpecs = {};
    for (let i = 0; i < 20; i++) params[`p${String(i).padStart(2, '0')}`] = cat(...Array.from({ length: 10 }, (_, k) => k));
    const grid = new Grid(params);
    expect(grid.bigSize).toBe(10n ** 20n);
    const at = grid.at(12345678901234567890n);
    expect(Object.values(at).join('')).toBe('12345678901234567890');
    expect(grid.firstUnseen(new Set([grid.keyAt(0n)]))).toBe(1n);
  });

  it('has a single combination when every parameter is constant, and none for an empty axis', () => {
    const grid = new Grid({ a: { distribution: 'constant', value: 1 } });
    expect(grid.size).toBe(1);
    expect(grid.keyOfRun({})).toBe('');
    expect(new Grid({ a: { distribution: 'q_uniform', min: 1, max: 1, q: { value: 1, isInt: true } } }).size).toBe(0);
  });
});
