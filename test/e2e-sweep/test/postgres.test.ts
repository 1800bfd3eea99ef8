import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabases, freshDatabase, postgresTarget } from '../../../packages/server/test/postgres-helper.js';
import { ensureBuilt, fixtures, repoRoot, waitFor } from './harness.js';

// `broom server --database-url` / BROOM_DATABASE_URL with the built binary: two servers on one
// PostgreSQL database and a real agent on each. The database comes from BROOM_TEST_DATABASE_URL or
// scripts/postgres/setup.sh (as root with apt-get); elsewhere the test is skipped, saying why.
const target = await postgresTarget();
const bin = path.join(repoRoot, 'packages', 'cli', 'bin', 'broom.mjs');
const dirs: string[] = [];
interface Started {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  done: Promise<number>;
}
const started: Started[] = [];

function start(args: string[], cwd: string, env: Record<string, string | undefined> = {}): Started {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, BROOM_URL: undefined, BROOM_DIR: undefined, BROOM_TOKEN: undefined, BROOM_DATABASE_URL: undefined, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const p: Started = { child, out: () => stdout, err: () => stderr, done };
  started.push(p);
  return p;
}

async function broom(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const p = start(args, cwd, env);
  const code = await p.done;
  return { code, stdout: p.out(), stderr: p.err() };
}

if (!target.url) {
  describe('broom server on PostgreSQL', () => {
    it.skip(target.skip!, () => undefined);
  });
} else {
  const base = target.url;
  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    await dropDatabases(base);
  });

  describe('broom server on PostgreSQL', () => {
    it('two servers on one database (--database-url and BROOM_DATABASE_URL) serve one grid sweep to an agent each', { timeout: 180_000 }, async () => {
      ensureBuilt();
      const db = await freshDatabase(base);
      const password = new URL(db).password;
      const cwd = mkdtempSync(path.join(tmpdir(), 'broom-e2e-pg-'));
      dirs.push(cwd);
      const a = start(['server', '--port', '0', '--dir', 'a', '--poll-interval', '0.2', '--database-url', db], cwd);
      const b = start(['server', '--port', '0', '--dir', 'b', '--poll-interval', '0.2'], cwd, { BROOM_DATABASE_URL: db });
      const listening = /^broom: server listening at (http:\S+) \(data in (postgres:\S+)\)/m;
      const [urlA, urlB] = await Promise.all(
        [a, b].map(async (s) => {
          const m = await waitFor(() => listening.exec(s.out()), `a server's URL (stderr: ${s.err()})`, 60_000);
          // The password never shows.
          expect(m[2]).toMatch(/^postgres:\/\/broom:\*\*\*@127\.0\.0\.1:\d+\/broom_t_/);
          return m[1];
        }),
      );
      for (const s of [a, b]) expect(s.out() + s.err()).not.toContain(password);

      writeFileSync(
        path.join(cwd, 'sweep.yaml'),
        [
          'name: pg-e2e',
          `program: ${path.join(fixtures, 'quick.mjs')}`,
          'command:',
          '  - ${envvar:BROOM_TEST_NODE}',
          '  - ${program}',
          'method: grid',
          'metric: {name: val_loss, goal: minimize}',
          'parameters:',
          '  x: {values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]}',
          '',
        ].join('\n'),
      );
      const created = await broom(['sweep', '--url', urlA, 'sweep.yaml'], cwd);
      const sweepId = /Creating sweep with ID: (\S+)/.exec(created.stderr)?.[1];
      expect(created.code, created.stderr).toBe(0);
      expect(sweepId).toBeDefined();

      const env = (name: string) => ({ BROOM_DIR: path.join(cwd, name), BROOM_TEST_NODE: process.execPath });
      const agents = await Promise.all([
        broom(['agent', '--url', urlA, sweepId!], cwd, env('agent-a')),
        broom(['agent', '--url', urlB, sweepId!], cwd, env('agent-b')),
      ]);
      for (const r of agents) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain(`Sweep ${sweepId} is finished: the search space is exhausted.`);
      }
      const runIds = agents.flatMap((r) => [...r.stderr.matchAll(/Agent Starting Run: (\S+)/g)].map((m) => m[1]));
      expect(runIds.length).toBe(6);
      expect(new Set(runIds).size).toBe(6);

      // Either server lists the same six runs, each cell once.
      for (const url of [urlA, urlB]) {
        const runs = await broom(['runs', '--url', url, sweepId!], cwd);
        expect(runs.code, runs.stderr).toBe(0);
        const rows = runs.stdout.split('\n').filter((l) => / finished /.test(l));
        expect(rows.length).toBe(6);
        expect(new Set(rows.map((l) => /x=(\S+)/.exec(l)?.[1])).size).toBe(6);
        expect(runs.stdout).toMatch(/\(FINISHED\): 6 runs \(6 finished\)/);
      }

      for (const dir of ['a', 'b']) expect((await broom(['server', '--stop', '--dir', dir], cwd)).code).toBe(0);
      expect(await a.done).toBe(0);
      expect(await b.done).toBe(0);
    });

    it('refuses a database URL that is not PostgreSQL, and one it cannot log in to, saying why', async () => {
      ensureBuilt();
      const cwd = mkdtempSync(path.join(tmpdir(), 'broom-e2e-pg-'));
      dirs.push(cwd);
      const mysql = await broom(['server', '--port', '0', '--dir', 'c', '--database-url', 'mysql://u:secret@localhost/db'], cwd);
      expect(mysql.code).toBe(1);
      expect(mysql.stderr).toMatch(/The database URL must start with postgres:\/\/ or postgresql:\/\//);
      expect(mysql.stderr).not.toContain('secret');
      const wrong = new URL(base);
      wrong.password = 'wrong-password';
      const denied = await broom(['server', '--port', '0', '--dir', 'd'], cwd, { BROOM_DATABASE_URL: wrong.toString() });
      expect(denied.code).toBe(1);
      expect(denied.stderr).toMatch(/Cannot open the PostgreSQL store at postgres:\/\/broom:\*\*\*@.*password authentication failed/);
      expect(denied.stderr).not.toContain('wrong-password');
      expect(denied.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  });
}
