import { createRandom, isPluginDefinition, type SamplerSpace, type TrialSnapshot } from '@broom/core';
import { readFileSync } from 'node:fs';
import { describeSamplerContract } from '@broom/core/testing';
import { describe, expect, it } from 'vitest';
import plugin, { GridSampler } from '../src/index.js';

const space: SamplerSpace = {
  c: { type: 'categorical', choices: ['a', 'b'] },
  i: { type: 'int', low: 0, high: 4, step: 2 },
  s: { type: 'float', low: 0, high: 0.5, step: 0.25 },
};

function drain(sampler: GridSampler, sp: SamplerSpace, seed: number): Record<string, unknown>[] {
  const trials: TrialSnapshot[] = [];
  const random = createRandom(seed);
  for (;;) {
    const params = sampler.sample({ space: sp, trials, directions: ['minimize'], random });
    if (params === null) return trials.map((t) => t.params);
    trials.push({ number: trials.length, state: 'complete', params: params as TrialSnapshot['params'], values: [0] });
  }
}

describe('GridSampler', () => {
  it('is the GridSampler plugin, with Optuna-named strict options', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.meta).toMatchObject({ name: pkg.name, version: pkg.version, kind: 'sampler', alias: 'GridSampler' });
    expect(plugin.options?.safeParse({ search_space: { c: ['a'] }, seed: 1 }).success).toBe(true);
    expect(plugin.options?.safeParse({ searchspace: {} }).success).toBe(false);
  });

  it('hands out every grid point once, in an order that depends on the seed, then ends', () => {
    const one = drain(new GridSampler(), space, 1);
    expect(one).toHaveLength(2 * 3 * 3);
    expect(new Set(one.map((p) => JSON.stringify(p))).size).toBe(18);
    expect(drain(new GridSampler(), space, 2)).not.toEqual(one);
    expect(drain(new GridSampler(), space, 1)).toEqual(one);
  });

  it('takes the grid from search_space, checked against the sweep', () => {
    const points = drain(new GridSampler({ c: ['b'], i: [0, 4], s: [0.5] }), space, 1);
    expect(points.map((p) => JSON.stringify(p)).sort()).toEqual(['{"c":"b","i":0,"s":0.5}', '{"c":"b","i":4,"s":0.5}']);
    expect(() => drain(new GridSampler({ c: ['z'], i: [0], s: [0] }), space, 1)).toThrow(/search_space.c has "z"/);
    expect(() => drain(new GridSampler({ c: ['a'], i: [0] }), space, 1)).toThrow(/no values for the sweep's parameter s/);
    expect(() => drain(new GridSampler({ c: ['a'], i: [0], s: [0], x: [1] }), space, 1)).toThrow(/search_space.x is not a parameter/);
  });

  it('refuses a continuous parameter without listed values', () => {
    expect(() => drain(new GridSampler(), { f: { type: 'float', low: 0, high: 1 } }, 1)).toThrow(/parameter f is continuous/);
  });
});

// The contract space has continuous parameters: the grid gets their values from search_space.
describeSamplerContract(
  'GridSampler',
  () => new GridSampler({ x: [-5, 0, 5], lr: [1e-5, 1e-3, 0.1], q: [0, 0.25, 2], n: [1, 10], units: [1, 1000], s: [0, 30], c: ['a', 1, true, null, 2.5], only: ['just-this'], fixed: [3] }),
  { exhaustible: true },
);
