import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { AgentCommand, HeartbeatResponse, Value } from '@broom/core';
import { ApiClient } from '../src/client/api-client.js';
import { startServer, type RunningServer, type ServerOptions } from '../src/server.js';

const dirs: string[] = [];
const servers: RunningServer[] = [];

afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.close();
});
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tmpDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'broom-server-'));
  dirs.push(dir);
  return dir;
}

export interface TestServer extends RunningServer {
  client: ApiClient;
  dir: string;
  logs: string[];
}

/** A real server on 127.0.0.1, any free port, a real SQLite file in a temp dir; closed after each test. */
export async function startTestServer(opts: Partial<ServerOptions> = {}): Promise<TestServer> {
  const logs: string[] = [];
  const dir = opts.dir ?? tmpDir();
  const server = await startServer({ port: 0, pollIntervalMs: 200, maxWorkers: 2, log: (l) => logs.push(l), ...opts, dir });
  servers.push(server);
  let closed = false;
  return {
    ...server,
    close: async () => {
      if (closed) return;
      closed = true;
      servers.splice(servers.indexOf(server), 1);
      await server.close();
    },
    client: new ApiClient(server.url, opts.token),
    dir,
    logs,
  };
}

/** Raw HTTP, for requests the typed client would not send. */
export async function raw(
  server: { url: string },
  method: string,
  urlPath: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: { error?: { code: string; message: string } } & Record<string, unknown>; text: string }> {
  const res = await fetch(`${server.url}${urlPath}`, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json', ...headers } : headers,
    body,
  });
  const text = await res.text();
  let json = {};
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `check` until it returns a truthy value (or fail after `timeoutMs`). */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 15_000, what = 'condition'): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * A simulated agent: plain API calls, no processes. `tick` heartbeats once and returns the
 * commands; runs it was given are in `running` until `end` is called.
 */
export class SimAgent {
  agentId = '';
  readonly running = new Set<string>();
  readonly received: AgentCommand[] = [];

  constructor(
    readonly client: ApiClient,
    readonly sweepId: string,
    readonly slots = 1,
  ) {}

  async register(): Promise<this> {
    const { agentId } = await this.client.registerAgent(this.sweepId, { host: 'test', pid: process.pid, slots: this.slots });
    this.agentId = agentId;
    return this;
  }

  async tick(freeSlots = this.slots - this.running.size): Promise<AgentCommand[]> {
    const res: HeartbeatResponse = await this.client.heartbeat(this.agentId, { running: [...this.running], freeSlots: Math.max(0, freeSlots) });
    this.received.push(...res.commands);
    for (const c of res.commands) {
      if (c.type === 'run') {
        this.running.add(c.runId);
        await this.client.setRunState(c.runId, { state: 'running' });
      }
    }
    return res.commands;
  }

  async log(runId: string, seq: number, rows: Record<string, Value>[]): Promise<number> {
    return (await this.client.postMetrics(runId, { seq, rows })).historyLength;
  }

  async end(runId: string, state: 'finished' | 'failed' | 'killed' = 'finished', exitCode = state === 'finished' ? 0 : 1): Promise<void> {
    this.running.delete(runId);
    await this.client.setRunState(runId, { state, exitCode });
  }
}
