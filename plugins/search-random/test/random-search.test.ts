import { createRandom, isFloat, isInt, isPluginDefinition, type ParamSpecs, type SweepConfig } from '@broom/core';
import { describeSearchMethodContract } from '@broom/core/testing';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import plugin, { RandomSearch } from '../src/index.js';

const parameters: ParamSpecs = {
  lr: { distribution: 'log_uniform_values', min: 1e-5, max: 1e-1 },
  epochs: { distribution: 'constant', value: 5 },
  batch: { distribution: 'q_uniform', min: 16, max: 256, q: { value: 16, isInt: true } },
  model: {
    distribution: 'param_dict',
    parameters: {
      depth: { distribution: 'int_uniform', min: 2, max: 8 },
      act: { distribution: 'categorical', values: ['relu', 'gelu'] },
      dropout: { distribution: 'beta', a: 2, b: 8 },
    },
  },
};
const config: SweepConfig = { method: 'random', parameters };

describe('@broom/search-random plugin', () => {
  it('declares itself as the random search method', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.meta).toMatchObject({ name: pkg.name, version: pkg.version, kind: 'search', alias: 'random' });
    expect(plugin.create({})).toBeInstanceOf(RandomSearch);
  });
});

describe('RandomSearch', () => {
  it('proposes nested configs inside the space', () => {
    const method = new RandomSearch();
    const random = createRandom(11);
    for (let i = 0; i < 300; i++) {
      const { config: c } = method.next({ config, runs: [], random });
      expect(Object.keys(c).sort()).toEqual(['batch', 'epochs', 'lr', 'model']);
      expect(c.epochs).toBe(5);
      expect(isFloat(c.lr) && (c.lr as number) >= 1e-5 * 0.999999 && (c.lr as number) <= 0.1 * 1.000001).toBe(true);
      expect(isInt(c.batch) && (c.batch as number) % 16 === 0).toBe(true);
      const model = c.model as { depth: number; act: string; dropout: number };
      expect(isInt(model.depth) && model.depth >= 2 && model.depth <= 8).toBe(true);
      expect(['relu', 'gelu']).toContain(model.act);
      expect(model.dropout >= 0 && model.dropout <= 1).toBe(true);
    }
  });

  it('is reproducible from the seed and ignores earlier runs', () => {
    const method = new RandomSearch();
    const a = method.next({ config, runs: [], random: createRandom(3) });
    const b = method.next({ config, runs: [{ name: 'x', state: 'finished', config: a.config }], random: createRandom(3) });
    expect(b).toEqual(a);
    expect(method.next({ config, runs: [], random: createRandom(4) })).not.toEqual(a);
  });

  it('never exhausts and expects no run count', () => {
    const method = new RandomSearch();
    const small: SweepConfig = { method: 'random', parameters: { a: { distribution: 'categorical', values: [1] } } };
    const random = createRandom(1);
    for (let i = 0; i < 1000; i++) expect(method.next({ config: small, runs: [], random })).toEqual({ config: { a: 1 } });
    expect(method.expectedRunCount()).toBeNull();
  });
});

describeSearchMethodContract('random', () => new RandomSearch(), [
  { config },
  {
    config: {
      method: 'random',
      parameters: {
        n: { distribution: 'q_normal', mu: 0, sigma: 3, q: { value: 0.5, isInt: false } },
        p: { distribution: 'categorical_w_probabilities', values: ['a', 'b'], probabilities: [0.2, 0.8] },
        i: { distribution: 'inv_log_uniform_values', min: 0.01, max: 1 },
      },
    },
  },
]);
