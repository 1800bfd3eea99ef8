import { describe, expect, it } from 'vitest';
import { SimAgent, startTestServer } from '../helpers.js';

const CONFIG = { method: 'grid', parameters: { a: { values: [1, 2, 3, 4, 5, 6] } } };

async function setup(slots = 1) {
  const s = await startTestServer();
  const sweep = await s.client.createSweep({ config: CONFIG });
  const agent = await new SimAgent(s.client, sweep.id, slots).register();
  return { s, sweep, agent, id: sweep.id };
}

describe('pause / resume / stop / cancel', () => {
  it('pause: no new runs, running ones continue; resume: new runs again', async () => {
    const { s, id, agent } = await setup(2);
    expect((await agent.tick(1)).map((c) => c.type)).toEqual(['run']);
    const paused = await s.client.controlSweep(id, { action: 'pause' });
    expect(paused.state).toBe('PAUSED');
    expect(await agent.tick(1)).toEqual([]);
    const [running] = [...agent.running];
    await agent.log(running, 0, [{ loss: 1 }]);
    await agent.end(running);
    expect((await s.client.getRun(running)).state).toBe('finished');
    expect(await agent.tick()).toEqual([]);
    // Pausing a paused sweep is allowed (W&B's check lets PAUSED through).
    expect((await s.client.controlSweep(id, { action: 'pause' })).state).toBe('PAUSED');
    expect((await s.client.controlSweep(id, { action: 'resume' })).state).toBe('RUNNING');
    expect((await agent.tick()).map((c) => c.type)).toEqual(['run', 'run']);
    expect((await s.client.listRuns(id)).runs).toHaveLength(3);
  });

  it('stop: FINISHED, running runs finish, then the agent gets exit', async () => {
    const { s, id, agent } = await setup();
    await agent.tick();
    const stopped = await s.client.controlSweep(id, { action: 'stop' });
    expect(stopped.state).toBe('FINISHED');
    // The running run is not stopped, and the agent is not told to exit while it runs.
    expect(await agent.tick()).toEqual([]);
    const [run] = [...agent.running];
    expect((await s.client.getRun(run)).stopRequested).toBe(false);
    await agent.end(run);
    expect(await agent.tick()).toEqual([{ type: 'exit', reason: `Sweep ${id} is finished: stopped by the user.` }]);
    expect((await s.client.listRuns(id)).runs.map((r) => r.state)).toEqual(['finished']);
  });

  it('cancel: CANCELED, the agent gets stop for its runs and then exit', async () => {
    const { s, id, agent } = await setup();
    const [cmd] = await agent.tick();
    const runId = (cmd as { runId: string }).runId;
    expect((await s.client.controlSweep(id, { action: 'cancel' })).state).toBe('CANCELED');
    expect(await agent.tick()).toEqual([{ type: 'stop', runId }]);
    expect((await s.client.getRun(runId)).stopRequested).toBe(true);
    // Still running (the agent is killing it): stop again, no exit yet.
    expect(await agent.tick()).toEqual([{ type: 'stop', runId }]);
    await agent.end(runId, 'killed', -9);
    expect(await agent.tick()).toEqual([{ type: 'exit', reason: `Sweep ${id} was canceled.` }]);
    expect(await s.client.getRun(runId)).toMatchObject({ state: 'killed', exitCode: -9 });
  });

  it("refuses with W&B's messages", async () => {
    const { s, id } = await setup();
    await s.client.controlSweep(id, { action: 'stop' });
    await expect(s.client.controlSweep(id, { action: 'pause' })).rejects.toMatchObject({ status: 409, message: 'Cannot pause finished sweep.' });
    await expect(s.client.controlSweep(id, { action: 'stop' })).rejects.toMatchObject({ status: 409, message: 'Sweep already finished.' });
    await expect(s.client.controlSweep(id, { action: 'cancel' })).rejects.toMatchObject({ status: 409, message: 'Sweep already finished.' });
    // Resume is allowed from any state (W&B PR #5901), and then the others are allowed again.
    expect((await s.client.controlSweep(id, { action: 'resume' })).state).toBe('RUNNING');
    expect((await s.client.controlSweep(id, { action: 'cancel' })).state).toBe('CANCELED');
    await expect(s.client.controlSweep(id, { action: 'cancel' })).rejects.toMatchObject({ message: 'Sweep already canceled.' });
    await expect(s.client.controlSweep(id, { action: 'pause' })).rejects.toMatchObject({ message: 'Cannot pause canceled sweep.' });
    await expect(s.client.controlSweep(id, { action: 'pause', retryFailed: true })).rejects.toMatchObject({
      status: 400,
      message: 'Key "retryFailed": only the "resume" action can retry failed runs, but the action is "pause".',
    });
    expect((await s.client.controlSweep(id, { action: 'resume' })).state).toBe('RUNNING');
    expect((await s.client.controlSweep(id, { action: 'resume' })).state).toBe('RUNNING');
  });

  it('a resumed, exhausted grid proposes nothing and finishes again', async () => {
    const s = await startTestServer();
    const sweep = await s.client.createSweep({ config: { method: 'grid', parameters: { a: { values: [1] } } } });
    const agent = await new SimAgent(s.client, sweep.id).register();
    await agent.tick();
    await agent.end([...agent.running][0]);
    expect((await s.client.getSweep(sweep.id)).state).toBe('RUNNING');
    expect((await agent.tick())[0]).toMatchObject({ type: 'exit' });
    expect((await s.client.getSweep(sweep.id)).state).toBe('FINISHED');
    await s.client.controlSweep(sweep.id, { action: 'resume' });
    const again = await new SimAgent(s.client, sweep.id).register();
    expect((await again.tick())[0]).toMatchObject({ type: 'exit', reason: `Sweep ${sweep.id} is finished: the search space is exhausted.` });
    expect((await s.client.listRuns(sweep.id)).runs).toHaveLength(1);
  });
});
