import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TS_COMMAND, exitOf, fixtures, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('the optuna scheduler through the server and an agent', () => {
  it('runs the sampler\'s runs and stops the one its pruner condemns, recorded as pruned', async () => {
    sb = await sandbox();
    // val_loss = x / (epoch + 1), 30 epochs of 100 ms: x = 100 stays above 5 for ~2 s, so
    // ThresholdPruner(upper 5) stops it; x = 1 and 2 never go above 5 and finish.
    const id = await sb.createSweep(
      JSON.stringify({
        method: 'custom',
        metric: { name: 'val_loss', goal: 'minimize' },
        program: path.join(fixtures, 'train.ts'),
        command: TS_COMMAND,
        parameters: { x: { values: [1, 2, 100] }, epochs: { value: 30 }, sleep_ms: { value: 100 } },
        scheduler: {
          job: 'optuna',
          settings: { sampler: { type: 'GridSampler', args: { seed: 1 } }, pruner: { type: 'ThresholdPruner', args: { upper: 5 } } },
        },
      }),
    );
    const agent = sb.spawnBroom(['agent', id]);
    expect(await exitOf(agent, 90_000)).toBe(0);
    const runs = await sb.runs(id);
    expect(runs.map((r) => r.config.x).sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 100]);
    for (const r of runs) {
      if (r.config.x === 100) {
        expect(r).toMatchObject({ state: 'killed', stopRequested: true, stopReason: 'pruned' });
        expect(r.history!.length).toBeLessThan(30);
      } else {
        expect(r.state).toBe('finished');
        expect(r.history).toHaveLength(30);
      }
    }
  });
});
