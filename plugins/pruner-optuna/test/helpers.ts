import type { PruneRequest, StudyDirection, TrialSnapshot, TrialState } from '@broom/core';

/** A trial from its reports: an array is steps 0, 1, 2, …; an object maps step → value. */
export function trial(number: number, state: TrialState, values: number[] | Record<number, number>): TrialSnapshot {
  const intermediate: Record<number, number> = Array.isArray(values) ? Object.fromEntries(values.map((v, i) => [i, v])) : { ...values };
  const t: TrialSnapshot = { number, state, params: {}, intermediate };
  const last = Object.entries(intermediate).sort((a, b) => Number(a[0]) - Number(b[0])).at(-1);
  if (state === 'complete' && last) t.values = [last[1]];
  return t;
}

/** Completed trials 0..n-1 from their reports, then the judged running trial. */
export function study(
  completed: (number[] | Record<number, number>)[],
  judged: number[] | Record<number, number>,
  direction: StudyDirection = 'minimize',
  others: TrialSnapshot[] = [],
): PruneRequest {
  const trials = completed.map((v, i) => trial(i, 'complete', v));
  trials.push(...others.map((t, i) => ({ ...t, number: completed.length + i })));
  const me = trial(trials.length, 'running', judged);
  return { trial: me, trials: [...trials, me], direction };
}
