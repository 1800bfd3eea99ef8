import type { Proposal, Run, ValueRecord } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { problem as branin } from '../../src/problems/branin.js';
import { problem as curves } from '../../src/problems/curves.js';
import { runCurves, runOneShot, STOPPED_STATE } from '../../src/runner/ask-tell.js';
import type { Engine } from '../../src/runner/engine-client.js';
import { cumulativeSteps, trajectory } from '../../src/runner/trial-log.js';

/** A scripted engine: proposes the given configs in turn and records what it was shown. */
function scripted(configs: ValueRecord[], stopWhen?: (run: Run) => boolean) {
  const asked: Run[][] = [];
  const shownToStop: Run[][] = [];
  const engine: Engine = {
    async next(runs, count) {
      asked.push(runs.map((r) => ({ ...r })));
      const out: Proposal[] = [];
      for (let i = 0; i < count && runs.length + i < configs.length; i++) out.push({ config: configs[runs.length + i] });
      return out;
    },
    async stop(runs) {
      shownToStop.push(runs.map((r) => ({ ...r })));
      return runs.filter((r) => r.state === 'running' && stopWhen?.(r)).map((r) => r.name);
    },
  };
  return { engine, asked, shownToStop };
}

const points = (n: number): ValueRecord[] => Array.from({ length: n }, (_, i) => ({ x1: -5 + i, x2: i }));

describe('runOneShot', () => {
  it('sequential: asks one at a time and tells each result as a finished run', async () => {
    const { engine, asked } = scripted(points(10));
    const trials = await runOneShot(branin, engine, 0, { budget: 5, parallel: 1 });
    expect(trials.map((t) => t.config)).toEqual(points(5));
    expect(trials.map((t) => t.value)).toEqual(points(5).map((c) => branin.evaluate(c)));
    expect(asked).toHaveLength(5);
    expect(asked.map((runs) => runs.length)).toEqual([0, 1, 2, 3, 4]);
    for (const runs of asked) {
      for (const r of runs) {
        expect(r.state).toBe('finished');
        expect(r.summary?.loss).toBe(branin.evaluate(r.config));
        expect(r.history).toEqual([{ loss: r.summary?.loss }]);
      }
    }
  });

  it('parallel: keeps 4 pending, completes the oldest, then asks for one more', async () => {
    const { engine, asked } = scripted(points(20));
    const trials = await runOneShot(branin, engine, 0, { budget: 8, parallel: 4 });
    expect(trials).toHaveLength(8);
    expect(trials.map((t) => t.config)).toEqual(points(8));
    expect(asked).toHaveLength(8);
    const states = asked.map((runs) => runs.map((r) => r.state[0]).join(''));
    // f = finished, p = pending
    expect(states).toEqual(['', 'p', 'pp', 'ppp', 'fppp', 'ffppp', 'fffppp', 'ffffppp']);
  });

  it('stops early when the engine has nothing more to propose (an exhausted grid)', async () => {
    const { engine } = scripted(points(3));
    const trials = await runOneShot(branin, engine, 0, { budget: 5, parallel: 2 });
    expect(trials).toHaveLength(3);
    const traj = trajectory(trials, 5);
    expect(traj).toHaveLength(5);
    expect(traj[4]).toBe(traj[2]);
  });
});

const curveConfigs = (n: number): ValueRecord[] =>
  Array.from({ length: n }, (_, i) => ({ lr: 10 ** (-4 + (3 * i) / n), momentum: 0.5, layers: 1 + (i % 8), batch_size: 64 }));

describe('runCurves', () => {
  it('without a pruner: every trial runs 100 steps and completes with loss_100', async () => {
    const { engine, shownToStop } = scripted(curveConfigs(10));
    const trials = await runCurves(curves, engine, 3, { budget: 4, parallel: 1, prune: false });
    expect(trials.map((t) => t.steps)).toEqual([100, 100, 100, 100]);
    expect(trials.map((t) => t.value)).toEqual(curveConfigs(10).slice(0, 4).map((c) => curves.evaluate(c, 3)));
    expect(shownToStop).toHaveLength(0);
    expect(cumulativeSteps(trials)).toEqual([100, 200, 300, 400]);
  });

  it('with a pruner: asks between steps, and a stopped trial consumed t steps and has no value', async () => {
    // Stop a run at step 5 when its loss is above 1.
    const stopWhen = (r: Run) => r.history?.length === 5 && (r.summary?.loss as number) > 1;
    const configs = curveConfigs(6);
    const { engine, shownToStop } = scripted(configs, stopWhen);
    const trials = await runCurves(curves, engine, 0, { budget: 6, parallel: 1, prune: true });
    const expected = configs.map((c) => (curves.lossAt(c, 0, 5) > 1 ? null : curves.evaluate(c, 0)));
    expect(expected.some((v) => v === null)).toBe(true);
    expect(expected.some((v) => v !== null)).toBe(true);
    expect(trials.map((t) => t.value)).toEqual(expected);
    expect(trials.map((t) => t.steps)).toEqual(expected.map((v) => (v === null ? 5 : 100)));
    // One stopRuns call after each step but the last, for every trial.
    expect(shownToStop).toHaveLength(trials.reduce((s, t) => s + Math.min(t.steps, 99), 0));
    const first = shownToStop[0];
    expect(first).toHaveLength(1);
    expect(first[0].state).toBe('running');
    expect(first[0].history).toEqual([{ loss: curves.lossAt(configs[0], 0, 1) }]);
    const last = shownToStop[shownToStop.length - 1];
    expect(last.filter((r) => r.state === STOPPED_STATE).length + last.filter((r) => r.state === 'finished').length).toBe(5);
    const traj = trajectory(trials, 6);
    if (expected[0] === null) expect(traj[0]).toBeNull();
  });

  it('parallel: four trials run side by side, each shown as running with its history', async () => {
    const { engine, asked, shownToStop } = scripted(curveConfigs(8));
    const trials = await runCurves(curves, engine, 1, { budget: 8, parallel: 4, prune: true });
    expect(trials).toHaveLength(8);
    expect(asked.map((runs) => runs.filter((r) => r.state === 'running').length)).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    expect(shownToStop[0].map((r) => r.history?.length)).toEqual([1, 1, 1, 1]);
    expect(new Set(trials.map((t) => t.steps))).toEqual(new Set([100]));
  });
});
