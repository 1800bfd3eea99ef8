import { describe, expect, it } from 'vitest';
import { PyFloat, stringifyJson } from '@broom/core';
import { ApiClient } from '../src/client/api-client.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { startServer } from '../src/server.js';
import { SimAgent, startTestServer, tmpDir } from './helpers.js';

describe('a server restarted on the same directory', () => {
  it('continues every sweep without losing a run or a metric row and without duplicating a cell', async () => {
    const dir = tmpDir();
    const config = {
      method: 'grid',
      metric: { name: 'loss', goal: 'minimize' },
      parameters: { a: { values: [1, 2, 3] }, b: { values: [new PyFloat(1), 0.5] } },
    };
    const first = await startTestServer({ dir });
    const sweep = await first.client.createSweep({ config });
    const paused = await first.client.createSweep({ config: { method: 'random', parameters: { x: { values: [1, 2] } } } });
    await first.client.controlSweep(paused.id, { action: 'pause' });
    const agent = await new SimAgent(first.client, sweep.id, 2).register();
    const before = (await agent.tick()).map((c) => (c as { runId: string }).runId);
    expect(before).toHaveLength(2);
    await agent.log(before[0], 0, [{ loss: 3 }, { loss: 2 }]);
    await agent.end(before[1]);
    await first.close();

    // Same directory, another port; the agent talks to the new server with the same ids.
    const second = await startTestServer({ dir });
    expect(second.logs).toContain(`Sweep ${sweep.id} (RUNNING) resumed.`);
    const client = second.client;
    Object.assign(agent, { client });
    expect((await client.getSweep(paused.id)).state).toBe('PAUSED');
    // A batch resent after the restart (its answer was lost) and the next one.
    await agent.log(before[0], 0, [{ loss: 3 }, { loss: 2 }]);
    await agent.log(before[0], 2, [{ loss: 1 }]);
    await agent.end(before[0]);

    for (let i = 0; i < 10 && (await client.getSweep(sweep.id)).state === 'RUNNING'; i++) {
      await agent.tick();
      for (const id of [...agent.running]) await agent.end(id);
    }
    const { runs } = await client.listRuns(sweep.id, { history: true });
    expect(runs).toHaveLength(6);
    expect(new Set(runs.map((r) => stringifyJson(r.config))).size).toBe(6);
    expect(runs.slice(0, 2).map((r) => r.id)).toEqual(before);
    expect(stringifyJson(runs[0].history)).toBe('[{"loss":3},{"loss":2},{"loss":1}]');
    expect(runs.every((r) => r.state === 'finished')).toBe(true);
    expect(await client.getSweep(sweep.id)).toMatchObject({ state: 'FINISHED', bestRun: { name: before[0], value: 1 } });
    await second.close();

    // The scheduler state and the state log are in the file.
    const store = await openSqliteStore(dir);
    expect(await store.getSchedulerState(sweep.id)).toEqual({ stopping: [] });
    expect((await store.listSweepEvents(sweep.id)).map((e) => e.to)).toEqual(['RUNNING', 'FINISHED']);
    await store.close();
  });
});

describe('startServer', () => {
  it('refuses a non-loopback host without a token', async () => {
    await expect(startServer({ host: '0.0.0.0', port: 0, dir: tmpDir() })).rejects.toThrow(
      'Refusing to listen on 0.0.0.0 without a token: anyone who can reach it could create sweeps and run commands on your agents. Set a bootstrap token (--token or BROOM_TOKEN), or create one first with `broom token create` against a server on 127.0.0.1, or listen on 127.0.0.1.',
    );
  });

  it('listens on a non-loopback host with a token', async () => {
    const s = await startTestServer({ host: '0.0.0.0', token: 'secret' });
    expect(s.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    const client = new ApiClient(`http://127.0.0.1:${s.port}`, 'secret');
    expect(await client.health()).toEqual({ ok: true, version: '0.1.0' });
  });

  it('reports the port it got and closes cleanly (twice is fine)', async () => {
    const s = await startTestServer();
    expect(s.port).toBeGreaterThan(0);
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    await s.close();
    await s.close();
    await expect(new ApiClient(s.url, undefined, { timeoutMs: 2000 }).health()).rejects.toMatchObject({ code: 'unreachable' });
  });
});
