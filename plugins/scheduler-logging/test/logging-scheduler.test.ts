import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createInProcessEngine, fillConfig, instantiatePlugin, isPluginDefinition, loadScheduler, PyFloat, type PluginDefinition, type Run, type SchedulerContext } from '@broom/core';
import declared, { LoggingScheduler } from '../src/index.js';

// As the loader sees it (settings unknown until its schema checked them).
const plugin = declared as unknown as PluginDefinition<'scheduler', unknown>;

const hostDir = fileURLToPath(new URL('..', import.meta.url));
const engine = createInProcessEngine({ hostDirs: [hostDir] });
const config = fillConfig({ method: 'grid', metric: { name: 'val_loss' }, parameters: { lr: { values: [0.1, 0.01, 0.001] } } });

function context(lines: string[]): Omit<SchedulerContext, 'settings'> {
  return { engine, log: (l) => lines.push(l), numWorkers: 2, seed: 1 };
}

describe('@broom/scheduler-logging', () => {
  it('declares itself as the logging scheduler at its package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.meta).toMatchObject({ name: pkg.name, version: pkg.version, kind: 'scheduler', alias: 'logging' });
  });

  it('logs every active run at every poll, an ended run once, and launches as the built-in scheduler', async () => {
    const lines: string[] = [];
    const scheduler = instantiatePlugin(plugin, {}, 'scheduler.settings')({ ...context(lines), settings: {} });
    expect(scheduler).toBeInstanceOf(LoggingScheduler);
    const first = await scheduler.step({ sweepId: 'sw1', config, state: 'RUNNING', runs: [] }, 2);
    expect(first.map((d) => d.type)).toEqual(['launch', 'launch']);
    expect(lines).toEqual(['poll 1: sweep sw1 RUNNING, 0 run(s)']);
    const runs: Run[] = [
      { name: 'a', state: 'running', config: { lr: 0.1 }, history: [{ val_loss: 0.5 }, { val_loss: new PyFloat(0) }], summary: {} },
      { name: 'b', state: 'finished', config: { lr: 0.01 }, history: [], summary: { val_loss: 0.25 } },
    ];
    lines.length = 0;
    await scheduler.step({ sweepId: 'sw1', config, state: 'RUNNING', runs }, 0);
    expect(lines).toEqual([
      'poll 2: sweep sw1 RUNNING, 2 run(s) (1 running, 1 finished)',
      '  run a running: 2 steps, val_loss=0.0 [lr=0.1]',
      '  run b finished: 0 steps, val_loss=0.25 [lr=0.01]',
    ]);
    lines.length = 0;
    await scheduler.step({ sweepId: 'sw1', config, state: 'RUNNING', runs }, 0);
    expect(lines).toEqual(['poll 3: sweep sw1 RUNNING, 2 run(s) (1 running, 1 finished)', '  run a running: 2 steps, val_loss=0.0 [lr=0.1]']);
  });

  it('logs every n-th poll with `every`, and another metric with `metric`', async () => {
    const lines: string[] = [];
    const scheduler = instantiatePlugin(plugin, { every: 2, metric: 'acc' }, 'scheduler.settings')({ ...context(lines), settings: {} });
    const runs: Run[] = [{ name: 'a', state: 'running', config: {}, history: [{ acc: 0.9 }], summary: {} }];
    for (let i = 0; i < 3; i++) await scheduler.step({ sweepId: 's', config, state: 'PAUSED', runs }, 0);
    expect(lines.filter((l) => l.startsWith('poll'))).toEqual(['poll 1: sweep s PAUSED, 1 run(s) (1 running)', 'poll 3: sweep s PAUSED, 1 run(s) (1 running)']);
    expect(lines).toContain('  run a running: 1 step, acc=0.9');
  });

  it('refuses an unknown setting, naming the plugin and the key', async () => {
    const bad = fillConfig({ ...config, scheduler: { job: hostDir, settings: { evrey: 2 } } } as never, { launch: true });
    await expect(loadScheduler(bad, context([]), { hostDirs: [hostDir] })).rejects.toThrow(/@broom\/scheduler-logging[\s\S]*Key "scheduler\.settings\.evrey": unknown option/);
  });
});
