import { describe, expect, it } from 'vitest';
import { stringifyJson } from '@broom/core';
import { SimAgent, startTestServer, waitFor } from '../helpers.js';

describe('heartbeat timeout and retryFailed', () => {
  it('crashes the runs of a silent agent; resume with retryFailed proposes their cells again', async () => {
    const s = await startTestServer({ pollIntervalMs: 100, heartbeatTimeoutMs: 800 });
    const sweep = await s.client.createSweep({ config: { method: 'grid', parameters: { a: { values: [1, 2] } } } });
    const silent = await new SimAgent(s.client, sweep.id).register();
    const alive = await new SimAgent(s.client, sweep.id).register();
    const [lost] = (await silent.tick()).map((c) => (c as { runId: string }).runId);
    const [kept] = (await alive.tick()).map((c) => (c as { runId: string }).runId);

    // `alive` keeps heartbeating; `silent` never does again.
    const crashed = await waitFor(async () => {
      await alive.tick(0);
      const r = await s.client.getRun(lost);
      return r.state === 'crashed' ? r : undefined;
    }, 10_000, 'the silent agent\'s run to crash');
    expect(crashed.endedAt).toBeDefined();
    expect((await s.client.getRun(kept)).state).toBe('running');
    expect(s.logs.some((l) => l.includes(`run ${lost} crashed: its agent ${silent.agentId} sent no heartbeat`))).toBe(true);

    // The crashed cell counts as done: the grid is exhausted once `kept` ends.
    await alive.end(kept);
    expect((await alive.tick())[0]).toMatchObject({ type: 'exit' });
    expect((await s.client.getSweep(sweep.id)).state).toBe('FINISHED');

    // Plain resume: nothing to run again.
    await s.client.controlSweep(sweep.id, { action: 'resume' });
    const a2 = await new SimAgent(s.client, sweep.id).register();
    expect((await a2.tick())[0]).toMatchObject({ type: 'exit' });

    // retryFailed: the crashed run is superseded (kept, flagged) and its cell is proposed again.
    const resumed = await s.client.controlSweep(sweep.id, { action: 'resume', retryFailed: true });
    expect(resumed.state).toBe('RUNNING');
    const a3 = await new SimAgent(s.client, sweep.id).register();
    const [cmd] = await a3.tick();
    expect(cmd.type).toBe('run');
    expect(stringifyJson((cmd as { config: object }).config)).toBe(stringifyJson((await s.client.getRun(lost)).config));
    const { runs } = await s.client.listRuns(sweep.id);
    expect(runs.map((r) => [r.id === lost, r.state, r.superseded])).toEqual([
      [true, 'crashed', true],
      [false, 'finished', false],
      [false, 'running', false],
    ]);
    await a3.end((cmd as { runId: string }).runId);
    expect((await a3.tick())[0]).toMatchObject({ type: 'exit' });
    expect((await s.client.getSweep(sweep.id)).runCounts).toEqual({ crashed: 1, finished: 2 });
    // retryFailed again finds nothing to supersede.
    await s.client.controlSweep(sweep.id, { action: 'resume', retryFailed: true });
    expect((await a3.tick())[0]).toMatchObject({ type: 'exit' });
  });

  it('a crashed run may still report how it ended', async () => {
    const s = await startTestServer({ pollIntervalMs: 100, heartbeatTimeoutMs: 300 });
    const sweep = await s.client.createSweep({ config: { method: 'grid', parameters: { a: { values: [1, 2] } } } });
    const agent = await new SimAgent(s.client, sweep.id).register();
    const [cmd] = await agent.tick();
    const runId = (cmd as { runId: string }).runId;
    await waitFor(async () => (await s.client.getRun(runId)).state === 'crashed', 10_000, 'crash');
    await agent.end(runId);
    expect(await s.client.getRun(runId)).toMatchObject({ state: 'finished', exitCode: 0 });
    // A finished run cannot become something else.
    await expect(s.client.setRunState(runId, { state: 'failed' })).rejects.toMatchObject({
      status: 409,
      message: `Run ${runId} has already ended (finished); it cannot become failed.`,
    });
  });
});
