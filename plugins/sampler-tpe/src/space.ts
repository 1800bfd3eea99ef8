import type { Random, SamplerDistribution, SamplerSpace, SamplerValue } from '@broom/core';
import { checkDistribution, isSingleDistribution, roundHalfEven, singleDistributionValue, type CheckedDistribution } from '@broom/core';

/**
 * A parameter as the estimators see it (Optuna's internal representation): numerical values in
 * their internal space (the log for log ranges; an int log range keeps Optuna's widening to
 * [ln(low − ½), ln(high + ½)] and is continuous there) with a `step` of 0 when continuous;
 * categoricals as choice indices.
 */
export type Dim =
  | { name: string; kind: 'categorical'; nChoices: number; dist: CheckedDistribution }
  | { name: string; kind: 'numerical'; low: number; high: number; step: number; dist: CheckedDistribution };

export type { CheckedDistribution };

/** Whether the distribution has a single value (Optuna's `single()`). */
export const isSingle = isSingleDistribution;

/** The only value of a single distribution. */
export const singleValue = singleDistributionValue;

export function toDim(name: string, d: CheckedDistribution): Dim {
  if (d.type === 'categorical') return { name, kind: 'categorical', nChoices: d.choices.length, dist: d };
  if (d.log) {
    // Optuna's log-int widening: continuous over [ln(low − ½), ln(high + ½)], rounded back.
    if (d.type === 'int') return { name, kind: 'numerical', low: Math.log(d.low - 0.5), high: Math.log(d.high + 0.5), step: 0, dist: d };
    return { name, kind: 'numerical', low: Math.log(d.low), high: Math.log(d.high), step: 0, dist: d };
  }
  return { name, kind: 'numerical', low: d.low, high: d.high, step: d.type === 'int' ? d.step : (d.step ?? 0), dist: d };
}

/**
 * A trial's value as an internal value of the distribution, or undefined when the value could not
 * have come from it (missing, wrong type, out of range, not one of the choices): such a trial does
 * not count as an observation of the parameter.
 */
export function toInternal(d: CheckedDistribution, value: SamplerValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (d.type === 'categorical') {
    const i = d.choices.findIndex((c) => c === value || (typeof c === 'number' && typeof value === 'number' && Number.isNaN(c) && Number.isNaN(value)));
    return i < 0 ? undefined : i;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const tol = 1e-9 * Math.max(1, Math.abs(d.low), Math.abs(d.high));
  if (value < d.low - tol || value > d.high + tol) return undefined;
  if (d.type === 'int' && !Number.isInteger(value)) return undefined;
  return d.log ? Math.log(value) : value;
}

/** An internal value back as the value the trial gets, inside the distribution. */
export function toExternal(d: CheckedDistribution, x: number): SamplerValue {
  if (d.type === 'categorical') return d.choices[x];
  let v = d.log ? Math.exp(x) : x;
  if (d.type === 'int') {
    v = d.low + roundHalfEven((v - d.low) / d.step) * d.step;
  } else if (d.step !== undefined) {
    v = d.low + roundHalfEven((v - d.low) / d.step) * d.step;
  }
  v = Math.min(d.high, Math.max(d.low, v));
  return v + 0; // never -0
}

/**
 * Optuna's RandomSampler for one parameter: a uniform draw over the transformed range (log
 * range in log space, steps widened by half a step each side), rounded back onto the grid;
 * a categorical is a uniform choice.
 */
export function sampleRandom(d: CheckedDistribution, random: Random): SamplerValue {
  const u = random.next();
  if (d.type === 'categorical') return d.choices[Math.min(d.choices.length - 1, Math.floor(u * d.choices.length))];
  if (d.low === d.high) return d.low;
  let lo: number;
  let hi: number;
  if (d.type === 'int') {
    lo = d.log ? Math.log(d.low - 0.5) : d.low - 0.5 * d.step;
    hi = d.log ? Math.log(d.high + 0.5) : d.high + 0.5 * d.step;
  } else if (d.log) {
    lo = Math.log(d.low);
    hi = Math.log(d.high);
  } else if (d.step !== undefined) {
    lo = d.low - 0.5 * d.step;
    hi = d.high + 0.5 * d.step;
  } else {
    lo = d.low;
    hi = d.high;
  }
  const x = lo + u * (hi - lo);
  return toExternal({ ...d, log: false } as CheckedDistribution, d.log ? Math.exp(x) : x);
}

/** Validates a whole space, keeping its order. */
export function checkSpace(space: SamplerSpace): Map<string, CheckedDistribution> {
  if (typeof space !== 'object' || space === null) throw new Error('TPESampler: the search space must be an object of parameter distributions');
  const out = new Map<string, CheckedDistribution>();
  for (const [name, d] of Object.entries(space)) out.set(name, checkDistribution('TPESampler', name, d));
  return out;
}
