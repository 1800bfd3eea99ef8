import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PyFloat, stringifyJson, type AgentCommand } from '@broom/core';
import { ApiClient } from '../src/client/api-client.js';
import { openPostgresStore } from '../src/store/pg-store.js';
import { dropDatabases, freshDatabase, postgresTarget } from './postgres-helper.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const target = await postgresTarget();

interface Child {
  proc: ChildProcess;
  url: string;
  stderr: () => string;
}

const children: Child[] = [];
const dirs: string[] = [];

/** A real `broom server` process (its own worker pool and poll timer) on the database. */
async function serverProcess(databaseUrl: string): Promise<Child> {
  const dir = mkdtempSync(path.join(tmpdir(), 'broom-pg-server-'));
  dirs.push(dir);
  const proc = spawn(process.execPath, ['--import', tsx, '--conditions=source', path.join(here, 'fixtures', 'pg-server.ts'), databaseUrl, dir], {
    cwd: path.resolve(here, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The server process did not start within 60 s:\n${err}`)), 60_000);
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /^LISTENING (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server process exited (${code}) before listening:\n${err}`));
    });
  });
  const child = { proc, url, stderr: () => err };
  children.push(child);
  return child;
}

/** A simulated agent that sends each request to the next server in turn. */
class AlternatingAgent {
  agentId = '';
  readonly running = new Set<string>();
  readonly received: { runId: string; server: number }[] = [];
  private turn: number;
  exited = false;

  constructor(
    private readonly clients: ApiClient[],
    private readonly sweepId: string,
    private readonly slots: number,
    offset: number,
  ) {
    this.turn = offset;
  }

  private next(): { client: ApiClient; server: number } {
    const server = this.turn++ % this.clients.length;
    return { client: this.clients[server], server };
  }

  async register(): Promise<this> {
    const { agentId } = await this.next().client.registerAgent(this.sweepId, { host: 'test', pid: process.pid, slots: this.slots });
    this.agentId = agentId;
    return this;
  }

  async tick(): Promise<AgentCommand[]> {
    const { client, server } = this.next();
    const { commands } = await client.heartbeat(this.agentId, { running: [...this.running], freeSlots: this.slots - this.running.size });
    for (const c of commands) {
      if (c.type === 'run') {
        this.received.push({ runId: c.runId, server });
        this.running.add(c.runId);
        await this.next().client.setRunState(c.runId, { state: 'running' });
      } else if (c.type === 'exit') {
        this.exited = true;
      }
    }
    return commands;
  }

  /** Log a metric for and finish the oldest running run. */
  async finishOne(loss: number): Promise<void> {
    const first = [...this.running][0];
    if (!first) return;
    await this.next().client.postMetrics(first, { seq: 0, rows: [{ loss }] });
    this.running.delete(first);
    await this.next().client.setRunState(first, { state: 'finished', exitCode: 0 });
  }
}

const LR = [new PyFloat(1), 0.5, 0.25];
const LAYERS = [1, 2, 3, 4];
const OPT = ['sgd', 'adam'];
const GRID = {
  method: 'grid',
  metric: { name: 'loss', goal: 'minimize' },
  parameters: { lr: { values: LR }, layers: { values: LAYERS }, opt: { values: OPT } },
  program: 'train.py',
};

if (!target.url) {
  describe('several servers on one PostgreSQL database', () => {
    it.skip(target.skip!, () => undefined);
  });
} else {
  const base = target.url;
  afterAll(async () => {
    await Promise.all(
      children.splice(0).map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
            const kill = setTimeout(() => c.proc.kill('SIGKILL'), 15_000);
            c.proc.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            c.proc.kill('SIGTERM');
          }),
      ),
    );
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    await dropDatabases(base);
  });

  describe('several servers on one PostgreSQL database', () => {
    it('serve one grid sweep to agents that alternate between them: every cell once, no run handed out twice', { timeout: 180_000 }, async () => {
      const db = await freshDatabase(base);
      const servers = await Promise.all([serverProcess(db), serverProcess(db)]);
      const clients = servers.map((s) => new ApiClient(s.url));
      const sweep = await clients[0].createSweep({ config: GRID, name: 'two servers' });
      expect(sweep.expectedRunCount).toBe(24);
      // The other server knows the sweep at once: it reads the same database.
      expect((await clients[1].getSweep(sweep.id)).name).toBe('two servers');

      const agents = await Promise.all([2, 2, 3, 1, 2, 3].map((slots, i) => new AlternatingAgent(clients, sweep.id, slots, i).register()));
      const deadline = Date.now() + 120_000;
      let round = 0;
      while (agents.some((a) => !a.exited) && Date.now() < deadline && round < 400) {
        round++;
        // Every agent asks at the same instant, each of them of a different server than last time.
        await Promise.all(
          agents.map(async (a, i) => {
            if (a.exited) return;
            await a.tick();
            if ((round + i) % 2 === 0) await a.finishOne(1 / (round + i));
          }),
        );
      }

      const handedOut = agents.flatMap((a) => a.received.map((r) => ({ ...r, agentId: a.agentId })));
      const ids = handedOut.map((r) => r.runId);
      // No run handed out twice (to two agents, or twice to one).
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(24);
      // Both servers created and handed out runs.
      expect(handedOut.filter((r) => r.server === 0).length).toBeGreaterThan(0);
      expect(handedOut.filter((r) => r.server === 1).length).toBeGreaterThan(0);

      const { runs } = await clients[1].listRuns(sweep.id);
      expect(runs.length).toBe(24);
      const cells = runs.map((r) => stringifyJson(r.config)).sort();
      const expected = LR.flatMap((lr) => LAYERS.flatMap((layers) => OPT.map((opt) => stringifyJson({ layers, lr, opt })))).sort();
      expect(cells).toEqual(expected);
      const store = await openPostgresStore(db);
      try {
        expect((await store.listRuns(sweep.id)).map((r) => r.number)).toEqual(Array.from({ length: 24 }, (_, i) => i));
      } finally {
        await store.close();
      }
      for (const r of runs) {
        expect(r.state).toBe('finished');
        // The agent the database assigned the run to is the one that received it.
        expect(handedOut.find((h) => h.runId === r.id)?.agentId).toBe(r.agentId);
      }
      expect(agents.every((a) => a.exited)).toBe(true);
      for (const c of clients) expect((await c.getSweep(sweep.id)).state).toBe('FINISHED');
    });
  });
}
