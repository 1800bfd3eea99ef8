import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * Where the PostgreSQL tests get a database: BROOM_TEST_DATABASE_URL when set (its user needs
 * CREATEDB: every test makes its own database); else, as root on a machine with apt-get (CI, a
 * developer's Debian), `scripts/postgres/setup.sh` installs PostgreSQL if missing and starts a
 * throw-away cluster. Anywhere else the tests are skipped, and `skip` says why.
 */
export interface PostgresTarget {
  url?: string;
  skip?: string;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SETUP_SCRIPT = path.join(repoRoot, 'scripts', 'postgres', 'setup.sh');

let cached: Promise<PostgresTarget> | undefined;

/** Asynchronous (the script may run apt-get for minutes): test files `await` it at the top. */
export function postgresTarget(): Promise<PostgresTarget> {
  return (cached ??= findTarget());
}

async function findTarget(): Promise<PostgresTarget> {
  const given = process.env.BROOM_TEST_DATABASE_URL;
  if (given) return { url: given };
  const installed = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').length > 0;
  const root = process.getuid?.() === 0;
  if (!root) {
    return { skip: 'PostgreSQL tests skipped: set BROOM_TEST_DATABASE_URL to a database whose user may CREATE DATABASE, or run as root on Debian (scripts/postgres/setup.sh installs and starts a throw-away PostgreSQL).' };
  }
  if (!installed && !existsSync('/usr/bin/apt-get')) {
    return { skip: 'PostgreSQL tests skipped: PostgreSQL is not installed and there is no apt-get to install it; set BROOM_TEST_DATABASE_URL.' };
  }
  const r = await new Promise<{ code: number | string; stdout: string; stderr: string }>((resolve) => {
    execFile('bash', [SETUP_SCRIPT], { encoding: 'utf8', timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code ?? error.signal ?? 'error') : 0, stdout, stderr }),
    );
  });
  const url = /^BROOM_DATABASE_URL=(\S+)$/m.exec(r.stdout)?.[1];
  if (r.code !== 0 || !url) {
    // Root with apt: PostgreSQL should work here, so this is a failure, not a skip.
    throw new Error(`scripts/postgres/setup.sh failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
  }
  return { url };
}

/** `url` with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const made: string[] = [];

/** A new, empty database on the target's server; answers its URL. Dropped by `dropDatabases`. */
export async function freshDatabase(baseUrl: string): Promise<string> {
  const name = `broom_t_${process.pid}_${made.length}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  made.push(name);
  return withDatabase(baseUrl, name);
}

export async function dropDatabases(baseUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    for (const name of made.splice(0)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
