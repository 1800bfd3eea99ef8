import type { ValueRecord } from '@broom/core';
import { bestConfig, cumulativeSteps, trajectory, type SeedRun } from './trial-log.js';

/** `broom-<problem>-<sampler>.json`, in the format of /work/shared/bench/README.md. */
export interface ResultFile {
  problem: string;
  sampler: string;
  budget: number;
  seeds: number[];
  trajectories: (number | null)[][];
  wall_s: number[];
  steps_consumed?: number[];
  engine: string;
  engine_version?: string;
  /** Per seed: mean ms per proposal inside the engine, objective excluded. */
  overhead_ms: number[];
  /** Per seed, curves with a pruner: mean ms per trial inside `stopRuns`. */
  prune_overhead_ms?: number[];
  cum_steps?: number[][];
  n_pruned?: number[];
  /** Per seed, per trial: the objective, null when pruned. */
  values: (number | null)[][];
  best_params: (ValueRecord | null)[];
  /** How the run was made (not part of the shared format). */
  sweep_config?: ValueRecord;
  mode?: string;
}

export interface ResultMeta {
  problem: string;
  sampler: string;
  budget: number;
  curves: boolean;
  engineVersion?: string;
  sweepConfig?: ValueRecord;
  mode?: string;
}

export function resultFile(meta: ResultMeta, seeds: readonly SeedRun[]): ResultFile {
  const out: ResultFile = {
    problem: meta.problem,
    sampler: meta.sampler,
    budget: meta.budget,
    seeds: seeds.map((s) => s.seed),
    trajectories: seeds.map((s) => trajectory(s.trials, meta.budget)),
    wall_s: seeds.map((s) => s.wallS),
    engine: 'broom',
    ...(meta.engineVersion ? { engine_version: meta.engineVersion } : {}),
    overhead_ms: seeds.map((s) => s.overheadMs),
    values: seeds.map((s) => s.trials.map((t) => t.value)),
    best_params: seeds.map((s) => bestConfig(s.trials)),
  };
  if (meta.curves) {
    const cum = seeds.map((s) => cumulativeSteps(s.trials));
    out.steps_consumed = cum.map((c) => c[c.length - 1] ?? 0);
    out.cum_steps = cum;
    out.n_pruned = seeds.map((s) => s.trials.filter((t) => t.value === null).length);
    if (seeds.some((s) => s.pruneOverheadMs !== undefined)) out.prune_overhead_ms = seeds.map((s) => s.pruneOverheadMs ?? 0);
  }
  if (meta.sweepConfig) out.sweep_config = meta.sweepConfig;
  if (meta.mode) out.mode = meta.mode;
  return out;
}
