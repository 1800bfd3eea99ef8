import { isRecord, parseJson, type RunState, type SweepState, type ValueRecord } from '@broom/core';
import type { AgentRow, RunRow, SweepRow, TokenRow } from './store.js';

/** Row mapping of the PostgreSQL store (shared by its parts). */
export type Row = Record<string, unknown>;

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
    stopRequested: r.stop_requested === true,
    superseded: r.superseded === true,
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
