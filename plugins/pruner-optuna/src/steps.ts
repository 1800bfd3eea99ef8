import type { StudyDirection, TrialSnapshot } from '@broom/core';

/**
 * A trial's intermediate values as `[step, value]` pairs sorted by step. A value that is not a
 * number (a NaN that went through JSON arrives as `null`) counts as NaN, as Optuna stores it.
 */
export function reported(trial: TrialSnapshot): [number, number][] {
  const out: [number, number][] = [];
  for (const [key, value] of Object.entries(trial.intermediate ?? {})) {
    const step = Number(key);
    if (!Number.isFinite(step)) continue;
    out.push([step, typeof value === 'number' ? value : Number.NaN]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Optuna's `FrozenTrial.last_step`: the largest step reported, or undefined if none. */
export function lastStep(trial: TrialSnapshot): number | undefined {
  const steps = reported(trial);
  return steps.length ? steps[steps.length - 1][0] : undefined;
}

/** The value a trial reported at `step` (NaN for a non-number), or undefined if it reported none there. */
export function valueAt(trial: TrialSnapshot, step: number): number | undefined {
  const values = trial.intermediate as Record<string, unknown> | undefined;
  if (!values || !Object.hasOwn(values, String(step))) return undefined;
  const v = values[String(step)];
  return typeof v === 'number' ? v : Number.NaN;
}

/** numpy's `nanmin`/`nanmax`: the best non-NaN value in the direction, NaN if there is none. */
export function nanBest(values: readonly number[], direction: StudyDirection): number {
  let best = Number.NaN;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (direction === 'maximize' ? v > best : v < best)) best = v;
  }
  return best;
}

/**
 * Optuna's `_is_first_in_interval_step`: whether `step` is the first reported step at or after the
 * latest pruning point (`n_warmup_steps + k·interval_steps`), so that a check postponed because no
 * value was reported at the pruning point happens at the next report, and only once.
 */
export function isFirstInIntervalStep(step: number, steps: readonly number[], warmup: number, interval: number): boolean {
  const nearestLowerPruningStep = Math.floor((step - warmup) / interval) * interval + warmup;
  let secondLast = -1;
  for (const s of steps) if (s > secondLast && s !== step) secondLast = s;
  return secondLast < nearestLowerPruningStep;
}

/** The latest pruning point at or before `step` (for messages). */
export function pruningPointBefore(step: number, warmup: number, interval: number): number {
  return Math.floor((step - warmup) / interval) * interval + warmup;
}

/**
 * numpy's `nanpercentile(values, q)` with its default `linear` method: NaNs dropped, the sorted
 * values interpolated at `(n - 1)·q/100`, with numpy's two-sided lerp so the float result matches.
 */
export function nanPercentile(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const virtual = (n - 1) * (q / 100);
  const below = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
  const above = Math.min(below + 1, n - 1);
  const gamma = virtual - below;
  const a = sorted[below];
  const b = sorted[above];
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** A number for a message: Python's `repr` style for the common cases (`inf`, `nan`, `-inf`). */
export function show(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x);
}

/** `1st`, `2nd`, `3rd`, `4th`, `11th`, `25th`, `33.3th` (for messages). */
export function ordinal(x: number): string {
  if (!Number.isInteger(x)) return `${show(x)}th`;
  const mod100 = Math.abs(x) % 100;
  const mod10 = Math.abs(x) % 10;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : mod10 === 1 ? 'st' : mod10 === 2 ? 'nd' : mod10 === 3 ? 'rd' : 'th';
  return `${x}${suffix}`;
}
