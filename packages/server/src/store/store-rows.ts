import { isRecord, parseJson, type RunState, type SweepState, type ValueRecord } from '@broom/core';
import type { AgentRow, RunRow, SweepRow, TokenRow } from './store.js';
import type { ItemKind, ItemSpec, ItemState, LaunchAgentRow, LaunchAgentState, LaunchSweepRow, QueueItemRow, QueueRow } from './launch-types.js';

/**
 * Row mapping shared by the SQLite and PostgreSQL stores: the same columns, read the same way. The
 * drivers differ in two things only: booleans (SQLite 0/1, PostgreSQL true/false) and big integers
 * (PostgreSQL's BIGINT arrives as a string), hence `flag` and `Number`.
 */
export type Row = Record<string, unknown>;

/** A boolean column, as either driver returns it. */
export function flag(v: unknown): boolean {
  return v === true || v === 1;
}

export function parseRecord(text: string): ValueRecord {
  const v = parseJson(text, 'store');
  return isRecord(v) ? v : {};
}

export function toSweep(r: Row): SweepRow {
  return {
    id: r.id as string,
    name: r.name as string,
    project: r.project as string,
    ...(r.entity != null ? { entity: r.entity as string } : {}),
    method: r.method as string,
    state: r.state as SweepState,
    config: parseJson(r.config as string, 'store'),
    ...(r.config_text != null ? { configText: r.config_text as string } : {}),
    ...(r.config_file != null ? { configFile: r.config_file as string } : {}),
    ...(r.config_dir != null ? { configDir: r.config_dir as string } : {}),
    seed: Number(r.seed),
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
    ...(r.error != null ? { error: r.error as string } : {}),
    ...(r.finishing != null ? { finishing: r.finishing as string } : {}),
  };
}

export function toRun(r: Row): RunRow {
  const row: RunRow = {
    id: r.id as string,
    sweepId: r.sweep_id as string,
    number: r.number as number,
    name: r.name as string,
    state: r.state as RunState,
    config: parseRecord(r.config as string),
    summary: parseRecord(r.summary as string),
    createdAt: r.created_at as string,
    stopRequested: flag(r.stop_requested),
    superseded: flag(r.superseded),
    historyLength: r.history_length as number,
  };
  if (r.agent_id != null) row.agentId = r.agent_id as string;
  row.exitCode = (r.exit_code as number | null) ?? null;
  if (r.started_at != null) row.startedAt = r.started_at as string;
  if (r.ended_at != null) row.endedAt = r.ended_at as string;
  if (r.stop_reason != null) row.stopReason = r.stop_reason as string;
  if (r.search_info != null) row.searchInfo = parseRecord(r.search_info as string);
  if (r.early_terminate_info != null) row.earlyTerminateInfo = parseRecord(r.early_terminate_info as string);
  return row;
}

export function toAgent(r: Row): AgentRow {
  return {
    id: r.id as string,
    sweepId: r.sweep_id as string,
    host: r.host as string,
    pid: Number(r.pid),
    slots: r.slots as number,
    createdAt: r.created_at as string,
    heartbeatAt: r.heartbeat_at as string,
  };
}

export function toToken(r: Row): TokenRow {
  return {
    id: r.id as string,
    name: r.name as string,
    hash: r.hash as string,
    createdAt: r.created_at as string,
    ...(r.last_used_at != null ? { lastUsedAt: r.last_used_at as string } : {}),
    ...(r.revoked_at != null ? { revokedAt: r.revoked_at as string } : {}),
  };
}

export function record(text: unknown): ValueRecord {
  const v = parseJson(text as string, 'store');
  return isRecord(v) ? v : {};
}

export function toQueue(r: Row): QueueRow {
  return { name: r.name as string, ...(r.description != null ? { description: r.description as string } : {}), createdAt: r.created_at as string };
}

export function toItem(r: Row): QueueItemRow {
  const row: QueueItemRow = {
    id: r.id as string,
    queue: r.queue as string,
    priority: r.priority as number,
    kind: r.kind as ItemKind,
    state: r.state as ItemState,
    spec: record(r.spec) as ItemSpec,
    resource: r.resource as string,
    resourceArgs: record(r.resource_args),
    createdAt: r.created_at as string,
    stopRequested: flag(r.stop_requested),
  };
  const optional: [keyof QueueItemRow, unknown][] = [
    ['sweepId', r.sweep_id], ['runId', r.run_id], ['launchAgentId', r.launch_agent_id], ['jobId', r.job_id],
    ['message', r.message], ['stopReason', r.stop_reason], ['claimedAt', r.claimed_at], ['startedAt', r.started_at], ['endedAt', r.ended_at],
  ];
  for (const [k, v] of optional) if (v != null) (row as unknown as Record<string, unknown>)[k] = v;
  if (r.exit_code != null || r.ended_at != null) row.exitCode = (r.exit_code as number | null) ?? null;
  return row;
}

export function toLaunchAgent(r: Row): LaunchAgentRow {
  return {
    id: r.id as string,
    host: r.host as string,
    pid: Number(r.pid),
    queues: JSON.parse(r.queues as string) as string[],
    maxJobs: r.max_jobs as number,
    maxSchedulers: r.max_schedulers as number,
    state: r.state as LaunchAgentState,
    createdAt: r.created_at as string,
    heartbeatAt: r.heartbeat_at as string,
    ...(r.ended_at != null ? { endedAt: r.ended_at as string } : {}),
  };
}

export function toLaunchSweep(r: Row): LaunchSweepRow {
  return {
    sweepId: r.sweep_id as string,
    queue: r.queue as string,
    priority: r.priority as number,
    scheduler: record(r.scheduler),
    launch: record(r.launch),
    ...(r.scheduler_item_id != null ? { schedulerItemId: r.scheduler_item_id as string } : {}),
    createdAt: r.created_at as string,
    updatedAt: r.updated_at as string,
  };
}
