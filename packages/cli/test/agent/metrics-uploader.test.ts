import type { MetricsRequest } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { MetricsUploader } from '../../src/agent/metrics-uploader.js';
import { AgentGuards } from '../../src/agent/agent-guards.js';

const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ step: from + i }));

describe('MetricsUploader', () => {
  it('sends rows in order in batches of at most maxRows, each with the seq of its first row', async () => {
    const sent: MetricsRequest[] = [];
    const u = new MetricsUploader({ send: async (r) => (sent.push(r), { historyLength: r.seq + r.rows.length }), intervalMs: 10, maxRows: 4, warn: () => {} });
    u.add(rows(0, 3));
    u.add(rows(3, 7), { best: 1 });
    expect(await u.flush()).toBe(true);
    expect(sent.map((r) => [r.seq, r.rows.length])).toEqual([
      [0, 4],
      [4, 4],
      [8, 2],
    ]);
    expect(sent.flatMap((r) => r.rows).map((r) => r.step)).toEqual(rows(0, 10).map((r) => r.step));
    expect(sent[0].summary).toEqual({ best: 1 });
  });

  it('batches rows that arrive within the interval into one request', async () => {
    const sent: MetricsRequest[] = [];
    const u = new MetricsUploader({ send: async (r) => (sent.push(r), { historyLength: r.seq + r.rows.length }), intervalMs: 200, warn: () => {} });
    for (let i = 0; i < 50; i++) u.add(rows(i, 1));
    await new Promise((r) => setTimeout(r, 400));
    expect(sent).toHaveLength(1);
    expect(sent[0].rows).toHaveLength(50);
  });

  it('keeps rows while the server is unreachable and resends the same batch (same seq)', async () => {
    const seen: number[] = [];
    let failures = 3;
    const warnings: string[] = [];
    const u = new MetricsUploader({
      send: async (r) => {
        seen.push(r.seq);
        if (failures-- > 0) throw Object.assign(new Error('ECONNREFUSED'), { status: 0 });
        return { historyLength: r.seq + r.rows.length };
      },
      intervalMs: 1,
      warn: (m) => warnings.push(m),
    });
    u.add(rows(0, 5));
    expect(await u.flush()).toBe(true);
    expect(seen).toEqual([0, 0, 0, 0]);
    expect(warnings.join('\n')).toMatch(/keeping them and retrying/);
  });

  it('gives up on an answer that retrying cannot fix', async () => {
    const u = new MetricsUploader({ send: async () => Promise.reject(Object.assign(new Error('Run x not found'), { status: 404 })), warn: () => {} });
    u.add(rows(0, 1));
    expect(await u.flush()).toBe(false);
  });
});

describe('AgentGuards', () => {
  const settings = { flappingEnabled: true, flappingFailures: 3, flappingWindowMs: 60_000, maxInitialFailures: 5 };
  it('trips on three failures within the first 60 s', () => {
    const g = new AgentGuards(settings, 0);
    expect(g.record(1, 1000)).toBeUndefined();
    expect(g.record(0, 2000)).toBeUndefined();
    expect(g.record(2, 3000)).toBeUndefined();
    expect(g.record(1, 4000)).toMatch(/Detected 3 failed runs in the first 60 seconds, shutting down/);
  });
  it('trips later when failures reach 5 and outnumber finished runs', () => {
    const g = new AgentGuards(settings, 0);
    for (let i = 0; i < 4; i++) expect(g.record(1, 100_000)).toBeUndefined();
    expect(g.record(0, 100_000)).toBeUndefined();
    expect(g.record(1, 100_000)).toMatch(/Detected 5 failed runs and 1 finished/);
  });
});
