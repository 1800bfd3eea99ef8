import { describe, expect, it } from 'vitest';
import { parameterImportance } from '../../src/dashboard/importance.js';
import { flattenConfig, sweepImportance } from '../../src/dashboard/sweep-importance.js';
import type { RunRow } from '../../src/store/store.js';

/** A seeded generator for the test data (mulberry32). */
function rand(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parameterImportance (random forest, mean decrease in impurity)', () => {
  it('gives the parameter the metric depends on nearly all the importance, and noise almost none', () => {
    const r = rand(1);
    const n = 120;
    const lr = Array.from({ length: n }, () => r());
    const noise = Array.from({ length: n }, () => r());
    const y = lr.map((x) => 3 * x + 0.05 * (r() - 0.5));
    const [a, b] = parameterImportance([{ name: 'lr', values: lr }, { name: 'noise', values: noise }], y);
    expect(a.importance).toBeGreaterThan(0.85);
    expect(b.importance).toBeLessThan(0.15);
    expect(a.importance + b.importance).toBeCloseTo(1, 10);
    expect(a.correlation).toBeGreaterThan(0.99);
    expect(Math.abs(b.correlation!)).toBeLessThan(0.3);
  });

  it('finds a non-monotone effect that correlation misses', () => {
    const r = rand(2);
    const n = 150;
    const x = Array.from({ length: n }, () => r());
    const z = Array.from({ length: n }, () => r());
    const y = x.map((v) => (v - 0.5) ** 2);
    const [ix, iz] = parameterImportance([{ name: 'x', values: x }, { name: 'z', values: z }], y);
    expect(Math.abs(ix.correlation!)).toBeLessThan(0.25);
    expect(ix.importance).toBeGreaterThan(0.8);
    expect(iz.importance).toBeLessThan(0.2);
  });

  it('handles categorical parameters by their effect, whatever their names', () => {
    const r = rand(3);
    const opts = ['adam', 'sgd', 'rmsprop'];
    const effect: Record<string, number> = { adam: 0.1, sgd: 0.9, rmsprop: 0.5 };
    const n = 90;
    const opt = Array.from({ length: n }, (_, i) => opts[i % 3]);
    const batch = Array.from({ length: n }, () => Math.floor(r() * 4) * 32);
    const y = opt.map((o) => effect[o] + 0.02 * r());
    const res = parameterImportance([{ name: 'optimizer', values: opt }, { name: 'batch', values: batch }], y);
    expect(res[0]).toMatchObject({ name: 'optimizer', kind: 'categorical', correlation: null });
    expect(res[0].importance).toBeGreaterThan(0.9);
    expect(res[1].kind).toBe('numeric');
  });

  it('is deterministic for a seed and gives 0 to a constant column', () => {
    const r = rand(4);
    const x = Array.from({ length: 40 }, () => r());
    const y = x.map((v) => Math.sin(6 * v));
    const features = [{ name: 'x', values: x }, { name: 'c', values: x.map(() => 1) }];
    expect(parameterImportance(features, y, { seed: 9 })).toEqual(parameterImportance(features, y, { seed: 9 }));
    expect(parameterImportance(features, y)[1]).toMatchObject({ importance: 0, correlation: null });
  });
});

function run(i: number, config: RunRow['config'], summary: RunRow['summary'], state: RunRow['state'] = 'finished'): RunRow {
  return { id: `r${i}`, sweepId: 's', number: i, name: `run-${i}`, state, config, summary, createdAt: '', stopRequested: false, superseded: false, historyLength: 1 };
}

describe('sweepImportance', () => {
  it('uses finished runs with a finite metric, flattens nested parameters and drops constant ones', () => {
    const r = rand(5);
    const runs: RunRow[] = [];
    for (let i = 0; i < 60; i++) {
      const layers = 1 + (i % 4);
      runs.push(run(i, { model: { layers, act: 'relu' }, seed: Math.floor(r() * 1000) }, { loss: layers * 0.25 + 0.01 * r() }));
    }
    runs.push(run(60, { model: { layers: 1, act: 'relu' }, seed: 1 }, { loss: 100 }, 'killed'));
    runs.push(run(61, { model: { layers: 2, act: 'relu' }, seed: 2 }, { loss: NaN }));
    const res = sweepImportance(runs, { name: 'loss', goal: 'minimize' });
    expect(res.runsUsed).toBe(60);
    expect(res.parameters.map((p) => p.name)).toEqual(['model.layers', 'seed']);
    expect(res.parameters[0].importance).toBeGreaterThan(0.9);
  });

  it('says why when it cannot compute anything', () => {
    expect(sweepImportance([], undefined).note).toBe('The sweep has no metric: importance needs one.');
    expect(sweepImportance([run(0, { a: 1 }, { loss: 1 })], { name: 'loss', goal: 'minimize' }).note).toBe(
      'Importance needs at least 3 finished runs with a value of loss; there are 1.',
    );
    const same = [0, 1, 2].map((i) => run(i, { a: 1 }, { loss: i }));
    expect(sweepImportance(same, { name: 'loss', goal: 'minimize' }).note).toBe('No parameter varies between the finished runs.');
  });

  it('flattens configs with dotted keys', () => {
    expect(flattenConfig({ a: 1, m: { b: { c: 'x' } }, e: {} })).toEqual({ a: 1, 'm.b.c': 'x', e: {} });
  });
});
