import path from 'node:path';
import {
  fillConfig,
  isRecord,
  loadScheduler,
  type EngineService,
  type Run,
  type RunState,
  type Scheduler,
  type SweepConfig,
  type SweepView,
  type ValueRecord,
} from '@broom/core';
import type { ApiClient, LaunchClient, LaunchSweepRecord } from '@broom/server/client';
import { withRetry } from '../agent/retry.js';
import { registerTsxFor } from './register-tsx.js';

/** Run states that hold one of the scheduler's `num_workers` slots. */
const ACTIVE: ReadonlySet<RunState> = new Set(['pending', 'running', 'preempting']);
const ENDED = new Set(['FINISHED', 'CANCELED', 'FAILED']);

export interface SchedulerRunnerOptions {
  api: ApiClient;
  launch: LaunchClient;
  sweepId: string;
  /** The scheduler's queue item (set by the launch agent): it fences the scheduler's calls. */
  itemId: string;
  engine: EngineService;
  hostDirs: readonly string[];
  pollIntervalMs: number;
  /** Keep retrying an unreachable server this long (default 10 min). */
  retryDeadlineMs?: number;
  /** The scheduler's log (its job's log file, through stdout). */
  log(line: string): void;
  /** True once the process should stop (a signal, or its launch agent is gone). */
  stopped(): string | undefined;
  sleep(ms: number): Promise<void>;
}

/**
 * `broom scheduler <sweep-id>`: a launch sweep's scheduler, as a launch agent runs it (the sweep ID
 * is the scheduler's run ID, as in W&B). Loads the sweep's scheduler plugin (`scheduler.job`, with
 * `scheduler.settings` checked by its schema) and its saved state, then loops: `step(view,
 * num_workers − active runs)`, new runs go to the sweep's queue with the state saved in the same
 * transaction, stop decisions flag runs, `finish` lets the active runs end and then finishes the
 * sweep, `fail` (or a scheduler that throws) fails it with the message. Answers the exit code.
 */
