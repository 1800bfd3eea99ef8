import type { ValueRecord } from '@broom/core';
import { num, type Problem } from './types.js';

/** Rosenbrock in 4-d on [-5, 10]^4: a long curved valley, minimum 0 at (1, 1, 1, 1). */
export const name = 'rosenbrock4';

const KEYS = ['x1', 'x2', 'x3', 'x4'] as const;

export const parameters: ValueRecord = Object.fromEntries(
  KEYS.map((k) => [k, { distribution: 'uniform', min: -5.0, max: 10.0 }]),
);

export const optimum = 0.0;
export const fRandomMedian = 260000.0;

export function rosenbrock(x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
}

export function evaluate(config: ValueRecord): number {
  return rosenbrock(KEYS.map((k) => num(config, k)));
}

export const problem: Problem = { name, parameters, optimum, fRandomMedian, evaluate };
