/**
 * The HTTP API between `broom server` and its clients (agents, the CLI, the dashboard), version 1.
 * JSON bodies; every path is under `/api/v1`. Errors answer 4xx/5xx with `ApiError`.
 * Requests off loopback carry `Authorization: Bearer <token>`.
 *
 * @experimental until the server issue lands.
 */
import type { RunState } from '../engine/run.js';
import type { Value, ValueRecord } from '../values.js';

export const API_PREFIX = '/api/v1';

/** Sweep states, as W&B spells them. */
export const SWEEP_STATES = ['PENDING', 'RUNNING', 'PAUSED', 'FINISHED', 'CANCELED', 'FAILED'] as const;
export type SweepState = (typeof SWEEP_STATES)[number];

export interface ApiError {
  error: { code: string; message: string };
}

/** POST /sweeps — create a sweep from a config (already parsed; the CLI validates first). */
export interface CreateSweepRequest {
  config: Value;
  /** The config file's text and name, kept for display and for resolving plugin paths. */
  configText?: string;
  configFile?: string;
  /** Directory of the config file on the machine that created the sweep (plugin paths resolve from it). */
  configDir?: string;
  name?: string;
  project?: string;
  entity?: string;
}

export interface SweepSummary {
  id: string;
  name: string;
  project: string;
  entity?: string;
  method: string;
  state: SweepState;
  createdAt: string;
  updatedAt: string;
  /** Runs by state. */
  runCounts: Partial<Record<RunState, number>>;
  /** W&B's expected run count: grid size, or null when unbounded. */
  expectedRunCount: number | null;
  bestRun?: { name: string; value: number };
  metric?: { name: string; goal: 'minimize' | 'maximize' };
  error?: string;
}

export interface SweepDetail extends SweepSummary {
  config: Value;
  configText?: string;
}

/** POST /sweeps/:id/control */
export interface SweepControlRequest {
  action: 'pause' | 'resume' | 'stop' | 'cancel';
  /** With `resume`: propose the grid cells of failed and crashed runs again. */
  retryFailed?: boolean;
}

export interface RunRecord {
  id: string;
  sweepId: string;
  name: string;
  state: RunState;
  config: ValueRecord;
  summary: ValueRecord;
  agentId?: string;
  exitCode?: number | null;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  /** Set when the scheduler asked to stop it (hyperband, pruner, cancel). */
  stopRequested?: boolean;
  /** Why it was asked to stop: `pruned` (the optuna scheduler's pruner), `early_terminate`, `sweep canceled`, … */
  stopReason?: string;
  searchInfo?: ValueRecord;
  earlyTerminateInfo?: ValueRecord;
  /** Set when `resume --retry-failed` released its grid cell: kept for display, hidden from the scheduler. */
  superseded?: boolean;
}

/** POST /sweeps/:id/agents */
export interface RegisterAgentRequest {
  host: string;
  pid: number;
  /** How many runs this agent may run at once (default 1). */
  slots?: number;
}
export interface RegisterAgentResponse {
  agentId: string;
  /** Seconds between heartbeats. */
  heartbeatInterval: number;
}

/** POST /agents/:id/heartbeat — the agent's live runs; the answer holds its commands. */
export interface HeartbeatRequest {
  /** Runs the agent is running now, by run id. */
  running: string[];
  /** How many more runs it can take now. */
  freeSlots: number;
}
export type AgentCommand =
  | { type: 'run'; runId: string; runName: string; config: ValueRecord; program?: string; command?: Value[] }
  | { type: 'stop'; runId: string }
  | { type: 'exit'; reason: string };
export interface HeartbeatResponse {
  commands: AgentCommand[];
}

/** POST /runs/:id/metrics — a batch of history rows; `seq` makes resends idempotent. */
export interface MetricsRequest {
  /** Index of the first row of this batch in the run's history (0-based). */
  seq: number;
  rows: ValueRecord[];
  summary?: ValueRecord;
}

/** POST /runs/:id/state */
export interface RunStateRequest {
  state: Extract<RunState, 'running' | 'finished' | 'failed' | 'crashed' | 'killed'>;
  exitCode?: number | null;
}

/*
 * Routes (all under API_PREFIX) and their answers:
 *   POST /sweeps                   CreateSweepRequest   → 201 SweepDetail
 *   GET  /sweeps                                        → ListSweepsResponse
 *   GET  /sweeps/:id                                    → SweepDetail
 *   POST /sweeps/:id/control       SweepControlRequest  → SweepDetail
 *   GET  /sweeps/:id/runs          ?history=1           → ListRunsResponse
 *   POST /sweeps/:id/agents        RegisterAgentRequest → 201 RegisterAgentResponse
 *   GET  /runs/:id                 ?history=1           → RunDetail
 *   POST /runs/:id/metrics         MetricsRequest       → MetricsResponse
 *   POST /runs/:id/state           RunStateRequest      → RunDetail (without history)
 *   POST /agents/:id/heartbeat     HeartbeatRequest     → HeartbeatResponse
 *   GET  /health                                        → { ok: true, version }
 * Sweep ids may be given as `id`, `project/id` or `entity/project/id` (URL-encoded).
 * Errors: 400 bad input (the message names the key), 401 missing/wrong token, 404 unknown sweep,
 * run, agent or route, 409 a conflict (a history batch that leaves a gap, a control action the
 * sweep's state refuses, a state report for a run that already ended), 413 body too large, 415 not JSON.
 * Heartbeats: `freeSlots` is capped at the agent's registered `slots`; `stop` is repeated on every
 * heartbeat while the run is still active (W&B: a later stop escalates to SIGKILL); `exit` comes once
 * the sweep is FINISHED/CANCELED/FAILED and the heartbeat lists no running run.
 */

export interface ListSweepsResponse {
  sweeps: SweepSummary[];
}

/** A run with its metric history (`?history=1`). */
export interface RunDetail extends RunRecord {
  history?: ValueRecord[];
}

export interface ListRunsResponse {
  runs: RunDetail[];
}

export interface MetricsResponse {
  /** Rows of the run's history stored now (a resent batch answers the same number). */
  historyLength: number;
}
