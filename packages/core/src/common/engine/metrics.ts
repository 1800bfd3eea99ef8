import { PyFloat, type Value } from '../values.js';
import type { Run } from './run.js';

/** A metric value as a number, or undefined when it is not a number (strings, booleans, objects are ignored). */
export function metricNumber(v: Value | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.value;
  return undefined;
}

/**
 * The values of metric `name` in a run's history, in order, keeping only finite numbers: W&B's
 * "iterations" for hyperband are the k-th logged value of the metric, not `_step`.
 */
export function metricHistory(run: Run, name: string): number[] {
  const out: number[] = [];
  for (const row of run.history ?? []) {
    const x = metricNumber(row[name]);
    if (x !== undefined && Number.isFinite(x)) out.push(x);
  }
  return out;
}

/** The summary value of metric `name`, when it is a finite number. */
export function summaryMetric(run: Run, name: string): number | undefined {
  const x = metricNumber(run.summary?.[name]);
  return x !== undefined && Number.isFinite(x) ? x : undefined;
}
