import { isRecord, makeFloat, type Value, type ValueRecord } from '@broom/core';
import type { Problem } from '../problems/index.js';

/** Distributions whose bounds are floats in W&B's dialect (problems.json writes them `-5.0`, `1.0`). */
const FLOAT_DISTRIBUTIONS = new Set([
  'uniform', 'log_uniform', 'log_uniform_values', 'inv_log_uniform', 'inv_log_uniform_values',
  'normal', 'log_normal', 'q_uniform', 'q_log_uniform', 'q_log_uniform_values', 'q_normal', 'q_log_normal', 'beta',
]);

/** Distributions with infinitely many values: a grid cannot enumerate them. */
const CONTINUOUS = new Set([
  'uniform', 'log_uniform', 'log_uniform_values', 'inv_log_uniform', 'inv_log_uniform_values',
  'normal', 'log_normal', 'beta',
]);

/** The parameters block with the bounds of float distributions boxed as floats, as W&B reads `-5.0`. */
export function sweepParameters(problem: Problem): ValueRecord {
  const out: ValueRecord = {};
  for (const [name, spec] of Object.entries(problem.parameters)) {
    if (!isRecord(spec) || typeof spec.distribution !== 'string' || !FLOAT_DISTRIBUTIONS.has(spec.distribution)) {
      out[name] = spec;
      continue;
    }
    const boxed: ValueRecord = { ...spec };
    for (const key of ['min', 'max', 'mu', 'sigma', 'q'] as const) {
      const v = spec[key];
      if (typeof v === 'number') boxed[key] = makeFloat(v);
    }
    out[name] = boxed;
  }
  return out;
}

export interface SweepOptions {
  method: string;
  /** `early_terminate: {type: hyperband, min_iter}` when set. */
  hyperbandMinIter?: number;
  /** For the Optuna-style methods: `scheduler.settings.pruner` (default none). */
  optunaPruner?: ValueRecord | null;
}

/**
 * The bench's Optuna-style methods: `scheduler: {job: optuna, settings: {sampler}}` with
 * `method: custom`, named as in ../shared/bench/results (`tpe`, `tpe-multivariate`).
 */
export const STUDY_METHODS: Record<string, ValueRecord> = {
  tpe: { type: 'TPESampler', args: {} },
  'tpe-multivariate': { type: 'TPESampler', args: { multivariate: true } },
  'optuna-random': { type: 'RandomSampler', args: {} },
  halton: { type: 'halton', args: {} },
  gp: { type: 'GPSampler', args: {} },
};

/** The Optuna-style pruners of the curves problem, as Optuna's reference ran them. */
export const STUDY_PRUNERS: Record<string, ValueRecord | null> = {
  nopruner: null,
  median: { type: 'MedianPruner', args: { n_warmup_steps: 10 } },
  percentile25: { type: 'PercentilePruner', args: { percentile: 25.0, n_warmup_steps: 10 } },
};

/** `{method, metric: {name: 'loss', goal: 'minimize'}, parameters}` for one problem. */
export function sweepConfig(problem: Problem, opts: SweepOptions): ValueRecord {
  const sampler = STUDY_METHODS[opts.method];
  const config: ValueRecord = {
    method: sampler ? 'custom' : opts.method,
    metric: { name: 'loss', goal: 'minimize' },
    parameters: sweepParameters(problem),
  };
  if (sampler) {
    config.scheduler = { job: 'optuna', settings: { sampler, pruner: opts.optunaPruner ?? null } };
  }
  if (opts.hyperbandMinIter !== undefined) {
    config.early_terminate = { type: 'hyperband', min_iter: opts.hyperbandMinIter };
  }
  return config;
}

/** Why a grid cannot enumerate the space (the first continuous parameter), or null when it is finite. */
export function infiniteParameter(parameters: ValueRecord): string | null {
  for (const [name, spec] of Object.entries(parameters)) {
    if (!isRecord(spec)) continue;
    if ('values' in spec || 'value' in spec) continue;
    if (typeof spec.distribution === 'string' && CONTINUOUS.has(spec.distribution)) {
      return `${name} is ${spec.distribution}`;
    }
    if (!('distribution' in spec) && 'min' in spec && 'max' in spec) {
      const isFloatBound = (v: Value | undefined) => typeof v !== 'number' || !Number.isInteger(v);
      if (isFloatBound(spec.min) || isFloatBound(spec.max)) return `${name} is uniform`;
      continue;
    }
    if (!('distribution' in spec)) {
      const nested = infiniteParameter((spec.parameters as ValueRecord | undefined) ?? {});
      if (nested) return `${name}.${nested}`;
    }
  }
  return null;
}
