import { PyFloat, type ValueRecord } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { problem as branin } from '../../src/problems/branin.js';
import { problem as curves } from '../../src/problems/curves.js';
import { problem as mlp } from '../../src/problems/mlp-surrogate.js';
import { infiniteParameter, sweepConfig } from '../../src/runner/sweep-config.js';

describe('sweepConfig', () => {
  it('minimises loss over the problem parameters, with whole float bounds boxed as floats', () => {
    const config = sweepConfig(branin, { method: 'random' });
    expect(config.method).toBe('random');
    expect(config.metric).toEqual({ name: 'loss', goal: 'minimize' });
    expect(config.early_terminate).toBeUndefined();
    const x1 = (config.parameters as ValueRecord).x1 as ValueRecord;
    expect(x1.min).toBeInstanceOf(PyFloat);
    expect(Number(x1.min)).toBe(-5);
    expect(Number(x1.max)).toBe(10);
  });

  it('leaves int_uniform and categorical values alone', () => {
    const params = sweepConfig(mlp, { method: 'random' }).parameters as ValueRecord;
    expect(params.layers).toEqual({ distribution: 'int_uniform', min: 1, max: 6 });
    expect(params.activation).toEqual(mlp.parameters.activation);
    expect((params.lr as ValueRecord).min).toBe(1e-5);
  });

  it('adds hyperband early termination', () => {
    expect(sweepConfig(curves, { method: 'random', hyperbandMinIter: 3 }).early_terminate).toEqual({ type: 'hyperband', min_iter: 3 });
  });
});

describe('infiniteParameter', () => {
  it('names the first continuous parameter', () => {
    expect(infiniteParameter(branin.parameters)).toBe('x1 is uniform');
    expect(infiniteParameter(mlp.parameters)).toBe('lr is log_uniform_values');
  });

  it('is null for a finite space', () => {
    expect(infiniteParameter({ a: { values: [1, 2] }, b: { value: 3 }, c: { distribution: 'int_uniform', min: 1, max: 4 }, d: { min: 1, max: 3 } })).toBeNull();
    expect(infiniteParameter({ d: { min: 0.5, max: 3 } })).toBe('d is uniform');
  });
});
