import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ApiClient, startServer, type RunningServer } from '@broom/server';
import type { RunDetail } from '@broom/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CuttableProxy, NODE_COMMAND, cliEnv, createSweep, ensureBuilt, exitOf, fixtures, freePort, killAll, killPrograms, spawnBroom, tempDir, waitFor,
} from './harness.js';

// Faults not covered by test/e2e-sweep (which has: a non-zero exit, NaN/Infinity/non-JSON metric
// lines, a server stopped and restarted, a server SIGKILLed mid-sweep, and an agent SIGKILLed whose
// run is crashed and retried). Each test asserts that nothing acknowledged is lost and nothing is
// stored twice.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killAll();
  for (const c of cleanups.splice(0).reverse()) await c();
});

function sandbox(): string {
  ensureBuilt();
  const { dir, remove } = tempDir('broom-faults-');
  cleanups.push(remove);
  cleanups.push(() => killPrograms(path.join(dir, 'broom')));
  return dir;
}

async function serve(dir: string, heartbeatTimeoutMs: number): Promise<{ server: RunningServer; url: string; client: ApiClient; log: string[] }> {
  const log: string[] = [];
  const server = await startServer({ dir: path.join(dir, 'server'), port: 0, pollIntervalMs: 200, heartbeatTimeoutMs, maxWorkers: 1, log: (l) => log.push(l) });
  cleanups.push(() => server.close());
  const url = `http://127.0.0.1:${server.port}`;
  return { server, url, client: new ApiClient(url), log };
}

