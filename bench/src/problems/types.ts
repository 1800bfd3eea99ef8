import type { Value, ValueRecord } from '@broom/core';

/** A benchmark problem, as defined in /work/shared/bench/problems.json. All problems are minimised. */
export interface Problem {
  name: string;
  /**
   * The W&B sweep-config `parameters` block, as in problems.json. JavaScript cannot tell `-5.0` from
   * `-5`: the runner boxes the bounds of float distributions as PyFloat before handing it to broom.
   */
  parameters: ValueRecord;
  /** Known global minimum; null when unknown (`curves`: the best value ever seen is used instead). */
  optimum: number | null;
  /** Median of f over random draws from `parameters`: the fixed normaliser of the regret. */
  fRandomMedian: number;
  /** The objective for a run config (for `curves`, loss_100 with noise seed `seed`). */
  evaluate(config: ValueRecord, seed?: number): number;
}

/** A problem that reports a learning curve, step by step, so that a pruner can stop it early. */
export interface CurvesProblem extends Problem {
  steps: number;
  /** The loss reported at step `t` (1-based) for a config and a noise seed. */
  lossAt(config: ValueRecord, seed: number, t: number): number;
}

export function isCurvesProblem(p: Problem): p is CurvesProblem {
  return typeof (p as CurvesProblem).lossAt === 'function';
}

/** A numeric parameter of a run config (boxed floats included). */
export function num(config: ValueRecord, key: string): number {
  const v: Value | undefined = config[key];
  const x = typeof v === 'number' ? v : v !== null && typeof v === 'object' && 'value' in v ? Number(v) : Number.NaN;
  if (!Number.isFinite(x)) throw new TypeError(`parameter ${key} is not a finite number: ${JSON.stringify(v)}`);
  return x;
}

/** A string parameter of a run config. */
export function str(config: ValueRecord, key: string): string {
  const v = config[key];
  if (typeof v !== 'string') throw new TypeError(`parameter ${key} is not a string: ${JSON.stringify(v)}`);
  return v;
}
