import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiClient } from '@broom/server';
import { unbox, type RunDetail } from '@broom/core';
import { afterEach, describe, expect, it } from 'vitest';
import { TS_COMMAND, ensureBuilt, exitOf, fixtures, killPrograms, repoRoot, tsxImport, waitFor, type Agent } from './harness.js';

const bin = path.join(repoRoot, 'packages', 'cli', 'bin', 'broom.mjs');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function spawnBroom(args: string[], cwd: string, env: Record<string, string | undefined>): Agent {
  const child: ChildProcess = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGKILL' ? 137 : 143))));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

describe('the server killed with SIGKILL and restarted', () => {
  it('continues the sweep without losing a run or a metric', async () => {
    ensureBuilt();
    const dir = mkdtempSync(path.join(tmpdir(), 'broom-sigkill-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => killPrograms(path.join(dir, 'broom')));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env: Record<string, string | undefined> = {
      ...process.env,
      BROOM_URL: url,
      BROOM_DIR: path.join(dir, 'broom'),
      BROOM_TOKEN: undefined,
      BROOM_AGENT_KILL_DELAY: '3',
      BROOM_TEST_NODE: process.execPath,
      BROOM_TEST_TSX: tsxImport,
      NO_COLOR: '1',
    };
    const serverArgs = ['server', '--dir', path.join(dir, 'server'), '--host', '127.0.0.1', '--port', String(port), '--poll-interval', '0.2', '--heartbeat-timeout', '20'];
    const startBroomServer = async () => {
      const server = spawnBroom(serverArgs, dir, env);
      await waitFor(() => server.stdout().includes('broom: server listening at') || server.child.exitCode !== null, 'the server to listen');
      if (!server.stdout().includes('listening')) throw new Error(`the server did not start:\n${server.stderr()}`);
      return server;
    };
    const client = new ApiClient(url);

    let server = await startBroomServer();
    const EPOCHS = 20;
    const file = path.join(dir, 'sweep.yaml');
    writeFileSync(
      file,
      JSON.stringify({
        method: 'grid',
        metric: { name: 'val_loss', goal: 'minimize' },
        program: path.join(fixtures, 'train.ts'),
        command: TS_COMMAND,
        parameters: { x: { values: [1, 2, 3] }, model: { parameters: { layers: { values: [1, 2] } } }, epochs: { value: EPOCHS }, sleep_ms: { value: 100 } },
      }),
    );
    const created = spawnBroom(['sweep', file], dir, env);
    expect(await exitOf(created)).toBe(0);
    const id = /Creating sweep with ID: (\S+)/.exec(created.stderr())![1]!;

    const agent = spawnBroom(['agent', id], dir, env);
    // Kill the server while the second run is part-way through its metrics.
    const before = await waitFor(
      async () => {
        const runs = (await client.listRuns(id, { history: true })).runs;
        return runs.length >= 2 && runs.some((r) => r.state === 'running' && (r.history?.length ?? 0) >= 5) ? runs : undefined;
      },
      'the second run to log some metrics',
      30_000,
    );
    server.child.kill('SIGKILL');
    expect(await server.exited).toBe(137);
    await new Promise((r) => setTimeout(r, 2500)); // the run goes on logging; the agent keeps its rows
    server = await startBroomServer();

    const code = await exitOf(agent, 90_000);
    const runs: RunDetail[] = (await client.listRuns(id, { history: true })).runs;
    const sweep = await client.getSweep(id);
    server.child.kill('SIGTERM');
    await server.exited;
    expect(code, agent.stderr()).toBe(0);
    expect(agent.stderr()).toContain('Cannot reach the server');

    // Every run acknowledged before the kill is still there.
    const ids = new Set(runs.map((r) => r.id));
    for (const r of before) expect(ids.has(r.id)).toBe(true);
    // Every cell has exactly one run, and it finished.
    expect(runs).toHaveLength(6);
    expect(runs.map((r) => r.state)).toEqual(Array(6).fill('finished'));
    const cells = runs.map((r) => `${unbox(r.config.x)}/${(r.config.model as { layers: number }).layers}`).sort();
    expect(cells).toEqual(['1/1', '1/2', '2/1', '2/2', '3/1', '3/2']);
    // Every run's history is whole: no row lost or doubled, in order.
    for (const run of runs) {
      const x = run.config.x as number;
      expect(run.history?.map((h) => h.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i));
      expect(run.history?.map((h) => unbox(h.val_loss))).toEqual(Array.from({ length: EPOCHS }, (_, i) => x / (i + 1)));
      expect(run.summary.x_seen).toBe(x);
    }
    expect(sweep.state).toBe('FINISHED');
  }, 120_000);
});
