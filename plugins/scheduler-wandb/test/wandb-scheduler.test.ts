import {
  createInProcessEngine,
  fillConfig,
  isPluginDefinition,
  nextRuns,
  type Decision,
  type Run,
  type RunState,
  type SchedulerContext,
  type SweepConfig,
  type SweepState,
  type SweepView,
  type Value,
  type ValueRecord,
} from '@broom/core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import plugin, { CUSTOM_METHOD_MESSAGE, WandbScheduler } from '../src/index.js';

// The devDependencies (search-grid, pruner-hyperband) are this package's own: the engine finds them here.
const hostDir = fileURLToPath(new URL('..', import.meta.url));
const engine = createInProcessEngine({ hostDirs: [hostDir] });

function context(seed = 1): SchedulerContext & { lines: string[] } {
  const lines: string[] = [];
  return { engine, log: (l) => lines.push(l), settings: {}, numWorkers: 8, seed, lines };
}

const view = (config: SweepConfig, runs: Run[], state: SweepState = 'RUNNING') => ({ sweepId: 's', config, state, runs });
const launched = (ds: Decision[]) => ds.flatMap((d) => (d.type === 'launch' ? [d.config] : []));

describe('@broom/scheduler-wandb plugin', () => {
  it('declares itself as the wandb scheduler, and makes a WandbScheduler', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.meta).toMatchObject({ name: pkg.name, version: pkg.version, kind: 'scheduler', alias: 'wandb' });
    expect(plugin.options).toBeUndefined();
    expect(plugin.create({})(context())).toBeInstanceOf(WandbScheduler);
  });
});

describe('WandbScheduler: runs', () => {
  const grid = fillConfig({
    method: 'grid',
    parameters: { lr: { values: [0.1, 0.01] }, layers: { values: [1, 2, 3] } },
  });

  it('launches the grid cells in order across steps, whatever became of the earlier runs', async () => {
    const scheduler = new WandbScheduler(context());
    const runs: Run[] = [];
    const states: RunState[] = ['pending', 'running', 'finished', 'failed', 'crashed', 'running'];
    const steps: ValueRecord[][] = [];
    for (let i = 0; i < 5; i++) {
      const decisions = await scheduler.step(view(grid, runs), 2);
      if (decisions.some((d) => d.type === 'finish')) {
        expect(decisions).toEqual([{ type: 'finish', reason: 'the search space is exhausted' }]);
        break;
      }
      steps.push(launched(decisions));
      // The host starts them; by the next step they are in various states.
      for (const config of launched(decisions)) runs.push({ name: `r${runs.length}`, state: states[runs.length], config });
    }
    expect(steps).toEqual([
      [{ layers: 1, lr: 0.1 }, { layers: 1, lr: 0.01 }],
      [{ layers: 2, lr: 0.1 }, { layers: 2, lr: 0.01 }],
      [{ layers: 3, lr: 0.1 }, { layers: 3, lr: 0.01 }],
    ]);
  });

  it("proposes what `broom next-runs` proposes with the scheduler's seed", async () => {
    const random = fillConfig({ method: 'random', parameters: { lr: { min: 0.0, max: 1.0 }, n: { values: [1, 2, 3] } } });
    const earlier: Run[] = [{ name: 'r0', state: 'finished', config: { lr: 0.5, n: 2 } }];
    const decisions = await new WandbScheduler(context(77)).step(view(random, earlier), 3);
    const expected = await nextRuns(random as unknown as Value, earlier, 3, { seed: 77, hostDirs: [hostDir] });
    expect(launched(decisions)).toEqual(expected.map((p) => p.config));
    const other = await new WandbScheduler(context(78)).step(view(random, earlier), 3);
    expect(launched(other)).not.toEqual(launched(decisions));
  });

  it('finishes at run_cap', async () => {
    const capped = { ...grid, run_cap: 3 };
    const runs: Run[] = [{ name: 'r0', state: 'finished', config: { layers: 1, lr: 0.1 } }];
    const decisions = await new WandbScheduler(context()).step(view(capped, runs), 4);
    expect(decisions.map((d) => d.type)).toEqual(['launch', 'launch', 'finish']);
  });

  it('fails a `method: custom` sweep with a clear message, launching nothing', async () => {
    const custom = { ...grid, method: 'custom' } as SweepConfig;
    const decisions = await new WandbScheduler(context()).step(view(custom, []), 4);
    expect(decisions).toEqual([{ type: 'fail', message: CUSTOM_METHOD_MESSAGE }]);
    expect(CUSTOM_METHOD_MESSAGE).toMatch(/cannot run a sweep with `method: custom`.*scheduler\.job/s);
  });
});

