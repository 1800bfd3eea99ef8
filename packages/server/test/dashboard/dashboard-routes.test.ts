import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJson } from '@broom/core';
import { runLogPath } from '../../src/dashboard/run-log.js';
import { raw, SimAgent, startTestServer, waitFor } from '../helpers.js';

const SWEEP = { method: 'grid', metric: { name: 'loss', goal: 'minimize' }, parameters: { a: { values: [1, 2, 3] } } };

/** Read server-sent events from a real streaming response: `next(event)` waits for the next frame of that event. */
async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const frames: Array<{ event: string; data: any }> = [];
  let bytes = 0;
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) frames.push({ event, data: parseJson(data) });
        }
      }
    } catch {
      /* aborted */
    }
  })();
  let seen = 0;
  return {
    res,
    frames,
    bytes: () => bytes,
    async next(event: string, match: (data: any) => boolean = () => true) {
      return waitFor(() => {
        for (; seen < frames.length; seen++) {
          if (frames[seen].event === event && match(frames[seen].data)) return frames[seen++].data;
        }
        return undefined;
      }, 15_000, `an SSE "${event}" frame`);
    },
    async close() {
      controller.abort();
      await reading;
    },
  };
}

describe('the dashboard stream (server-sent events)', () => {
  it('sends a snapshot of the sweep, then only what changed: run states, new history rows from where they start', async () => {
    const s = await startTestServer();
    const sweep = await s.client.createSweep({ config: SWEEP });
    const stream = await openStream(`${s.url}/api/v1/dashboard/events?sweep=${sweep.id}`);
    expect(stream.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const snapshot = await stream.next('snapshot');
    expect(snapshot).toMatchObject({ sweep: { id: sweep.id, state: 'RUNNING', metric: { name: 'loss' } }, runs: [], agents: [] });

    const agent = await new SimAgent(s.client, sweep.id).register();
    const [cmd] = await agent.tick();
    const runId = cmd.type === 'run' ? cmd.runId : '';
    await stream.next('delta', (d) => d.runs?.some((r: any) => r.id === runId && r.state === 'running'));
    await agent.log(runId, 0, [{ loss: 0.5 }, { loss: 0.25 }]);
    const first = await stream.next('delta', (d) => d.history?.length);
    expect(first.history).toEqual([{ runId, from: 0, rows: [{ loss: 0.5 }, { loss: 0.25 }] }]);
    await agent.log(runId, 2, [{ loss: 0.125 }]);
    const second = await stream.next('delta', (d) => d.history?.length);
    // Only the new row, not the whole history again.
    expect(second.history).toEqual([{ runId, from: 2, rows: [{ loss: 0.125 }] }]);
    expect(second.runs[0]).toMatchObject({ id: runId, historyLength: 3, summary: { loss: 0.125 } });
    await agent.end(runId);
    const ended = await stream.next('delta', (d) => d.runs?.some((r: any) => r.state === 'finished'));
    expect(ended.sweep).toMatchObject({ runCounts: { finished: 1 }, bestRun: { value: 0.125 } });
    expect(stream.frames.some((f) => f.event === 'delta' && f.data.agents?.[0]?.id === agent.agentId)).toBe(true);

    // A second browser gets the current state as its snapshot.
    const late = await openStream(`${s.url}/api/v1/dashboard/events?sweep=${sweep.id}`);
    const snap2 = await late.next('snapshot');
    expect(snap2.runs).toEqual([expect.objectContaining({ id: runId, state: 'finished', historyLength: 3 })]);
    await late.close();

    // Nothing changes: no more deltas.
    const count = stream.frames.length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(stream.frames.length).toBe(count);
    await stream.close();
  });

  it('streams the sweeps list: all first, then the changed ones', async () => {
    const s = await startTestServer();
    const a = await s.client.createSweep({ config: SWEEP });
    const stream = await openStream(`${s.url}/api/v1/dashboard/events`);
    const all = await stream.next('sweeps');
    expect(all.sweeps.map((x: any) => x.id)).toEqual([a.id]);
    const b = await s.client.createSweep({ config: SWEEP });
    const added = await stream.next('sweeps', (d) => d.sweeps.some((x: any) => x.id === b.id));
    expect(added.sweeps.map((x: any) => x.id)).toEqual([b.id]);
    await s.client.controlSweep(a.id, { action: 'pause' });
    const paused = await stream.next('sweeps', (d) => d.sweeps.some((x: any) => x.state === 'PAUSED'));
    expect(paused.sweeps).toEqual([expect.objectContaining({ id: a.id, state: 'PAUSED' })]);
    await stream.close();
  });

  it('answers 404 for an unknown sweep before streaming, and closes open streams when the server stops', async () => {
    const s = await startTestServer();
    const res = await raw(s, 'GET', '/api/v1/dashboard/events?sweep=nosuch');
    expect(res.status).toBe(404);
    expect(res.json.error).toEqual({ code: 'sweep-not-found', message: 'No sweep with id "nosuch" on this server.' });
    const stream = await openStream(`${s.url}/api/v1/dashboard/events`);
    await stream.next('sweeps');
    await s.close(); // would hang if the stream were left open
  });
});

describe('behind a token', () => {
  it('serves the page without the token but every dashboard API route only with it', async () => {
    const s = await startTestServer({ token: 'tok' });
    const page = await fetch(`${s.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/broom/);
    expect((await raw(s, 'GET', '/api/v1/dashboard/events')).status).toBe(401);
    expect((await raw(s, 'GET', '/nothing')).status).toBe(401);
    const stream = await openStream(`${s.url}/api/v1/dashboard/events`, { authorization: 'Bearer tok' });
    expect(stream.res.status).toBe(200);
    expect(await stream.next('sweeps')).toEqual({ sweeps: [] });
    await stream.close();
  });
});

describe('importance, history and logs', () => {
  it('computes importance on finished runs, returns compact histories and reads logs from the server directory', async () => {
    const s = await startTestServer();
    const sweep = await s.client.createSweep({
      config: { method: 'random', metric: { name: 'loss', goal: 'minimize' }, parameters: { lr: { min: 0.0, max: 1.0 }, junk: { min: 0.0, max: 1.0 } } },
    });
    const agent = await new SimAgent(s.client, sweep.id).register();
    for (let i = 0; i < 12; i++) {
      const [cmd] = await agent.tick();
      if (cmd?.type !== 'run') throw new Error(`expected a run, got ${JSON.stringify(cmd)}`);
      const lr = cmd.config.lr as number;
      await agent.log(cmd.runId, 0, [{ loss: 1, acc: 0 }, { loss: lr * 2, acc: 1 }]);
      await agent.end(cmd.runId);
    }
    const imp = await s.client.request<any>('GET', `/dashboard/sweeps/${sweep.id}/importance`);
    expect(imp).toMatchObject({ metric: 'loss', goal: 'minimize', runsUsed: 12 });
    expect(imp.parameters[0]).toMatchObject({ name: 'lr', kind: 'numeric' });
    expect(imp.parameters[0].importance).toBeGreaterThan(0.7);
    expect(imp.parameters[0].correlation).toBeCloseTo(1, 5);

    const hist = await s.client.request<any>('GET', `/dashboard/sweeps/${sweep.id}/history?keys=loss`);
    const runs = await s.client.listRuns(sweep.id);
    expect(Object.keys(hist.runs).sort()).toEqual(runs.runs.map((r) => r.id).sort());
    expect(hist.runs[runs.runs[0].id]).toEqual({ from: 0, rows: [{ loss: 1 }, { loss: (runs.runs[0].config.lr as number) * 2 }] });

    const one = await s.client.request<any>('GET', `/dashboard/sweeps/${sweep.id}/history?keys=acc&runs=${runs.runs[1].id}`);
    expect(one).toEqual({ runs: { [runs.runs[1].id]: { from: 0, rows: [{ acc: 0 }, { acc: 1 }] } } });
    const unknown = await raw(s, 'GET', `/api/v1/dashboard/sweeps/${sweep.id}/history?runs=nosuch`);
    expect([unknown.status, unknown.json.error?.message]).toEqual([404, `No run with id "nosuch" in sweep ${sweep.id}.`]);

    const run = runs.runs[0];
    const missing = await raw(s, 'GET', `/api/v1/dashboard/runs/${run.id}/log`);
    expect(missing.status).toBe(404);
    expect(missing.json.error?.code).toBe('log-not-here');
    expect(missing.json.error?.message).toContain(`sweep-${sweep.id}/run-${run.id}/output.log`);
    const file = runLogPath(s.dir, sweep.id, run.id);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'epoch 1\népoch 2\n');
    const tail = await s.client.request<any>('GET', `/dashboard/runs/${run.id}/log`);
    expect(tail).toMatchObject({ offset: 0, text: 'epoch 1\népoch 2\n', size: 17, next: 17 });
    writeFileSync(file, 'epoch 1\népoch 2\nepoch 3\n');
    expect(await s.client.request<any>('GET', `/dashboard/runs/${run.id}/log?offset=17`)).toMatchObject({ offset: 17, text: 'epoch 3\n', next: 25 });
    const bad = await raw(s, 'GET', `/api/v1/dashboard/runs/${run.id}/log?offset=-1`);
    expect(bad.json.error?.message).toBe('Query parameter "offset": must be a whole number of bytes ≥ 0, but got "-1".');
  });
});
