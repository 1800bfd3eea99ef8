import type { SamplerDistribution, SamplerValue } from './sampler.js';

/** A validated distribution, with `high` moved down onto the step grid as Optuna does. */
export type CheckedDistribution =
  | { type: 'float'; low: number; high: number; log: boolean; step?: number }
  | { type: 'int'; low: number; high: number; log: boolean; step: number }
  | { type: 'categorical'; choices: SamplerValue[] };

/** Optuna's rule: `high` becomes low + ⌊(high − low)/step⌋·step (with a little tolerance). */
function adjustHigh(low: number, high: number, step: number): number {
  return low + Math.floor((high - low) / step + 1e-9) * step;
}

/**
 * Checks one distribution of a sampler's space the way Optuna's FloatDistribution,
 * IntDistribution and CategoricalDistribution do (bounds, log, step, choices), for samplers that
 * want Optuna's rules. A problem throws an Error naming the sampler and the parameter.
 */
export function checkDistribution(sampler: string, name: string, d: SamplerDistribution): CheckedDistribution {
  const fail = (message: string): never => {
    throw new Error(`${sampler}: parameter '${name}': ${message}`);
  };
  if (typeof d !== 'object' || d === null || !['float', 'int', 'categorical'].includes((d as { type?: string }).type ?? '')) {
    fail("the distribution's type must be 'float', 'int' or 'categorical'");
  }
  if (d.type === 'categorical') {
    if (!Array.isArray(d.choices) || d.choices.length === 0) fail('a categorical needs at least one choice');
    for (const c of d.choices) {
      if (!(c === null || ['string', 'number', 'boolean'].includes(typeof c))) fail(`a choice must be a string, number, boolean or null, not ${typeof c}`);
    }
    return { type: 'categorical', choices: d.choices };
  }
  const { low, high } = d;
  if (!Number.isFinite(low) || !Number.isFinite(high)) fail(`low and high must be finite numbers (got ${low}, ${high})`);
  if (low > high) fail(`low (${low}) must not be greater than high (${high})`);
  const log = d.log === true;
  if (log && low <= 0) fail(`a log range needs low > 0 (got low = ${low})`);
  if (d.type === 'float') {
    if (d.step !== undefined && d.step !== null) {
      if (log) fail('a float range cannot have both log and step');
      if (!(d.step > 0)) fail(`step must be > 0 (got ${d.step})`);
      return { type: 'float', low, high: adjustHigh(low, high, d.step), log: false, step: d.step };
    }
    return { type: 'float', low, high, log };
  }
  if (!Number.isInteger(low) || !Number.isInteger(high)) fail(`an int range needs integer low and high (got ${low}, ${high})`);
  const step = d.step ?? 1;
  if (!Number.isInteger(step) || step < 1) fail(`an int step must be a positive integer (got ${step})`);
  if (log && step !== 1) fail('an int range cannot have both log and a step other than 1');
  return { type: 'int', low, high: adjustHigh(low, high, step), log, step };
}

/** Whether the distribution has a single value (Optuna's `single()`). */
export function isSingleDistribution(d: CheckedDistribution): boolean {
  return d.type === 'categorical' ? d.choices.length === 1 : d.low === d.high;
}

/** The only value of a single distribution. */
export function singleDistributionValue(d: CheckedDistribution): SamplerValue {
  return d.type === 'categorical' ? d.choices[0] : d.low;
}
