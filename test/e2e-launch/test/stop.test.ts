import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exitOf, sandbox, TRAIN, waitFor, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const runLog = (s: Sandbox, sweepId: string, runId: string) => readFileSync(path.join(s.dir, 'broom', `sweep-${sweepId}`, `run-${runId}`, 'output.log'), 'utf8');

describe('launch agents stop their jobs when told', () => {
  it("stops a run on the scheduler's stop decision (early_terminate)", async () => {
    sb = await sandbox();
    sb.spawnBroom(['launch-agent', '-q', 'q', '-j', '3'], { env: { TRAIN_STEPS: '30', TRAIN_STEP_MS: '100' } });
    // val_loss = x / (step + 1): at iteration 2 the run with x = 10 is above hyperband's threshold.
    const id = await sb.launchSweep(
      `${TRAIN}method: grid\nmetric: {name: val_loss, goal: minimize}\nearly_terminate: {type: hyperband, min_iter: 2, eta: 2}\n` +
        'parameters: {x: {values: [1, 2, 10]}}\nscheduler: {num_workers: 3}\nlaunch: {queue: q}\n',
    );
    expect(await sb.waitForState(id, ['FINISHED', 'FAILED'])).toBe('FINISHED');
    const runs = await sb.runs(id);
    expect(runs.map((r) => [r.config.x, r.state])).toEqual([[1, 'finished'], [2, 'finished'], [10, 'killed']]);
    const stopped = runs[2];
    expect(stopped.stopRequested).toBe(true);
    expect(stopped.history!.length).toBeLessThan(30);
    expect(stopped.history!.at(-1)).toEqual({ stopped: 1 });
    expect(runLog(sb, id, stopped.id)).toContain('train.mjs: got SIGTERM, cleaning up');
    const item = (await sb.launch.getQueue('q')).items.find((i) => i.runId === stopped.id)!;
    expect(item).toMatchObject({ state: 'stopped', exitCode: 0, message: 'stopped: early_terminate' });
    expect(sb.schedulerLog(id)).toMatch(/Stopping run \w+: early_terminate \(hyperband\): Run: \w+ Step: \d+ .*STOP/);
  });

  it('stops the runs of a canceled sweep, then its scheduler ends; the agent carries on', async () => {
    sb = await sandbox();
    const agent = sb.spawnBroom(['launch-agent', '-q', 'q', '-j', '2'], { env: { TRAIN_STEPS: '200', TRAIN_STEP_MS: '100' } });
    const id = await sb.launchSweep(`${TRAIN}method: grid\nparameters: {x: {values: [1, 2, 3]}}\nscheduler: {num_workers: 2}\nlaunch: {queue: q}\n`);
    await waitFor(async () => (await sb!.runs(id)).filter((r) => r.state === 'running').length === 2, 'two running runs', 30_000);
    const cancel = await sb.broom(['sweep', '--cancel', id]);
    expect(cancel.code).toBe(0);
    await waitFor(async () => (await sb!.runs(id)).every((r) => r.state === 'killed'), 'the runs to be killed', 30_000);
    const items = await waitFor(async () => {
      const all = (await sb!.launch.getQueue('q')).items;
      return all.every((i) => ['stopped', 'finished'].includes(i.state)) ? all : undefined;
    }, 'the items to end', 30_000);
    expect(items.map((i) => [i.kind, i.state])).toEqual([['scheduler', 'finished'], ['run', 'stopped'], ['run', 'stopped']]);
    expect(items[1].message).toBe(`stopped: sweep ${id} was canceled`);
    expect((await sb.runs(id)).length).toBe(2);
    expect(sb.schedulerLog(id)).toContain(`Sweep ${id} is CANCELED: the scheduler exits.`);
    expect(agent.child.exitCode).toBeNull();
  });

  it('stops its jobs on SIGINT and exits; the sweep waits for --resume_id', async () => {
    sb = await sandbox();
    const logFile = path.join(sb.dir, 'agent.log');
    const agent = sb.spawnBroom(['launch-agent', '-q', 'q', '-j', '2', '-l', logFile], { env: { TRAIN_STEPS: '200', TRAIN_STEP_MS: '100' } });
    const id = await sb.launchSweep(`${TRAIN}method: grid\nparameters: {x: {values: [1, 2, 3]}}\nscheduler: {num_workers: 2}\nlaunch: {queue: q}\n`);
    // Both programs are up (they have logged a step, so their SIGTERM handler is in place).
    await waitFor(async () => (await sb!.runs(id)).filter((r) => r.state === 'running' && (r.history?.length ?? 0) > 0).length === 2, 'two running runs', 30_000);
    agent.child.kill('SIGINT');
    expect(await exitOf(agent, 30_000)).toBe(130);
    const runs = await sb.runs(id);
    expect(runs.map((r) => r.state)).toEqual(['killed', 'killed']);
    for (const r of runs) expect(runLog(sb, id, r.id)).toContain('train.mjs: got SIGTERM, cleaning up');
    const items = (await sb.launch.getQueue('q')).items;
    expect(items.map((i) => [i.kind, i.state, i.exitCode, i.message])).toEqual([
      ['scheduler', 'stopped', 143, 'stopped: launch agent interrupted (SIGINT)'],
      ['run', 'stopped', 0, 'stopped: launch agent interrupted (SIGINT)'],
      ['run', 'stopped', 0, 'stopped: launch agent interrupted (SIGINT)'],
    ]);
    const sweep = await sb.client.getSweep(id);
    expect(sweep.state).toBe('FAILED');
    expect(sweep.error).toContain(`Continue the sweep with \`broom launch-sweep --resume_id ${id} -q q\``);
    const log = readFileSync(logFile, 'utf8');
    expect(log).toMatch(/^\S+Z Launch agent \w+ polling queue q \(max jobs 2, max schedulers 1\)\./);
    expect(log).toContain('SIGINT: stopping 3 job(s) and exiting (again to kill them now).');
    expect(agent.stderr()).toBe('');
  });
});
