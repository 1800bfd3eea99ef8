import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, closeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient } from '@broom/server/client';
import { UsageError } from '../io.js';
import { broomDir } from './run-files.js';

export const DEFAULT_PORT = 8418;
export const DEFAULT_URL = `http://127.0.0.1:${DEFAULT_PORT}`;

type Env = Readonly<Record<string, string | undefined>>;

export interface Connection {
  client: ApiClient;
  url: string;
  /** True when this call started a local server in the background. */
  started: boolean;
}

export interface ConnectOptions {
  /** `--url`; else BROOM_URL. */
  url?: string;
  /** `--token`; else BROOM_TOKEN. */
  token?: string;
  env?: Env;
  /** Start a local server when none answers (default true). */
  start?: boolean;
  /** Where messages go (default stderr). */
  say?: (line: string) => void;
}

/**
 * Find the broom server to talk to: `--url`/`BROOM_URL` (with `BROOM_TOKEN`) when set; else
 * http://127.0.0.1:8418 when a broom server answers there; else start one there in the background
 * (`broom server --dir $BROOM_DIR --port 8418`, detached, its log in `<dir>/server.log`), wait until it
 * answers, and say so.
 */
export async function connect(opts: ConnectOptions = {}): Promise<Connection> {
  const env = opts.env ?? process.env;
  const token = opts.token ?? (env.BROOM_TOKEN || undefined);
  const say = opts.say ?? ((line) => process.stderr.write(`broom: ${line}\n`));
  const given = opts.url ?? (env.BROOM_URL || undefined);
  if (given) {
    if (!/^https?:\/\//.test(given)) throw new UsageError(`The server URL must start with http:// or https://, but got "${given}".`);
    return { client: new ApiClient(given, token), url: given.replace(/\/+$/, ''), started: false };
  }
  const client = new ApiClient(DEFAULT_URL, token);
  if ((await probe(DEFAULT_URL, token)) === 'broom') return { client, url: DEFAULT_URL, started: false };
  if (opts.start === false) {
    throw new UsageError(`No broom server answers at ${DEFAULT_URL}. Start one with \`broom server\`, or set BROOM_URL.`, 1);
  }
  const dir = broomDir(env);
  await startBackgroundServer(dir, token, env);
  say(`started a local server at ${DEFAULT_URL} (data in ${displayPath(dir)}; stop it with broom server --stop)`);
  return { client, url: DEFAULT_URL, started: true };
}

/** What answers at `url`: a broom server, something else, or nothing. */
export async function probe(url: string, token?: string, timeoutMs = 1500): Promise<'broom' | 'other' | 'none'> {
  try {
    const response = await fetch(`${url}/api/v1/health`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json().catch(() => null)) as { ok?: unknown; error?: { code?: unknown } } | null;
    if (response.ok && body?.ok === true) return 'broom';
    if (response.status === 401 && body?.error?.code === 'unauthorized') return 'broom';
    return 'other';
  } catch {
    return 'none';
  }
}

/** The `broom` binary next to this module (`bin/broom.mjs` of the CLI package). */
export function cliBin(): string {
  return fileURLToPath(new URL('../../bin/broom.mjs', import.meta.url));
}

async function startBackgroundServer(dir: string, token: string | undefined, env: Env): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, 'server.log');
  const fd = openSync(logFile, 'a');
  const childEnv: Record<string, string | undefined> = { ...env };
  if (token) childEnv.BROOM_TOKEN = token;
  const child = spawn(process.execPath, [cliBin(), 'server', '--dir', dir, '--port', String(DEFAULT_PORT)], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: childEnv as NodeJS.ProcessEnv,
    cwd: process.cwd(),
  });
  closeSync(fd);
  let exited = false;
  child.on('exit', () => (exited = true));
  child.unref();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const what = await probe(DEFAULT_URL, token, 500);
    if (what === 'broom') return;
    if (what === 'other') throw new UsageError(`Something that is not a broom server answers at ${DEFAULT_URL}. Start broom elsewhere (broom server --port N) and set BROOM_URL.`, 1);
    if (exited && (await probe(DEFAULT_URL, token, 500)) !== 'broom') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-8).join('\n') : '';
  throw new UsageError(
    `Could not start a local broom server at ${DEFAULT_URL} (data in ${displayPath(dir)}).${log ? `\nIts log (${displayPath(logFile)}) ends with:\n${log}` : ''}`,
    1,
  );
}

/** A path as the user would write it: `./broom` inside the working directory, else absolute. */
export function displayPath(p: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, p);
  if (rel === '') return '.';
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return `./${rel}`;
  return p;
}
