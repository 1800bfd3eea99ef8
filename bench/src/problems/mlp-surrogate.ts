import type { ValueRecord } from '@broom/core';
import { num, str, type Problem } from './types.js';

/**
 * A mixed space shaped like tuning a small MLP: log-uniform lr, integer depth and two categoricals.
 * The best lr depends on the optimizer and the depth. Minimum 0.09 (gelu, adam, 4 layers, lr 10^-3.08).
 */
export const name = 'mlp_surrogate';

export const parameters: ValueRecord = {
  lr: { distribution: 'log_uniform_values', min: 1e-5, max: 0.1 },
  layers: { distribution: 'int_uniform', min: 1, max: 6 },
  activation: { distribution: 'categorical', values: ['relu', 'tanh', 'gelu'] },
  optimizer: { distribution: 'categorical', values: ['adam', 'sgd'] },
};

export const optimum = 0.09;
export const fRandomMedian = 0.2402;

const ACT_OFFSET: Record<string, number> = { relu: 0.0, tanh: 0.03, gelu: -0.01 };
const BEST_DEPTH: Record<string, number> = { relu: 4, tanh: 2, gelu: 4 };
const OPT: Record<string, { u0: number; curv: number; optOffset: number }> = {
  adam: { u0: -3.0, curv: 0.04, optOffset: 0.0 },
  sgd: { u0: -1.6, curv: 0.09, optOffset: 0.015 },
};

export function mlpSurrogate(lr: number, layers: number, activation: string, optimizer: string): number {
  const opt = OPT[optimizer];
  const actOffset = ACT_OFFSET[activation];
  if (!opt || actOffset === undefined) throw new TypeError(`unknown activation/optimizer: ${activation}/${optimizer}`);
  const u = Math.log10(lr);
  const uStar = opt.u0 - 0.08 * (layers - 3);
  const du = u - uStar;
  const over = Math.max(0, du - 1);
  return (
    0.1 +
    actOffset +
    opt.optOffset +
    0.012 * (layers - BEST_DEPTH[activation]) ** 2 +
    opt.curv * du * du +
    0.3 * over * over
  );
}

export function evaluate(config: ValueRecord): number {
  return mlpSurrogate(num(config, 'lr'), num(config, 'layers'), str(config, 'activation'), str(config, 'optimizer'));
}

export const problem: Problem = { name, parameters, optimum, fRandomMedian, evaluate };
