import type { RunState, SweepState, Value, ValueRecord } from '@broom/core';
import type {
  ItemClaim, ItemFilter, ItemPatch, LaunchAgentRow, LaunchSweepCreate, LaunchSweepRestart, LaunchSweepRestartResult, LaunchSweepRow,
  NewLaunchAgent, NewQueueItem, QueueItemRow, QueueRow, RunItemLaunch, RunItemLaunchResult,
} from './launch-types.js';

/**
 * Where the server keeps sweeps, runs, metric history, agents and each sweep's scheduler state.
 * Every method is async so that a PostgreSQL store can implement the same interface; every method
 * that must keep an invariant across rows is one transaction (`launchRuns`, `appendHistory`,
 * `crashStaleRuns`, `setSweepState`, `supersedeRuns`). The contract suite in
 * `@broom/server/testing` (`describeStoreContract`) says what an implementation must do.
 *
 * Values (configs, summaries, history rows, scheduler state) keep Python's number kinds: a whole
 * float such as `1.0` comes back as a PyFloat. Timestamps are ISO-8601 strings in UTC.
 */
export interface Store {
  /** Create a sweep; its id must be new. */
  createSweep(sweep: NewSweep): Promise<SweepRow>;
  getSweep(id: string): Promise<SweepRow | undefined>;
  /** Every sweep, newest first. */
  listSweeps(): Promise<SweepRow[]>;
  /**
   * Change a sweep's state (recorded in its state log with `reason`) and, in the same
   * transaction, its `error` and `finishing` marks (`null` clears one, `undefined` keeps it).
   * With `from`, the change happens only if the sweep is in one of those states; the answer says
   * whether it happened (`changed`) and holds the sweep as it is afterwards.
   */
  setSweepState(id: string, change: SweepStateChange): Promise<{ changed: boolean; sweep: SweepRow }>;
  /** The sweep's state changes, oldest first. */
  listSweepEvents(id: string): Promise<SweepEvent[]>;
  /** Mark (or clear, with null) that the sweep finishes once no run is active. */
  setSweepFinishing(id: string, reason: string | null): Promise<void>;

  /** The scheduler's state as last saved (`null` when never saved). */
  getSchedulerState(sweepId: string): Promise<Value>;
  setSchedulerState(sweepId: string, state: Value): Promise<void>;

  /**
   * Create runs and assign them to an agent, saving the scheduler's state with them, in one
   * transaction, and only while the sweep is in `requireState` (else nothing is written and the
   * answer is `[]`). Runs get the next numbers of the sweep in the order given.
   */
  launchRuns(sweepId: string, launch: RunLaunch): Promise<RunRow[]>;
  getRun(id: string): Promise<RunRow | undefined>;
  /** A sweep's runs in creation order. */
  listRuns(sweepId: string): Promise<RunRow[]>;
  /** Runs assigned to an agent, in creation order. */
  listAgentRuns(agentId: string): Promise<RunRow[]>;
  /** Change fields of a run; returns it afterwards (undefined if it does not exist). */
  updateRun(id: string, patch: RunPatch): Promise<RunRow | undefined>;
  /**
   * Mark runs superseded (hidden from the scheduler, kept for display): the sweep's runs in one of
   * `states` that are not superseded yet. Returns the runs marked.
   */
  supersedeRuns(sweepId: string, states: readonly RunState[]): Promise<RunRow[]>;

  /**
   * Store history rows `seq, seq+1, …` of a run, idempotently: a row whose index is already stored
   * is skipped (not duplicated, not overwritten). A batch starting past the end of the stored
   * history (a gap) is refused with a `HistoryGapError`. New rows update the run's summary with
   * their values (the last value of each key, as W&B's default summary); `summary`, when given,
   * is merged on top. One transaction.
   */
  appendHistory(runId: string, write: HistoryWrite): Promise<{ historyLength: number; added: number }>;
  /** A run's history rows in order. */
  getHistory(runId: string): Promise<ValueRecord[]>;
  /**
   * A run's history rows from index `fromSeq` on, in order (optional: a store without it is read
   * whole with `getHistory`). Lets a sweep's scheduler read only the rows logged since its last step.
   */
  getHistorySince?(runId: string, fromSeq: number): Promise<ValueRecord[]>;
  /** The history of every run of a sweep, by run id. */
  getSweepHistory(sweepId: string): Promise<Map<string, ValueRecord[]>>;