describe('WandbScheduler: early_terminate', () => {
  // W&B's hyperband docstring example: max_iter 5, eta 2, s 2 → bands [1, 2]; b falls behind at band 2.
  const sweep = fillConfig({
    method: 'grid',
    parameters: { x: { values: [1, 2, 3, 4, 5, 6, 7] } },
    metric: { name: 'loss', goal: 'minimize' },
    early_terminate: { type: 'hyperband', max_iter: 5, eta: 2, s: 2 },
  });
  const run = (name: string, state: RunState, losses: number[], x: number): Run => ({
    name, state, config: { x }, history: losses.map((loss, step) => ({ loss, _step: step })),
  });
  const runs = [
    run('a', 'finished', [10, 9], 1), run('b', 'running', [10, 10], 2), run('c', 'running', [10, 8, 8], 3),
    run('d', 'running', [10, 7, 7], 4), run('e', 'finished', [10, 6, 6], 5),
  ];
  const lines = [
    'Bands: 1 = 10, 2 = 8',
    'Run: b Step: 2  (Band: 2 Metric: 10 Threshold: 8)  STOP',
    'Run: c Step: 3  (Band: 2 Metric: 8 Threshold: 8) ',
    'Run: d Step: 3  (Band: 2 Metric: 7 Threshold: 8) ',
  ];

  it('stops the condemned running runs with their early_terminate_info, and still launches', async () => {
    const ctx = context();
    const decisions = await new WandbScheduler(ctx).step(view(sweep, runs), 1);
    expect(decisions).toEqual([
      { type: 'stop', run: 'b', reason: 'early_terminate', info: { lines, bands: [1, 2], thresholds: [10, 8] } },
      { type: 'launch', config: { x: 6 }, searchInfo: undefined },
    ]);
    expect(ctx.lines).toEqual(['Stopping run b: early_terminate (hyperband): Run: b Step: 2 (Band: 2 Metric: 10 Threshold: 8) STOP']);
  });

  it('stops a run once while it runs, across steps and restarts, and again if it is resumed', async () => {
    const ctx = context();
    const scheduler = new WandbScheduler(ctx);
    const stops = async (s: WandbScheduler, rs: Run[], state: SweepState = 'RUNNING') =>
      (await s.step(view(sweep, rs, state), 0)).filter((d) => d.type === 'stop').map((d) => (d as { run: string }).run);
    expect(await stops(scheduler, runs)).toEqual(['b']);
    expect(await stops(scheduler, runs)).toEqual([]);
    expect(scheduler.getState()).toEqual({ stopping: ['b'] });

    const restarted = new WandbScheduler(ctx);
    restarted.setState(JSON.parse(JSON.stringify(scheduler.getState())) as Value);
    expect(await stops(restarted, runs, 'PAUSED')).toEqual([]); // a paused sweep is still polled

    const killed = runs.map((r) => (r.name === 'b' ? { ...r, state: 'killed' as const } : r));
    expect(await stops(restarted, killed)).toEqual([]);
    expect(restarted.getState()).toEqual({ stopping: [] });
    expect(await stops(restarted, runs)).toEqual(['b']); // resumed, still behind
    expect(ctx.lines).toHaveLength(2);
  });

  it('asks no pruner without early_terminate', async () => {
    const plain = { ...sweep, early_terminate: undefined };
    const calls: string[] = [];
    const ctx = { ...context(), engine: { ...engine, prune: async () => (calls.push('prune'), { stop: ['b'], info: {} }) } };
    const decisions = await new WandbScheduler(ctx).step(view(plain, runs), 0);
    expect(decisions).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe('subclassing WandbScheduler', () => {
  it('lets a custom scheduler override _poll and keep early termination through super', async () => {
    class FinishAtTarget extends WandbScheduler {
      protected async _poll(v: SweepView): Promise<Decision[]> {
        const decisions = await super._poll(v);
        const best = Math.min(...v.runs.flatMap((r) => (r.history ?? []).map((h) => Number(h.loss))));
        if (best <= 6) decisions.push({ type: 'finish', reason: `target reached: ${best}` });
        return decisions;
      }
    }
    const sweep = fillConfig({ method: 'grid', parameters: { x: { values: [1, 2] } }, metric: { name: 'loss' } });
    const runs: Run[] = [{ name: 'a', state: 'finished', config: { x: 1 }, history: [{ loss: 5 }] }];
    expect(await new FinishAtTarget(context()).step(view(sweep, runs), 3)).toEqual([{ type: 'finish', reason: 'target reached: 5' }]);
  });
});
