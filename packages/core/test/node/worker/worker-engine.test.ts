import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BroomError,
  createInProcessEngine,
  createRandom,
  createWorkerEngine,
  fillConfig,
  isPyFloat,
  parseJson,
  PluginLoadError,
  sampleConfig,
  SearchError,
  stringifyJson,
  type EngineHandle,
  type Run,
  type RunState,
  type SweepConfig,
  type Value,
} from '../../../src/index.js';
import { createPluginHost } from './plugin-host.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const config = (json: string): SweepConfig => fillConfig(parseJson(json));

const host = createPluginHost();
let worker: EngineHandle;
const local = createInProcessEngine({ hostDirs: [host.dir] });

beforeAll(() => {
  worker = createWorkerEngine({ hostDirs: [host.dir], maxWorkers: 2 });
});

afterAll(async () => {
  await worker.terminate();
  host.remove();
});

/** 60 finished runs drawn from the space, with a smooth loss (so the GP has something to fit). */
function bayesHistory(sweep: SweepConfig, count = 60): Run[] {
  const random = createRandom(11);
  return Array.from({ length: count }, (_, i) => {
    const values = sampleConfig(sweep.parameters, random);
    const loss = Object.values(values).reduce<number>((s, v) => s + (Number(v) - 0.4) ** 2, 0);
    return { name: `h${i}`, state: 'finished', config: values, history: [{ loss }], summary: { loss } };
  });
}

const bayes = config(`{
  "method": "bayes", "metric": {"name": "loss", "goal": "minimize"},
  "parameters": {"a": {"min": 0.0, "max": 1.5}, "b": {"min": 0.0, "max": 1.5}, "c": {"min": 0.0, "max": 1.5},
                 "d": {"min": 0.0, "max": 1.5}, "opt": {"values": ["adam", "sgd"]}}
}`);

