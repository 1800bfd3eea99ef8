import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BroomError,
  createInProcessEngine,
  fillConfig,
  loadScheduler,
  PluginContractError,
  PluginLoadError,
  type Decision,
  type Run,
  type SchedulerContext,
  type SweepConfig,
} from '../../../src/index.js';
import { createPluginHost } from '../worker/plugin-host.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const host = createPluginHost([fixture('logging-scheduler.js'), fixture('throwing-scheduler.js')]);
afterAll(() => host.remove());

const sweep = (extra: Record<string, unknown> = {}): SweepConfig =>
  fillConfig({ method: 'grid', parameters: { a: { values: [1, 2, 3] } }, ...extra });

function context(seed = 1): Omit<SchedulerContext, 'settings'> & { lines: string[] } {
  const lines: string[] = [];
  return { engine: createInProcessEngine({ hostDirs: [host.dir] }), log: (l) => lines.push(l), numWorkers: 4, seed, lines };
}

const opts = { configDir: host.dir, file: 'sweep.yaml' };
const view = (config: SweepConfig, runs: Run[] = []) => ({ sweepId: 's', config, state: 'RUNNING' as const, runs });
const launched = (ds: Decision[]) => ds.flatMap((d) => (d.type === 'launch' ? [d.config] : []));
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as BroomError);

describe('loadScheduler', () => {
  it('loads the wandb scheduler when the config names none, and by its alias', async () => {
    for (const config of [sweep(), sweep({ scheduler: { job: 'wandb', settings: {} } })]) {
      const scheduler = await loadScheduler(config, context(), opts);
      expect(scheduler.constructor.name).toBe('WandbScheduler');
      expect(launched(await scheduler.step(view(config), 2))).toEqual([{ a: 1 }, { a: 2 }]);
    }
  });

  it('loads a scheduler from a file next to the config, subclassing WandbScheduler, with its settings', async () => {
    const config = sweep({ scheduler: { job: './logging-scheduler.js', settings: { prefix: 'sweep s' } } });
    const ctx = context();
    const scheduler = await loadScheduler(config, ctx, opts);
    expect(scheduler.constructor.name).toBe('LoggingScheduler');
    const runs: Run[] = [{ name: 'r0', state: 'running', config: { a: 1 } }];
    expect(launched(await scheduler.step(view(config, runs), 1))).toEqual([{ a: 2 }]);
    expect(ctx.lines).toEqual(['sweep s: 1 runs, 1 active, 0 decisions']);
  });

  it('rejects an unknown settings key, naming the plugin and the key', async () => {
    const error = await failure(loadScheduler(sweep({ scheduler: { settings: { methd: 'grid' } } }), context(), opts));
    expect(error).toBeInstanceOf(PluginContractError);
    expect(error.message).toBe(
      'Invalid options for the plugin "@broom/scheduler-wandb":\n  Key "scheduler.settings.methd": the plugin takes no options',
    );
    const strict = await failure(
      loadScheduler(sweep({ scheduler: { job: './logging-scheduler.js', settings: { prefix: 'p', foo: 1 } } }), context(), opts),
    );
    expect(strict.message).toBe('Invalid options for the plugin "logging-scheduler":\n  Key "scheduler.settings.foo": unknown option');
    const missing = await failure(loadScheduler(sweep({ scheduler: { job: './logging-scheduler.js' } }), context(), opts));
    expect(missing.message).toContain('Key "scheduler.settings.prefix": must be a string');
  });

  it('reports an unknown scheduler name, with the aliases and a suggestion', async () => {
    const error = await failure(loadScheduler(sweep({ scheduler: { job: 'wandbb' } }), context(), opts));
    expect(error).toBeInstanceOf(PluginLoadError);
    expect(error.message).toMatch(/^Cannot find the scheduler plugin "wandbb" named by `scheduler.job` in sweep.yaml\./);
    expect(error.message).toContain('a built-in scheduler alias (wandb, optuna, logging): Did you mean "wandb"?');
    expect(error.message).toContain('broom-plugin-wandbb');
    const file = await failure(loadScheduler(sweep({ scheduler: { job: './nope.js' } }), context(), opts));
    expect(file.message).toContain(`the file ${host.dir}/nope.js`);
  });

  it('refuses a plugin of another kind', async () => {
    const error = await failure(
      loadScheduler(sweep({ scheduler: { job: './node_modules/@broom/search-grid' } }), context(), opts),
    );
    expect(error.message).toBe('The plugin "./node_modules/@broom/search-grid" is a search plugin, but `scheduler.job` needs a scheduler plugin.');
  });

  it('reports a scheduler plugin that throws, or makes no scheduler, naming the plugin', async () => {
    const config = sweep({ scheduler: { job: './throwing-scheduler.js' } });
    const thrown = await failure(loadScheduler(config, context(), opts));
    expect(thrown).toBeInstanceOf(BroomError);
    expect(thrown.code).toBe('scheduler-create-failed');
    expect(thrown.message).toMatch(
      /^The scheduler plugin "\.\/throwing-scheduler\.js" \(throwing-scheduler\) failed to create the sweep's scheduler: cannot read the queue name\n/,
    );
    const wrong = await failure(loadScheduler(config, context(13), opts));
    expect(wrong.code).toBe('not-a-scheduler');
    expect(wrong.message).toContain('but it gave an object without a `step` method (Object)');
  });
});
