import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/common/config/parse.js';
import {
  DISTRIBUTION_NAMES, matchParameter, PARAMETER_DEFINITIONS, ParametersSchema,
} from '../../../src/common/config/parameter-schema.js';
import { DISTRIBUTION_ORDER } from '../../../src/common/config/types.js';
import { PyFloat, type Value } from '../../../src/common/values.js';

/** A parameter written in YAML (so `1.0` is a float), matched the way W&B does. */
const match = (yaml: string) => matchParameter((parseConfigText(`p: ${yaml}`, 't.yaml') as { p: Value }).p);

describe('the 19 definitions', () => {
  it('are tried in W&B order', () => {
    expect(PARAMETER_DEFINITIONS.map((d) => d.distribution)).toEqual([...DISTRIBUTION_ORDER]);
    expect(DISTRIBUTION_NAMES).not.toContain('param_dict');
    expect(DISTRIBUTION_NAMES).toHaveLength(18);
  });
});

describe('type inference without "distribution"', () => {
  it('{min: 0, max: 1} (two ints) is int_uniform', () => {
    expect(match('{min: 0, max: 1}')).toEqual({ distribution: 'int_uniform', min: 0, max: 1 });
  });
  it('{min: 0.0, max: 1.0} is uniform', () => {
    expect(match('{min: 0.0, max: 1.0}')).toEqual({ distribution: 'uniform', min: 0, max: 1 });
  });
  it('one float bound (even a whole one) makes it uniform', () => {
    expect(match('{min: 0, max: 1.0}')?.distribution).toBe('uniform');
    expect(match('{min: 1e-5, max: 1}')?.distribution).toBe('uniform');
    expect(match('{min: 3e6, max: 4e6}')?.distribution).toBe('uniform');
  });
  it('values → categorical, values + probabilities → categorical_w_probabilities, value → constant', () => {
    expect(match('{values: [a, 1, null]}')).toEqual({ distribution: 'categorical', values: ['a', 1, null] });
    expect(match('{values: [a, b], probabilities: [0.25, 0.75]}')).toEqual({
      distribution: 'categorical_w_probabilities', values: ['a', 'b'], probabilities: [0.25, 0.75],
    });
    expect(match('{value: null}')).toEqual({ distribution: 'constant', value: null });
    expect(match('{value: [1, 2]}')).toEqual({ distribution: 'constant', value: [1, 2] });
    expect(match('{value: 1.0}')).toEqual({ distribution: 'constant', value: new PyFloat(1) });
  });
  it('parameters → param_dict, at any depth', () => {
    expect(match('{parameters: {a: {value: 1}, b: {parameters: {c: {min: 1, max: 4}}}}}')).toEqual({
      distribution: 'param_dict',
      parameters: {
        a: { distribution: 'constant', value: 1 },
        b: { distribution: 'param_dict', parameters: { c: { distribution: 'int_uniform', min: 1, max: 4 } } },
      },
    });
  });
});

describe('each distribution and its defaults', () => {
  const floatQ = { value: 1, isInt: false };
  it.each<[string, object]>([
    ['{distribution: constant, value: x}', { distribution: 'constant', value: 'x' }],
    ['{distribution: categorical, values: [1]}', { distribution: 'categorical', values: [1] }],
    ['{distribution: categorical_w_probabilities, values: [1], probabilities: [1]}', { distribution: 'categorical_w_probabilities', values: [1], probabilities: [1] }],
    ['{distribution: int_uniform, min: -3, max: 3}', { distribution: 'int_uniform', min: -3, max: 3 }],
    ['{distribution: uniform, min: 0, max: 2}', { distribution: 'uniform', min: 0, max: 2 }],
    ['{distribution: q_uniform, min: 0, max: 10}', { distribution: 'q_uniform', min: 0, max: 10, q: floatQ }],
    ['{distribution: log_uniform, min: -5, max: 0}', { distribution: 'log_uniform', min: -5, max: 0 }],
    ['{distribution: log_uniform_values, min: 0.001, max: 1}', { distribution: 'log_uniform_values', min: 0.001, max: 1 }],
    ['{distribution: q_log_uniform, min: 0, max: 3}', { distribution: 'q_log_uniform', min: 0, max: 3, q: floatQ }],
    ['{distribution: q_log_uniform_values, min: 1, max: 256}', { distribution: 'q_log_uniform_values', min: 1, max: 256, q: floatQ }],
    ['{distribution: inv_log_uniform, min: 0, max: 2}', { distribution: 'inv_log_uniform', min: 0, max: 2 }],
    ['{distribution: inv_log_uniform_values, min: 0.1, max: 1}', { distribution: 'inv_log_uniform_values', min: 0.1, max: 1 }],
    ['{distribution: normal}', { distribution: 'normal', mu: 0, sigma: 1 }],
    ['{distribution: normal, mu: 2, sigma: 0}', { distribution: 'normal', mu: 2, sigma: 0 }],
    ['{distribution: q_normal}', { distribution: 'q_normal', mu: 0, sigma: 1, q: floatQ }],
    ['{distribution: log_normal, mu: 1.5}', { distribution: 'log_normal', mu: 1.5, sigma: 1 }],
    ['{distribution: q_log_normal, sigma: 2}', { distribution: 'q_log_normal', mu: 0, sigma: 2, q: floatQ }],
    ['{distribution: beta}', { distribution: 'beta', a: 1, b: 1 }],
    ['{distribution: beta, a: 0.5, b: 0}', { distribution: 'beta', a: 0.5, b: 0 }],
    ['{distribution: q_beta, a: 2}', { distribution: 'q_beta', a: 2, b: 1, q: floatQ }],
  ])('%s', (yaml, spec) => {
    expect(match(yaml)).toEqual(spec);
  });

  it('q: 2 (int) casts results to int, q: 2.0 keeps floats, default q is the float 1.0', () => {
    expect(match('{distribution: q_uniform, min: 0, max: 10, q: 2}')).toMatchObject({ q: { value: 2, isInt: true } });
    expect(match('{distribution: q_uniform, min: 0, max: 10, q: 2.0}')).toMatchObject({ q: { value: 2, isInt: false } });
    expect(match('{distribution: q_normal, q: 0.5}')).toMatchObject({ q: { value: 0.5, isInt: false } });
    expect(match('{distribution: q_beta}')).toMatchObject({ q: { value: 1, isInt: false } });
  });
});