  registerAgent(agent: NewAgent): Promise<AgentRow>;
  getAgent(id: string): Promise<AgentRow | undefined>;
  listAgents(sweepId: string): Promise<AgentRow[]>;
  /** Record a heartbeat; returns the agent afterwards (undefined if unknown). */
  heartbeatAgent(id: string, at: string): Promise<AgentRow | undefined>;
  /**
   * Mark `crashed` (ended at `now`) every pending or running run whose agent's last heartbeat is
   * older than `heartbeatBefore`. One transaction; returns the runs marked.
   */
  crashStaleRuns(heartbeatBefore: string, now: string): Promise<RunRow[]>;

  // ---- Access tokens (issue 8: access control) ----------------------------------------------
  // A token's secret is never stored: only its SHA-256 (hex), looked up by an index. Revoked tokens
  // are kept (with `revokedAt`) so that a request with one is told it was revoked.

  /** Store a new token; its id and hash must be new. */
  createToken(token: NewToken): Promise<TokenRow>;
  /** Every token (revoked ones too), oldest first. */
  listTokens(): Promise<TokenRow[]>;
  /** The token whose secret hashes to `hash` (revoked or not), or undefined. */
  findTokenByHash(hash: string): Promise<TokenRow | undefined>;
  /** Record a use of the token at `at` (its `lastUsedAt`). */
  touchToken(id: string, at: string): Promise<void>;
  /** Revoke a token (kept, with `revokedAt`); answers it afterwards, undefined if unknown. Revoking twice keeps the first time. */
  revokeToken(id: string, at: string): Promise<TokenRow | undefined>;
  // ---- end of access tokens ------------------------------------------------------------------

  // ---- Sweeps on Launch (issue 7): queues, items, launch agents, launch sweeps ----------------
  // Types in ./launch-types.ts. Items are handed out at most once: `claimItem` is one transaction
  // that takes the highest-priority (lowest number), oldest (first enqueued) queued item.

  /** The queue, created (at `at`) if it does not exist yet. */
  ensureQueue(name: string, at: string): Promise<QueueRow>;
  getQueue(name: string): Promise<QueueRow | undefined>;
  /** Every queue, by name. */
  listQueues(): Promise<QueueRow[]>;
  /** Put an item in its queue (which must exist: StoreNotFoundError `queue`). */
  enqueueItem(item: NewQueueItem): Promise<QueueItemRow>;
  /**
   * Hand the best queued item of `queues` (of `kinds`) to a launch agent: lowest priority number
   * first, then the first enqueued. It becomes `claimed` by the agent, in one transaction, so that
   * concurrent claims never get the same item. Undefined when none waits.
   */
  claimItem(claim: ItemClaim): Promise<QueueItemRow | undefined>;
  getItem(id: string): Promise<QueueItemRow | undefined>;
  /** Items matching every given filter, in claim order (priority, then enqueue order). */
  listItems(filter: ItemFilter): Promise<QueueItemRow[]>;
  /** Change fields of an item; the item afterwards (undefined if unknown). */
  updateItem(id: string, patch: ItemPatch): Promise<QueueItemRow | undefined>;
  registerLaunchAgent(agent: NewLaunchAgent): Promise<LaunchAgentRow>;
  getLaunchAgent(id: string): Promise<LaunchAgentRow | undefined>;
  /** Every launch agent, oldest first. */
  listLaunchAgents(): Promise<LaunchAgentRow[]>;
  /** Record a heartbeat; the agent afterwards (undefined if unknown). */
  heartbeatLaunchAgent(id: string, at: string): Promise<LaunchAgentRow | undefined>;
  /** Mark a launch agent stopped (it exited); the agent afterwards. */
  stopLaunchAgent(id: string, at: string): Promise<LaunchAgentRow | undefined>;
  /**
   * Fail (ended at `now`, with `message`) every claimed or running item whose launch agent is not
   * stopped and last heartbeat is older than `heartbeatBefore`, and crash the runs of those items
   * that are still pending or running. One transaction; answers the items failed.
   */
  failStaleItems(heartbeatBefore: string, now: string, message: string): Promise<QueueItemRow[]>;
  /** Create a launch sweep, its launch row and its scheduler's queue item in one transaction. */
  createLaunchSweep(create: LaunchSweepCreate): Promise<{ sweep: SweepRow; launch: LaunchSweepRow; item: QueueItemRow }>;
  getLaunchSweep(sweepId: string): Promise<LaunchSweepRow | undefined>;
  /**
   * Queue a new scheduler for a launch sweep, in one transaction: refused while an item of kind
   * `scheduler` of the sweep is queued, claimed or running, or when the sweep is not in `from`; else
   * the sweep's state, error (cleared) and finishing mark (cleared) change, the launch row takes the new
   * queue, priority, scheduler block and scheduler item, and the item is enqueued.
   */
  restartLaunchSweep(sweepId: string, restart: LaunchSweepRestart): Promise<LaunchSweepRestartResult>;
  /**
   * The runs a launch sweep's scheduler adds, each with its queue item, in one transaction, and only
   * if `schedulerItemId` is the sweep's current scheduler item (else `fenced`) and the sweep is in
   * `requireState` (else `state`); nothing is written when refused. Runs get the sweep's next
   * numbers and no agent; the scheduler state is saved with them.
   */
  launchRunItems(sweepId: string, launch: RunItemLaunch): Promise<RunItemLaunchResult>;
  // ---- end of Sweeps on Launch ----------------------------------------------------------------