export async function runScheduler(o: SchedulerRunnerOptions): Promise<number> {
  const item = o.itemId;
  // Every call survives a server that restarts or cannot be reached for a while (10 min).
  let warned = false;
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    const result = await withRetry(fn, {
      deadlineMs: o.retryDeadlineMs ?? 600_000,
      onRetry: (error) => {
        if (o.stopped()) throw error;
        if (!warned) o.log(`Cannot reach the server (${(error as Error).message}); retrying.`);
        warned = true;
      },
    });
    if (warned) o.log('Reached the server again.');
    warned = false;
    return result;
  };
  const report = (body: Parameters<LaunchClient['schedulerReport']>[1]) => call(() => o.launch.schedulerReport(o.sweepId, body));
  const fail = async (reason: string): Promise<number> => {
    o.log(`Scheduler failed: ${reason}`);
    try {
      await report({ schedulerItemId: item, type: 'failed', reason });
    } catch (error) {
      o.log(`Could not report the failure: ${(error as Error).message}`);
    }
    return 1;
  };

  const record: LaunchSweepRecord = await call(() => o.launch.getLaunchSweep(o.sweepId));
  if (record.schedulerItemId !== item) {
    o.log(`Item ${item} is not the current scheduler of sweep ${o.sweepId} (${record.schedulerItemId}): exiting.`);
    return 1;
  }
  const sweep = await call(() => o.api.getSweep(o.sweepId));
  const raw = isRecord(sweep.config) ? sweep.config : {};
  let config: SweepConfig;
  let scheduler: Scheduler;
  const numWorkers = typeof record.scheduler.num_workers === 'number' ? record.scheduler.num_workers : 8;
  try {
    config = fillConfig({ ...raw, scheduler: record.scheduler, launch: record.launch } as never, { file: record.configFile, launch: true });
    const job = config.scheduler?.job;
    const jobDir = job && (job.startsWith('.') || path.isAbsolute(job)) ? path.dirname(path.resolve(record.configDir ?? process.cwd(), job)) : undefined;
    await registerTsxFor(job, [jobDir, record.configDir, ...o.hostDirs]);
    scheduler = await loadScheduler(
      config,
      { engine: withConfigDir(o.engine, record.configDir), log: o.log, numWorkers, seed: record.seed },
      { configDir: record.configDir, file: record.configFile, hostDirs: o.hostDirs },
    );
  } catch (error) {
    return fail((error as Error).message);
  }
  if (record.schedulerState !== null) scheduler.setState(record.schedulerState);
  await report({ schedulerItemId: item, type: 'started' });
  o.log(`Scheduler for sweep ${o.sweepId} started (${config.scheduler?.job ?? 'wandb'}, method ${config.method}, num_workers ${numWorkers}${record.schedulerState !== null ? ', state restored' : ''}).`);

  let finishing: string | undefined;
  for (;;) {
    const why = o.stopped();
    if (why) {
      o.log(`Scheduler stopping: ${why}.`);
      return 143;
    }
    const now = await call(() => o.api.getSweep(o.sweepId));
    if (ENDED.has(now.state)) {
      o.log(`Sweep ${o.sweepId} is ${now.state}: the scheduler exits.`);
      return now.state === 'FAILED' ? 1 : 0;
    }
    const all = (await call(() => o.api.listRuns(o.sweepId, { history: true }))).runs;
    const runs = all.filter((r) => !r.superseded);
    const active = runs.filter((r) => ACTIVE.has(r.state)).length;
    if (finishing && active === 0) {
      o.log(`Sweep ${o.sweepId} finished: ${finishing}.`);
      await report({ schedulerItemId: item, type: 'finished', reason: finishing });
      return 0;
    }
    const view: SweepView = {
      sweepId: o.sweepId,
      config,
      state: now.state,
      runs: runs.map((r): Run => ({ name: r.name, state: r.state, config: r.config, history: r.history ?? [], summary: r.summary })),
    };
    const free = now.state === 'RUNNING' && !finishing ? Math.max(0, numWorkers - active) : 0;
    let decisions;
    try {
      decisions = await scheduler.step(view, free);
    } catch (error) {
      return fail(`the scheduler failed: ${(error as Error).message}`);
    }
    const launches: { config: ValueRecord; searchInfo?: ValueRecord }[] = [];
    for (const d of decisions) {
      if (d.type === 'launch') launches.push({ config: d.config, ...(d.searchInfo ? { searchInfo: d.searchInfo } : {}) });
      else if (d.type === 'stop') await report({ schedulerItemId: item, type: 'stop-run', run: d.run, reason: d.reason, ...(d.info ? { info: d.info as ValueRecord } : {}) });
      else if (d.type === 'finish' && !finishing) {
        finishing = d.reason;
        o.log(`No new runs (${d.reason}); the sweep finishes when its active runs end.`);
        await report({ schedulerItemId: item, type: 'finishing', reason: d.reason });
      } else if (d.type === 'fail') return fail(d.message);
    }
    const state = scheduler.getState();
    if (launches.length > 0) {
      try {
        const added = await call(() => o.launch.addRuns(o.sweepId, { schedulerItemId: item, runs: launches, schedulerState: state, expectedRuns: all.length }));
        for (const r of added.runs) o.log(`Run ${r.id} queued: ${JSON.stringify(r.config)}`);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'scheduler-fenced') {
          o.log(`${(error as Error).message}`);
          return 1;
        }
        if (code === 'runs-changed') {
          // A resent request that had arrived (or a stale view): the next step sees the runs as they are.
          o.log(`${(error as Error).message}`);
        } else {
          if (code !== 'sweep-state') throw error;
          await report({ schedulerItemId: item, type: 'state', schedulerState: state });
        }
      }
    } else {
      await report({ schedulerItemId: item, type: 'state', schedulerState: state });
    }
    await o.sleep(o.pollIntervalMs);
  }
}

/** The engine as the sweep sees it: plugin paths in its config resolve from its config's directory. */
function withConfigDir(engine: EngineService, configDir: string | undefined): EngineService {
  if (configDir === undefined) return engine;
  return {
    propose: (config, runs, count, seed, call) => engine.propose(config, runs, count, seed, { configDir, ...call }),
    prune: (config, runs, call) => engine.prune(config, runs, { configDir, ...call }),
  };
}

