import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TS_COMMAND, exitOf, fixtures, runDir, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('hyperband through the agent', () => {
  it('stops a run that is worse than the others at a band: the program gets SIGTERM and the run ends killed', async () => {
    sb = await sandbox();
    // Each run lasts about 3 s (30 epochs of 100 ms), so the stop has time to arrive on a loaded machine.
    // val_loss = x / (epoch + 1): with min_iter 2 and eta 2, the run with x = 10 is above the
    // threshold (the middle of the three values at iteration 2) and is stopped; x = 1 and 2 are not.
    const id = await sb.createSweep(
      JSON.stringify({
        method: 'grid',
        metric: { name: 'val_loss', goal: 'minimize' },
        early_terminate: { type: 'hyperband', min_iter: 2, eta: 2 },
        program: path.join(fixtures, 'train.ts'),
        command: TS_COMMAND,
        parameters: { x: { values: [1, 2, 10] }, epochs: { value: 30 }, sleep_ms: { value: 100 } },
      }),
    );
    const agent = sb.spawnBroom(['agent', id]);
    expect(await exitOf(agent, 60_000)).toBe(0);
    const runs = await sb.runs(id);
    expect(runs.map((r) => [r.config.x, r.state])).toEqual([
      [1, 'finished'],
      [2, 'finished'],
      [10, 'killed'],
    ]);
    const stopped = runs[2];
    expect(stopped.stopRequested).toBe(true);
    expect(stopped.history!.length).toBeLessThan(30);
    expect(stopped.history!.at(-1)).toHaveProperty('stopped_at');
    expect(agent.stderr()).toContain(`Stopping run ${stopped.name} as the sweep asks (SIGTERM now`);
    const log = readFileSync(path.join(runDir(sb, id, stopped.id), 'output.log'), 'utf8');
    expect(log).toContain('train.ts: got SIGTERM, cleaning up');
    expect(runs[0].history).toHaveLength(30);
  });
});
