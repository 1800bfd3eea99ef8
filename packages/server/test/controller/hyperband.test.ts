import { describe, expect, it } from 'vitest';
import { SimAgent, startTestServer, waitFor } from '../helpers.js';

describe('early_terminate (hyperband) on the poll timer', () => {
  it('stops the running run that falls behind: its agent gets stop', async () => {
    const s = await startTestServer({ pollIntervalMs: 100 });
    const sweep = await s.client.createSweep({
      config: {
        method: 'grid',
        metric: { name: 'loss', goal: 'minimize' },
        early_terminate: { type: 'hyperband', min_iter: 2, eta: 2 },
        parameters: { a: { values: [1, 2, 3] } },
      },
    });
    const agent = await new SimAgent(s.client, sweep.id, 3).register();
    const runs = (await agent.tick()).map((c) => (c as { runId: string }).runId);
    expect(runs).toHaveLength(3);
    const [good1, good2, bad] = runs;
    await agent.log(good1, 0, [{ loss: 1 }, { loss: 1 }]);
    await agent.log(good2, 0, [{ loss: 1 }, { loss: 1 }]);
    await agent.log(bad, 0, [{ loss: 10 }, { loss: 10 }]);

    // No heartbeat with free slots is needed: the timer's step runs _poll.
    const commands = await waitFor(async () => {
      const c = await agent.tick(0);
      return c.length > 0 ? c : undefined;
    }, 10_000, 'a stop command');
    expect(commands).toEqual([{ type: 'stop', runId: bad }]);
    const stopped = await s.client.getRun(bad);
    expect(stopped.stopRequested).toBe(true);
    expect(stopped.state).toBe('running');
    expect((stopped.earlyTerminateInfo?.lines as string[]).some((l) => l.startsWith(`Run: ${bad} Step: 2`) && l.endsWith('STOP'))).toBe(true);
    for (const id of [good1, good2]) expect((await s.client.getRun(id)).stopRequested).toBe(false);
    expect(s.logs.some((l) => l.includes(`stopping run ${bad} (early_terminate)`))).toBe(true);

    await agent.end(bad, 'killed', -15);
    expect(await agent.tick(0)).toEqual([]);
  });
});
