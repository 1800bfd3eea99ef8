import { isNumeric, isRecord, stringifyJson, toNumber, type Value, type ValueRecord } from '@broom/core';
import type { RunRow } from '../store/store.js';
import { parameterImportance, type Feature, type ParameterImportance } from './importance.js';

/** A run's config flattened to dotted keys (`model.layers`), as W&B's sweep page shows nested parameters. */
export function flattenConfig(config: ValueRecord, prefix = '', out: Record<string, Value> = {}): Record<string, Value> {
  for (const [k, v] of Object.entries(config)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isRecord(v) && Object.keys(v).length > 0) flattenConfig(v, key, out);
    else out[key] = v;
  }
  return out;
}

export interface SweepImportance {
  metric: string | null;
  goal: 'minimize' | 'maximize' | null;
  /** Runs the forest was fitted on (finished runs with a finite value of the metric). */
  runsUsed: number;
  /** Why nothing could be computed (no metric, too few runs, no varying parameter). */
  note?: string;
  parameters: ParameterImportance[];
}

/** Parameter importance of a sweep's finished runs for `metric`, most important first. */
export function sweepImportance(runs: readonly RunRow[], metric: { name: string; goal: 'minimize' | 'maximize' } | undefined): SweepImportance {
  if (!metric) return { metric: null, goal: null, runsUsed: 0, note: 'The sweep has no metric: importance needs one.', parameters: [] };
  const used: Array<{ params: Record<string, Value>; y: number }> = [];
  for (const r of runs) {
    if (r.state !== 'finished' || r.superseded) continue;
    const v = r.summary[metric.name];
    if (!isNumeric(v)) continue;
    const y = toNumber(v);
    if (!Number.isFinite(y)) continue;
    used.push({ params: flattenConfig(r.config), y });
  }
  const base = { metric: metric.name, goal: metric.goal, runsUsed: used.length };
  if (used.length < 3) return { ...base, note: `Importance needs at least 3 finished runs with a value of ${metric.name}; there are ${used.length}.`, parameters: [] };
  const names = [...new Set(used.flatMap((u) => Object.keys(u.params)))].sort();
  const features: Feature[] = [];
  for (const name of names) {
    const values = used.map((u) => featureValue(u.params[name]));
    if (new Set(values.map((v) => String(v))).size < 2) continue; // constant: says nothing
    features.push({ name, values });
  }
  if (features.length === 0) return { ...base, note: 'No parameter varies between the finished runs.', parameters: [] };
  const result = parameterImportance(features, used.map((u) => u.y), { seed: 7 });
  return { ...base, parameters: result.sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name)) };
}

function featureValue(v: Value | undefined): number | string | undefined {
  if (v === undefined || v === null) return undefined;
  if (isNumeric(v)) {
    const x = toNumber(v);
    return Number.isFinite(x) ? x : String(x);
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  return stringifyJson(v);
}
