import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ApiClient, startServer, type RunningServer } from '@broom/server';
import type { RunDetail } from '@broom/core';

import { ensureBuilt as ensureBuiltFiles, exitOf, killPrograms, repoRoot, waitFor } from '@broom/test-support';

export { exitOf, killPrograms, repoRoot, waitFor };
export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const bin = path.join(repoRoot, 'packages', 'cli', 'bin', 'broom.mjs');
const require = createRequire(import.meta.url);

/** The tsx loader as a file URL, for `node --import <it> train.ts` (one process, signals go straight to the program). */
export const tsxImport = pathToFileURL(require.resolve('tsx')).href;
export const python = process.env.PYTHON ?? 'python3';
export const hasPython = spawnSync(python, ['--version']).status === 0;

/** The command of a sweep that runs fixtures/train.ts through tsx. */
export const TS_COMMAND = ['${envvar:BROOM_TEST_NODE}', '--import', '${envvar:BROOM_TEST_TSX}', '${program}', '${args}'];
/** The command of a sweep that runs fixtures/quick.mjs with plain node. */
export const MJS_COMMAND = ['${envvar:BROOM_TEST_NODE}', '${program}', '${args}'];

export interface Sandbox {
  server: RunningServer;
  client: ApiClient;
  /** The agents' working directory; their broom directory is `<dir>/broom`. */
  dir: string;
  serverLog: string[];
  env: Record<string, string>;
  /** Run the built `broom` binary to completion (asynchronously: the server runs in this process). */
  broom(args: string[], opts?: { env?: Record<string, string> }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Start `broom agent …` (or any broom command) in the background. */
  spawnBroom(args: string[], opts?: { env?: Record<string, string> }): Agent;
  /** Write a sweep config into the sandbox and create the sweep; answers its id. */
  createSweep(config: string): Promise<string>;
  runs(sweepId: string): Promise<RunDetail[]>;
  close(): Promise<void>;
}

export interface Agent {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or 128 + signal number). */
  exited: Promise<number>;
}

export function ensureBuilt(): void {
  ensureBuiltFiles(['packages/cli/dist/main.js', 'packages/sdk/dist/index.js']);
}

/** A server on a free port with its own temporary directory, polling every 200 ms. */
export async function sandbox(opts: { heartbeatTimeoutMs?: number } = {}): Promise<Sandbox> {
  ensureBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 'broom-e2e-'));
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
    BROOM_AGENT_KILL_DELAY: '3',
    BROOM_TEST_NODE: process.execPath,
    BROOM_TEST_TSX: tsxImport,
    NO_COLOR: '1',
  };
  delete env.BROOM_TOKEN;
  const agents: Agent[] = [];
  const sb: Sandbox = {
    server,
    client,
    dir,
    serverLog,
    env,
    async broom(args, o = {}) {
      const agent = sb.spawnBroom(args, o);
      const code = await exitOf(agent, 60_000);
      return { code, stdout: agent.stdout(), stderr: agent.stderr() };
    },
    spawnBroom(args, o = {}) {
      const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env: { ...env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      const exited = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGKILL' ? 137 : signal === 'SIGINT' ? 130 : 143))));
      const agent = { child, stdout: () => out, stderr: () => err, exited };
      agents.push(agent);
      return agent;
    },
    async createSweep(config) {
      const file = path.join(dir, `sweep-${Math.random().toString(36).slice(2, 8)}.yaml`);
      writeFileSync(file, config);
      const r = await sb.broom(['sweep', file]);
      const id = /Creating sweep with ID: (\S+)/.exec(r.stderr)?.[1];
      if (r.code !== 0 || !id) throw new Error(`broom sweep failed (${r.code}):\n${r.stderr}${r.stdout}`);
      return id;
    },
    async runs(sweepId) {
      return (await client.listRuns(sweepId, { history: true })).runs;
    },
    async close() {
      for (const a of agents) if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGKILL');
      killPrograms(path.join(dir, 'broom'));
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sb;
}




export function runDir(sb: Sandbox, sweepId: string, runId: string): string {
  return path.join(sb.dir, 'broom', `sweep-${sweepId}`, `run-${runId}`);
}
