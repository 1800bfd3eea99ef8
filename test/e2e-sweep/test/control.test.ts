import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MJS_COMMAND, exitOf, fixtures, killPrograms, sandbox, waitFor, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const sleepySweep = (sleepMs: number, method = 'random') =>
  JSON.stringify({
    method,
    metric: { name: 'val_loss', goal: 'minimize' },
    program: path.join(fixtures, 'quick.mjs'),
    command: MJS_COMMAND,
    parameters: { x: method === 'grid' ? { values: [1, 2] } : { min: 0.0, max: 1.0 }, mode: { value: 'sleep' }, sleep_ms: { value: sleepMs } },
  });

describe('pause, resume, stop and cancel through the CLI', () => {
  it('pause keeps the running run going and starts no new one; resume starts runs again; stop lets the run finish and the agent exit', async () => {
    sb = await sandbox();
    const id = await sb.createSweep(sleepySweep(700));
    const agent = sb.spawnBroom(['agent', id]);
    await waitFor(async () => (await sb!.runs(id)).some((r) => r.state === 'running'), 'a running run');

    const pause = await sb.broom(['sweep', '--pause', id]);
    expect(pause.code).toBe(0);
    expect(pause.stderr).toBe(`broom: Pausing sweep uncategorized/${id}\nbroom: Done.\n`);
    expect((await sb.client.getSweep(id)).state).toBe('PAUSED');
    const atPause = (await sb.runs(id)).length;
    // The run that was running finishes; no new run starts while paused.
    await waitFor(async () => (await sb!.runs(id)).every((r) => r.state === 'finished'), 'the running run to finish');
    await new Promise((r) => setTimeout(r, 800));
    expect((await sb.runs(id)).length).toBe(atPause);

    const again = await sb.broom(['sweep', '--pause', '--stop', id]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('Only one state flag (stop/cancel/pause/resume) is allowed.');

    const resume = await sb.broom(['sweep', '--resume', id]);
    expect(resume.stderr).toBe(`broom: Resuming sweep uncategorized/${id}\nbroom: Done.\n`);
    await waitFor(async () => (await sb!.runs(id)).some((r) => r.state === 'running'), 'a new run after resume');
    expect((await sb.runs(id)).length).toBe(atPause + 1);

    const stop = await sb.broom(['sweep', '--stop', id]);
    expect(stop.stderr).toBe(`broom: Stopping sweep uncategorized/${id}\nbroom: Done.\n`);
    expect(await exitOf(agent)).toBe(0);
    const runs = await sb.runs(id);
    expect(runs.every((r) => r.state === 'finished')).toBe(true);
    expect((await sb.client.getSweep(id)).state).toBe('FINISHED');
    expect(agent.stderr()).toMatch(/Sweep \S+ is finished.*Exiting agent\./);

    const late = await sb.broom(['sweep', '--pause', id]);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('Cannot pause finished sweep.');
  });

  it('cancel stops the running run (it ends killed) and the agent exits', async () => {
    sb = await sandbox();
    const id = await sb.createSweep(sleepySweep(60_000));
    const agent = sb.spawnBroom(['agent', id]);
    const running = await waitFor(async () => (await sb!.runs(id)).find((r) => r.state === 'running'), 'a running run');
    const cancel = await sb.broom(['sweep', '--cancel', id]);
    expect(cancel.stderr).toBe(`broom: Cancelling sweep uncategorized/${id}\nbroom: Done.\n`);
    expect(await exitOf(agent)).toBe(0);
    expect((await sb.client.getRun(running.id)).state).toBe('killed');
    expect((await sb.client.getSweep(id)).state).toBe('CANCELED');
    expect(agent.stderr()).toContain(`Sweep ${id} was canceled. Exiting agent.`);
  });
});

describe('an agent killed with SIGKILL', () => {
  it('leaves a run that becomes crashed; --resume --retry-failed lets another agent run its cell again', async () => {
    sb = await sandbox({ heartbeatTimeoutMs: 1500 });
    const id = await sb.createSweep(sleepySweep(100, 'grid'));
    // The first agent's program hangs; the agent is killed with SIGKILL while it runs.
    const first = sb.spawnBroom(['agent', id], { env: { QUICK_SLEEP_MS: '60000' } });
    const lost = await waitFor(async () => (await sb!.runs(id)).find((r) => r.state === 'running'), 'a running run');
    first.child.kill('SIGKILL');
    await first.exited;
    // The program lives on in its own process group; end it as a reboot of the node would.
    killPrograms(path.join(sb.dir, 'broom'));
    await waitFor(async () => (await sb!.client.getRun(lost.id)).state === 'crashed', 'the run to be crashed', 10_000);

    // A grid counts a crashed cell as run (W&B): the next agent runs the other cell and the sweep finishes.
    const second = sb.spawnBroom(['agent', id]);
    expect(await exitOf(second)).toBe(0);
    let runs = await sb.runs(id);
    expect(runs.map((r) => [r.config.x, r.state])).toEqual([
      [lost.config.x, 'crashed'],
      [lost.config.x === 1 ? 2 : 1, 'finished'],
    ]);
    expect((await sb.client.getSweep(id)).state).toBe('FINISHED');

    const resume = await sb.broom(['sweep', '--resume', '--retry-failed', id]);
    expect(resume.code).toBe(0);
    expect(resume.stderr).toContain(`Resuming sweep uncategorized/${id}`);
    const third = sb.spawnBroom(['agent', id]);
    expect(await exitOf(third)).toBe(0);
    runs = await sb.runs(id);
    expect(runs).toHaveLength(3);
    expect(runs[0]).toMatchObject({ id: lost.id, state: 'crashed', superseded: true });
    expect(runs[2]).toMatchObject({ state: 'finished', config: lost.config });
    expect(runs[2].history).toHaveLength(2);
    const table = await sb.broom(['runs', id]);
    expect(table.stdout).toMatch(/crashed \(retried\)/);
  });

  it('refuses an invalid config with every problem listed, as broom validate does', async () => {
    sb = await sandbox();
    const bad = await sb.createSweep('method: grd\nparameters:\n  lr: {min: 0.1, max: 0.01}\n').catch((e: Error) => e.message);
    expect(bad).toMatch(/broom sweep failed \(1\)/);
    expect(bad).toContain('Creating sweep from:');
    expect(bad).toMatch(/2 problems/);
    expect(bad).toContain('Did you mean "grid"?');
    expect(bad).toContain('lr: min 0.1 is not less than max 0.01');
    expect((await sb.client.listSweeps()).sweeps).toHaveLength(0);
  });

  it('rejects --retry-failed without --resume', async () => {
    sb = await sandbox();
    const r = await sb.broom(['sweep', '--retry-failed', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--retry-failed goes with --resume');
  });
});

