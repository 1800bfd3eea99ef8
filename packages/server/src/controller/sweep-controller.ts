import { stringifyJson, type Decision, type Run, type RunState, type Scheduler, type SweepConfig, type SweepState, type Value, type ValueRecord } from '@broom/core';
import type { RunRow, Store, SweepRow } from '../store/store.js';
import { newId } from './ids.js';

/** Run states in which a run holds a slot: the sweep cannot finish while one is left. */
export const ACTIVE_RUN_STATES: ReadonlySet<RunState> = new Set(['pending', 'running', 'preempting']);
/** Sweep states in which the scheduler is stepped. */
const STEPPED: ReadonlySet<SweepState> = new Set(['RUNNING', 'PAUSED']);

export interface ControllerDeps {
  store: Store;
  log(line: string): void;
  now(): Date;
}

/**
 * Drives one sweep's Scheduler. Every step runs on the sweep's own queue (one at a time), so two
 * agents asking at once never get the same grid cell: the second step sees the first one's runs.
 * A step builds the view (the sweep's runs with their history, superseded runs left out), asks
 * `scheduler.step`, and applies the decisions: launches become pending runs assigned to the asking
 * agent (in one transaction with the scheduler's state), stops flag runs, `finish` marks the sweep
 * finishing (FINISHED once no run is active), `fail` fails it. The scheduler's state is saved after
 * every step, so a restarted server resumes where it stopped.
 *
 * Several servers on one shared store (PostgreSQL) may drive the same sweep: each task then also
 * holds the store's sweep lock (`withSweepLock`), and a step first takes the scheduler state that
 * another server saved since this one last saw it, so every step sees every run and state before it.
 */
export class SweepController {
  private queue: Promise<unknown> = Promise.resolve();
  /** History already read, by run id: only runs whose history grew are read again. */
  private readonly histories = new Map<string, ValueRecord[]>();
  /** The scheduler state (as JSON text) this controller last saved or restored; shared stores only. */
  private seenState: string | undefined;

  constructor(
    readonly sweepId: string,
    readonly config: SweepConfig,
    private readonly scheduler: Scheduler,
    private readonly deps: ControllerDeps,
  ) {}

