import {
  fillConfig,
  Grid,
  isNumeric,
  toNumber,
  type RunDetail,
  type RunState,
  type SweepConfig,
  type SweepDetail,
  type SweepSummary,
  type ValueRecord,
} from '@broom/core';
import type { RunRow, SweepRow } from '../store/store.js';

/** The filled config of a stored sweep, or undefined if it no longer reads (it was checked on create). */
function filled(sweep: SweepRow): SweepConfig | undefined {
  try {
    return fillConfig(sweep.config, { file: sweep.configFile });
  } catch {
    return undefined;
  }
}

/** W&B's `runCountExpected`: the grid size (within run_cap) for grid, run_cap otherwise, null when unbounded. */
function expectedRunCount(config: SweepConfig | undefined): number | null {
  if (!config) return null;
  const cap = config.run_cap ?? null;
  if (config.method !== 'grid') return cap;
  let size: number;
  try {
    size = new Grid(config.parameters).size;
  } catch {
    return cap;
  }
  return cap === null ? size : Math.min(size, cap);
}

export function toSweepSummary(sweep: SweepRow, runs: readonly RunRow[]): SweepSummary {
  const config = filled(sweep);
  const runCounts: Partial<Record<RunState, number>> = {};
  for (const r of runs) runCounts[r.state] = (runCounts[r.state] ?? 0) + 1;
  const out: SweepSummary = {
    id: sweep.id,
    name: sweep.name,
    project: sweep.project,
    ...(sweep.entity ? { entity: sweep.entity } : {}),
    method: sweep.method,
    state: sweep.state,
    createdAt: sweep.createdAt,
    updatedAt: sweep.updatedAt,
    runCounts,
    expectedRunCount: expectedRunCount(config),
  };
  const metric = config?.metric;
  if (metric) {
    out.metric = { name: metric.name, goal: metric.goal };
    let best: { name: string; value: number } | undefined;
    for (const r of runs) {
      if (r.superseded) continue;
      const v = r.summary[metric.name];
      if (!isNumeric(v) || Number.isNaN(toNumber(v))) continue;
      const x = toNumber(v);
      if (!best || (metric.goal === 'minimize' ? x < best.value : x > best.value)) best = { name: r.name, value: x };
    }
    if (best) out.bestRun = best;
  }
  if (sweep.error) out.error = sweep.error;
  return out;
}

export function toSweepDetail(sweep: SweepRow, runs: readonly RunRow[]): SweepDetail {
  return {
    ...toSweepSummary(sweep, runs),
    config: sweep.config,
    ...(sweep.configText !== undefined ? { configText: sweep.configText } : {}),
  };
}

export function toRunDetail(run: RunRow, history?: ValueRecord[]): RunDetail {
  const out: RunDetail = {
    id: run.id,
    sweepId: run.sweepId,
    name: run.name,
    state: run.state,
    config: run.config,
    summary: run.summary,
    ...(run.agentId ? { agentId: run.agentId } : {}),
    exitCode: run.exitCode ?? null,
    createdAt: run.createdAt,
    ...(run.startedAt ? { startedAt: run.startedAt } : {}),
    ...(run.endedAt ? { endedAt: run.endedAt } : {}),
    stopRequested: run.stopRequested,
    ...(run.stopReason ? { stopReason: run.stopReason } : {}),
    ...(run.searchInfo ? { searchInfo: run.searchInfo } : {}),
    ...(run.earlyTerminateInfo ? { earlyTerminateInfo: run.earlyTerminateInfo } : {}),
    superseded: run.superseded,
  };
  if (history) out.history = history;
  return out;
}
