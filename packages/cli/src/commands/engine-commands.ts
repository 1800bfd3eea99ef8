import { nextRuns, parseJson, readEngineInput, stopRuns, stringifyJson } from '@broom/core';
import { HOST_DIRS, readText } from '../io.js';

export interface NextRunsOptions {
  count: number;
  seed?: string;
  input?: string;
}

function readInput(file: string | undefined) {
  const { text, name, dir } = readText(file);
  return { ...readEngineInput(parseJson(text, name), name), name, dir };
}

/** `broom next-runs`: proposals for the input sweep, as a JSON array on stdout. */
export async function nextRunsCommand(opts: NextRunsOptions): Promise<number> {
  const input = readInput(opts.input);
  const seed = opts.seed === undefined ? undefined : /^-?\d+$/.test(opts.seed) ? Number(opts.seed) : opts.seed;
  const proposals = await nextRuns(input.config, input.runs, opts.count, {
    seed,
    configDir: input.dir,
    file: input.name,
    hostDirs: HOST_DIRS,
  });
  process.stdout.write(`${stringifyJson(proposals)}\n`);
  return 0;
}

/** `broom stop-runs`: names of the runs to stop as a JSON array, or `{stop, info}` with `--info`. */
export async function stopRunsCommand(opts: { input?: string; info?: boolean }): Promise<number> {
  const input = readInput(opts.input);
  const result = await stopRuns(input.config, input.runs, { configDir: input.dir, file: input.name, hostDirs: HOST_DIRS });
  process.stdout.write(`${stringifyJson(opts.info ? result : result.stop)}\n`);
  return 0;
}
