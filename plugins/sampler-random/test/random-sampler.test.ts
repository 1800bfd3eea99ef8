import { createRandom, isPluginDefinition, type SamplerSpace } from '@broom/core';
import { readFileSync } from 'node:fs';
import { describeSamplerContract } from '@broom/core/testing';
import { describe, expect, it } from 'vitest';
import plugin, { RandomSampler } from '../src/index.js';

const space: SamplerSpace = {
  f: { type: 'float', low: -1, high: 1 },
  lg: { type: 'float', low: 1e-5, high: 1, log: true },
  st: { type: 'float', low: 0, high: 1, step: 0.25 },
  i: { type: 'int', low: 1, high: 3 },
  il: { type: 'int', low: 1, high: 1000, log: true },
  c: { type: 'categorical', choices: ['a', 2, null, false] },
};

describe('RandomSampler', () => {
  it('is the RandomSampler plugin, with Optuna-named strict options', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.meta).toMatchObject({ name: pkg.name, version: pkg.version, kind: 'sampler', alias: 'RandomSampler' });
    expect(plugin.options?.safeParse({ seed: 3 }).success).toBe(true);
    expect(plugin.options?.safeParse({ sed: 3 }).success).toBe(false);
  });

  it('covers every distribution within its bounds, types and steps', () => {
    const sampler = new RandomSampler();
    const random = createRandom(5);
    const seen = { c: new Set<unknown>(), st: new Set<unknown>(), i: new Set<unknown>() };
    let lowLog = 0;
    for (let k = 0; k < 2000; k++) {
      const v = sampler.sample({ space, trials: [], directions: ['minimize'], random });
      expect(v.f).toBeGreaterThanOrEqual(-1);
      expect(v.f).toBeLessThanOrEqual(1);
      expect(v.lg).toBeGreaterThanOrEqual(1e-5);
      expect(Number.isInteger(v.il)).toBe(true);
      expect([0, 0.25, 0.5, 0.75, 1]).toContain(v.st);
      if ((v.lg as number) < 1e-3) lowLog++;
      seen.c.add(v.c);
      seen.st.add(v.st);
      seen.i.add(v.i);
    }
    expect(seen.c).toEqual(new Set(['a', 2, null, false]));
    expect(seen.st.size).toBe(5);
    expect(seen.i).toEqual(new Set([1, 2, 3]));
    expect(lowLog / 2000).toBeGreaterThan(0.3); // log-uniform: 40% of the mass below 1e-3
  });

  it('with a seed, depends only on the seed and the number of trials', () => {
    const a = new RandomSampler(9).sample({ space, trials: [], directions: ['minimize'], random: createRandom(1) });
    const b = new RandomSampler(9).sample({ space, trials: [], directions: ['minimize'], random: createRandom(2) });
    expect(a).toEqual(b);
    const c = new RandomSampler(9).sample({ space, trials: [{ number: 0, state: 'fail', params: a }], directions: ['minimize'], random: createRandom(1) });
    expect(c).not.toEqual(a);
  });
});

describeSamplerContract('RandomSampler', () => new RandomSampler());
describeSamplerContract('RandomSampler with a seed', () => new RandomSampler(3), { historyDetermined: true });
