import { afterAll, describe, expect, it } from 'vitest';
import {
  createInProcessEngine,
  fillConfig,
  isRecord,
  Scheduler,
  type Decision,
  type Proposal,
  type Run,
  type SchedulerContext,
  type SweepConfig,
  type SweepState,
  type SweepView,
  type Value,
} from '../../../src/index.js';
import { createPluginHost } from '../worker/plugin-host.js';

/*
 * The Scheduler base class (common/scheduler/scheduler.ts), through small subclasses: the loop step
 * that every scheduler plugin inherits.
 */

const host = createPluginHost();
afterAll(() => host.remove());

const grid = (extra: Record<string, unknown> = {}): SweepConfig =>
  fillConfig({ method: 'grid', parameters: { a: { values: [1, 2, 3] }, b: { values: ['x', 'y'] } }, ...extra });

function context(overrides: Partial<SchedulerContext> = {}): SchedulerContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    engine: createInProcessEngine({ hostDirs: [host.dir] }),
    log: (line) => lines.push(line),
    settings: {},
    numWorkers: 8,
    seed: 1,
    lines,
    ...overrides,
  };
}

const view = (config: SweepConfig, runs: Run[] = [], state: SweepState = 'RUNNING'): SweepView => ({ sweepId: 's1', config, state, runs });
const launched = (decisions: Decision[]) => decisions.flatMap((d) => (d.type === 'launch' ? [d.config] : []));
const asRuns = (configs: Run['config'][], state: Run['state'] = 'running', from = 0): Run[] =>
  configs.map((config, i) => ({ name: `r${from + i}`, state, config }));

/** Proposes with the engine, and counts its calls; `_poll` returns what the test sets. */
class CountingScheduler extends Scheduler {
  polls = 0;
  proposals = 0;
  pollDecisions: Decision[] = [];

  protected async nextRun(v: SweepView): Promise<Proposal | null> {
    this.proposals++;
    const [p] = await this.context.engine.propose(v.config, v.runs, 1, this.context.seed);
    return p ?? null;
  }

  protected _poll(): Decision[] {
    this.polls++;
    return this.pollDecisions;
  }
}

describe('Scheduler.step', () => {
  it('fills the free slots, no more, and sees its own earlier proposals as pending runs', async () => {
    const s = new CountingScheduler(context());
    const first = await s.step(view(grid()), 2);
    expect(launched(first)).toEqual([{ a: 1, b: 'x' }, { a: 1, b: 'y' }]);
    expect(first.some((d) => d.type === 'finish')).toBe(false);
    const next = await s.step(view(grid(), asRuns(launched(first))), 1);
    expect(launched(next)).toEqual([{ a: 2, b: 'x' }]);
    expect(await s.step(view(grid(), asRuns(launched(first))), 0)).toEqual([]);
  });

  it('finishes at run_cap, counting runs of any state', async () => {
    const s = new CountingScheduler(context());
    const runs = asRuns([{ a: 1, b: 'x' }], 'failed');
    const decisions = await s.step(view(grid({ run_cap: 2 }), runs), 5);
    expect(decisions).toEqual([
      { type: 'launch', config: { a: 1, b: 'y' }, searchInfo: undefined },
      { type: 'finish', reason: 'run_cap 2 reached' },
    ]);
    expect(s.proposals).toBe(1);
  });

  it('finishes when the grid is exhausted', async () => {
    const s = new CountingScheduler(context());
    const decisions = await s.step(view(grid()), 10);
    expect(launched(decisions)).toHaveLength(6);
    expect(decisions.at(-1)).toEqual({ type: 'finish', reason: 'the search space is exhausted' });
    const done = asRuns(launched(decisions), 'finished');
    expect(await s.step(view(grid(), done), 3)).toEqual([{ type: 'finish', reason: 'the search space is exhausted' }]);
  });

  it('polls a PAUSED sweep but launches nothing', async () => {
    const s = new CountingScheduler(context());
    s.pollDecisions = [{ type: 'stop', run: 'r0', reason: 'test' }];
    expect(await s.step(view(grid(), [], 'PAUSED'), 4)).toEqual([{ type: 'stop', run: 'r0', reason: 'test' }]);
    expect([s.polls, s.proposals]).toEqual([1, 0]);
  });

  it('asks nothing of a sweep in an end state', async () => {
    const s = new CountingScheduler(context());
    for (const state of ['FINISHED', 'CANCELED', 'FAILED'] as SweepState[]) expect(await s.step(view(grid(), [], state), 4)).toEqual([]);
    expect([s.polls, s.proposals]).toEqual([0, 0]);
  });

  it("launches nothing once _poll finishes or fails the sweep, and puts _poll's decisions first", async () => {
    const s = new CountingScheduler(context());
    s.pollDecisions = [{ type: 'fail', message: 'no' }];
    expect(await s.step(view(grid()), 4)).toEqual([{ type: 'fail', message: 'no' }]);
    s.pollDecisions = [{ type: 'stop', run: 'r9', reason: 'x' }];
    const decisions = await s.step(view(grid()), 1);
    expect(decisions.map((d) => d.type)).toEqual(['stop', 'launch']);
    expect(s.proposals).toBe(1);
  });
});

/** A scheduler with state: it launches configs from a list, and remembers how far it got. */
class ListScheduler extends Scheduler {
  private next = 0;

  constructor(context: SchedulerContext, private readonly list: Run['config'][]) {
    super(context);
  }

  protected async nextRun(): Promise<Proposal | null> {
    const config = this.list[this.next];
    if (!config) return null;
    this.next++;
    return { config, search_info: { index: this.next - 1 } };
  }

  getState(): Value {
    return { next: this.next };
  }

  setState(state: Value): void {
    this.next = isRecord(state) && typeof state.next === 'number' ? state.next : 0;
  }
}

describe('Scheduler state', () => {
  it('round-trips through getState/setState as JSON', async () => {
    const list = [{ x: 1 }, { x: 2 }, { x: 3 }];
    const before = new ListScheduler(context(), list);
    expect(before.getState()).toEqual({ next: 0 });
    expect(launched(await before.step(view(grid()), 2))).toEqual([{ x: 1 }, { x: 2 }]);
    const saved = JSON.parse(JSON.stringify(before.getState())) as Value;
    expect(saved).toEqual({ next: 2 });

    const after = new ListScheduler(context(), list); // the host restarted
    after.setState(saved);
    const decisions = await after.step(view(grid()), 5);
    expect(decisions).toEqual([
      { type: 'launch', config: { x: 3 }, searchInfo: { index: 2 } },
      { type: 'finish', reason: 'the search space is exhausted' },
    ]);
  });

  it('is null, and ignores what it is given, unless a subclass keeps some', () => {
    const s = new CountingScheduler(context());
    s.setState({ anything: 1 });
    expect(s.getState()).toBeNull();
  });
});
