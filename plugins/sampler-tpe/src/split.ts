import type { StudyDirection, TrialSnapshot } from '@broom/core';
import { nonDominationRanks, referencePoint, solveHssp } from './hypervolume.js';

/** Optuna's `default_gamma`: how many trials form l(x), from the number of finished ones. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Optuna's `default_weights`: equal weights below 25 observations; from 25 on, the 25 newest weigh
 * 1 and the older ones ramp linearly from 1/n up to 1 (oldest lightest).
 */
export function defaultWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return new Array<number>(n).fill(1);
  const num = n - 25;
  const start = 1 / n;
  const ramp: number[] = [];
  for (let i = 0; i < num; i++) ramp.push(num === 1 ? start : start + ((1 - start) * i) / (num - 1));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

/** A complete trial's objective values turned into losses (negated for maximised objectives). */
export function lossVector(trial: TrialSnapshot, directions: readonly StudyDirection[]): number[] {
  return directions.map((d, k) => (d === 'maximize' ? -trial.values![k] : trial.values![k]));
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * How a pruned trial ranks (Optuna's `_get_pruned_trial_score`): first by the last step it
 * reached (further is better), then by its value there in the study's direction (NaN last);
 * a pruned trial that reported nothing ranks after every one that did.
 */
export function prunedTrialScore(trial: TrialSnapshot, direction: StudyDirection): [number, number] {
  const steps = Object.keys(trial.intermediate ?? {}).map(Number).filter((s) => !Number.isNaN(s));
  if (steps.length === 0) return [1, 0];
  const step = Math.max(...steps);
  const value = trial.intermediate![step];
  if (Number.isNaN(value)) return [-step, Infinity];
  return [-step, direction === 'minimize' ? value : -value];
}

function splitCompleteSingle(trials: TrialSnapshot[], direction: StudyDirection, nBelow: number): [TrialSnapshot[], TrialSnapshot[]] {
  // A stable sort, as Python's `sorted` (also with reverse=True, which keeps equal values in order).
  const sorted = [...trials].sort((a, b) =>
    direction === 'minimize' ? compareNumbers(a.values![0], b.values![0]) : compareNumbers(b.values![0], a.values![0]),
  );
  return [sorted.slice(0, nBelow), sorted.slice(nBelow)];
}

function splitCompleteMulti(
  trials: TrialSnapshot[],
  directions: readonly StudyDirection[],
  nBelow: number,
): [TrialSnapshot[], TrialSnapshot[]] {
  if (nBelow === 0) return [[], trials];
  if (nBelow === trials.length) return [trials, []];
  const losses = trials.map((t) => lossVector(t, directions));
  const ranks = nonDominationRanks(losses, nBelow);
  // Whole fronts while they fit, then a hypervolume subset of the next front fills the rest.
  const below = new Set<number>();
  let rank = 0;
  for (;;) {
    const front = ranks.flatMap((r, i) => (r === rank ? [i] : []));
    if (below.size + front.length > nBelow) {
      const frontLosses = front.map((i) => losses[i]);
      const picked = solveHssp(frontLosses, nBelow - below.size, referencePoint(frontLosses));
      for (const k of picked) below.add(front[k]);
      break;
    }
    for (const i of front) below.add(i);
    if (below.size === nBelow) break;
    rank++;
  }
  return [trials.filter((_, i) => below.has(i)), trials.filter((_, i) => !below.has(i))];
}

/**
 * Optuna's `_split_trials`: the best `nBelow` trials form the below group (l(x)), the others the
 * above group (g(x)). Complete trials come first (by value, or for several objectives by
 * non-domination rank with a hypervolume tie-break), then pruned ones by
 * {@link prunedTrialScore}; running trials (given only under constant liar) always go above.
 * Both groups come back in trial-number order.
 */
export function splitTrials(
  trials: readonly TrialSnapshot[],
  directions: readonly StudyDirection[],
  nBelow: number,
): { below: TrialSnapshot[]; above: TrialSnapshot[] } {
  const complete: TrialSnapshot[] = [];
  const pruned: TrialSnapshot[] = [];
  const running: TrialSnapshot[] = [];
  for (const t of trials) {
    if (t.state === 'running') running.push(t);
    else if (t.state === 'complete') complete.push(t);
    else if (t.state === 'pruned') pruned.push(t);
  }
  let n = Math.min(nBelow, complete.length);
  const [belowComplete, aboveComplete] =
    directions.length <= 1 ? splitCompleteSingle(complete, directions[0], n) : splitCompleteMulti(complete, directions, n);
  n = Math.max(0, nBelow - belowComplete.length);
  n = Math.min(n, pruned.length);
  const sortedPruned = [...pruned].sort((a, b) => {
    const sa = prunedTrialScore(a, directions[0]);
    const sb = prunedTrialScore(b, directions[0]);
    return compareNumbers(sa[0], sb[0]) || compareNumbers(sa[1], sb[1]);
  });
  const byNumber = (a: TrialSnapshot, b: TrialSnapshot) => a.number - b.number;
  const below = [...belowComplete, ...sortedPruned.slice(0, n)].sort(byNumber);
  const above = [...aboveComplete, ...sortedPruned.slice(n), ...running].sort(byNumber);
  return { below, above };
}
