import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '@broom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { MJS_COMMAND, TS_COMMAND, exitOf, fixtures, runDir, sandbox, waitFor, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const quick = (parameters: Record<string, unknown>, method = 'grid') =>
  JSON.stringify({ method, metric: { name: 'val_loss', goal: 'minimize' }, program: path.join(fixtures, 'quick.mjs'), command: MJS_COMMAND, parameters });

describe('programs that fail', () => {
  it('a non-zero exit makes the run failed, with its exit code', async () => {
    sb = await sandbox();
    const id = await sb.createSweep(quick({ mode: { value: 'fail' }, exit_code: { values: [3] } }));
    const agent = sb.spawnBroom(['agent', id]);
    expect(await exitOf(agent)).toBe(0); // the sweep finished: a failed run is a run
    const [run] = await sb.runs(id);
    expect(run).toMatchObject({ state: 'failed', exitCode: 3 });
    expect(agent.stderr()).toContain(`Run ${run.name} failed with exit code 3.`);
    expect(readFileSync(path.join(runDir(sb, id, run.id), 'output.log'), 'utf8')).toBe('quick.mjs: failing with exit code 3\n');
  });

  it('the flapping guard shuts the agent down after 3 failures in its first 60 s', async () => {
    sb = await sandbox();
    const id = await sb.createSweep(quick({ mode: { value: 'fail' }, exit_code: { value: 1 }, x: { min: 0.0, max: 1.0 } }, 'random'));
    const agent = sb.spawnBroom(['agent', id]);
    expect(await exitOf(agent)).toBe(1);
    expect(agent.stderr()).toContain('Detected 3 failed runs in the first 60 seconds, shutting down.');
    expect(agent.stderr()).toContain('To disable this check set BROOM_AGENT_DISABLE_FLAPPING=true');
    const runs = await sb.runs(id);
    expect(runs.map((r) => r.state)).toEqual(['failed', 'failed', 'failed']);

    // Disabled, the failing guard takes over: 5 failures and none finished.
    const patient = sb.spawnBroom(['agent', id], { env: { BROOM_AGENT_DISABLE_FLAPPING: 'true' } });
    expect(await exitOf(patient)).toBe(1);
    expect(patient.stderr()).toContain('Detected 5 failed runs and 0 finished ones, shutting down.');
  });

  it('a program writing non-JSON lines, NaN and Infinity does not break anything', async () => {
    sb = await sandbox();
    const id = await sb.createSweep(quick({ mode: { value: 'garbage' } }));
    const agent = sb.spawnBroom(['agent', id]);
    expect(await exitOf(agent)).toBe(0);
    const [run] = await sb.runs(id);
    expect(run.state).toBe('finished');
    expect(run.history?.map((h) => h.val_loss)).toEqual([0.5, NaN, Infinity, -Infinity, 0.125]);
    expect(run.history?.[2]).toMatchObject({ note: 'text', flags: [true, null], deep: { a: { b: 1 } } });
    expect(run.summary).toMatchObject({ best: 0.25, val_loss: 0.125, epoch: 4 });
    const err = agent.stderr();
    expect(err).toContain('metrics line 2 is not JSON, skipped: this is not JSON at all');
    expect(err).toContain('metrics line 5 is not a JSON object, skipped: [1, 2, 3]');
    expect(err).toContain('metrics line 6 is not JSON, skipped: {"broken":');
  });
});

