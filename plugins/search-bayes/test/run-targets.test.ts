import type { Run, RunState } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { metricExtremum, runTargets, worstMetric } from '../src/index.js';
import { targetSettings } from '../src/run-targets.js';
import { metric } from './helpers.js';

const run = (name: string, state: RunState, losses: (number | string)[] = [], summary?: number): Run => ({
  name,
  state,
  config: {},
  history: losses.map((loss) => ({ loss, other: 1 })),
  summary: summary === undefined ? {} : { loss: summary },
});

const values = (targets: ReturnType<typeof runTargets>) =>
  targets.map((t) => (t.role === 'observation' ? t.value : 'pending'));

describe('metricExtremum', () => {
  it('takes min or max over finite history values and the summary, ignoring non-numbers', () => {
    const r = run('a', 'finished', [3, 'x', 1, NaN, Infinity, 2], 5);
    expect(metricExtremum(r, 'loss', 'min')).toBe(1);
    expect(metricExtremum(r, 'loss', 'max')).toBe(5);
    expect(metricExtremum(run('b', 'finished', ['x']), 'loss', 'min')).toBeUndefined();
  });
});

describe('worstMetric', () => {
  const runs = [
    run('a', 'finished', [3, 1], 2),
    run('b', 'failed', [7, 0.5]),
    run('c', 'running', [100, -100]), // not terminal: ignored
    run('d', 'killed'),
  ];
  it('is the max of maxima over terminal runs when minimising', () => {
    expect(worstMetric(targetSettings(metric()), runs)).toBe(7);
  });
  it('is the min of minima over terminal runs when maximising', () => {
    expect(worstMetric(targetSettings(metric({ goal: 'maximize' })), runs)).toBe(0.5);
  });
  it('is 0.0 without any terminal value', () => {
    expect(worstMetric(targetSettings(metric()), [run('c', 'running', [4]), run('d', 'crashed')])).toBe(0);
  });
});

describe('runTargets per run state (spec §3.3 step 2)', () => {
  const runs = [
    run('finished', 'finished', [3, 1, NaN], 2),
    run('finished-empty', 'finished'),
    run('failed', 'failed', [5, 2, 9]),
    run('crashed', 'crashed'),
    run('killed', 'killed', [4]),
    run('running', 'running', [0.8, 0.5, 0.6]),
    run('running-empty', 'running'),
    run('pending', 'pending'),
    run('preempting', 'preempting', [0.1]),
    run('preempted', 'preempted', [0.1]),
  ];

  it('worst (default): finished → best value, else the worst; failed/crashed/killed → worst; running/pending → pending', () => {
    expect(values(runTargets(metric(), runs))).toEqual([1, 9, 9, 9, 9, 'pending', 'pending', 'pending', 'pending', 'pending']);
  });

  it("best: the run's own best value, or 0.0", () => {
    expect(values(runTargets(metric({ impute: 'best' }), runs))).toEqual([1, 0, 2, 0, 4, 'pending', 'pending', 'pending', 'pending', 'pending']);
  });

  it("latest: the run's last finite history value, or 0.0", () => {
    expect(values(runTargets(metric({ impute: 'latest' }), runs))).toEqual([1, 0, 9, 0, 4, 'pending', 'pending', 'pending', 'pending', 'pending']);
  });

  it('impute_while_running makes running runs observations: their best value, else that strategy', () => {
    expect(values(runTargets(metric({ impute_while_running: 'latest' }), runs)).slice(5, 7)).toEqual([0.5, 0]);
    expect(values(runTargets(metric({ impute_while_running: 'worst' }), runs)).slice(5, 7)).toEqual([0.5, 9]);
    expect(values(runTargets(metric({ impute_while_running: 'best' }), runs)).slice(5, 7)).toEqual([0.5, 0]);
    // pending / preempting / preempted stay pending whatever the setting.
    expect(values(runTargets(metric({ impute_while_running: 'best' }), runs)).slice(7)).toEqual(['pending', 'pending', 'pending']);
  });

  it('maximize: best is the max, worst the min of minima (values stay in metric units here)', () => {
    expect(values(runTargets(metric({ goal: 'maximize' }), runs)).slice(0, 5)).toEqual([3, 1, 1, 1, 1]);
  });

  it('refuses an unknown state', () => {
    expect(() => runTargets(metric(), [run('x', 'paused' as RunState)])).toThrow(/unknown state/);
  });
});