  /** Run `task` after every earlier task of this sweep has settled. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const { store } = this.deps;
    const locked = store.withSweepLock ? () => store.withSweepLock!(this.sweepId, task) : task;
    const result = this.queue.then(locked, locked);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Wait until every queued task has settled. */
  async idle(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.queue;
      await seen;
    } while (seen !== this.queue);
  }

  /** A step for an agent with free slots; the runs launched for it. */
  launchFor(agentId: string, freeSlots: number): Promise<RunRow[]> {
    return this.exclusive(() => this.step(freeSlots, agentId));
  }

  /** The poll-interval step: no free slots, so `_poll` (early termination) acts on running runs. */
  poll(): Promise<void> {
    return this.exclusive(async () => {
      await this.step(0);
    });
  }

  /** Finish the sweep if it is finishing and no run is active any more. */
  settle(): Promise<void> {
    return this.exclusive(() => this.finishIfDone());
  }

  /** The scheduler's state now (for saving outside a step). */
  schedulerState(): Value {
    return this.scheduler.getState();
  }

  /** Give the scheduler the state saved before a restart. */
  restoreState(state: Value): void {
    this.scheduler.setState(state);
    if (this.deps.store.withSweepLock) this.seenState = stringifyJson(state);
  }

  /** On a shared store: take the scheduler state another server saved since this one last saw it. */
  private async takeSavedState(): Promise<void> {
    if (!this.deps.store.withSweepLock) return;
    const saved = await this.deps.store.getSchedulerState(this.sweepId);
    if (saved === null) return;
    const text = stringifyJson(saved);
    if (text !== this.seenState) this.restoreState(saved);
  }

  private noteSaved(state: Value): void {
    if (this.deps.store.withSweepLock) this.seenState = stringifyJson(state);
  }

  private async step(freeSlots: number, agentId?: string): Promise<RunRow[]> {
    const { store } = this.deps;
    const sweep = await store.getSweep(this.sweepId);
    if (!sweep || !STEPPED.has(sweep.state)) return [];
    await this.takeSavedState();
    const runs = await store.listRuns(this.sweepId);
    const slots = agentId && sweep.state === 'RUNNING' && !sweep.finishing ? freeSlots : 0;
    let decisions: Decision[];
    try {
      decisions = await this.scheduler.step(await this.view(sweep, runs), slots);
    } catch (error) {
      await this.fail(`the scheduler failed: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }

    const launches: Extract<Decision, { type: 'launch' }>[] = [];
    for (const d of decisions) {
      if (d.type === 'launch') launches.push(d);
      else if (d.type === 'stop') await this.flagStop(runs, d);
      else if (d.type === 'finish') {
        if (!sweep.finishing) {
          sweep.finishing = d.reason;
          await store.setSweepFinishing(this.sweepId, d.reason);
          this.deps.log(`Sweep ${this.sweepId}: no new runs (${d.reason}); it finishes when its active runs end.`);
        }
      } else if (d.type === 'fail') {
        await this.fail(d.message);
        return [];
      }
    }

    let launched: RunRow[] = [];
    const state = this.scheduler.getState();
    if (launches.length > 0 && agentId) {
      const at = this.deps.now().toISOString();
      launched = await store.launchRuns(this.sweepId, {
        agentId,
        at,
        requireState: ['RUNNING'],
        schedulerState: state,
        runs: launches.map((d) => {
          const id = newId();
          return { id, name: id, config: d.config, ...(d.searchInfo ? { searchInfo: d.searchInfo } : {}) };
        }),
      });
      for (const r of launched) this.deps.log(`Sweep ${this.sweepId}: run ${r.id} assigned to agent ${agentId}.`);
      if (launched.length === 0) await store.setSchedulerState(this.sweepId, state);
    } else {
      await store.setSchedulerState(this.sweepId, state);
    }
    this.noteSaved(state);
    await this.finishIfDone();
    return launched;
  }

  /** The scheduler's view: every run that is not superseded, with its history and summary. */
  private async view(sweep: SweepRow, runs: readonly RunRow[]) {
    const visible = runs.filter((r) => !r.superseded);
    const viewRuns: Run[] = [];
    for (const r of visible) {
      let history = this.histories.get(r.id);
      if (!history || history.length !== r.historyLength) {
        const { store } = this.deps;
        if (history && history.length > 0 && history.length < r.historyLength && store.getHistorySince) {
          // Only the rows logged since the last step: re-reading whole histories made each step
          // cost as much as every row of the sweep's runs (bench/src/load.ts).
          history = history.concat(await store.getHistorySince(r.id, history.length));
        } else {
          history = r.historyLength === 0 ? [] : await store.getHistory(r.id);
        }
        this.histories.set(r.id, history);
      }
      viewRuns.push({ name: r.name, state: r.state, config: r.config, history, summary: r.summary, ...(r.stopReason ? { stop_reason: r.stopReason } : {}) });
    }
    return { sweepId: sweep.id, config: this.config, state: sweep.state, runs: viewRuns };
  }

  private async flagStop(runs: readonly RunRow[], d: Extract<Decision, { type: 'stop' }>): Promise<void> {
    const run = runs.find((r) => r.name === d.run && !r.superseded);
    if (!run || !ACTIVE_RUN_STATES.has(run.state) || run.stopRequested) return;
    await this.deps.store.updateRun(run.id, {
      stopRequested: true,
      stopReason: d.reason,
      ...(d.info ? { earlyTerminateInfo: d.info as ValueRecord } : {}),
    });
    this.deps.log(`Sweep ${this.sweepId}: stopping run ${run.id} (${d.reason}).`);
  }

  private async fail(message: string): Promise<void> {
    const { changed } = await this.deps.store.setSweepState(this.sweepId, {
      state: 'FAILED',
      at: this.deps.now().toISOString(),
      reason: message,
      error: message,
      from: ['RUNNING', 'PAUSED'],
    });
    if (changed) this.deps.log(`Sweep ${this.sweepId} FAILED: ${message}`);
  }

  private async finishIfDone(): Promise<void> {
    const { store } = this.deps;
    const sweep = await store.getSweep(this.sweepId);
    if (!sweep || sweep.state !== 'RUNNING' || !sweep.finishing) return;
    const runs = await store.listRuns(this.sweepId);
    if (runs.some((r) => ACTIVE_RUN_STATES.has(r.state))) return;
    const { changed } = await store.setSweepState(this.sweepId, {
      state: 'FINISHED',
      at: this.deps.now().toISOString(),
      reason: sweep.finishing,
      from: ['RUNNING'],
    });
    if (changed) this.deps.log(`Sweep ${this.sweepId} FINISHED: ${sweep.finishing}.`);
  }
}