const sweep = (parameters: Record<string, unknown>) => ({
  method: 'grid',
  metric: { name: 'loss', goal: 'minimize' },
  program: path.join(fixtures, 'steps.mjs'),
  command: NODE_COMMAND,
  parameters,
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function onlyRun(client: ApiClient, sweepId: string): Promise<RunDetail | undefined> {
  return (await client.listRuns(sweepId, { history: true })).runs[0];
}

describe('faults', () => {
  it('an agent SIGKILLed mid-run: the run ends crashed after the heartbeat timeout, with every acknowledged row', async () => {
    const dir = sandbox();
    const { url, client, log } = await serve(dir, 1500);
    const env = cliEnv(url, dir);
    const id = await createSweep(dir, env, sweep({ mode: { value: 'hang' }, steps: { value: 7 } }));
    const agent = spawnBroom(['agent', id], { cwd: dir, env });
    // Wait until the server has acknowledged all 7 rows, then kill the agent with no warning.
    const run = await waitFor(async () => {
      const r = await onlyRun(client, id);
      return r?.state === 'running' && r.history?.length === 7 ? r : undefined;
    }, 'the 7 rows to be acknowledged');
    agent.child.kill('SIGKILL');
    expect(await agent.exited).toBe(137);
    killPrograms(path.join(dir, 'broom'));
    const crashed = await waitFor(async () => {
      const r = await client.getRun(run.id, { history: true });
      return r.state === 'crashed' ? r : undefined;
    }, 'the run to be crashed', 15_000);
    expect(crashed.history?.map((h) => h.step)).toEqual(range(7));
    expect(crashed.summary).toMatchObject({ step: 6 });
    expect(crashed.endedAt).toBeDefined();
    expect(log.join('\n')).toContain(`run ${run.id} crashed: its agent`);
  });

  it('a program that exits without logging anything: the run finishes with an empty history and nothing breaks', async () => {
    const dir = sandbox();
    const { url, client } = await serve(dir, 10_000);
    const env = cliEnv(url, dir);
    const id = await createSweep(dir, env, sweep({ mode: { value: 'silent' }, x: { values: [1, 2] } }));
    const agent = spawnBroom(['agent', id], { cwd: dir, env });
    expect(await exitOf(agent)).toBe(0);
    const runs = (await client.listRuns(id, { history: true })).runs;
    expect(runs.map((r) => [r.state, r.exitCode, r.history, r.summary])).toEqual([
      ['finished', 0, [], {}],
      ['finished', 0, [], {}],
    ]);
    expect((await client.getSweep(id)).state).toBe('FINISHED');
    const log = readFileSync(path.join(dir, 'broom', `sweep-${id}`, `run-${runs[0].id}`, 'output.log'), 'utf8');
    expect(log).toBe('steps.mjs: nothing to log\n');
  });

  it('the database refusing writes (locked by another process): the server answers 503, the agent retries, and every row arrives once', async () => {
    const dir = sandbox();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = cliEnv(url, dir);
    const server = spawnBroom(['server', '--dir', path.join(dir, 'server'), '--port', String(port), '--poll-interval', '0.2', '--heartbeat-timeout', '300'], { cwd: dir, env });
    await waitFor(() => server.stdout().includes('server listening'), 'the server to listen');
    const client = new ApiClient(url);
    const steps = 80;
    const id = await createSweep(dir, env, sweep({ mode: { value: 'steps' }, steps: { value: steps }, sleep_ms: { value: 100 } }));
    const agent = spawnBroom(['agent', id], { cwd: dir, env });
    await waitFor(async () => ((await onlyRun(client, id))?.history?.length ?? 0) >= 5, 'the first rows');

    // Another process takes SQLite's write lock and holds it: every write of the server fails
    // with SQLITE_BUSY (after its 5 s busy timeout) while reads go on.
    const db = new Database(path.join(dir, 'server', 'broom.sqlite'));
    db.exec('BEGIN IMMEDIATE');
    try {
      await waitFor(() => server.stderr().includes('The store failed'), 'a write to fail', 30_000);
      // A write that changes nothing (no new rows) still needs the lock.
      const refused = await fetch(`${url}/api/v1/runs/${(await onlyRun(client, id))!.id}/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ seq: 0, rows: [] }),
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('store-unavailable');
      expect(body.error.message).toMatch(/^The server's database cannot answer now \(database is locked\); try again shortly\.$/);
      await new Promise((r) => setTimeout(r, 5000));
    } finally {
      db.exec('COMMIT');
      db.close();
    }
    expect(await exitOf(agent, 180_000)).toBe(0);
    const run = (await onlyRun(client, id))!;
    expect(run.state).toBe('finished');
    expect(run.history?.map((h) => h.step)).toEqual(range(steps));
    expect(agent.stderr()).toMatch(/database cannot answer now/);
    expect(server.stderr()).not.toContain('Internal error');
  }, 240_000);

  it('the network between agent and server dropping for a minute: the agent buffers and resends, every row arrives exactly once', async () => {
    const dir = sandbox();
    // A heartbeat timeout longer than the cut, so the run is not declared crashed meanwhile.
    const cutS = Number(process.env.BROOM_FAULT_CUT_S ?? 60);
    const { server, client, log } = await serve(dir, (cutS + 60) * 1000);
    const proxy = new CuttableProxy(server.port);
    await proxy.start();
    cleanups.push(() => proxy.close());
    const env = cliEnv(`http://127.0.0.1:${proxy.port}`, dir, { BROOM_AGENT_RETRY_TIMEOUT: String(cutS * 3) });
    const steps = Math.round((cutS + 15) * 10);
    const id = await createSweep(dir, cliEnv(`http://127.0.0.1:${server.port}`, dir), sweep({ mode: { value: 'steps' }, steps: { value: steps }, sleep_ms: { value: 100 } }));
    const agent = spawnBroom(['agent', id], { cwd: dir, env });
    await waitFor(async () => ((await onlyRun(client, id))?.history?.length ?? 0) >= 10, 'the first rows');

    // First the answers are lost (requests still land: the server stores rows it cannot
    // acknowledge), then the link is down altogether; a minute in all.
    const loseS = Math.min(10, cutS / 3);
    proxy.loseAnswers();
    await new Promise((r) => setTimeout(r, loseS * 1000));
    const landedUnacknowledged = proxy.forwardedWhileLosing;
    proxy.cut();
    const during = (await onlyRun(client, id))!.history!.length;
    await new Promise((r) => setTimeout(r, (cutS - loseS) * 1000));
    proxy.restore();

    expect(await exitOf(agent, (cutS + 120) * 1000)).toBe(0);
    const run = (await onlyRun(client, id))!;
    expect(run.state).toBe('finished');
    expect(run.history?.map((h) => h.step)).toEqual(range(steps));
    expect(run.summary).toMatchObject({ step: steps - 1 });
    expect(landedUnacknowledged).toBeGreaterThan(0);
    expect(during).toBeLessThan(steps);
    const err = agent.stderr();
    expect(err).toContain('Cannot reach the server');
    expect(err).toContain('Reached the server again.');
    expect(log.filter((l) => l.includes('crashed'))).toEqual([]);
  }, 400_000);
});
