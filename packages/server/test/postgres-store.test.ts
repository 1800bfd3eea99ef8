import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJson, PyFloat, stringifyJson, type ValueRecord } from '@broom/core';
import { openPostgresStore, PostgresStore } from '../src/store/pg-store.js';
import { PG_SCHEMA_VERSION } from '../src/store/pg-migrations.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { describeStoreContract } from '../src/testing/store-contract.js';
import { dropDatabases, freshDatabase, postgresTarget } from './postgres-helper.js';

const target = await postgresTarget();
const T0 = '2026-01-01T00:00:00.000Z';
const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

if (!target.url) {
  describe('PostgresStore', () => {
    it.skip(target.skip!, () => undefined);
  });
} else {
  const base = target.url;
  const open: Store[] = [];
  afterAll(async () => {
    for (const s of open.splice(0)) await s.close();
    await dropDatabases(base);
  });
  const track = <S extends Store>(s: S): S => {
    open.push(s);
    return s;
  };

  describeStoreContract('postgres', {
    create: async () => openPostgresStore(await freshDatabase(base)),
    reopen: async (closed) => openPostgresStore((closed as PostgresStore).url),
  });

  describe('PostgresStore', () => {
    it('migrates a new database to the current schema version, once, with servers starting at once', async () => {
      const url = await freshDatabase(base);
      // Five servers start together: the advisory lock lets one migrate and the others find it done.
      const stores = await Promise.all([1, 2, 3, 4, 5].map(() => openPostgresStore(url).then(track)));
      for (const s of stores) expect(await s.schemaVersion()).toBe(PG_SCHEMA_VERSION);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const { rows } = await c.query('SELECT version FROM schema_version');
      const tables = await c.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('sweeps', 'runs', 'history', 'agents', 'sweep_events', 'tokens')");
      await c.end();
      expect(rows).toEqual([{ version: PG_SCHEMA_VERSION }]);
      expect(tables.rows[0].n).toBe(6);
    });

    it('refuses a database written by a newer broom, naming it without its password', async () => {
      const url = await freshDatabase(base);
      await (await openPostgresStore(url)).close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query('UPDATE schema_version SET version = $1', [PG_SCHEMA_VERSION + 1]);
      await c.end();
      const error = await openPostgresStore(url).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'store-version' });
      expect((error as Error).message).toMatch(`schema version ${PG_SCHEMA_VERSION + 1}`);
      expect((error as Error).message).toMatch(/Upgrade broom/);
      expect((error as Error).message).not.toContain(new URL(url).password);
    });

    it('says clearly when it cannot connect, and what a URL must look like', async () => {
      const wrong = new URL(base);
      wrong.password = 'not-the-password';
      const error = await openPostgresStore(wrong.toString()).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'store-connect' });
      expect((error as Error).message).toMatch(/Cannot open the PostgreSQL store at postgres:\/\/broom:\*\*\*@127\.0\.0\.1:\d+\/broom.*password authentication failed.*BROOM_DATABASE_URL/);
      expect((error as Error).message).not.toContain('not-the-password');
      await expect(openPostgresStore('mysql://x@localhost/db')).rejects.toMatchObject({ code: 'store-url', message: expect.stringMatching(/must start with postgres:\/\//) });
    });

    it('keeps values exactly as the SQLite store does (1.0, NaN, ±Infinity, big and odd strings)', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'broom-pg-vs-sqlite-'));
      try {
        const sqlite = await openSqliteStore(dir);
        const postgres = track(await openPostgresStore(await freshDatabase(base)));
        const rows: ValueRecord[] = [
          { a: new PyFloat(1), b: Number.NaN, c: Number.POSITIVE_INFINITY, d: Number.NEGATIVE_INFINITY, e: new PyFloat(-0) },
          { big: 2 ** 53, tiny: 5e-324, exp: new PyFloat(1e300), s: 'naïve ☃ \u0000 "quoted" \\ \n', nested: { l: [new PyFloat(2), null, true] } },
        ];
        const texts: string[] = [];
        for (const store of [sqlite, postgres]) {
          await store.createSweep({ id: 'sw000001', name: 'n', project: 'p', method: 'grid', state: 'RUNNING', config: { x: new PyFloat(3) }, seed: 2 ** 31 - 1, createdAt: T0 });
          await store.registerAgent({ id: 'ag000001', sweepId: 'sw000001', host: 'h', pid: 4_194_304, slots: 1, createdAt: T0 });
          await store.launchRuns('sw000001', { agentId: 'ag000001', at: T0, requireState: ['RUNNING'], runs: [{ id: 'run00001', name: 'run00001', config: rows[1] }] });
          await store.appendHistory('run00001', { seq: 0, rows, summary: { best: Number.NaN } });
          await store.setSchedulerState('sw000001', rows[0]);
          const run = await store.getRun('run00001');
          texts.push(
            stringifyJson([await store.getHistory('run00001'), run?.summary ?? null, run?.config ?? null, await store.getSchedulerState('sw000001'), (await store.getSweep('sw000001'))?.seed ?? null, (await store.getAgent('ag000001'))?.pid ?? null]),
          );
        }
        await sqlite.close();
        expect(texts[1]).toBe(texts[0]);
        expect(texts[1]).toContain('"a":1.0,"b":NaN,"c":Infinity,"d":-Infinity,"e":0.0');
        expect(stringifyJson(parseJson(texts[1], 'x'))).toBe(texts[1]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('numbers runs launched at once by two servers without gaps or duplicates', async () => {
      const url = await freshDatabase(base);
      const a = track(await openPostgresStore(url));
      const b = track(await openPostgresStore(url));
      await a.createSweep({ id: 'sw000001', name: 'n', project: 'p', method: 'grid', state: 'RUNNING', config: {}, seed: 1, createdAt: T0 });
      await a.registerAgent({ id: 'ag000001', sweepId: 'sw000001', host: 'h', pid: 1, slots: 1, createdAt: T0 });
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).launchRuns('sw000001', { agentId: 'ag000001', at: T0, requireState: ['RUNNING'], runs: [{ id: `r${i}a`, name: `r${i}a`, config: {} }, { id: `r${i}b`, name: `r${i}b`, config: {} }] }),
        ),
      );
      const runs = await a.listRuns('sw000001');
      expect(runs.map((r) => r.number)).toEqual(Array.from({ length: 40 }, (_, i) => i));
      // Each launch's two runs got consecutive numbers.
      for (let i = 0; i < 20; i++) expect(runs.find((r) => r.id === `r${i}b`)!.number).toBe(runs.find((r) => r.id === `r${i}a`)!.number + 1);
    });

    it('stores a history batch sent to two servers at once once', async () => {
      const url = await freshDatabase(base);
      const a = track(await openPostgresStore(url));
      const b = track(await openPostgresStore(url));
      await a.createSweep({ id: 'sw000001', name: 'n', project: 'p', method: 'grid', state: 'RUNNING', config: {}, seed: 1, createdAt: T0 });
      await a.registerAgent({ id: 'ag000001', sweepId: 'sw000001', host: 'h', pid: 1, slots: 1, createdAt: T0 });
      await a.launchRuns('sw000001', { agentId: 'ag000001', at: T0, requireState: ['RUNNING'], runs: [{ id: 'run00001', name: 'run00001', config: {} }] });
      const rows = Array.from({ length: 30 }, (_, i) => ({ _step: i, loss: new PyFloat(30 - i) }));
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).appendHistory('run00001', { seq: Math.floor(i / 2) * 5, rows: rows.slice(Math.floor(i / 2) * 5, Math.floor(i / 2) * 5 + 5) }).catch((e: { code?: string }) => e.code)),
      );
      // Batches that raced ahead of a missing one are refused (the agent resends them); the rest land once.
      for (const r of results) if (typeof r === 'string') expect(r).toBe('history-gap');
      const added = results.reduce((n: number, r) => n + (typeof r === 'object' ? r.added : 0), 0);
      const history = await b.getHistory('run00001');
      expect(history.length).toBe(added);
      expect(stringifyJson(history)).toBe(stringifyJson(rows.slice(0, added)));
      expect((await a.getRun('run00001'))?.historyLength).toBe(added);
    });

    it('hands each queue item to one launch agent when two servers claim at once (FOR UPDATE SKIP LOCKED)', async () => {
      const url = await freshDatabase(base);
      const a = track(await openPostgresStore(url));
      const b = track(await openPostgresStore(url));
      await a.ensureQueue('q', T0);
      await b.ensureQueue('q', T0);
      const agents = ['la000001', 'la000002', 'la000003'];
      for (const id of agents) await a.registerLaunchAgent({ id, host: 'h', pid: 1, queues: ['q'], maxJobs: -1, maxSchedulers: 0, createdAt: T0 });
      const ids = Array.from({ length: 30 }, (_, i) => `it${String(i).padStart(6, '0')}`);
      await Promise.all(ids.map((id, i) => (i % 2 ? a : b).enqueueItem({ id, queue: 'q', priority: i % 4, kind: 'run', spec: {}, resource: 'local-process', resourceArgs: {}, createdAt: T0 })));
      const claims = await Promise.all(
        Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).claimItem({ launchAgentId: agents[i % 3], queues: ['q'], kinds: ['run'], at: T0 })),
      );
      const got = claims.filter((c) => c !== undefined);
      expect(got.length).toBe(30);
      expect(new Set(got.map((c) => c!.id)).size).toBe(30);
      const rows = await a.listItems({ queue: 'q' });
      expect(rows.every((r) => r.state === 'claimed')).toBe(true);
      for (const c of got) expect(rows.find((r) => r.id === c!.id)?.launchAgentId).toBe(c!.launchAgentId);
    });

    it('steps a sweep on one server at a time (withSweepLock), other sweeps in parallel', async () => {
      const url = await freshDatabase(base);
      const a = track(await openPostgresStore(url));
      const b = track(await openPostgresStore(url));
      const inside = new Map<string, number>();
      const most = new Map<string, number>();
      const log: string[] = [];
      const task = (store: PostgresStore, sweep: string, who: string) =>
        store.withSweepLock(sweep, async () => {
          inside.set(sweep, (inside.get(sweep) ?? 0) + 1);
          most.set(sweep, Math.max(most.get(sweep) ?? 0, inside.get(sweep)!));
          log.push(`${who}:${sweep}`);
          await new Promise((r) => setTimeout(r, 30));
          inside.set(sweep, inside.get(sweep)! - 1);
          return who;
        });
      const answers = await Promise.all([
        ...[1, 2, 3, 4].map((i) => task(i % 2 ? a : b, 'sw000001', `s${i}`)),
        ...[1, 2, 3, 4].map((i) => task(i % 2 ? b : a, 'sw000002', `t${i}`)),
      ]);
      expect(answers).toEqual(['s1', 's2', 's3', 's4', 't1', 't2', 't3', 't4']);
      expect(most.get('sw000001')).toBe(1);
      expect(most.get('sw000002')).toBe(1);
      expect(log.length).toBe(8);
    });

    it('frees a sweep whose lock holder dies mid-step (the lock goes with its connection)', async () => {
      const url = await freshDatabase(base);
      await (await openPostgresStore(url)).close();
      const holder = spawn(process.execPath, ['--import', tsx, '--conditions=source', path.join(here, 'fixtures', 'pg-hold-lock.ts'), url, 'sw000001'], {
        cwd: path.resolve(here, '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      holder.stderr.on('data', (d) => (err += d));
      const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        let out = '';
        holder.stdout.on('data', (d) => {
          out += d;
          if (out.includes('LOCKED')) resolve();
        });
        holder.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before locking:\n${err}`)));
      });
      const store = track(await openPostgresStore(url));
      const events: string[] = [];
      const waiting = store.withSweepLock('sw000001', async () => {
        events.push('entered');
      });
      await new Promise((r) => setTimeout(r, 500));
      events.push('killing the holder');
      holder.kill('SIGKILL');
      await exited;
      await waiting;
      // The step waited for the holder, and ran once the holder's process was gone.
      expect(events).toEqual(['killing the holder', 'entered']);
    });

    it('releases the lock when a step throws', async () => {
      const url = await freshDatabase(base);
      const a = track(await openPostgresStore(url));
      const b = track(await openPostgresStore(url));
      await expect(a.withSweepLock('sw000001', async () => { throw new Error('step failed'); })).rejects.toThrow('step failed');
      expect(await b.withSweepLock('sw000001', async () => 'free')).toBe('free');
    });
  });
}
