import { importPlugin, instantiatePlugin, nextRuns, resolvePlugin, type Run } from '@broom/core';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GpSampler } from '../src/index.js';

/** The CLI and server packages: their dependencies hold the built-in plugins, as when `broom` runs. */
const hosts = ['cli', 'server'].map((p) => fileURLToPath(new URL(`../../../packages/${p}`, import.meta.url)));

describe('GPSampler as a built-in plugin', () => {
  for (const host of hosts) {
    it(`resolves from ${host.split('/').pop()} by its Optuna class name and builds from Optuna's args`, async () => {
      const resolved = resolvePlugin('GPSampler', 'sampler', { hostDirs: [host] });
      expect(resolved.source).toBe('builtin');
      const plugin = await importPlugin(resolved);
      expect(plugin.meta).toMatchObject({ alias: 'GPSampler', kind: 'sampler', name: '@broom/sampler-gp' });
      const sampler = instantiatePlugin(plugin, { n_startup_trials: 4, deterministic_objective: true }, 'scheduler.settings.sampler.args');
      expect((sampler as GpSampler).options).toEqual({ n_startup_trials: 4, deterministic_objective: true });
    });
  }

  it('rejects a misspelt option at its config key', async () => {
    const plugin = await importPlugin(resolvePlugin('GPSampler', 'sampler', { hostDirs: hosts }));
    expect(() => instantiatePlugin(plugin, { n_startup_trails: 4 }, 'scheduler.settings.sampler.args')).toThrow(
      'Key "scheduler.settings.sampler.args.n_startup_trails": unknown option',
    );
  });

  const config = (settings: Record<string, unknown> = {}) => ({
    method: 'custom',
    metric: { name: 'loss', goal: 'minimize' },
    parameters: {
      x: { distribution: 'uniform', min: -2, max: 2 },
      layers: { min: 1, max: 4 },
      act: { values: ['relu', 'tanh'] },
    },
    scheduler: { job: 'optuna', settings: { sampler: { type: 'GPSampler', args: { n_startup_trials: 3 } }, pruner: null, ...settings } },
  });

  it("drives a sweep through the engine's nextRuns, with pending runs as running trials", async () => {
    const runs: Run[] = [];
    const loss = (c: Record<string, unknown>) => ((c.x as number) - 0.5) ** 2 + ((c.layers as number) - 3) ** 2 + (c.act === 'tanh' ? 0 : 1);
    for (let i = 0; i < 16; i++) {
      const [proposal] = await nextRuns(config(), runs, 1, { seed: 1, hostDirs: hosts });
      const value = loss(proposal.config as Record<string, unknown>);
      runs.push({ name: `r${i}`, state: 'finished', config: proposal.config, history: [{ loss: value }], summary: { loss: value } } as Run);
    }
    const best = Math.min(...runs.map((r) => r.summary?.loss as number));
    expect(best).toBeLessThan(0.05);
    const two = await nextRuns(config(), runs, 2, { seed: 1, hostDirs: hosts });
    expect(two).toHaveLength(2);
    expect(two[1].config).not.toEqual(two[0].config);
  });

  it('refuses a multi-objective sweep with a message that says why', async () => {
    const settings = { metrics: [{ name: 'loss', goal: 'minimize' }, { name: 'time', goal: 'minimize' }] };
    await expect(nextRuns(config(settings), [], 1, { seed: 1, hostDirs: hosts })).rejects.toThrow(/GPSampler supports a single objective/);
  });
});
