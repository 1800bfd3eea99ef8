import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { LaunchClient } from '@broom/server/client';
import { broomDir } from '../agent/run-files.js';
import { cliBin, connect } from '../agent/server-connection.js';
import { HOST_DIRS, UsageError } from '../io.js';
import { LaunchAgent } from '../launch/launch-agent.js';

export interface LaunchAgentCommandOptions {
  queue: string[];
  maxJobs?: string;
  maxSchedulers?: string;
  logFile?: string;
  url?: string;
  token?: string;
}

/** A job limit: a whole number ≥ 0, or −1 for unlimited. */
export function parseLimit(text: string, flag: string): number {
  if (!/^-?\d+$/.test(text) || Number(text) < -1) throw new UsageError(`${flag} must be a whole number (0 or more), or -1 for unlimited, but got "${text}".`);
  return Number(text);
}

/** `broom launch-agent -q QUEUE ...`: run the queues' items on this machine until interrupted. */
export async function launchAgentCommand(opts: LaunchAgentCommandOptions): Promise<number> {
  if (!opts.queue || opts.queue.length === 0) throw new UsageError('launch-agent needs at least one queue: -q/--queue NAME (repeatable).');
  const maxJobs = parseLimit(opts.maxJobs ?? '1', '-j/--max-jobs');
  const maxSchedulers = parseLimit(opts.maxSchedulers ?? '1', '--max-schedulers');
  if (maxJobs === 0 && maxSchedulers === 0) throw new UsageError('With -j 0 and --max-schedulers 0 the launch agent could run nothing.');
  const env = process.env;
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
  const logFile = opts.logFile;
  const say = (line: string) => {
    const text = `${new Date().toISOString()} ${line}\n`;
    try {
      if (logFile === '-') process.stdout.write(text);
      else if (logFile) appendFileSync(logFile, text);
      else process.stderr.write(`broom: ${line}\n`);
    } catch {
      // nowhere to say it
    }
  };
  const conn = await connect({ url: opts.url, token: opts.token, say });
  const token = opts.token ?? (env.BROOM_TOKEN || undefined);
  const agent = new LaunchAgent({
    api: conn.client,
    launch: new LaunchClient(conn.client),
    url: conn.url,
    ...(token ? { token } : {}),
    queues: [...new Set(opts.queue)],
    maxJobs,
    maxSchedulers,
    dir: broomDir(env),
    cwd: process.cwd(),
    env,
    broomArgv: [process.execPath, ...process.execArgv, cliBin()],
    hostDirs: [...HOST_DIRS, path.dirname(cliBin())],
    say,
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (!agent.registered) process.exit(signal === 'SIGINT' ? 130 : 143);
    agent.interrupt(signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  try {
    return await agent.run();
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
}
