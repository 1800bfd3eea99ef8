import type { Value, ValueRecord } from '@broom/core';
import type { NewRun, NewSweep, RunRow, SweepRow } from './store.js';
import type { SweepState } from '@broom/core';

/*
 * The rows of Sweeps on Launch (issue 7): queues, their items, the launch agents that take them,
 * and the launch side of a launch sweep. A store keeps them next to sweeps and runs.
 */

/** Queue priorities, W&B's: 0 critical, 1 high, 2 medium (the default), 3 low. */
export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export const DEFAULT_PRIORITY = 2;

/** What an item runs: the sweep's scheduler, or one run of a sweep. */
export type ItemKind = 'scheduler' | 'run';
export const ITEM_KINDS: readonly ItemKind[] = ['scheduler', 'run'];

/**
 * An item's life: `queued` until a launch agent claims it (`claimed`), `running` once its resource
 * started it, then one of the terminal states. `canceled` = taken out of the queue before it ran.
 */
export type ItemState = 'queued' | 'claimed' | 'running' | 'finished' | 'failed' | 'stopped' | 'canceled';
export const ITEM_STATES: readonly ItemState[] = ['queued', 'claimed', 'running', 'finished', 'failed', 'stopped', 'canceled'];
export const TERMINAL_ITEM_STATES: ReadonlySet<ItemState> = new Set(['finished', 'failed', 'stopped', 'canceled']);
/** States in which an item holds a launch agent's slot. */
export const ACTIVE_ITEM_STATES: readonly ItemState[] = ['claimed', 'running'];

export interface QueueRow {
  name: string;
  description?: string;
  createdAt: string;
}

/**
 * What a launch agent runs for an item (plain JSON). A run item carries the run's config and the
 * sweep's `program`/`command`/`job`; a scheduler item carries its entry point
 * (`['broom', 'scheduler', <sweep id>]`: the agent runs its own broom).
 */
export interface ItemSpec {
  /** The argv of a scheduler item (`broom scheduler <sweep-id>`). */
  entryPoint?: string[];
  /** For run items: the run's name and config (hyperparameters as plain values). */
  runName?: string;
  config?: ValueRecord;
  /** The sweep's `program` (or `job`, a path to the program) and `command`, for the macros. */
  program?: string;
  command?: Value[];
  /** The sweep's `image_uri`: the run is this image's entrypoint with the command's arguments (a container resource). */
  imageUri?: string;
  project?: string;
  entity?: string;
}

export interface NewQueueItem {
  id: string;
  queue: string;
  /** 0 critical … 3 low. */
  priority: number;
  kind: ItemKind;
  sweepId?: string;
  runId?: string;
  spec: ItemSpec;
  /** The resource plugin that runs it (`local-process`, `slurm`, …) and its options. */
  resource: string;
  resourceArgs: ValueRecord;
  createdAt: string;
}

export interface QueueItemRow extends NewQueueItem {
  state: ItemState;
  launchAgentId?: string;
  /** The resource's id of the job (a pid, a SLURM job id). */
  jobId?: string;
  exitCode?: number | null;
  /** Why it failed, or what happened, in words. */
  message?: string;
  stopRequested: boolean;
  stopReason?: string;
  claimedAt?: string;
  startedAt?: string;
  endedAt?: string;
}

export interface ItemPatch {
  state?: ItemState;
  jobId?: string;
  exitCode?: number | null;
  message?: string;
  stopRequested?: boolean;
  stopReason?: string;
  startedAt?: string;
  endedAt?: string;
}

export interface ItemFilter {
  queue?: string;
  sweepId?: string;
  launchAgentId?: string;
  kind?: ItemKind;
  states?: readonly ItemState[];
}

export interface ItemClaim {
  launchAgentId: string;
  /** Take from these queues only. */
  queues: readonly string[];
  /** Take only these kinds (an agent at its scheduler limit takes runs only). */
  kinds: readonly ItemKind[];
  at: string;
}

export interface NewLaunchAgent {
  id: string;
  host: string;
  pid: number;
  queues: string[];
  /** Run items at once (−1 = unlimited). */
  maxJobs: number;
  /** Scheduler items at once (−1 = unlimited). */
  maxSchedulers: number;
  createdAt: string;
}

export type LaunchAgentState = 'polling' | 'stopped';

export interface LaunchAgentRow extends NewLaunchAgent {
  state: LaunchAgentState;
  heartbeatAt: string;
  endedAt?: string;
}

/** The launch side of a launch sweep: where its scheduler and runs are queued, and how. */
export interface NewLaunchSweep {
  sweepId: string;
  queue: string;
  /** Priority of the sweep's run items (`launch.priority`, default 2). */
  priority: number;
  /** The Launch `scheduler` block in effect (changed by a resume). */
  scheduler: ValueRecord;
  /** The `launch` block (overrides copied to every run). */
  launch: ValueRecord;
  createdAt: string;
}

export interface LaunchSweepRow extends NewLaunchSweep {
  /** The item of the sweep's current scheduler: only it may add runs (an older one is fenced off). */
  schedulerItemId?: string;
  updatedAt: string;
}

/** Create a launch sweep: the sweep, its launch row and its scheduler's item, in one transaction. */
export interface LaunchSweepCreate {
  sweep: NewSweep;
  launch: NewLaunchSweep;
  /** The scheduler's item; its `sweepId` is the sweep's. */
  schedulerItem: NewQueueItem;
}

/** Queue a new scheduler for an existing launch sweep (`launch-sweep --resume_id`). */
export interface LaunchSweepRestart {
  queue: string;
  priority: number;
  scheduler: ValueRecord;
  schedulerItem: NewQueueItem;
  /** The sweep's state meanwhile (PENDING until the scheduler starts), and the reason logged. */
  state: SweepState;
  at: string;
  reason: string;
  /** Only restart from these states. */
  from: readonly SweepState[];
}

export type LaunchSweepRestartResult =
  | { ok: true; sweep: SweepRow; launch: LaunchSweepRow; item: QueueItemRow }
  /** `active`: a scheduler item of the sweep is still queued, claimed or running; `state`: the sweep's state is not in `from`. */
  | { ok: false; why: 'active'; item: QueueItemRow }
  | { ok: false; why: 'state'; sweep: SweepRow };

/** Runs that a launch sweep's scheduler adds, each with its queue item. */
export interface RunItemLaunch {
  /** The adding scheduler's item: nothing is written unless it is the sweep's current one. */
  schedulerItemId: string;
  at: string;
  requireState: readonly SweepState[];
  /** Saved in the same transaction (undefined: left as it is). */
  schedulerState?: Value;
  runs: readonly (NewRun & { item: NewQueueItem })[];
}

export type RunItemLaunchResult =
  | { ok: true; runs: RunRow[]; items: QueueItemRow[] }
  | { ok: false; why: 'fenced' | 'state' };