  /**
   * Run `task` holding the sweep's scheduling lock across every server process that shares this
   * store: the PostgreSQL store implements it (an advisory lock), so that several `broom server`
   * processes on one database step each sweep one at a time. A store that one process alone opens
   * (SQLite) leaves it out; the sweep controller's own queue is enough there.
   */
  withSweepLock?<T>(sweepId: string, task: () => Promise<T>): Promise<T>;

  close(): Promise<void>;
}

export interface NewSweep {
  id: string;
  name: string;
  project: string;
  entity?: string;
  method: string;
  state: SweepState;
  /** The config as the client sent it (not filled). */
  config: Value;
  configText?: string;
  configFile?: string;
  configDir?: string;
  /** The seed of the sweep's scheduler. */
  seed: number;
  createdAt: string;
}

export interface SweepRow extends NewSweep {
  updatedAt: string;
  /** Why the sweep failed (state FAILED). */
  error?: string;
  /** Set when the scheduler said the sweep is done: it becomes FINISHED when no run is active. */
  finishing?: string;
}

export interface SweepStateChange {
  state: SweepState;
  at: string;
  reason?: string;
  /** Only change from one of these states. */
  from?: readonly SweepState[];
  /** null clears the error; undefined keeps it. */
  error?: string | null;
  /** null clears the finishing mark; undefined keeps it. */
  finishing?: string | null;
}

export interface SweepEvent {
  sweepId: string;
  at: string;
  from: SweepState | null;
  to: SweepState;
  reason?: string;
}

export interface NewRun {
  id: string;
  name: string;
  config: ValueRecord;
  searchInfo?: ValueRecord;
}

export interface RunLaunch {
  agentId: string;
  runs: readonly NewRun[];
  at: string;
  requireState: readonly SweepState[];
  /** Saved in the same transaction (undefined: left as it is). */
  schedulerState?: Value;
}

export interface RunRow {
  id: string;
  sweepId: string;
  /** 0-based position in the sweep (creation order). */
  number: number;
  name: string;
  state: RunState;
  config: ValueRecord;
  summary: ValueRecord;
  agentId?: string;
  exitCode?: number | null;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  stopRequested: boolean;
  stopReason?: string;
  searchInfo?: ValueRecord;
  earlyTerminateInfo?: ValueRecord;
  superseded: boolean;
  historyLength: number;
}

export interface RunPatch {
  state?: RunState;
  exitCode?: number | null;
  startedAt?: string;
  endedAt?: string;
  stopRequested?: boolean;
  stopReason?: string;
  earlyTerminateInfo?: ValueRecord;
  superseded?: boolean;
}

export interface HistoryWrite {
  seq: number;
  rows: readonly ValueRecord[];
  summary?: ValueRecord;
}

export interface NewAgent {
  id: string;
  sweepId: string;
  host: string;
  pid: number;
  slots: number;
  createdAt: string;
}

export interface AgentRow extends NewAgent {
  heartbeatAt: string;
}

/** An access token as stored: `hash` is the SHA-256 (hex) of its secret. */
export interface NewToken {
  id: string;
  name: string;
  hash: string;
  createdAt: string;
}

export interface TokenRow extends NewToken {
  lastUsedAt?: string;
  revokedAt?: string;
}