describe('what matches no definition', () => {
  it.each([
    ['int_uniform needs true ints: 2.0 is a float', '{distribution: int_uniform, min: 2.0, max: 8.0}'],
    ['every definition is strict (an extra key)', '{min: 0.0, max: 1.0, log: true}'],
    ['q without a q_ distribution', '{min: 0, max: 10, q: 2}'],
    ['*_values need min > 0', '{distribution: log_uniform_values, min: 0, max: 1}'],
    ['*_values need min > 0 (negative)', '{distribution: inv_log_uniform_values, min: -1, max: 1}'],
    ['q_log_uniform_values needs min > 0', '{distribution: q_log_uniform_values, min: 0, max: 8}'],
    ['sigma ≥ 0', '{distribution: normal, sigma: -1}'],
    ['beta a ≥ 0', '{distribution: beta, a: -0.5}'],
    ['q > 0', '{distribution: q_uniform, min: 0, max: 1, q: 0}'],
    ['at least one value', '{values: []}'],
    ['probabilities ≥ 0', '{values: [a, b], probabilities: [-0.5, 1.5]}'],
    ['categorical with probabilities must not say distribution: categorical', '{distribution: categorical, values: [a], probabilities: [1]}'],
    ['normal needs its distribution key', '{mu: 0, sigma: 1}'],
    ['log_normal is not shaped by min/max', '{distribution: log_normal, min: 1, max: 2}'],
    ['an unknown distribution', '{distribution: uniform_values, min: 0.1, max: 1}'],
    ['distribution and form disagree', '{distribution: constant, values: [1]}'],
    ['numbers that are strings', '{min: "1e-5", max: 1.0}'],
    ['a boolean is not a number', '{min: false, max: 1}'],
    ['nested parameters without the parameters key', '{a: {value: 1}}'],
    ['an empty nested parameters', '{parameters: {}}'],
    ['a bad nested name', '{parameters: {"bad name": {value: 1}}}'],
    ['a bad nested parameter', '{parameters: {a: {values: []}}}'],
    ['a plain value', '5'],
  ])('%s', (_why, yaml) => {
    expect(match(yaml)).toBeUndefined();
  });

  it('min < max is not part of matching (W&B checks it afterwards)', () => {
    expect(match('{min: 5, max: 1}')).toEqual({ distribution: 'int_uniform', min: 5, max: 1 });
  });
});

describe('ParametersSchema', () => {
  it('checks names against ^[A-Za-z_][A-Za-z0-9_.-]*$ and needs one parameter', () => {
    expect(ParametersSchema.safeParse({ 'model.lr': { value: 1 }, 'a-b_c': { value: 2 }, _x: { value: 3 } }).success).toBe(true);
    expect(ParametersSchema.safeParse({ '1abc': { value: 1 } }).success).toBe(false);
    expect(ParametersSchema.safeParse({}).success).toBe(false);
    expect(ParametersSchema.safeParse([]).success).toBe(false);
    expect(ParametersSchema.safeParse(new PyFloat(1)).success).toBe(false);
  });
});
