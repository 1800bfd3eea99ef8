import { describe, expect, it } from 'vitest';
import { cellValue, columnsOf, flatten, matches, parseFilter, sortRuns } from '../src/table.js';
import type { RunView } from '../src/types.js';

const run = (n: number, config: RunView['config'], summary: RunView['summary'], extra: Partial<RunView> = {}): RunView => ({
  id: `id${n}`,
  sweepId: 's',
  name: `run-${n}`,
  number: n,
  state: 'finished',
  config,
  summary,
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: '2026-01-01T00:00:00Z',
  endedAt: `2026-01-01T00:00:${String(10 + n).padStart(2, '0')}Z`,
  historyLength: 1,
  ...extra,
});

const runs = [
  run(0, { lr: 0.1, opt: 'adam', model: { layers: 2 } }, { loss: 0.5, acc: 0.9 }),
  run(1, { lr: 0.01, opt: 'sgd', model: { layers: 4 } }, { loss: 0.25, acc: 0.95, _runtime: 3 }),
  run(2, { lr: 1, opt: 'adam', model: { layers: 1 } }, {}, { state: 'running', endedAt: undefined }),
  run(3, { lr: 0.5, opt: 'sgd', model: { layers: 2 } }, { loss: NaN }, { state: 'killed', stopRequested: true, stopReason: 'hyperband' }),
];

describe('the runs table', () => {
  it('has a column for every parameter (flattened) and metric, the sweep metric first, internal keys left out', () => {
    expect(columnsOf(runs, 'loss').map((c) => c.label)).toEqual(['Name', 'State', 'lr', 'model.layers', 'opt', 'loss', 'acc', 'Duration', 'Agent']);
    expect(flatten({ a: { b: { c: 1 } }, d: [1, 2] })).toEqual({ 'a.b.c': 1, d: [1, 2] });
  });

  it('sorts numbers numerically, missing and NaN values last in both directions', () => {
    expect(sortRuns(runs, 'summary.loss', 1).map((r) => r.number)).toEqual([1, 0, 2, 3]);
    expect(sortRuns(runs, 'summary.loss', -1).map((r) => r.number)).toEqual([0, 1, 2, 3]);
    expect(sortRuns(runs, 'config.opt', 1).map((r) => r.number)).toEqual([0, 2, 1, 3]);
  });

  it('filters by column comparisons and free words, and names an unknown column', () => {
    const cols = columnsOf(runs, 'loss');
    const pick = (text: string) => runs.filter((r) => matches(r, parseFilter(text, cols))).map((r) => r.number);
    expect(pick('lr>0.05')).toEqual([0, 2, 3]);
    expect(pick('lr>0.05 opt=adam')).toEqual([0, 2]);
    expect(pick('model.layers=2')).toEqual([0, 3]);
    expect(pick('loss<=0.5')).toEqual([0, 1]);
    expect(pick('state=running')).toEqual([2]);
    expect(pick('pruned')).toEqual([3]);
    expect(pick('opt~sg')).toEqual([1, 3]);
    expect(pick('duration>=12')).toEqual([2, 3]); // seconds; the running run counts to now
    expect(parseFilter('los<1', cols).errors).toEqual(['No column "los" (columns: Name, State, lr, model.layers, opt, loss, acc, Duration, Agent).']);
  });

  it('shows the agent by host and pid when it is known', () => {
    const agents = new Map([['a1', { id: 'a1', host: 'gpu1', pid: 42, slots: 1, createdAt: '', heartbeatAt: '' }]]);
    expect(cellValue({ ...runs[0], agentId: 'a1' }, 'agent', agents)).toBe('gpu1:42');
    expect(cellValue({ ...runs[0], agentId: 'a2' }, 'agent', agents)).toBe('a2');
  });
});
