import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { broomDir } from '../agent/run-files.js';
import { DEFAULT_PORT, displayPath } from '../agent/server-connection.js';
import { UsageError } from '../io.js';

export interface ServerCommandOptions {
  host?: string;
  port?: string;
  dir?: string;
  /** `--database-url`; else BROOM_DATABASE_URL; else the SQLite file in the directory. */
  databaseUrl?: string;
  token?: string;
  stop?: boolean;
  pollInterval?: string;
  heartbeatTimeout?: string;
}

interface PidFile {
  pid: number;
  url: string;
}

const say = (line: string) => process.stderr.write(`broom: ${line}\n`);

/** `broom server`: run the server in the foreground until Ctrl-C; `--stop` stops the one of this broom directory. */
export async function serverCommand(opts: ServerCommandOptions): Promise<number> {
  const dir = opts.dir ? path.resolve(opts.dir) : broomDir();
  const pidFile = path.join(dir, 'server.pid');
  if (opts.stop) return stopServer(dir, pidFile);

  const running = readPidFile(pidFile);
  if (running && isAlive(running.pid)) {
    throw new UsageError(
      `A broom server already runs for ${displayPath(dir)} (pid ${running.pid}, ${running.url}). Stop it with \`broom server --stop\`, or use another --dir.`,
      1,
    );
  }
  const port = opts.port === undefined ? DEFAULT_PORT : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, but got "${opts.port}".`);
  const seconds = (text: string | undefined, flag: string): number | undefined => {
    if (text === undefined) return undefined;
    const s = Number(text);
    if (!Number.isFinite(s) || s <= 0) throw new UsageError(`${flag} must be a positive number of seconds, but got "${text}".`);
    return s * 1000;
  };
  const pollIntervalMs = seconds(opts.pollInterval, '--poll-interval');
  const heartbeatTimeoutMs = seconds(opts.heartbeatTimeout, '--heartbeat-timeout');
  mkdirSync(dir, { recursive: true });
  const databaseUrl = opts.databaseUrl ?? (process.env.BROOM_DATABASE_URL || undefined);
  const { startServer, redactDatabaseUrl } = await import('@broom/server');
  let server;
  try {
    server = await startServer({
      host: opts.host,
      port,
      dir,
      ...(databaseUrl ? { databaseUrl } : {}),
      token: opts.token ?? (process.env.BROOM_TOKEN || undefined),
      ...(pollIntervalMs ? { pollIntervalMs } : {}),
      ...(heartbeatTimeoutMs ? { heartbeatTimeoutMs } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`Port ${port} is in use: another server runs there. Use --port N (0 for any free port).`, 1);
    throw error;
  }
  writeFileSync(pidFile, `${JSON.stringify({ pid: process.pid, url: server.url } satisfies PidFile)}\n`);
  process.stdout.write(`broom: server listening at ${server.url} (data in ${databaseUrl ? redactDatabaseUrl(databaseUrl) : displayPath(dir)}); stop it with Ctrl-C or broom server --stop\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, () => resolve(s));
  });
  say(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping the server.`);
  await server.close();
  if (readPidFile(pidFile)?.pid === process.pid) rmSync(pidFile, { force: true });
  return 0;
}

async function stopServer(dir: string, pidFile: string): Promise<number> {
  const running = readPidFile(pidFile);
  if (!running) throw new UsageError(`No broom server is running for ${displayPath(dir)} (there is no ${displayPath(pidFile)}).`, 1);
  if (!isAlive(running.pid)) {
    rmSync(pidFile, { force: true });
    say(`The server of ${displayPath(dir)} (pid ${running.pid}) was not running; removed its stale pid file.`);
    return 0;
  }
  process.kill(running.pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (isAlive(running.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(running.pid)) {
    process.kill(running.pid, 'SIGKILL');
    say(`The server did not stop within 15 s: killed it (pid ${running.pid}).`);
  } else {
    say(`stopped the server at ${running.url} (pid ${running.pid}).`);
  }
  rmSync(pidFile, { force: true });
  return 0;
}

function readPidFile(file: string): PidFile | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as PidFile;
    return Number.isInteger(parsed.pid) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
