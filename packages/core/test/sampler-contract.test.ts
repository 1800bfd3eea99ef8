import { describe, expect, it } from 'vitest';
import type { Random, Sampler, SamplerDistribution, SamplerValue } from '../src/index.js';
import { describeSamplerContract, distributionViolation, plainDataViolation } from '../src/testing/index.js';

describe('sampler contract helpers', () => {
  it('distributionViolation catches bounds, types, steps and choices by identity', () => {
    const f: SamplerDistribution = { type: 'float', low: 0, high: 1 };
    const st: SamplerDistribution = { type: 'float', low: 0, high: 1, step: 0.25 };
    const i: SamplerDistribution = { type: 'int', low: 1, high: 9, step: 2 };
    const c: SamplerDistribution = { type: 'categorical', choices: ['a', 1, null] };
    expect(distributionViolation(f, 0.5)).toBeNull();
    expect(distributionViolation(f, 1.5)).toMatch(/outside/);
    expect(distributionViolation(f, NaN)).toMatch(/finite/);
    expect(distributionViolation(f, '0.5')).toMatch(/finite/);
    expect(distributionViolation(st, 0.75)).toBeNull();
    expect(distributionViolation(st, 0.7)).toMatch(/grid/);
    expect(distributionViolation(i, 5)).toBeNull();
    expect(distributionViolation(i, 4)).toMatch(/grid/);
    expect(distributionViolation(i, 5.5)).toMatch(/integer/);
    expect(distributionViolation(c, null)).toBeNull();
    expect(distributionViolation(c, '1')).toMatch(/choices/);
    expect(distributionViolation(c, undefined)).toMatch(/choices/);
  });

  it('plainDataViolation rejects class instances, functions, NaN and undefined', () => {
    expect(plainDataViolation({ a: 1, b: 'x', c: null, d: false })).toBeNull();
    expect(plainDataViolation(new (class P {})())).toMatch(/class instance/);
    expect(plainDataViolation({ a: NaN })).toMatch(/plain data/);
    expect(plainDataViolation({ a: () => 1 })).toMatch(/plain data/);
    expect(plainDataViolation({ a: undefined })).toMatch(/plain data/);
    expect(plainDataViolation(null)).toMatch(/not an object/);
  });
});

/** A minimal uniform sampler, to run the suite itself against something that passes it. */
function uniform(d: SamplerDistribution, r: Random): SamplerValue {
  const u = r.next();
  if (d.type === 'categorical') return d.choices[Math.floor(u * d.choices.length)];
  if (d.log) {
    const x = Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low)));
    return d.type === 'int' ? Math.min(d.high, Math.max(d.low, Math.round(x))) : Math.min(d.high, Math.max(d.low, x));
  }
  const step = d.step ?? (d.type === 'int' ? 1 : undefined);
  if (step === undefined) return d.low + u * (d.high - d.low);
  const n = Math.floor((d.high - d.low) / step + 1e-9);
  return d.low + Math.floor(u * (n + 1)) * step;
}
const uniformSampler: Sampler = {
  sample: ({ space, random }) => Object.fromEntries(Object.entries(space).map(([k, d]) => [k, uniform(d, random)])),
};
describeSamplerContract('uniform reference', () => uniformSampler, { multiObjective: true });
