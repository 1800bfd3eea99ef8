/**
 * The contract between a sweep's Scheduler and its host (the server's sweep controller, or a Launch
 * agent running the scheduler as a job). @experimental until the server issue lands.
 */
import type { SweepConfig } from '../config/types.js';
import type { Proposal, Run } from '../engine/run.js';
import type { PrunerResult } from '../plugin/contracts.js';
import type { SweepState } from '../protocol/api.js';
import type { StudySpec } from '../study/study-spec.js';
import type { Value, ValueRecord } from '../values.js';

/** What a scheduler sees each time it is asked: plain, frozen data. */
export interface SweepView {
  sweepId: string;
  config: SweepConfig;
  state: SweepState;
  /** Every run of the sweep, any state, with history and summary. */
  runs: readonly Run[];
}

/** What a scheduler asks its host to do; the base class and the host apply them (`_poll` never acts). */
export type Decision =
  | { type: 'launch'; config: ValueRecord; searchInfo?: ValueRecord }
  | { type: 'stop'; run: string; reason: string; info?: Record<string, unknown> }
  | { type: 'finish'; reason: string }
  | { type: 'fail'; message: string };

/**
 * The search and pruning work a scheduler may hand off. The server implements it on a workerpool,
 * so that a slow GP fit never blocks the HTTP service; tests may run it in-process.
 */
export interface EngineService {
  propose(config: SweepConfig, runs: readonly Run[], count: number, seed: number, opts?: EngineCallOptions): Promise<Proposal[]>;
  prune(config: SweepConfig, runs: readonly Run[], opts?: EngineCallOptions): Promise<PrunerResult>;
}

/** Where a call's plugins are looked up besides the engine's host directories. */
export interface EngineCallOptions {
  /**
   * The sweep config file's directory: `method: ./my-search.js` and `early_terminate.type: ./x.js`
   * resolve from it, and packages are looked up above it first (as `loadSearchMethod` does).
   */
  configDir?: string;
  /**
   * Search and prune the sweep as this Optuna study. By default a sweep whose `scheduler.job` is
   * `optuna` is one; a scheduler that subclasses the Optuna scheduler passes its study here.
   */
  study?: StudySpec | null;
}

export interface SchedulerContext {
  engine: EngineService;
  /** Lines for the scheduler's log (the sweep's log on the server, the job log under Launch). */
  log(line: string): void;
  /** Settings from `scheduler.settings`, validated by the plugin's options schema. */
  settings: Record<string, unknown>;
  /** `scheduler.num_workers` (default 8), for launch sweeps; plain sweeps are bounded by their agents. */
  numWorkers: number;
  seed: number;
}

export type SchedulerStateJson = Value;
