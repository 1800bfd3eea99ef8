import { describe, expect, it } from 'vitest';
import { SimAgent, startTestServer } from '../helpers.js';

const GRID = { method: 'grid', parameters: { x: { values: [1, 2, 3] } }, program: 'train.py' };

describe('a heartbeat answer the agent never got', () => {
  it('hands the same run out again instead of leaving it pending (and its grid cell taken) forever', async () => {
    const s = await startTestServer();
    const sweep = await s.client.createSweep({ config: GRID });
    const agent = await new SimAgent(s.client, sweep.id, 1).register();

    // The server hands out a run, but the answer is lost: the agent still lists nothing.
    const first = await s.client.heartbeat(agent.agentId, { running: [], freeSlots: 1 });
    const lostRun = first.commands.find((c) => c.type === 'run');
    expect(lostRun).toBeDefined();

    const again = await s.client.heartbeat(agent.agentId, { running: [], freeSlots: 1 });
    const runs = again.commands.filter((c) => c.type === 'run');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toEqual(lostRun);
    expect(s.logs.join('\n')).toContain(`never received run(s) ${lostRun!.type === 'run' ? lostRun!.runId : ''}`);

    // Once the agent lists it, it is not sent again, and the next free slot gets a new cell.
    const id = lostRun!.type === 'run' ? lostRun!.runId : '';
    const listed = await s.client.heartbeat(agent.agentId, { running: [id], freeSlots: 0 });
    expect(listed.commands.filter((c) => c.type === 'run')).toHaveLength(0);
    await s.client.setRunState(id, { state: 'running' });
    await s.client.setRunState(id, { state: 'finished', exitCode: 0 });
    const next = await s.client.heartbeat(agent.agentId, { running: [], freeSlots: 1 });
    const fresh = next.commands.filter((c) => c.type === 'run');
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).not.toEqual(lostRun);
    expect((await s.client.listRuns(sweep.id)).runs).toHaveLength(2);
  });
});
