import path from 'node:path';
import { buildCommand, fillConfig, isRecord, parseJson, stringifyJson } from '@broom/core';
import { parseConfigText } from '@broom/core/config';
import { UsageError, readText } from '../io.js';

export interface CommandOptions {
  params: string;
  sweepId: string;
  runId: string;
  json?: boolean;
}

/** Quote one argv token for a POSIX shell, only when it needs it. */
function shellQuote(token: string): string {
  return /^[\w@%+=:,./-]+$/.test(token) ? token : `'${token.replace(/'/g, `'\\''`)}'`;
}

/** `broom command CONFIG --params JSON`: the argv an agent would run for these parameter values. */
export async function commandCommand(file: string, opts: CommandOptions): Promise<number> {
  const { text, name } = readText(file);
  const config = fillConfig(parseConfigText(text, name), { file: name });
  const params = parseJson(opts.params, '--params');
  if (!isRecord(params)) throw new UsageError('--params must be a JSON object of parameter values, e.g. \'{"lr": 0.01}\'.');
  const broomDir = process.env.BROOM_DIR ?? path.resolve('broom');
  const { argv, files } = buildCommand({
    command: config.command,
    program: config.program,
    params,
    env: process.env,
    platform: process.platform,
    argsJsonFilePath: path.join(broomDir, `sweep-${opts.sweepId}`, `config-${opts.runId}.json`),
  });
  if (opts.json) process.stdout.write(`${stringifyJson(argv)}\n`);
  else process.stdout.write(`${argv.map(shellQuote).join(' ')}\n`);
  for (const f of files) process.stderr.write(`(an agent would write ${f.path} with ${f.content})\n`);
  return 0;
}
