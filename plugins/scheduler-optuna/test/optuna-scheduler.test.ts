import {
  createInProcessEngine,
  fillConfig,
  isPluginDefinition,
  loadScheduler,
  nextRuns,
  stopRuns,
  type Decision,
  type Run,
  type SchedulerContext,
  type SweepConfig,
  type Value,
  type ValueRecord,
} from '@broom/core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import plugin, { OptunaScheduler } from '../src/index.js';

const hostDir = fileURLToPath(new URL('..', import.meta.url));
const testDir = fileURLToPath(new URL('.', import.meta.url));
const engine = createInProcessEngine({ hostDirs: [hostDir] });

function context(seed = 1): SchedulerContext & { lines: string[] } {
  const lines: string[] = [];
  return { engine: { propose: (c, r, n, s, call) => engine.propose(c, r, n, s, { configDir: testDir, ...call }), prune: (c, r, call) => engine.prune(c, r, { configDir: testDir, ...call }) }, log: (l) => lines.push(l), settings: {}, numWorkers: 8, seed, lines };
}

const sweep = (settings: Record<string, Value>, extra: Record<string, Value> = {}): Record<string, Value> => ({
  method: 'custom',
  metric: { name: 'loss', goal: 'minimize' },
  parameters: {
    lr: { min: 0.0001, max: 0.1, distribution: 'log_uniform_values' },
    layers: { min: 1, max: 4 },
    act: { values: ['relu', 'tanh'] },
    opt: { parameters: { momentum: { values: [0.0, 0.9] }, name: { value: 'sgd' } } },
    width: { mu: 64, sigma: 8, distribution: 'normal' },
  },
  scheduler: { job: 'optuna', settings },
  ...extra,
});

const run = (name: string, state: Run['state'], config: ValueRecord, losses: number[] = [], extra: Partial<Run> = {}): Run => ({
  name, state, config, history: losses.map((loss) => ({ loss })), summary: {}, ...extra,
});

const launched = (ds: Decision[]) => ds.flatMap((d) => (d.type === 'launch' ? [d.config] : []));

describe('@broom/scheduler-optuna plugin', () => {
  it('declares itself as the optuna scheduler, with strict settings', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.meta).toMatchObject({ name: pkg.name, version: pkg.version, kind: 'scheduler', alias: 'optuna' });
    expect(plugin.options?.safeParse({ sampler: { type: 'TPESampler', args: { n_startup_trials: 3 } }, pruner: null }).success).toBe(true);
    expect(plugin.options?.safeParse({ samplr: { type: 'TPESampler' } }).success).toBe(false);
  });

  it('refuses a misspelt settings key with an error that names the plugin and the key', async () => {
    const raw = sweep({ sampler: { type: 'RandomSampler' }, prunner: null });
    const config = fillConfig({ ...raw, scheduler: { ...(raw.scheduler as ValueRecord), job: fileURLToPath(new URL('../src/index.ts', import.meta.url)) } });
    await expect(loadScheduler(config, { engine, log: () => {}, numWorkers: 1, seed: 1 }, { hostDirs: [hostDir] })).rejects.toThrow(
      /@broom\/scheduler-optuna[\s\S]*scheduler\.settings\.prunner/,
    );
  });
});

