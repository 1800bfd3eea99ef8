/**
 * The HTTP API of Sweeps on Launch (issue 7), under `/api/v1` like the rest:
 *
 *   GET  /queues                                                  → ListQueuesResponse
 *   POST /queues                        {name}                    → 201 QueueSummary (200 if it exists)
 *   GET  /queues/:name                                            → QueueDetail (its items, claim order)
 *   POST /launch-sweeps                 CreateLaunchSweepRequest  → 201 LaunchSweepResponse
 *   POST /launch-sweeps/:id/resume      ResumeLaunchSweepRequest  → LaunchSweepResponse
 *   GET  /launch-sweeps/:id                                       → LaunchSweepRecord
 *   POST /launch-sweeps/:id/runs        AddRunsRequest            → AddRunsResponse       (the scheduler)
 *   POST /launch-sweeps/:id/scheduler   SchedulerReport           → LaunchSweepRecord     (the scheduler)
 *   POST /launch-agents                 RegisterLaunchAgentRequest → 201 RegisterLaunchAgentResponse
 *   POST /launch-agents/:id/heartbeat   LaunchHeartbeatRequest    → LaunchHeartbeatResponse
 *   POST /launch-agents/:id/claim       ClaimRequest              → ClaimResponse
 *   POST /launch-agents/:id/exit                                  → LaunchAgentRecord
 *   POST /items/:id/state               ItemStateRequest          → QueueItemRecord
 *
 * The scheduler's calls carry its item id: only the sweep's current scheduler may add runs or
 * change the sweep (409 `scheduler-fenced` otherwise), so a scheduler left over from before a
 * resume can never duplicate runs.
 * @experimental
 */
import type { CreateSweepRequest, RunRecord, SweepDetail, SweepState, Value, ValueRecord } from '@broom/core';
import type { ItemKind, ItemState, LaunchAgentRow, LaunchSweepRow, QueueItemRow, QueueRow } from '../store/launch-types.js';

export type QueueItemRecord = QueueItemRow;
export type LaunchAgentRecord = LaunchAgentRow;

export interface QueueSummary extends QueueRow {
  /** Items by state. */
  counts: Partial<Record<ItemState, number>>;
  /** Launch agents (not stopped) that poll this queue. */
  agents: number;
}

export interface ListQueuesResponse {
  queues: QueueSummary[];
}

export interface QueueDetail extends QueueSummary {
  /** Every item of the queue, in claim order (priority, then enqueue order). */
  items: QueueItemRecord[];
  launchAgents: LaunchAgentRecord[];
}

export interface CreateLaunchSweepRequest extends CreateSweepRequest {
  /** The queue (`--queue`, else `launch.queue`). */
  queue: string;
}

export interface ResumeLaunchSweepRequest {
  /** The queue of the new scheduler (default: the sweep's queue). */
  queue?: string;
  /** A config whose `scheduler` and `launch` blocks replace the stored ones (the rest is ignored, with a warning). */
  config?: Value;
  configFile?: string;
}

export interface LaunchSweepRecord extends LaunchSweepRow {
  /** The scheduler's saved state (null when never saved). */
  schedulerState: Value;
  /** The sweep's seed (the scheduler's), and where its config came from (plugin paths resolve from configDir). */
  seed: number;
  configDir?: string;
  configFile?: string;
}

export interface LaunchSweepResponse {
  sweep: SweepDetail;
  launch: LaunchSweepRecord;
  /** The scheduler's queue item. */
  item: QueueItemRecord;
  /** What the user should know (ignored keys, W&B's rules applied). */
  warnings: string[];
}

export interface AddRunsRequest {
  schedulerItemId: string;
  runs: { config: ValueRecord; searchInfo?: ValueRecord }[];
  /** The scheduler's state after proposing these runs (saved with them). */
  schedulerState?: Value;
  /**
   * How many runs the sweep had in the scheduler's view: when the sweep has another number (a resent
   * request that did arrive), nothing is added (409 `runs-changed`), so a retry never duplicates runs.
   */
  expectedRuns?: number;
}

export interface AddRunsResponse {
  runs: RunRecord[];
  items: QueueItemRecord[];
}

/** What the scheduler tells the server. */
export type SchedulerReport =
  | { schedulerItemId: string; type: 'started' }
  | { schedulerItemId: string; type: 'state'; schedulerState: Value }
  | { schedulerItemId: string; type: 'finishing'; reason: string }
  | { schedulerItemId: string; type: 'finished'; reason: string }
  | { schedulerItemId: string; type: 'failed'; reason: string }
  | { schedulerItemId: string; type: 'stop-run'; run: string; reason: string; info?: ValueRecord };

export interface RegisterLaunchAgentRequest {
  host: string;
  pid: number;
  queues: string[];
  /** Run items at once (−1 unlimited, 0 none: a scheduler-only agent). */
  maxJobs: number;
  /** Scheduler items at once (−1 unlimited, 0 none). */
  maxSchedulers: number;
}

export interface RegisterLaunchAgentResponse {
  launchAgentId: string;
  /** Seconds between heartbeats and polls. */
  pollInterval: number;
}

export interface LaunchHeartbeatRequest {
  /** Items the agent runs now. */
  running: string[];
}

export interface LaunchHeartbeatResponse {
  /** Items to stop, with why. */
  stop: { itemId: string; reason: string }[];
}

export interface ClaimRequest {
  kinds: ItemKind[];
}

export interface ClaimResponse {
  item: QueueItemRecord | null;
  /** The item's sweep, for the agent's messages. */
  sweep?: { id: string; state: SweepState; name: string };
}

export interface ItemStateRequest {
  state: Extract<ItemState, 'running' | 'finished' | 'failed' | 'stopped'>;
  exitCode?: number | null;
  message?: string;
  jobId?: string;
}
