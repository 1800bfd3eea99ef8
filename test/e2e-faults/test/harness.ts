import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureBuilt as ensureBuiltFiles, exitOf as exitWithin, killPrograms, repoRoot, waitFor as waitWithin } from '@broom/test-support';

export { killPrograms, repoRoot };

/** The exit code of a process, or a failure with its output after `timeoutMs` (60 s here). */
export const exitOf = (p: Proc, timeoutMs = 60_000): Promise<number> => exitWithin(p, timeoutMs);

/** Poll until `check` answers something truthy (20 s here). */
export const waitFor = <T>(check: () => Promise<T> | T, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> => waitWithin(check, what, timeoutMs);
export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const bin = path.join(repoRoot, 'packages', 'cli', 'bin', 'broom.mjs');
/** The command of a sweep that runs a fixture with plain node. */
export const NODE_COMMAND = ['${envvar:BROOM_TEST_NODE}', '${program}', '${args}'];

export function ensureBuilt(): void {
  ensureBuiltFiles(['packages/cli/dist/main.js', 'packages/server/dist/index.js']);
}

export interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** The exit code (128 + n for signal n). */
  exited: Promise<number>;
}

const SIGNALS: Record<string, number> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2 };
const live: Proc[] = [];

/** Start `node <bin> …args` (the built broom CLI). */
export function spawnBroom(args: string[], opts: { cwd: string; env: Record<string, string | undefined> }): Proc {
  const child = spawn(process.execPath, [bin, ...args], { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? 128 + (SIGNALS[signal ?? ''] ?? 15))));
  const proc = { child, stdout: () => out, stderr: () => err, exited };
  live.push(proc);
  return proc;
}

/** Run the broom CLI to completion. */
export async function broom(args: string[], opts: { cwd: string; env: Record<string, string | undefined> }, timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = spawnBroom(args, opts);
  const code = await exitOf(p, timeoutMs);
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** SIGKILL every process started here that still runs (call in afterEach). */
export function killAll(): void {
  for (const p of live.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
}


/** Poll `check` every 50 ms until it answers something truthy; fail with `what` after `timeoutMs`. */

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The environment of CLI calls and agents: BROOM_URL and BROOM_DIR set, no BROOM_TOKEN unless given. */
export function cliEnv(url: string, dir: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    ...process.env,
    BROOM_URL: url,
    BROOM_DIR: path.join(dir, 'broom'),
    BROOM_TOKEN: undefined,
    BROOM_AGENT_KILL_DELAY: '2',
    BROOM_TEST_NODE: process.execPath,
    NO_COLOR: '1',
    ...extra,
  };
}

/** Write a sweep config (JSON) into `dir` and answer its path. */
export function writeConfig(dir: string, config: unknown): string {
  const file = path.join(dir, `sweep-${Math.random().toString(36).slice(2, 8)}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** `broom sweep FILE`: the new sweep's id. */
export async function createSweep(dir: string, env: Record<string, string | undefined>, config: unknown): Promise<string> {
  const r = await broom(['sweep', writeConfig(dir, config)], { cwd: dir, env });
  const id = /Creating sweep with ID: (\S+)/.exec(r.stderr)?.[1];
  if (r.code !== 0 || !id) throw new Error(`broom sweep failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return id;
}


/**
 * A TCP proxy on 127.0.0.1 in front of a server, whose link can be cut and restored:
 * - `open`: bytes flow both ways;
 * - `lose-answers`: requests reach the server but its answers are dropped (the client times out:
 *   the write happened, yet it was never acknowledged);
 * - `down`: every connection is reset at once, new ones too (the network is gone).
 */
export class CuttableProxy {
  mode: 'open' | 'lose-answers' | 'down' = 'open';
  /** Bytes that reached the server while answers were being lost. */
  forwardedWhileLosing = 0;
  private readonly sockets = new Set<import('node:net').Socket>();
  private server?: import('node:net').Server;
  port = 0;

  constructor(private readonly target: number) {}

  async start(): Promise<void> {
    const net = await import('node:net');
    this.server = net.createServer((client) => {
      if (this.mode === 'down') {
        client.resetAndDestroy();
        return;
      }
      const upstream = net.connect(this.target, '127.0.0.1');
      this.sockets.add(client);
      this.sockets.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('data', (d) => {
        if (this.mode === 'down') return drop();
        if (this.mode === 'lose-answers') this.forwardedWhileLosing += d.length;
        upstream.write(d);
      });
      upstream.on('data', (d) => {
        if (this.mode === 'down') return drop();
        if (this.mode === 'open') client.write(d);
      });
      client.on('error', drop);
      upstream.on('error', drop);
      client.on('close', drop);
      upstream.on('close', drop);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as { port: number }).port;
  }

  /** Cut the link: reset every open connection and every new one. */
  cut(): void {
    this.mode = 'down';
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
  }

  /** Let requests through but drop every answer (connections stay open and hang). */
  loseAnswers(): void {
    this.mode = 'lose-answers';
  }

  /** Restore the link; connections whose answers were lost are closed (their streams are out of step). */
  restore(): void {
    if (this.mode === 'lose-answers') {
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
    }
    this.mode = 'open';
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
