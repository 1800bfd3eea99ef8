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
  searchInfo?: ValueRecord;
  earlyTerminateInfo?: ValueRecord;
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
