import { problem as branin } from './branin.js';
import { problem as curves } from './curves.js';
import { problem as hartmann6 } from './hartmann6.js';
import { problem as mlpSurrogate } from './mlp-surrogate.js';
import { problem as rosenbrock4 } from './rosenbrock4.js';
import type { Problem } from './types.js';

export * from './types.js';

/** The five benchmark problems, in the order of problems.json. */
export const PROBLEMS: readonly Problem[] = [branin, hartmann6, rosenbrock4, mlpSurrogate, curves];

export function findProblem(name: string): Problem | undefined {
  return PROBLEMS.find((p) => p.name === name);
}
