import type { ValueRecord } from '@broom/core';
import { num, type Problem } from './types.js';

/** Branin-Hoo, 2-d: three global minima of 10/(8π) = s·t. */
export const name = 'branin';

export const parameters: ValueRecord = {
  x1: { distribution: 'uniform', min: -5.0, max: 10.0 },
  x2: { distribution: 'uniform', min: 0.0, max: 15.0 },
};

export const optimum = 0.3978873577297384;
export const fRandomMedian = 34.98;

const a = 1;
const b = 5.1 / (4 * Math.PI * Math.PI);
const c = 5 / Math.PI;
const r = 6;
const s = 10;
const t = 1 / (8 * Math.PI);

export function branin(x1: number, x2: number): number {
  return a * (x2 - b * x1 * x1 + c * x1 - r) ** 2 + s * (1 - t) * Math.cos(x1) + s;
}

export function evaluate(config: ValueRecord): number {
  return branin(num(config, 'x1'), num(config, 'x2'));
}

export const problem: Problem = { name, parameters, optimum, fRandomMedian, evaluate };
