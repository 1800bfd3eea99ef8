import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BroomError, createWorkerEngine, type EngineService } from '@broom/core';
import { SweepManager } from './controller/sweep-manager.js';
import { buildApp } from './http/app.js';
import { LaunchService } from './launch/launch-service.js';
import { openPostgresStore, redactDatabaseUrl } from './store/pg-store.js';
import { openSqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store.js';

export interface ServerOptions {
  /**
   * Interface to listen on (default 127.0.0.1). Off loopback every request needs a token (the
   * bootstrap `token` or a stored one), and the server refuses to start with neither.
   */
  host?: string;
  /** Port (default 8418; 0 = any free port). */
  port?: number;
  /** The broom directory: the store is `<dir>/broom.sqlite` (unless `databaseUrl` is given). */
  dir: string;
  /**
   * A PostgreSQL database (`postgres://user:password@host:5432/db`) to keep the store in instead of
   * `<dir>/broom.sqlite`. Several servers may share one: they serve the same sweeps. The CLI takes it
   * from `--database-url` or BROOM_DATABASE_URL.
   */
  databaseUrl?: string;
  /** The bootstrap token: when set, every request must carry a token, and this one is always accepted. */
  token?: string;
  /** How often every live sweep is stepped, in ms (default 5000). */
  pollIntervalMs?: number;
  /** A run whose agent sent no heartbeat for this long is crashed, in ms (default 60 000). */
  heartbeatTimeoutMs?: number;
  /** Where the server's log lines go (default: stderr). */
  log?: (line: string) => void;
  /** Largest request body in bytes (default 8 MiB). */
  bodyLimit?: number;
  /** Worker threads for search and pruning (default: CPUs − 1). */
  maxWorkers?: number;
  /**
   * The engine service to use instead of the server's own worker pool (tests, embedding).
   * @experimental
   */
  engine?: EngineService;
}

export interface RunningServer {
  /** `http://host:port`, the base URL clients use (without the /api/v1 prefix). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8418;
export const DEFAULT_HOST = '127.0.0.1';

/** This package's directory: the built-in plugins resolve from its dependencies. */
const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Start `broom server`: open the store, load every live sweep's scheduler (with its saved state),
 * start the poll timer and listen. `close()` stops listening, lets the steps in flight finish,
 * terminates the worker pool and closes the store.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? DEFAULT_HOST;
  const port = opts.port ?? DEFAULT_PORT;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (opts.token !== undefined && opts.token.trim() === '') {
    throw new BroomError('server-needs-token', 'The token is empty: give a non-empty token, or none on loopback.', {});
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new BroomError('server-port', `The port must be an integer from 0 to 65535, but got ${port}.`, { port });
  }
  const pollIntervalMs = opts.pollIntervalMs ?? 5000;
  const heartbeatTimeoutMs = opts.heartbeatTimeoutMs ?? 60_000;

  const store: Store = opts.databaseUrl ? await openPostgresStore(opts.databaseUrl) : await openSqliteStore(opts.dir);
  const storeName = opts.databaseUrl ? redactDatabaseUrl(opts.databaseUrl) : path.join(opts.dir, 'broom.sqlite');
  // Off loopback every request needs a token: the bootstrap one (--token) or one made by `broom token create`.
  const requireToken = !isLoopback(host);
  if (requireToken && !opts.token && !(await store.listTokens()).some((t) => !t.revokedAt)) {
    await store.close();
    throw new BroomError(
      'server-needs-token',
      `Refusing to listen on ${host} without a token: anyone who can reach it could create sweeps and run commands on your agents. Set a bootstrap token (--token or BROOM_TOKEN), or create one first with \`broom token create\` against a server on 127.0.0.1, or listen on 127.0.0.1.`,
      { host },
    );
  }
  const ownEngine = opts.engine ? undefined : createWorkerEngine({ hostDirs: [PACKAGE_DIR], maxWorkers: opts.maxWorkers });
  const engine = opts.engine ?? ownEngine!;
  const manager = new SweepManager({ store, engine, hostDirs: [PACKAGE_DIR], log, pollIntervalMs, heartbeatTimeoutMs });
  const launch = new LaunchService({
    store, hostDirs: [PACKAGE_DIR], log, pollIntervalMs, heartbeatTimeoutMs, pollIntervalS: Math.min(5, pollIntervalMs / 1000),
  });
  const cleanup = async () => {
    await launch.close();
    await manager.close();
    await ownEngine?.terminate();
    await store.close();
  };
  try {
    await manager.start();
    launch.start();
    const app = await buildApp({
      manager,
      launch,
      store,
      token: opts.token,
      requireToken,
      bodyLimit: opts.bodyLimit,
      heartbeatIntervalS: Math.min(5, pollIntervalMs / 1000),
      version: VERSION,
      log,
      dir: opts.dir,
    });
    await app.listen({ host, port });
    const address = app.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
    log(`broom server ${VERSION} listening on ${url} (store ${storeName})`);
    let closing: Promise<void> | undefined;
    return {
      url,
      port: actualPort,
      close: () =>
        (closing ??= (async () => {
          await app.close();
          await cleanup();
        })()),
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
