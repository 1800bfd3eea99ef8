import type { ValueRecord } from '@broom/core';
import { num, type Problem } from './types.js';

/** Hartmann 6-d on the unit cube: four Gaussian-like wells. */
export const name = 'hartmann6';

const KEYS = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'] as const;

export const parameters: ValueRecord = Object.fromEntries(
  KEYS.map((k) => [k, { distribution: 'uniform', min: 0.0, max: 1.0 }]),
);

export const optimum = -3.322368011415515;
export const fRandomMedian = -0.1036;

const ALPHA = [1.0, 1.2, 3.0, 3.2];
const A = [
  [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
  [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
  [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
  [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
];
// The exact decimal literals of problems.json (not 1e-4 * integer products).
const P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];

export function hartmann6(x: readonly number[]): number {
  let outer = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) inner += A[i][j] * (x[j] - P[i][j]) ** 2;
    outer += ALPHA[i] * Math.exp(-inner);
  }
  return -outer;
}

export function evaluate(config: ValueRecord): number {
  return hartmann6(KEYS.map((k) => num(config, k)));
}

export const problem: Problem = { name, parameters, optimum, fRandomMedian, evaluate };
