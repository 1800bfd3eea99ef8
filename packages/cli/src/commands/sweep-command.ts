import path from 'node:path';
import { isRecord, type SweepControlRequest, type SweepDetail } from '@broom/core';
import { formatIssue, parseConfigText, validateConfigText } from '@broom/core/config';
import { connect } from '../agent/server-connection.js';
import { UsageError, readText } from '../io.js';
import { sweepPath } from './agent-command.js';

export interface SweepCommandOptions {
  name?: string;
  project?: string;
  entity?: string;
  program?: string;
  pause?: boolean;
  resume?: boolean;
  stop?: boolean;
  cancel?: boolean;
  retryFailed?: boolean;
  url?: string;
  token?: string;
}

const ACTIONS = ['stop', 'cancel', 'pause', 'resume'] as const;
const ING: Record<SweepControlRequest['action'], string> = { stop: 'Stopping', cancel: 'Cancelling', pause: 'Pausing', resume: 'Resuming' };

const say = (line: string) => process.stderr.write(`broom: ${line}\n`);

/**
 * `broom sweep CONFIG`: validate the config, create the sweep on the server and say how to start an
 * agent; `broom sweep --pause|--resume|--stop|--cancel ID`: change a sweep's state (W&B's wording).
 */
export async function sweepCommand(target: string, opts: SweepCommandOptions): Promise<number> {
  const actions = ACTIONS.filter((a) => opts[a]);
  if (actions.length > 1) throw new UsageError('Only one state flag (stop/cancel/pause/resume) is allowed.');
  if (opts.retryFailed && actions[0] !== 'resume') {
    throw new UsageError('--retry-failed goes with --resume: `broom sweep --resume --retry-failed ID` runs the failed and crashed grid cells again.');
  }
  if (actions.length === 1) return controlSweep(actions[0], target, opts);
  return createSweep(target, opts);
}

async function controlSweep(action: SweepControlRequest['action'], ref: string, opts: SweepCommandOptions): Promise<number> {
  const id = sweepPath(ref, opts);
  const { client } = await connect({ url: opts.url, token: opts.token, say });
  const request: SweepControlRequest = { action, ...(opts.retryFailed ? { retryFailed: true } : {}) };
  const sweep = await client.controlSweep(id, request);
  say(`${ING[action]} sweep ${sweepName(sweep)}`);
  say('Done.');
  return 0;
}

async function createSweep(file: string, opts: SweepCommandOptions): Promise<number> {
  const { text, name, dir } = readText(file);
  say(`Creating sweep from: ${name}`);
  const result = validateConfigText(text, name);
  const errors = result.issues.filter((i) => i.severity === 'error').map((i) => formatIssue(i, name));
  const warnings = result.issues.filter((i) => i.severity === 'warning').map((i) => formatIssue(i, name));
  for (const w of warnings) process.stderr.write(`${w}\n`);
  if (!result.valid) {
    process.stderr.write(`${name}: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n`);
    for (const e of errors) process.stderr.write(`  ${e.replace(/\n/g, '\n  ')}\n`);
    return 1;
  }
  const config = parseConfigText(text, name);
  if (opts.program !== undefined && isRecord(config)) config.program = opts.program;
  const fromConfig = (key: string) => (isRecord(config) && typeof config[key] === 'string' ? (config[key] as string) : undefined);
  const env = process.env;
  const project = opts.project ?? (env.BROOM_PROJECT || env.WANDB_PROJECT || fromConfig('project'));
  const entity = opts.entity ?? (env.BROOM_ENTITY || env.WANDB_ENTITY || fromConfig('entity'));
  const { client } = await connect({ url: opts.url, token: opts.token, say });
  const sweep = await client.createSweep({
    config,
    configText: text,
    configFile: path.basename(name),
    configDir: dir,
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(project !== undefined ? { project } : {}),
    ...(entity !== undefined ? { entity } : {}),
  });
  say(`Creating sweep with ID: ${sweep.id}`);
  say(`Run sweep agent with: broom agent ${sweep.id}`);
  return 0;
}

function sweepName(sweep: SweepDetail): string {
  return [sweep.entity, sweep.project, sweep.id].filter((p) => p).join('/');
}
