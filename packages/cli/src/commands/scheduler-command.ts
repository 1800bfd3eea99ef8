import { hostname } from 'node:os';
import { createInProcessEngine } from '@broom/core';
import { LaunchClient } from '@broom/server/client';
import { connect } from '../agent/server-connection.js';
import { HOST_DIRS, UsageError } from '../io.js';
import { runScheduler } from '../launch/scheduler-runner.js';

/**
 * `broom scheduler SWEEP_ID` (internal): the scheduler of a launch sweep, as a launch agent starts
 * it (W&B's `wandb scheduler`). Its log lines go to stdout, which the resource writes to the item's
 * log file. It exits when its launch agent is gone, so a killed agent leaves no scheduler behind.
 */
export async function schedulerCommand(sweepId: string, opts: { url?: string; token?: string }): Promise<number> {
  const env = process.env;
  const itemId = env.BROOM_LAUNCH_ITEM_ID;
  if (!itemId) throw new UsageError('broom scheduler is started by a launch agent (it sets BROOM_LAUNCH_ITEM_ID): create the sweep with `broom launch-sweep` and run `broom launch-agent`.');
  const log = (line: string) => {
    try {
      process.stdout.write(`${new Date().toISOString()} ${line}\n`);
    } catch {
      // the log is gone
    }
  };
  let stopped: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    stopped = `got ${signal}`;
    wake?.();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Only on the launch agent's own machine (a resource such as slurm may run it elsewhere).
  const parent = env.BROOM_LAUNCH_AGENT_HOST === hostname() ? Number(env.BROOM_LAUNCH_AGENT_PID) : Number.NaN;
  const watch = setInterval(() => {
    if (Number.isInteger(parent) && parent > 0 && !alive(parent)) {
      stopped = `its launch agent (pid ${parent}) is gone`;
      wake?.();
    }
  }, 500);
  watch.unref();
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  const { client } = await connect({ url: opts.url, token: opts.token, start: false, say: log });
  const engine = createInProcessEngine({ hostDirs: HOST_DIRS });
  const pollSeconds = Number(env.BROOM_SCHEDULER_POLL_INTERVAL ?? 1);
  try {
    return await runScheduler({
      api: client,
      launch: new LaunchClient(client),
      sweepId,
      itemId,
      engine,
      hostDirs: HOST_DIRS,
      pollIntervalMs: Number.isFinite(pollSeconds) && pollSeconds > 0 ? pollSeconds * 1000 : 1000,
      log,
      stopped: () => stopped,
      sleep,
    });
  } finally {
    clearInterval(watch);
    await engine.terminate();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
