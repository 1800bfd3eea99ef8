import type { ValueRecord } from '@broom/core';

/** One trial as the benchmark records it, in the order trials ended. */
export interface TrialOutcome {
  /** The objective for a completed trial; null when it was stopped early. */
  value: number | null;
  /** Steps the trial consumed (1 for the one-shot problems). */
  steps: number;
  config: ValueRecord;
}

/** One seed of one problem/sampler. */
export interface SeedRun {
  seed: number;
  trials: TrialOutcome[];
  wallS: number;
  /** Mean ms per proposal inside `nextRuns`. */
  overheadMs: number;
  /** Mean ms per trial inside `stopRuns` (curves with a pruner only). */
  pruneOverheadMs?: number;
}

/** trajectory[i] = best value among completed trials 0..i (null until one completed), padded to `budget`. */
export function trajectory(trials: readonly TrialOutcome[], budget: number): (number | null)[] {
  const out: (number | null)[] = [];
  let best: number | null = null;
  for (let i = 0; i < budget; i++) {
    const v = trials[i]?.value;
    if (v !== null && v !== undefined && (best === null || v < best)) best = v;
    out.push(best);
  }
  return out;
}

/** Cumulative steps after each trial. */
export function cumulativeSteps(trials: readonly TrialOutcome[]): number[] {
  let sum = 0;
  return trials.map((t) => (sum += t.steps));
}

/** The config of the best completed trial, or null. */
export function bestConfig(trials: readonly TrialOutcome[]): ValueRecord | null {
  let best: TrialOutcome | null = null;
  for (const t of trials) if (t.value !== null && (best === null || t.value < (best.value as number))) best = t;
  return best?.config ?? null;
}
