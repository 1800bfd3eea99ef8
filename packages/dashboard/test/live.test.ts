import { describe, expect, it } from 'vitest';
import { LiveSweep } from '../src/live.js';
import { bestSoFar, metricOverSteps, parallelCoordinates, runsToDraw, searchedParameters } from '../src/charts.js';
import type { Row, RunView, SweepDetail } from '../src/types.js';

const sweep = { id: 's', name: 's', project: 'p', method: 'random', state: 'RUNNING', createdAt: '', updatedAt: '', runCounts: {}, expectedRunCount: null, config: {} } as SweepDetail;
const run = (n: number, historyLength: number, extra: Partial<RunView> = {}): RunView => ({
  id: `r${n}`, sweepId: 's', name: `run-${n}`, number: n, state: 'running', config: {}, summary: {}, createdAt: '', historyLength, ...extra,
});

describe('LiveSweep', () => {
  it('merges loaded histories and stream deltas by row index, so rows are neither lost nor doubled', () => {
    const live = new LiveSweep();
    live.applySnapshot({ sweep, runs: [run(0, 2)], agents: [] });
    expect([...live.gaps]).toEqual(['r0']);
    // A delta arrives before the history is loaded: it is a gap, not rows 0..1 of the run.
    live.applyDelta({ runs: [run(0, 3)], history: [{ runId: 'r0', from: 2, rows: [{ loss: 3 }] }] });
    expect(live.history.get('r0')).toBeUndefined();
    live.loadHistory('r0', [{ loss: 1 }, { loss: 2 }, { loss: 3 }]);
    expect(live.gaps.size).toBe(0);
    // The same row again (overlap) and a new one.
    live.applyDelta({ runs: [run(0, 4)], history: [{ runId: 'r0', from: 2, rows: [{ loss: 3 }, { loss: 4 }] }] });
    expect(live.history.get('r0')).toEqual([{ loss: 1 }, { loss: 2 }, { loss: 3 }, { loss: 4 }]);
    // A history loaded late that is shorter than what the stream brought does not cut it.
    live.loadHistory('r0', [{ loss: 1 }, { loss: 2 }]);
    expect(live.history.get('r0')).toHaveLength(4);
    // A new snapshot (reconnect) keeps the history and only marks runs with missing rows.
    live.applySnapshot({ sweep, runs: [run(0, 4), run(1, 1)], agents: [] });
    expect([...live.gaps]).toEqual(['r1']);
    expect(live.orderedRuns().map((r) => r.id)).toEqual(['r0', 'r1']);
  });
});

describe('chart data', () => {
  const runs = [
    run(0, 3, { state: 'finished', config: { lr: 0.001, opt: 'adam' }, summary: { loss: 3 } }),
    run(1, 2, { state: 'killed', stopRequested: true, stopReason: 'hyperband', config: { lr: 0.1, opt: 'sgd' }, summary: { loss: 5 } }),
    run(2, 3, { state: 'finished', config: { lr: 1, opt: 'adam' }, summary: { loss: 1 } }),
    run(3, 0, { state: 'running', config: { lr: 0.5, opt: 'sgd' }, summary: {} }),
  ];
  it('draws every run over its steps (by _step when given), dashed when pruned', () => {
    const history = new Map<string, Row[]>([
      ['r0', [{ loss: 5 }, { loss: 4 }, { loss: 3 }]],
      ['r1', [{ loss: 6, _step: 10 }, { loss: NaN, _step: 20 }]],
      ['r2', [{ loss: 2 }, { acc: 1 }, { loss: 1 }]],
    ]);
    const chart = metricOverSteps(runs, history, 'loss', 'minimize');
    expect(chart.series).toBe(4);
    expect(chart.points).toBe(6);
    const series = (chart.option.series as Array<{ data: unknown; lineStyle: { type: string } }>);
    expect(series[1].data).toEqual([[10, 6]]);
    expect(series[1].lineStyle.type).toBe('dashed');
    expect(series[2].data).toEqual([[0, 2], [2, 1]]);
  });

  it('keeps the best so far by the goal, and draws at most MAX_LINES runs (the running ones and the best)', () => {
    const best = bestSoFar(runs, 'loss', 'minimize');
    expect((best.option.series as Array<{ data: unknown }>)[1].data).toEqual([[1, 3], [2, 3], [3, 1]]);
    const maxBest = bestSoFar(runs, 'loss', 'maximize');
    expect((maxBest.option.series as Array<{ data: unknown }>)[1].data).toEqual([[1, 3], [2, 5], [3, 5]]);
    expect(runsToDraw(runs, 'loss', 'minimize', 2).map((r) => r.id)).toEqual(['r3', 'r2']);
  });

  it('puts one axis per searched parameter (log when it spans decades, categories for strings) and the metric last', () => {
    const config = { parameters: { lr: { min: 0.001, max: 1 }, opt: { values: ['adam', 'sgd'] }, fixed: { value: 1 }, model: { parameters: { layers: { values: [1, 2] } } } } };
    expect(searchedParameters(config)).toEqual(['lr', 'opt', 'model.layers']);
    const chart = parallelCoordinates(runs, ['lr', 'opt'], 'loss', 'minimize');
    const axes = chart.option.parallelAxis as Array<{ name: string; type: string; data?: string[] }>;
    expect(axes.map((a) => [a.name, a.type])).toEqual([['lr', 'log'], ['opt', 'category'], ['loss', 'value']]);
    expect(axes[1].data).toEqual(['adam', 'sgd']);
    expect(chart.points).toBe(3);
  });
});