describe('stopping runs', () => {
  it('Ctrl-C (SIGINT) stops the run cleanly: SIGTERM, its cleanup runs and is logged, the run is killed, the agent exits', async () => {
    sb = await sandbox();
    const id = await sb.createSweep(
      JSON.stringify({
        method: 'grid',
        program: path.join(fixtures, 'train.ts'),
        command: TS_COMMAND,
        parameters: { x: { values: [1] }, epochs: { value: 1000 }, sleep_ms: { value: 50 } },
      }),
    );
    const agent = sb.spawnBroom(['agent', id]);
    const run = await waitFor(async () => (await sb!.runs(id)).find((r) => (r.history?.length ?? 0) >= 2), 'a run logging metrics');
    agent.child.kill('SIGINT');
    expect(await exitOf(agent)).toBe(130);
    expect(agent.stderr()).toContain(`Ctrl-C: stopping run ${run.name} (SIGTERM; SIGKILL in 3 s). Press Ctrl-C again to kill it now.`);
    const after = await sb.client.getRun(run.id, { history: true });
    expect(after.state).toBe('killed');
    expect(after.exitCode).toBe(0);
    // The row logged in the program's SIGTERM handling reached the server before the state.
    expect(after.history?.at(-1)).toHaveProperty('stopped_at');
    const log = readFileSync(path.join(runDir(sb, id, run.id), 'output.log'), 'utf8');
    expect(log).toContain('train.ts: got SIGTERM, cleaning up');
    expect(log).toContain('train.ts: done x=1 (stopped)');
  });

  it('a second Ctrl-C kills a program that ignores SIGTERM at once', async () => {
    sb = await sandbox();
    const id = await sb.createSweep(quick({ mode: { value: 'stubborn' } }));
    const agent = sb.spawnBroom(['agent', id, '--kill-delay', '60']);
    const run = await waitFor(async () => (await sb!.runs(id)).find((r) => (r.history?.length ?? 0) >= 1), 'a running program');
    agent.child.kill('SIGINT');
    await waitFor(() => agent.stdout().includes('ignoring SIGTERM'), 'the program to see SIGTERM');
    const t0 = Date.now();
    agent.child.kill('SIGINT');
    expect(await exitOf(agent)).toBe(130);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(agent.stderr()).toContain('Ctrl-C again: killing the run now (SIGKILL).');
    expect((await sb.client.getRun(run.id)).state).toBe('killed');
    expect((await sb.client.getRun(run.id)).exitCode).toBe(137);
  });

  it('a program that ignores SIGTERM is killed with SIGKILL after --kill-delay', async () => {
    sb = await sandbox();
    const id = await sb.createSweep(quick({ mode: { value: 'stubborn' } }));
    const agent = sb.spawnBroom(['agent', id, '--kill-delay', '0.5']);
    const run = await waitFor(async () => (await sb!.runs(id)).find((r) => r.state === 'running'), 'a running program');
    await sb.broom(['sweep', '--cancel', id]);
    expect(await exitOf(agent)).toBe(0);
    expect(agent.stdout()).toContain('quick.mjs: ignoring SIGTERM');
    expect(agent.stderr()).toContain('SIGKILL in 0.5 s');
    expect((await sb.client.getRun(run.id)).state).toBe('killed');
  });
});

describe('a server that goes away for a while', () => {
  it('loses nothing: the agent keeps the rows, retries, and sends each row once when the server is back', async () => {
    sb = await sandbox();
    const id = await sb.createSweep(
      JSON.stringify({
        method: 'grid',
        metric: { name: 'val_loss', goal: 'minimize' },
        program: path.join(fixtures, 'train.ts'),
        command: TS_COMMAND,
        parameters: { x: { values: [1] }, epochs: { value: 40 }, sleep_ms: { value: 50 } },
      }),
    );
    const agent = sb.spawnBroom(['agent', id]);
    await waitFor(async () => ((await sb!.runs(id))[0]?.history?.length ?? 0) >= 3, 'the first rows');
    const port = sb.server.port;
    await sb.server.close();
    await waitFor(() => agent.stderr().includes('Cannot reach the server'), 'the agent to notice', 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    sb.server = await startServer({ dir: path.join(sb.dir, 'server'), port, pollIntervalMs: 200, heartbeatTimeoutMs: 10_000, log: (l) => sb!.serverLog.push(l), maxWorkers: 1 });
    expect(await exitOf(agent)).toBe(0);
    expect(agent.stderr()).toContain('Reached the server again.');
    const [run] = await sb.runs(id);
    expect(run.state).toBe('finished');
    expect(run.history?.map((h) => h.epoch)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });
});
