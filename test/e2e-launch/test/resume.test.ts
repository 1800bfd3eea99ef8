import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '@broom/server';
import { exitOf, sandbox, TRAIN, waitFor, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('launch-sweep --resume_id', () => {
  it("continues a sweep whose scheduler's launch agent was SIGKILLed, without duplicating runs", async () => {
    sb = await sandbox({ heartbeatTimeoutMs: 5000 });
    const slow = { env: { TRAIN_STEP_MS: '400' } };
    const schedulerAgent = sb.spawnBroom(['launch-agent', '-q', 'q', '-j', '0', '--max-schedulers', '1']);
    sb.spawnBroom(['launch-agent', '-q', 'q', '-j', '2', '--max-schedulers', '0'], slow);
    const cells = [1, 2, 3, 4, 5, 6, 7, 8];
    const id = await sb.launchSweep(`${TRAIN}method: grid\nmetric: {name: val_loss}\nparameters: {x: {values: [${cells.join(', ')}]}}\nscheduler: {num_workers: 2}\nlaunch: {queue: q}\n`);
    await waitFor(async () => (await sb!.runs(id)).length >= 3, 'three runs', 30_000);
    const [first] = (await sb.launch.getQueue('q')).items.filter((i) => i.kind === 'scheduler');
    const schedulerPid = Number(first.jobId);
    expect(schedulerPid).toBeGreaterThan(0);

    schedulerAgent.child.kill('SIGKILL');
    expect(await exitOf(schedulerAgent)).toBe(137);
    // Its scheduler notices that its launch agent is gone and exits; the server fails the sweep.
    await waitFor(() => !alive(schedulerPid), 'the orphaned scheduler to exit', 10_000);
    expect(await sb.waitForState(id, ['FAILED'], 30_000)).toBe('FAILED');
    const failed = await sb.client.getSweep(id);
    expect(failed.error).toMatch(/^its scheduler ended: its launch agent sent no heartbeat for 5 s .*Continue the sweep with `broom launch-sweep --resume_id \w+ -q q`\.$/);
    expect((await sb.launch.getQueue('q')).items.find((i) => i.id === first.id)?.state).toBe('failed');
    const before = await sb.runs(id);

    const resumed = await sb.broom(['launch-sweep', '--resume_id', id, '-q', 'q']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`Resuming launch sweep ${id} (${before.length} runs so far; its scheduler continues from its saved state).`);
    // A second resume while the new scheduler waits would start a second scheduler: refused.
    const twice = await sb.broom(['launch-sweep', '--resume_id', id, '-q', 'q']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(`Sweep ${id} already has a scheduler: item`);

    sb.spawnBroom(['launch-agent', '-q', 'q', '-j', '0']);
    expect(await sb.waitForState(id, ['FINISHED', 'FAILED'], 60_000)).toBe('FINISHED');
    const runs = await sb.runs(id);
    expect(runs.length).toBe(cells.length);
    expect(runs.map((r) => r.config.x).sort((a, b) => Number(a) - Number(b))).toEqual(cells);
    expect(runs.every((r) => r.state === 'finished')).toBe(true);
    // The runs from before the kill are the same runs (kept, not proposed again).
    for (const r of before) expect(runs.find((x) => x.id === r.id)?.config).toEqual(r.config);
    // The scheduler finished the sweep; its process exits next, and its agent reports the item.
    const items = await waitFor(async () => {
      const all = (await sb!.launch.getQueue('q')).items;
      return all.filter((i) => i.kind === 'scheduler').every((i) => i.state !== 'running' && i.state !== 'claimed') ? all : undefined;
    }, 'the scheduler items to end');
    expect(items.filter((i) => i.kind === 'run').length).toBe(cells.length);
    expect(items.filter((i) => i.kind === 'scheduler').map((i) => i.state)).toEqual(['failed', 'finished']);
    expect(sb.schedulerLog(id)).toMatch(/Scheduler for sweep \w+ started \(wandb, method grid, num_workers 2, state restored\)/);
  });

  it('survives a server restart mid-sweep: the scheduler and the launch agents wait for it and carry on', async () => {
    sb = await sandbox();
    sb.spawnBroom(['launch-agent', '-q', 'q', '-j', '2'], { env: { TRAIN_STEP_MS: '300' } });
    const cells = [1, 2, 3, 4, 5, 6];
    const id = await sb.launchSweep(`${TRAIN}method: grid\nparameters: {x: {values: [${cells.join(', ')}]}}\nscheduler: {num_workers: 2}\nlaunch: {queue: q}\n`);
    await waitFor(async () => (await sb!.runs(id)).length >= 2, 'two runs', 30_000);
    const port = sb.server.port;
    await sb.server.close();
    await new Promise((r) => setTimeout(r, 1500));
    sb.server = await startServer({ dir: path.join(sb.dir, 'server'), port, pollIntervalMs: 200, heartbeatTimeoutMs: 10_000, log: (l) => sb!.serverLog.push(l), maxWorkers: 1 });
    expect(await sb.waitForState(id, ['FINISHED', 'FAILED'], 60_000)).toBe('FINISHED');
    const runs = await sb.runs(id);
    expect(runs.map((r) => r.config.x).sort((a, b) => Number(a) - Number(b))).toEqual(cells);
    expect(runs.every((r) => r.state === 'finished')).toBe(true);
    expect(sb.schedulerLog(id)).toContain('Cannot reach the server');
  });

  it('refuses to resume a running sweep, and a sweep that is not a launch sweep', async () => {
    sb = await sandbox();
    const id = await sb.launchSweep(`${TRAIN}method: grid\nparameters: {x: {values: [1]}}\nlaunch: {queue: q}\n`);
    const pending = await sb.broom(['launch-sweep', '--resume_id', id]);
    expect(pending.code).toBe(1);
    expect(pending.stderr).toContain(`Sweep ${id} already has a scheduler: item`);
    expect(pending.stderr).toContain('waits in queue q');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${sb.dir}/plain.yaml`, 'method: grid\nprogram: x.py\nparameters: {x: {values: [1]}}\n');
    const plain = await sb.broom(['sweep', 'plain.yaml']);
    const plainId = /Creating sweep with ID: (\S+)/.exec(plain.stderr)![1];
    const r = await sb.broom(['launch-sweep', '--resume_id', plainId]);
    expect(r.stderr).toContain(`Sweep ${plainId} is not a launch sweep`);
    const agentOnLaunch = await sb.broom(['agent', id]);
    expect(agentOnLaunch.code).toBe(1);
    expect(agentOnLaunch.stderr).toContain(`Sweep ${id} is a launch sweep`);
  });
});
