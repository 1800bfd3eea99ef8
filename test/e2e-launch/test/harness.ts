import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient, startServer, type RunningServer } from '@broom/server';
import { LaunchClient } from '@broom/server/client';
import type { RunDetail, SweepState } from '@broom/core';

import { ensureBuilt as ensureBuiltFiles, exitOf, killPrograms, repoRoot, waitFor as waitWithin } from '@broom/test-support';

export { exitOf, killPrograms, repoRoot };

/** Poll every 100 ms until `check` answers something truthy; fail with `what` after `timeoutMs`. */
export const waitFor = <T>(check: () => Promise<T> | T, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> => waitWithin(check, what, timeoutMs, 100);
export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const bin = path.join(repoRoot, 'packages', 'cli', 'bin', 'broom.mjs');

/** The command of a launch sweep whose `job` is fixtures/train.mjs, run with this node. */
export const TRAIN = `job: ${JSON.stringify(path.join(fixtures, 'train.mjs'))}\ncommand: ['\${envvar:BROOM_TEST_NODE}', '\${program}', '\${args}']\n`;

export interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number>;
}

export interface Sandbox {
  server: RunningServer;
  client: ApiClient;
  launch: LaunchClient;
  dir: string;
  serverLog: string[];
  env: Record<string, string>;
  broom(args: string[], opts?: { env?: Record<string, string> }): Promise<{ code: number; stdout: string; stderr: string }>;
  spawnBroom(args: string[], opts?: { env?: Record<string, string> }): Proc;
  /** Write a config into the sandbox and `broom launch-sweep` it; answers the sweep id. */
  launchSweep(config: string, args?: string[]): Promise<string>;
  runs(sweepId: string): Promise<RunDetail[]>;
  waitForState(sweepId: string, states: SweepState[], timeoutMs?: number): Promise<SweepState>;
  /** The text of the scheduler log files of a sweep (under the launch agents' broom dir). */
  schedulerLog(sweepId: string): string;
  close(): Promise<void>;
}

export function ensureBuilt(): void {
  ensureBuiltFiles(['packages/cli/dist/main.js']);
}

/** A server on a free port (polling every 200 ms) with its own temporary directory. */
export async function sandbox(opts: { heartbeatTimeoutMs?: number } = {}): Promise<Sandbox> {
  ensureBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 'broom-e2e-launch-'));
  const serverLog: string[] = [];
  const server = await startServer({
    dir: path.join(dir, 'server'),
    port: 0,
    pollIntervalMs: 200,
    heartbeatTimeoutMs: opts.heartbeatTimeoutMs ?? 10_000,
    log: (line) => serverLog.push(line),
    maxWorkers: 1,
  });
  const client = new ApiClient(server.url);
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    BROOM_URL: server.url,
    BROOM_DIR: path.join(dir, 'broom'),
    BROOM_SCHEDULER_POLL_INTERVAL: '0.2',
    BROOM_TEST_NODE: process.execPath,
    NO_COLOR: '1',
  };
  delete env.BROOM_TOKEN;
  const procs: Proc[] = [];
  const sb: Sandbox = {
    server,
    client,
    launch: new LaunchClient(client),
    dir,
    serverLog,
    env,
    async broom(args, o = {}) {
      const p = sb.spawnBroom(args, o);
      const code = await exitOf(p, 60_000);
      return { code, stdout: p.stdout(), stderr: p.stderr() };
    },
    spawnBroom(args, o = {}) {
      const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env: { ...env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      const exited = new Promise<number>((resolve) =>
        child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGKILL' ? 137 : signal === 'SIGINT' ? 130 : 143))),
      );
      const p = { child, stdout: () => out, stderr: () => err, exited };
      procs.push(p);
      return p;
    },
    async launchSweep(config, args = []) {
      const file = path.join(dir, `sweep-${Math.random().toString(36).slice(2, 8)}.yaml`);
      writeFileSync(file, config);
      const r = await sb.broom(['launch-sweep', file, ...args]);
      const id = /Creating launch sweep with ID: (\S+)/.exec(r.stderr)?.[1];
      if (r.code !== 0 || !id) throw new Error(`broom launch-sweep failed (${r.code}):\n${r.stderr}${r.stdout}`);
      return id;
    },
    async runs(sweepId) {
      return (await client.listRuns(sweepId, { history: true })).runs;
    },
    async waitForState(sweepId, states, timeoutMs = 60_000) {
      return waitFor(async () => {
        const s = await client.getSweep(sweepId);
        return states.includes(s.state) ? s.state : undefined;
      }, `sweep ${sweepId} to be ${states.join(' or ')}\n${serverLog.slice(-15).join('\n')}`, timeoutMs);
    },
    schedulerLog(sweepId) {
      const launchDir = path.join(dir, 'broom', 'launch');
      if (!existsSync(launchDir)) return '';
      return readdirSync(launchDir)
        .filter((f) => f.startsWith(`scheduler-${sweepId}-`))
        .sort()
        .map((f) => readFileSync(path.join(launchDir, f), 'utf8'))
        .join('');
    },
    async close() {
      for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      killPrograms(path.join(dir, 'broom'));
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sb;
}




/** The most runs that were active (queued or running: from creation to end) at one moment. */
export function maxActive(runs: readonly RunDetail[]): number {
  const events: [number, number][] = [];
  for (const r of runs) {
    events.push([Date.parse(r.createdAt), 1]);
    events.push([r.endedAt ? Date.parse(r.endedAt) : Number.POSITIVE_INFINITY, -1]);
  }
  // At equal times an end comes before a start: a slot freed and taken in the same millisecond.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of events) {
    now += d;
    most = Math.max(most, now);
  }
  return most;
}
