/** The JSON the dashboard reads from `broom server` (a mirror of @broom/core's protocol types). */
export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };
export type Row = Record<string, Value>;

export type SweepState = 'PENDING' | 'RUNNING' | 'PAUSED' | 'FINISHED' | 'CANCELED' | 'FAILED';
export type RunState = 'pending' | 'running' | 'finished' | 'failed' | 'crashed' | 'killed' | 'preempted' | 'preempting';
export type Goal = 'minimize' | 'maximize';

export interface SweepSummary {
  id: string;
  name: string;
  project: string;
  entity?: string;
  method: string;
  state: SweepState;
  createdAt: string;
  updatedAt: string;
  runCounts: Partial<Record<RunState, number>>;
  expectedRunCount: number | null;
  bestRun?: { name: string; value: number };
  metric?: { name: string; goal: Goal };
  error?: string;
}

export interface SweepDetail extends SweepSummary {
  config: Value;
  configText?: string;
}

export interface RunView {
  id: string;
  sweepId: string;
  name: string;
  number: number;
  state: RunState;
  config: Row;
  summary: Row;
  agentId?: string;
  exitCode?: number | null;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  stopRequested?: boolean;
  stopReason?: string;
  searchInfo?: Row;
  earlyTerminateInfo?: Row;
  superseded?: boolean;
  historyLength: number;
  history?: Row[];
}

export interface AgentView {
  id: string;
  host: string;
  pid: number;
  slots: number;
  createdAt: string;
  heartbeatAt: string;
}

export interface SweepSnapshot {
  sweep: SweepDetail;
  runs: RunView[];
  agents: AgentView[];
}

export interface HistoryDelta {
  runId: string;
  from: number;
  rows: Row[];
}

export interface SweepDelta {
  sweep?: SweepDetail;
  runs?: RunView[];
  agents?: AgentView[];
  history?: HistoryDelta[];
}

export interface SweepsEvent {
  sweeps: SweepSummary[];
  removed?: string[];
}

export interface ParameterImportance {
  name: string;
  importance: number;
  correlation: number | null;
  kind: 'numeric' | 'categorical';
}

export interface ImportanceAnswer {
  metric: string | null;
  goal: Goal | null;
  runsUsed: number;
  note?: string;
  parameters: ParameterImportance[];
}

export interface LogChunk {
  path: string;
  size: number;
  offset: number;
  text: string;
  next: number;
}

/** Sweeps on Launch (`GET /queues`, `GET /queues/:name`). */
export type ItemState = 'queued' | 'claimed' | 'running' | 'finished' | 'failed' | 'stopped' | 'canceled';

export interface QueueSummary {
  name: string;
  description?: string;
  createdAt: string;
  counts: Partial<Record<ItemState, number>>;
  agents: number;
}

export interface QueueItem {
  id: string;
  queue: string;
  priority: number;
  kind: 'scheduler' | 'run';
  sweepId?: string;
  runId?: string;
  spec: { runName?: string; program?: string; entryPoint?: string[] };
  resource: string;
  state: ItemState;
  launchAgentId?: string;
  jobId?: string;
  exitCode?: number | null;
  message?: string;
  stopRequested: boolean;
  stopReason?: string;
  createdAt: string;
  claimedAt?: string;
  startedAt?: string;
  endedAt?: string;
}

export interface LaunchAgent {
  id: string;
  host: string;
  pid: number;
  queues: string[];
  maxJobs: number;
  maxSchedulers: number;
  createdAt: string;
  state: 'polling' | 'stopped';
  heartbeatAt: string;
}

export interface QueueDetail extends QueueSummary {
  items: QueueItem[];
  launchAgents: LaunchAgent[];
}
