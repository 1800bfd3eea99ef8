import { Agent } from '../agent/agent.js';
import { broomDir } from '../agent/run-files.js';
import { connect } from '../agent/server-connection.js';
import { UsageError } from '../io.js';

export interface AgentCommandOptions {
  count?: number;
  url?: string;
  token?: string;
  project?: string;
  entity?: string;
  killDelay?: string;
}

/** Seconds from `--kill-delay`, else BROOM_AGENT_KILL_DELAY, else WANDB_AGENT_KILL_DELAY, else 30. */
export function killDelayMs(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): number {
  const [text, source] =
    flag !== undefined
      ? [flag, '--kill-delay']
      : env.BROOM_AGENT_KILL_DELAY
        ? [env.BROOM_AGENT_KILL_DELAY, 'BROOM_AGENT_KILL_DELAY']
        : env.WANDB_AGENT_KILL_DELAY
          ? [env.WANDB_AGENT_KILL_DELAY, 'WANDB_AGENT_KILL_DELAY']
          : ['30', ''];
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError(`${source} must be a number of seconds (0 or more), but got "${text}".`);
  return seconds * 1000;
}

/** `broom agent SWEEP_ID`: run the sweep's runs here until it is done, --count runs have ended, or Ctrl-C. */
export async function agentCommand(sweepRef: string, opts: AgentCommandOptions): Promise<number> {
  const env = process.env;
  const sweepId = sweepPath(sweepRef, opts);
  const delay = killDelayMs(opts.killDelay, env);
  const retrySeconds = Number(env.BROOM_AGENT_RETRY_TIMEOUT ?? 600);
  // The agent's output must survive a closed pipe (`broom agent … | head`).
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
  const say = (line: string) => {
    try {
      process.stderr.write(`broom: ${line}\n`);
    } catch {
      // nowhere to say it
    }
  };
  const { client } = await connect({ url: opts.url, token: opts.token, say });
  const agent = new Agent({
    api: client,
    sweepId,
    count: opts.count,
    killDelayMs: delay,
    dir: broomDir(env),
    cwd: process.cwd(),
    env,
    out: { info: say },
    retryDeadlineMs: Number.isFinite(retrySeconds) && retrySeconds > 0 ? retrySeconds * 1000 : 600_000,
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (!agent.registered) {
      say(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: exiting.`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
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

/** W&B's sweep id forms: `id`, `project/id`, `entity/project/id`; -p/-e fill in a bare id. */
export function sweepPath(ref: string, opts: { project?: string; entity?: string }): string {
  const parts = ref.split('/');
  if (parts.length > 3 || parts.some((p) => p === '')) {
    throw new UsageError(`Expected sweep_id in form of sweep, project/sweep, or entity/project/sweep, but got "${ref}".`);
  }
  if (parts.length === 1 && opts.project) return opts.entity ? `${opts.entity}/${opts.project}/${ref}` : `${opts.project}/${ref}`;
  return ref;
}
