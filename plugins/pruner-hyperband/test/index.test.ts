import { isPluginDefinition, requireRunPruner, type SweepConfig } from '@broom/core';
import { describe, expect, it } from 'vitest';
import plugin, { HyperbandPruner, hyperbandBands } from '../src/index.js';

describe('@broom/pruner-hyperband', () => {
  it('default-exports a pruner plugin named hyperband', () => {
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.meta).toMatchObject({ name: '@broom/pruner-hyperband', version: '0.1.0', kind: 'pruner', alias: 'hyperband' });
  });

  it('creates a working HyperbandPruner with no container', async () => {
    const pruner = requireRunPruner(plugin.create({}), 'hyperband');
    expect(pruner).toBeInstanceOf(HyperbandPruner);
    const config = {
      method: 'random',
      parameters: {},
      metric: { name: 'loss', goal: 'minimize', impute: 'worst', impute_while_running: 'false' },
      early_terminate: { type: 'hyperband', min_iter: 1, eta: 2, strict: true },
    } as SweepConfig;
    const runs = [
      { name: 'good', state: 'running' as const, config: {}, history: [{ loss: 1 }] },
      { name: 'bad', state: 'running' as const, config: {}, history: [{ loss: 2 }] },
    ];
    // band 1: sorted [1, 2][int(0.5·2)=1] = 2: neither is above it; a third, worse run is.
    expect((await pruner.evaluate(config, runs)).stop).toEqual([]);
    runs.push({ name: 'worse', state: 'running', config: {}, history: [{ loss: 3 }] });
    expect((await pruner.evaluate(config, runs)).stop).toEqual(['worse']);
  });

  it('exports the band computation', () => {
    expect(hyperbandBands({ type: 'hyperband', max_iter: 27, s: 2, eta: 3, strict: true })).toEqual([3, 9]);
  });
});
