import type { Run, ValueRecord } from '@broom/core';
import type { CurvesProblem, Problem } from '../problems/index.js';
import type { Engine } from './engine-client.js';
import type { TrialOutcome } from './trial-log.js';

/** The state W&B shows for a run its controller stopped early. */
export const STOPPED_STATE = 'killed' as const;

export interface LoopOptions {
  budget: number;
  /** Proposals kept outstanding: 1 = sequential (ask 1, evaluate, tell). */
  parallel: number;
}

function runName(i: number): string {
  return `trial-${String(i).padStart(4, '0')}`;
}

/**
 * Ask/tell on a one-shot problem. Up to `parallel` proposals are outstanding, passed to the engine as
 * `pending` runs; the oldest is completed (evaluated and told as `finished`), then one more is asked.
 */
export async function runOneShot(problem: Problem, engine: Engine, seed: number, opts: LoopOptions): Promise<TrialOutcome[]> {
  const runs: Run[] = [];
  const queue: number[] = [];
  const trials: TrialOutcome[] = [];
  let exhausted = false;
  while (trials.length < opts.budget) {
    while (!exhausted && queue.length < opts.parallel && runs.length < opts.budget) {
      const [proposal] = await engine.next(runs, 1);
      if (!proposal) {
        exhausted = true;
        break;
      }
      queue.push(runs.length);
      runs.push({ name: runName(runs.length), state: 'pending', config: proposal.config, history: [], summary: {} });
    }
    const i = queue.shift();
    if (i === undefined) break;
    const { config } = runs[i];
    const value = problem.evaluate(config, seed);
    runs[i] = { ...runs[i], state: 'finished', history: [{ loss: value }], summary: { loss: value } };
    trials.push({ value, steps: 1, config });
  }
  return trials;
}

interface Active {
  index: number;
  at: (t: number) => number;
  t: number;
  history: ValueRecord[];
}

/**
 * Ask/tell on a learning-curve problem. Up to `parallel` trials run at once, one step each in turn;
 * each reports `{loss}` as a history row. With `prune`, `stopRuns` is asked after every round of
 * steps (before the last step): a stopped trial has consumed its steps and is not completed.
 */
export async function runCurves(
  problem: CurvesProblem,
  engine: Engine,
  seed: number,
  opts: LoopOptions & { prune: boolean },
): Promise<TrialOutcome[]> {
  const runs: Run[] = [];
  let active: Active[] = [];
  const trials: TrialOutcome[] = [];
  let exhausted = false;
  const snapshot = (): Run[] => {
    const out = runs.slice();
    for (const a of active) {
      const last = a.history[a.history.length - 1];
      out[a.index] = { ...runs[a.index], state: 'running', history: a.history.slice(), summary: last ? { ...last } : {} };
    }
    return out;
  };
  while (trials.length < opts.budget) {
    while (!exhausted && active.length < opts.parallel && runs.length < opts.budget) {
      const [proposal] = await engine.next(snapshot(), 1);
      if (!proposal) {
        exhausted = true;
        break;
      }
      const config = proposal.config;
      active.push({ index: runs.length, at: (t) => problem.lossAt(config, seed, t), t: 0, history: [] });
      runs.push({ name: runName(runs.length), state: 'running', config, history: [], summary: {} });
    }
    if (active.length === 0) break;
    for (const a of active) {
      a.t += 1;
      a.history.push({ loss: a.at(a.t) });
    }
    const stop = new Set<string>();
    if (opts.prune && active.some((a) => a.t < problem.steps)) {
      for (const name of await engine.stop(snapshot())) stop.add(name);
    }
    const still: Active[] = [];
    for (const a of active) {
      const run = runs[a.index];
      const summary = { ...a.history[a.history.length - 1] };
      if (a.t >= problem.steps) {
        runs[a.index] = { ...run, state: 'finished', history: a.history, summary };
        trials.push({ value: summary.loss as number, steps: a.t, config: run.config });
      } else if (stop.has(run.name)) {
        runs[a.index] = { ...run, state: STOPPED_STATE, history: a.history, summary, stop_reason: 'pruned' };
        trials.push({ value: null, steps: a.t, config: run.config });
      } else {
        still.push(a);
      }
    }
    active = still;
  }
  return trials;
}
