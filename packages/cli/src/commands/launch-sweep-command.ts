import path from 'node:path';
import { isRecord, type Value } from '@broom/core';
import { formatIssue, parseConfigText, validateConfigText } from '@broom/core/config';
import { LaunchClient } from '@broom/server/client';
import { connect } from '../agent/server-connection.js';
import { UsageError, readText } from '../io.js';
import { sweepPath } from './agent-command.js';

export interface LaunchSweepCommandOptions {
  queue?: string;
  project?: string;
  entity?: string;
  resume_id?: string;
  url?: string;
  token?: string;
}

const say = (line: string) => process.stderr.write(`broom: ${line}\n`);

/**
 * `broom launch-sweep CONFIG -q QUEUE`: create a launch sweep (its scheduler queued as a job in
 * QUEUE; launch agents run it, and it queues the runs in the same queue). With `--resume_id ID`:
 * queue a new scheduler for a sweep that is not running, from its stored config and its
 * scheduler's saved state (an optional CONFIG may change the `scheduler` and `launch` blocks).
 */
export async function launchSweepCommand(file: string | undefined, opts: LaunchSweepCommandOptions): Promise<number> {
  if (file === undefined && opts.resume_id === undefined) {
    throw new UsageError('launch-sweep needs a sweep config, or --resume_id SWEEP_ID to resume a launch sweep.');
  }
  return opts.resume_id !== undefined ? resume(opts.resume_id, file, opts) : create(file!, opts);
}

function check(text: string, name: string): boolean {
  const result = validateConfigText(text, name, { launch: true });
  for (const issue of result.issues.filter((i) => i.severity === 'warning')) process.stderr.write(`${formatIssue(issue, name)}\n`);
  if (result.valid) return true;
  const errors = result.issues.filter((i) => i.severity === 'error').map((i) => formatIssue(i, name));
  process.stderr.write(`${name}: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n`);
  for (const e of errors) process.stderr.write(`  ${e.replace(/\n/g, '\n  ')}\n`);
  return false;
}

async function create(file: string, opts: LaunchSweepCommandOptions): Promise<number> {
  const { text, name, dir } = readText(file);
  say(`Creating launch sweep from: ${name}`);
  if (!check(text, name)) return 1;
  const config = parseConfigText(text, name);
  const launchBlock = isRecord(config) && isRecord(config.launch) ? config.launch : {};
  const queue = opts.queue ?? (typeof launchBlock.queue === 'string' ? launchBlock.queue : undefined);
  if (queue === undefined) throw new UsageError("Launch-sweeps require setting a 'queue': use -q/--queue, or set launch.queue in the config.", 1);
  const fromConfig = (key: string) => (isRecord(config) && typeof config[key] === 'string' ? (config[key] as string) : undefined);
  const env = process.env;
  const project = opts.project ?? (env.BROOM_PROJECT || env.WANDB_PROJECT || fromConfig('project'));
  const entity = opts.entity ?? (env.BROOM_ENTITY || env.WANDB_ENTITY || fromConfig('entity'));
  const { client } = await connect({ url: opts.url, token: opts.token, say });
  const answer = await new LaunchClient(client).createLaunchSweep({
    config,
    configText: text,
    configFile: path.basename(name),
    configDir: dir,
    queue,
    ...(project !== undefined ? { project } : {}),
    ...(entity !== undefined ? { entity } : {}),
  });
  for (const w of answer.warnings) say(`warning: ${w}`);
  say(`Creating launch sweep with ID: ${answer.sweep.id}`);
  say(`Scheduler added to launch queue (${queue}) as item ${answer.item.id}.`);
  say(`Run launch agents with: broom launch-agent -q ${queue}`);
  return 0;
}

async function resume(ref: string, file: string | undefined, opts: LaunchSweepCommandOptions): Promise<number> {
  const id = sweepPath(ref, opts);
  let config: Value | undefined;
  let configFile: string | undefined;
  if (file !== undefined) {
    const { text, name } = readText(file);
    if (!check(text, name)) return 1;
    config = parseConfigText(text, name);
    configFile = path.basename(name);
  }
  const { client } = await connect({ url: opts.url, token: opts.token, say });
  const answer = await new LaunchClient(client).resumeLaunchSweep(id, {
    ...(opts.queue !== undefined ? { queue: opts.queue } : {}),
    ...(config !== undefined ? { config, configFile } : {}),
  });
  for (const w of answer.warnings) say(`warning: ${w}`);
  const runs = Object.values(answer.sweep.runCounts).reduce((a, n) => a + (n ?? 0), 0);
  say(`Resuming launch sweep ${answer.sweep.id} (${runs} run${runs === 1 ? '' : 's'} so far; its scheduler continues from its saved state).`);
  say(`Scheduler added to launch queue (${answer.launch.queue}) as item ${answer.item.id}.`);
  return 0;
}