describe('the stateless engine speaks the study (broom next-runs / stop-runs)', () => {
  it('proposes from the configured sampler, inside the space, with nested parameters and constants kept', async () => {
    const config = sweep({ sampler: { type: 'RandomSampler' }, pruner: null });
    const proposals = await nextRuns(config, [], 50, { seed: 7, hostDirs: [hostDir] });
    expect(proposals).toHaveLength(50);
    const acts = new Set<Value>();
    for (const { config: c } of proposals) {
      const lr = Number(c.lr?.valueOf());
      expect(lr).toBeGreaterThanOrEqual(0.0001);
      expect(lr).toBeLessThanOrEqual(0.1);
      expect(Number.isInteger(c.layers)).toBe(true);
      expect(c.layers).toBeGreaterThanOrEqual(1);
      expect(c.layers).toBeLessThanOrEqual(4);
      acts.add(c.act);
      expect((c.opt as ValueRecord).name).toBe('sgd');
      expect([0, 0.9]).toContain(Number((c.opt as ValueRecord).momentum?.valueOf()));
      expect(typeof Number(c.width?.valueOf())).toBe('number');
    }
    expect(acts).toEqual(new Set(['relu', 'tanh']));
    // log-uniform: about half the draws below the geometric middle (0.00316), not 5% as uniform would give.
    const low = proposals.filter((p) => Number(p.config.lr?.valueOf()) < Math.sqrt(0.0001 * 0.1)).length;
    expect(low).toBeGreaterThan(12);
    expect(low).toBeLessThan(38);
    // Same seed, same proposals; another seed, others.
    expect(await nextRuns(config, [], 50, { seed: 7, hostDirs: [hostDir] })).toEqual(proposals);
    expect(await nextRuns(config, [], 50, { seed: 8, hostDirs: [hostDir] })).not.toEqual(proposals);
  });

  it('ends the sweep when a GridSampler has handed out every point, each once', async () => {
    const config = {
      method: 'custom',
      metric: { name: 'loss', goal: 'minimize' },
      parameters: { a: { values: [1, 2, 3] }, b: { min: 0, max: 1 } },
      scheduler: { job: 'optuna', settings: { sampler: { type: 'GridSampler', args: { seed: 3 } } } },
    };
    const proposals = await nextRuns(config, [], 10, { seed: 1, hostDirs: [hostDir] });
    expect(proposals.map((p) => `${p.config.a},${p.config.b}`).sort()).toEqual(['1,0', '1,1', '2,0', '2,1', '3,0', '3,1']);
    const runs = proposals.slice(0, 4).map((p, i) => run(`r${i}`, 'failed', p.config));
    const rest = await nextRuns(config, runs, 10, { seed: 1, hostDirs: [hostDir] });
    expect(rest).toHaveLength(2);
  });

  it('names a continuous parameter that a GridSampler cannot grid', async () => {
    const config = { ...sweep({ sampler: { type: 'GridSampler' } }) };
    await expect(nextRuns(config, [], 1, { seed: 1, hostDirs: [hostDir] })).rejects.toThrow(/GridSampler: parameter lr is continuous/);
  });

  it('stops the running runs the configured Optuna-style pruner condemns, with its info', async () => {
    const config = sweep({ sampler: 'RandomSampler', pruner: { type: './fixtures/above-pruner.mjs', args: { above: 5 } } });
    const [p1, p2, p3] = await nextRuns(config, [], 3, { seed: 1, hostDirs: [hostDir] });
    const runs = [
      run('good', 'running', p1.config, [9, 4]),
      run('bad', 'running', p2.config, [3, 6]),
      run('done', 'finished', p3.config, [9, 9]),
      run('fresh', 'running', p3.config),
    ];
    const result = await stopRuns(config, runs, { configDir: testDir, hostDirs: [hostDir] });
    expect(result.stop).toEqual(['bad']);
    expect(result.info.bad).toMatchObject({ prune: true, step: 1, value: 6 });
    expect(result.info.good).toMatchObject({ prune: false });
    expect(result.info.done).toBeUndefined();
  });

  it('gives clear errors for bad settings, naming the key', async () => {
    const at = (settings: Record<string, Value>) => nextRuns(sweep(settings), [], 1, { seed: 1, hostDirs: [hostDir] });
    await expect(at({ sampler: { type: 'NoSuchSampler' } })).rejects.toThrow(/NoSuchSampler/);
    await expect(at({ sampler: { type: 'RandomSampler', args: { sed: 1 } } })).rejects.toThrow(/scheduler\.settings\.sampler\.args\.sed/);
    await expect(at({ sampler: { kind: 'RandomSampler' } })).rejects.toThrow(/scheduler\.settings\.sampler\.kind: unknown key/);
    await expect(at({ optuna_source: 'study.py' })).rejects.toThrow(/optuna_source: is not supported/);
    await expect(
      at({ metrics: [{ name: 'loss', goal: 'minimize' }, { name: 'acc', goal: 'maximize' }], pruner: { type: 'MedianPruner' } }),
    ).rejects.toThrow(/cannot prune a study with 2 objectives/);
    const { metric: _, ...noMetric } = sweep({});
    await expect(nextRuns(noMetric, [], 1, { hostDirs: [hostDir] })).rejects.toThrow(/needs an objective/);
  });
});

describe('OptunaScheduler', () => {
  const raw = sweep({ sampler: 'RandomSampler', pruner: { type: './fixtures/above-pruner.mjs', args: { above: 5 } } });
  const config = (): SweepConfig => fillConfig(raw);

  it('launches sampler proposals into free slots, as the stateless engine would with the same seed', async () => {
    const c = config();
    const scheduler = new OptunaScheduler(context(11));
    const decisions = await scheduler.step({ sweepId: 's', config: c, state: 'RUNNING', runs: [] }, 3);
    expect(launched(decisions)).toEqual((await nextRuns(raw, [], 3, { seed: 11, hostDirs: [hostDir] })).map((p) => p.config));
  });

  it('prunes a running run once, with the reason pruned, and forgets it once it has stopped', async () => {
    const c = config();
    const ctx = context();
    const scheduler = new OptunaScheduler(ctx);
    const [p] = await nextRuns(raw, [], 1, { seed: 1, hostDirs: [hostDir] });
    const runs = [run('bad', 'running', p.config, [7])];
    const first = await scheduler.step({ sweepId: 's', config: c, state: 'RUNNING', runs }, 0);
    expect(first).toEqual([{ type: 'stop', run: 'bad', reason: 'pruned', info: expect.objectContaining({ prune: true, value: 7 }) }]);
    expect(ctx.lines.join('\n')).toMatch(/Pruning run bad/);
    expect(await scheduler.step({ sweepId: 's', config: c, state: 'RUNNING', runs }, 0)).toEqual([]);
    // The state survives a restart: a new scheduler restored from it does not stop the run twice.
    const restored = new OptunaScheduler(context());
    restored.setState(JSON.parse(JSON.stringify(scheduler.getState())) as Value);
    expect(await restored.step({ sweepId: 's', config: c, state: 'RUNNING', runs }, 0)).toEqual([]);
  });

  it('fails the sweep after three runs in a row end without the metric', async () => {
    const c = config();
    const scheduler = new OptunaScheduler(context());
    const [p] = await nextRuns(raw, [], 1, { seed: 1, hostDirs: [hostDir] });
    const runs = [run('ok', 'finished', p.config, [1]), run('a', 'finished', p.config), run('b', 'crashed', p.config)];
    expect((await scheduler.step({ sweepId: 's', config: c, state: 'RUNNING', runs }, 1)).some((d) => d.type === 'fail')).toBe(false);
    const decisions = await scheduler.step({ sweepId: 's', config: c, state: 'RUNNING', runs: [...runs, run('c', 'finished', p.config)] }, 1);
    expect(decisions).toEqual([{ type: 'fail', message: expect.stringMatching(/3 runs in a row \(a, b, c\) ended without logging loss/) }]);
  });
});
