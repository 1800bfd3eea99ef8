import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The fields of a result file (broom's or Optuna's) that the report reads. */
export interface RunResult {
  engine: string;
  problem: string;
  sampler: string;
  budget: number;
  seeds: number[];
  trajectories: (number | null)[][];
  wall_s?: number[];
  overhead_ms?: number[];
  steps_consumed?: number[];
  cum_steps?: number[][];
  n_pruned?: number[];
  prune_overhead_ms?: number[];
  values?: (number | null)[][];
  /** The file it came from. */
  file?: string;
}

/** `<engine>-<problem>-<sampler>.json`: problem names have no `-`, the sampler may. */
const FILE = /^([a-z0-9_]+)-([a-z0-9_]+)-(.+)\.json$/i;

/** Every `<prefix>-*.json` result file of a folder (missing folder: none). */
export function loadResults(dir: string, prefix: string): RunResult[] {
  if (!existsSync(dir)) return [];
  const out: RunResult[] = [];
  for (const name of readdirSync(dir).sort()) {
    const m = FILE.exec(name);
    if (!m || m[1] !== prefix) continue;
    const data = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Partial<RunResult>;
    if (!Array.isArray(data.trajectories)) continue; // e.g. optuna-overhead.json
    out.push({
      ...data,
      engine: data.engine ?? m[1],
      problem: data.problem ?? m[2],
      sampler: data.sampler ?? m[3],
      budget: Number(data.budget ?? data.trajectories[0]?.length ?? 0),
      seeds: data.seeds ?? data.trajectories.map((_, i) => i),
      trajectories: data.trajectories,
      file: path.join(dir, name),
    });
  }
  return out;
}
