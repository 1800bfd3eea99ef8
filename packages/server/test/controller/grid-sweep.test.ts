import { describe, expect, it } from 'vitest';
import { PyFloat, stringifyJson } from '@broom/core';
import { raw, SimAgent, startTestServer, waitFor } from '../helpers.js';

const GRID = {
  method: 'grid',
  metric: { name: 'loss', goal: 'minimize' },
  parameters: {
    lr: { values: [new PyFloat(1), 0.5, 0.25] },
    layers: { values: [1, 2, 3, 4] },
  },
  program: 'train.py',
};

describe('a grid sweep', () => {
  it('gives concurrent agents distinct cells and finishes with exactly the grid', async () => {
    const s = await startTestServer();
    const sweep = await s.client.createSweep({ config: GRID, name: 'g' });
    expect(sweep).toMatchObject({ state: 'RUNNING', method: 'grid', expectedRunCount: 12, name: 'g' });
    expect(sweep.id).toMatch(/^[a-z0-9]{8}$/);
    const agents = await Promise.all([1, 2, 2, 3].map((slots) => new SimAgent(s.client, sweep.id, slots).register()));

    // Every agent heartbeats at once, again and again; each ends one of its runs per round.
    let rounds = 0;
    while ((await s.client.getSweep(sweep.id)).state === 'RUNNING' && rounds++ < 50) {
      await Promise.all(
        agents.map(async (a, i) => {
          await a.tick();
          const first = [...a.running][0];
          if (first) {
            await a.log(first, 0, [{ loss: 1 / (i + 1 + rounds) }]);
            await a.end(first);
          }
        }),
      );
    }
    const { runs } = await s.client.listRuns(sweep.id);
    expect(runs).toHaveLength(12);
    const cells = runs.map((r) => stringifyJson(r.config));
    expect(new Set(cells).size).toBe(12);
    const expected = [1, 0.5, 0.25].flatMap((lr) => [1, 2, 3, 4].map((layers) => `{"layers":${layers},"lr":${lr === 1 ? '1.0' : lr}}`));
    expect([...cells].sort()).toEqual([...expected].sort());
    expect(runs.every((r) => r.state === 'finished')).toBe(true);
    expect(new Set(runs.map((r) => r.id)).size).toBe(12);

    const done = await s.client.getSweep(sweep.id);
    expect(done).toMatchObject({ state: 'FINISHED', runCounts: { finished: 12 }, metric: { name: 'loss', goal: 'minimize' } });
    expect(done.bestRun?.value).toBeGreaterThan(0);

    // With nothing running, each agent is told to exit.
    for (const a of agents) {
      const commands = await a.tick();
      expect(commands).toEqual([{ type: 'exit', reason: `Sweep ${sweep.id} is finished: the search space is exhausted.` }]);
    }
    // A new agent is refused.
    await expect(new SimAgent(s.client, sweep.id).register()).rejects.toThrow(`Sweep ${sweep.id} is not running`);
  });

  it('hands out each cell once when more slots than cells ask at the same instant', async () => {
    const s = await startTestServer();
    const sweep = await s.client.createSweep({ config: GRID });
    const agents = await Promise.all(Array.from({ length: 10 }, () => new SimAgent(s.client, sweep.id, 2).register()));
    const commands = (await Promise.all(agents.map((a) => a.tick()))).flat();
    const runs = commands.filter((c) => c.type === 'run');
    expect(runs).toHaveLength(12);
    expect(new Set(runs.map((c) => stringifyJson((c as { config: object }).config))).size).toBe(12);
    expect((await s.client.listRuns(sweep.id)).runs).toHaveLength(12);
  });

  it('sends run commands with the config (1.0 kept), program and command', async () => {
    const s = await startTestServer();
    const config = { ...GRID, command: ['${env}', 'python', '${program}', '${args}'] };
    const sweep = await s.client.createSweep({ config });
    const { agentId } = await s.client.registerAgent(sweep.id, { host: 'h', pid: 1 });
    const res = await raw(s, 'POST', `/api/v1/agents/${agentId}/heartbeat`, '{"running":[],"freeSlots":1}');
    expect(res.status).toBe(200);
    expect(res.text).toContain('"config":{"layers":1,"lr":1.0}');
    const [cmd] = res.json.commands as Record<string, unknown>[];
    expect(cmd).toMatchObject({ type: 'run', program: 'train.py', command: ['${env}', 'python', '${program}', '${args}'] });
    expect(cmd.runName).toBe(cmd.runId);
    const run = await s.client.getRun(cmd.runId as string);
    expect(run).toMatchObject({ state: 'pending', agentId, sweepId: sweep.id });
    expect(run.config.lr).toBeInstanceOf(PyFloat);
    // The sweep's config comes back as it was sent.
    const got = await raw(s, 'GET', `/api/v1/sweeps/${sweep.id}`);
    expect(got.text).toContain('"values":[1.0,0.5,0.25]');
  });

  it('stops at run_cap', async () => {
    const s = await startTestServer();
    const sweep = await s.client.createSweep({ config: { method: 'random', run_cap: 5, parameters: { x: { min: 0.0, max: 1.0 } } } });
    expect(sweep.expectedRunCount).toBe(5);
    const agents = await Promise.all([2, 2, 2].map((n) => new SimAgent(s.client, sweep.id, n).register()));
    for (let round = 0; round < 10; round++) {
      await Promise.all(agents.map((a) => a.tick()));
      for (const a of agents) for (const id of [...a.running]) await a.end(id);
    }
    const { runs } = await s.client.listRuns(sweep.id);
    expect(runs).toHaveLength(5);
    expect(await s.client.getSweep(sweep.id)).toMatchObject({ state: 'FINISHED', runCounts: { finished: 5 } });
    expect(agents.flatMap((a) => a.received).filter((c) => c.type === 'exit')[0]).toEqual({
      type: 'exit',
      reason: `Sweep ${sweep.id} is finished: run_cap 5 reached.`,
    });
  });

  it('finishes only when the last active run ends, and launches nothing meanwhile', async () => {
    const s = await startTestServer();
    const sweep = await s.client.createSweep({ config: { method: 'grid', parameters: { a: { values: [1, 2] } } } });
    const a = await new SimAgent(s.client, sweep.id, 2).register();
    const b = await new SimAgent(s.client, sweep.id, 1).register();
    expect((await a.tick()).filter((c) => c.type === 'run')).toHaveLength(2);
    expect(await b.tick()).toEqual([]);
    expect((await s.client.getSweep(sweep.id)).state).toBe('RUNNING');
    const [r1, r2] = [...a.running];
    await a.end(r1);
    expect((await s.client.getSweep(sweep.id)).state).toBe('RUNNING');
    // b has nothing running: the sweep is not over, so it waits (no exit yet).
    expect(await b.tick()).toEqual([]);
    await a.end(r2, 'failed');
    expect((await s.client.getSweep(sweep.id)).state).toBe('FINISHED');
    expect((await b.tick())[0]?.type).toBe('exit');
  });
});