describe('createWorkerEngine (a real worker thread)', () => {
  it('proposes the grid the in-process engine proposes, keeping 1.0 a float', async () => {
    const sweep = config('{"method": "grid", "parameters": {"lr": {"values": [1.0, 0.5, 2]}, "wd": {"value": 0.0}, "n": {"values": [1, 2]}}}');
    const runs: Run[] = [{ name: 'r0', state: 'finished', config: parseJson('{"lr": 1.0, "n": 1, "wd": 0.0}') as Run['config'] }];
    const fromWorker = await worker.propose(sweep, runs, 10, 42);
    const inProcess = await local.propose(sweep, runs, 10, 42);
    expect(fromWorker).toHaveLength(5);
    expect(stringifyJson(fromWorker)).toBe(stringifyJson(inProcess));
    expect(stringifyJson(fromWorker[0].config)).toBe('{"lr":1.0,"n":2,"wd":0.0}');
    expect(isPyFloat(fromWorker[0].config.lr)).toBe(true);
    expect(fromWorker.map((p) => stringifyJson(p.config.lr))).toEqual(['1.0', '0.5', '0.5', '2', '2']);
    expect(fromWorker[3].config.lr).toBe(2); // an int stays an int
  });

  it('proposes the bayes and random runs the in-process engine proposes for the same seed', async () => {
    const runs = bayesHistory(bayes);
    for (const seed of [1, 2]) {
      const fromWorker = await worker.propose(bayes, runs, 2, seed);
      expect(fromWorker).toHaveLength(2);
      expect(stringifyJson(fromWorker)).toBe(stringifyJson(await local.propose(bayes, runs, 2, seed)));
    }
    const random = { ...bayes, method: 'random' } as SweepConfig;
    expect(stringifyJson(await worker.propose(random, [], 3, 5))).toBe(stringifyJson(await local.propose(random, [], 3, 5)));
    expect(stringifyJson(await worker.propose(random, [], 3, 5))).not.toBe(stringifyJson(await worker.propose(random, [], 3, 6)));
  });

  it('returns hyperband stop decisions with early_terminate_info, as in-process', async () => {
    const sweep = config(`{"method": "grid", "parameters": {"x": {"values": [1]}}, "metric": {"name": "loss"},
      "early_terminate": {"type": "hyperband", "max_iter": 5, "eta": 2, "s": 2}}`);
    const run = (name: string, state: RunState, values: Value[]): Run => ({
      name, state, config: { x: 1 }, history: values.map((loss, step) => ({ loss, _step: step })),
    });
    const runs = [
      run('a', 'finished', [10, 9]), run('b', 'running', [10, 10]), run('c', 'running', [10, 8, 8]),
      run('d', 'running', [10, 7, 7]), run('e', 'finished', [10, 6, 6]),
    ];
    const result = await worker.prune(sweep, runs);
    expect(result.stop).toEqual(['b']);
    expect(result.info.b).toMatchObject({ bands: [1, 2], thresholds: [10, 8] });
    expect(result.info.b.lines).toContain('Run: b Step: 2  (Band: 2 Metric: 10 Threshold: 8)  STOP');
    expect(stringifyJson(result)).toBe(stringifyJson(await local.prune(sweep, runs)));
  });

  it('stops nothing without early_terminate (no worker round trip needed)', async () => {
    expect(await worker.prune(bayes, bayesHistory(bayes, 3))).toEqual({ stop: [], info: {} });
  });

  it('resolves a plugin path relative to the configDir it is given (in a worker and in-process)', async () => {
    const sweep = { ...bayes, method: './slow-search.ts' as SweepConfig['method'] };
    const configDir = path.dirname(fixture('slow-search.ts'));
    expect(await worker.propose(sweep, [], 1, 1, { configDir })).toEqual([{ config: { n: 0 } }]);
    expect(await local.propose(sweep, [], 1, 1, { configDir })).toEqual([{ config: { n: 0 } }]);
    // Without it, the path is looked up from the process's directory: not there.
    expect(await worker.propose(sweep, [], 1, 1).catch((e: unknown) => e)).toBeInstanceOf(PluginLoadError);
    expect(await local.propose(sweep, [], 1, 1, { configDir: host.dir }).catch((e: unknown) => e)).toBeInstanceOf(PluginLoadError);
  });

  it("reports a plugin's error as a BroomError with the plugin's message, and keeps working", async () => {
    const sweep = (method: string) => ({ ...bayes, method }) as SweepConfig;
    const thrown = await worker.propose(sweep(fixture('throwing-search.ts')), [], 1, 1).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(BroomError);
    expect((thrown as BroomError).code).toBe('plugin-failed');
    expect((thrown as BroomError).message).toMatch(/^The search plugin ".*throwing-search\.ts" failed: kaboom: the GP did not converge$/);
    // In-process, the same error.
    const local_ = await local.propose(sweep(fixture('throwing-search.ts')), [], 1, 1).catch((e: unknown) => e);
    expect((local_ as BroomError).message).toBe((thrown as BroomError).message);

    const refused = await worker.propose(sweep(fixture('refusing-search.ts')), [], 1, 1).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SearchError);
    expect(refused).toMatchObject({ code: 'no-budget', message: 'refusing-search has no budget left', data: { budget: 0 } });

    expect(await worker.propose(sweep('grid'), [], 1, 1).catch((e: unknown) => e)).toMatchObject({
      name: 'SearchError', message: expect.stringMatching(/Parameter a is a disallowed type with grid search/),
    });
    expect(await worker.propose(bayes, [], 1, 1)).toHaveLength(1);
  });

  it('survives a worker thread that dies: the task fails with a BroomError, the pool replaces the worker', async () => {
    const exiting = { ...bayes, method: fixture('exiting-search.ts') } as SweepConfig;
    const error = await worker.propose(exiting, [], 1, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BroomError);
    expect((error as BroomError).code).toBe('engine-worker-failed');
    expect((error as BroomError).message).toBe(
      'The engine worker thread failed: Workerpool Worker terminated Unexpectedly (exit code 3). ' +
        "This search or pruning did not run; the next request starts a new worker.",
    );
    expect(await worker.propose(bayes, [], 1, 1)).toHaveLength(1);
  });

  it('resolves plugins on the main thread: an unknown method fails before any worker is asked', async () => {
    const error = await worker.propose({ ...bayes, method: 'bayz' as SweepConfig['method'] }, [], 1, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as Error).message).toMatch(/Cannot find the search plugin "bayz" named by `method`[\s\S]*Did you mean "bayes"/);
    const custom = await worker.propose({ ...bayes, method: 'custom' }, [], 1, 1).catch((e: unknown) => e);
    expect(custom).toMatchObject({ name: 'SearchError', code: 'custom-method' });
  });

  /** Run `work` while a 5 ms timer ticks on this thread; `maxGap` is the longest the timer waited. */
  async function ticking<T>(work: () => Promise<T>): Promise<{ result: T; maxGap: number; elapsed: number }> {
    let last = performance.now();
    let maxGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 5);
    const start = performance.now();
    try {
      const result = await work();
      maxGap = Math.max(maxGap, performance.now() - last);
      return { result, maxGap, elapsed: performance.now() - start };
    } finally {
      clearInterval(timer);
    }
  }

  it('runs two slow proposals at once, off the main thread', async () => {
    const slow = { ...bayes, method: fixture('slow-search.ts') } as SweepConfig;
    await Promise.all([worker.propose(slow, [], 1, 0), worker.propose(slow, [], 1, 0)]); // warm both workers
    // In-process, the timer waits for the whole proposal (300 ms of busy work)...
    const blocking = await ticking(() => local.propose(slow, [], 1, 1));
    expect(blocking.maxGap).toBeGreaterThanOrEqual(290);
    // ...on the pool it keeps ticking, and two proposals take about as long as one.
    const threaded = await ticking(() => Promise.all([worker.propose(slow, [], 1, 1), worker.propose(slow, [{ name: 'r', state: 'running', config: {} }], 1, 1)]));
    expect(threaded.maxGap).toBeLessThan(100);
    expect(threaded.elapsed).toBeLessThan(2 * 300 - 50);
    expect(threaded.result.map(([p]) => p.config)).toEqual([{ n: 0 }, { n: 1 }]);
  });

  it('keeps the main thread ticking while bayes proposes on two workers', async () => {
    const runs = bayesHistory(bayes);
    const threaded = await ticking(() => Promise.all([worker.propose(bayes, runs, 8, 7), worker.propose(bayes, runs, 8, 8)]));
    expect(threaded.maxGap).toBeLessThan(100);
    expect(stringifyJson(threaded.result[0])).toBe(stringifyJson(await local.propose(bayes, runs, 8, 7)));
    expect(stringifyJson(threaded.result[1])).toBe(stringifyJson(await local.propose(bayes, runs, 8, 8)));
  });

  it('refuses work once terminated', async () => {
    const engine = createWorkerEngine({ hostDirs: [host.dir], maxWorkers: 1 });
    expect(await engine.propose(bayes, [], 1, 3)).toHaveLength(1);
    await engine.terminate();
    await expect(engine.propose(bayes, [], 1, 3)).rejects.toMatchObject({ name: 'BroomError', code: 'engine-terminated' });
    await createWorkerEngine().terminate(); // never started: nothing to stop
  });
});