describe('metrics', () => {
  it('are idempotent per seq, refuse gaps and come back with ?history=1', async () => {
    const s = await startTestServer();
    const sweep = await s.client.createSweep({ config: GRID });
    const a = await new SimAgent(s.client, sweep.id).register();
    const [cmd] = await a.tick();
    const runId = (cmd as { runId: string }).runId;
    const rows = [0, 1, 2, 3].map((i) => ({ _step: i, loss: new PyFloat(4 - i) }));
    expect(await s.client.postMetrics(runId, { seq: 0, rows: rows.slice(0, 2) })).toEqual({ historyLength: 2 });
    expect(await s.client.postMetrics(runId, { seq: 0, rows: rows.slice(0, 2) })).toEqual({ historyLength: 2 });
    expect(await s.client.postMetrics(runId, { seq: 1, rows: rows.slice(1, 3) })).toEqual({ historyLength: 3 });
    await expect(s.client.postMetrics(runId, { seq: 5, rows: [rows[3]] })).rejects.toMatchObject({
      status: 409,
      code: 'history-gap',
      message: expect.stringContaining('must start at seq ≤ 3, but this one starts at 5'),
    });
    await s.client.postMetrics(runId, { seq: 3, rows: [rows[3]], summary: { best_loss: new PyFloat(1) } });
    const run = await s.client.getRun(runId, { history: true });
    expect(stringifyJson(run.history)).toBe(stringifyJson(rows));
    expect(stringifyJson(run.summary)).toBe('{"_step":3,"loss":1.0,"best_loss":1.0}');
    expect((await s.client.getRun(runId)).history).toBeUndefined();
    const listed = await s.client.listRuns(sweep.id, { history: true });
    expect(listed.runs[0].history).toHaveLength(4);
    // A run's metrics after it ended are still stored (late batches).
    await a.end(runId);
    expect(await s.client.postMetrics(runId, { seq: 4, rows: [{ _step: 4, loss: 0.5 }] })).toEqual({ historyLength: 5 });
  });
});
