import { BroomError, checkToolArgs, toolArgsLines, toolArgsSchema, toolOptionName, type OptionsSchema, type ToolArgsProblem, type ToolArgsSpec } from '@broom/core';
import { SbatchArgs, SlurmArgs, SlurmSettings } from './sbatch-args.schema.js';

/** The sbatch options `resource_args` may name, as sbatch spells them. */
export const SBATCH_ARG_KEYS = Object.keys(SbatchArgs.shape) as (keyof SbatchArgs)[];
/** broom's own settings in `resource_args`. */
export const SETTING_KEYS = Object.keys(SlurmSettings.shape) as (keyof SlurmSettings)[];
type SlurmSettings = import('zod').infer<typeof SlurmSettings>;
const ALL_KEYS = [...SBATCH_ARG_KEYS, ...SETTING_KEYS];

/** sbatch options broom sets itself (or that would break tracking): refused in `extra`. */
const RESERVED: Record<string, string> = {
  '--output': 'broom sends the output to the run\'s log file',
  '-o': 'broom sends the output to the run\'s log file',
  '--error': 'broom sends stderr to the run\'s log file',
  '-e': 'broom sends stderr to the run\'s log file',
  '--chdir': 'broom runs the job in the item\'s working directory',
  '-D': 'broom runs the job in the item\'s working directory',
  '--open-mode': 'broom appends to the run\'s log file',
  '--parsable': 'broom sets it to read the job id',
  '--wrap': 'broom writes the batch script itself',
  '--array': 'each queue item is one job',
  '-a': 'each queue item is one job',
  '--wait': 'broom tracks the job with squeue instead of blocking sbatch',
  '-W': 'broom tracks the job with squeue instead of blocking sbatch',
  '--test-only': 'it submits nothing',
  '--input': 'a batch job has no input here',
  '-i': 'a batch job has no input here',
};

/** One thing wrong in `resource_args`: where (below `resource_args`) and what, with the value. */
export type ArgsProblem = ToolArgsProblem;

/** Bad `resource_args` for the slurm resource. */
export class SlurmArgsError extends BroomError {
  constructor(message: string, readonly problems: string[]) {
    super('slurm-resource-args', message, { problems });
  }
}

const SPEC: ToolArgsSpec<SlurmArgs> = {
  resource: 'slurm',
  tool: 'sbatch',
  nestUnder: ['slurm'],
  schema: SlurmArgs,
  keys: ALL_KEYS,
  reserved: RESERVED,
  example: '{partition: gpu, time: "01:00:00"}',
  extraExample: '--begin=now+60',
};

/** `cpus_per_task`, `--cpus-per-task`, `cpusPerTask` → the canonical option name. */
export function optionName(key: string): string {
  return toolOptionName(key);
}

/**
 * Check `resource_args` for the slurm resource: sbatch options (as sbatch spells them, or
 * with underscores), broom's settings, and W&B's per-resource nesting. Gives the args under their
 * canonical names, or every problem found.
 */
export function checkSlurmArgs(raw: unknown): { ok: true; value: SlurmArgs } | { ok: false; problems: ArgsProblem[] } {
  return checkToolArgs(raw, SPEC);
}

/** Check `resource_args` and throw one error naming every problem (`where` is the config key). */
export function parseSlurmArgs(raw: unknown, where = 'resource_args'): SlurmArgs {
  const checked = checkSlurmArgs(raw);
  if (checked.ok) return checked.value;
  const lines = toolArgsLines(checked.problems, where);
  throw new SlurmArgsError(['Invalid resource_args for the slurm resource:', ...lines.map((l) => `  ${l}`)].join('\n'), lines);
}

/** The sbatch options of checked args (broom's settings left out). */
export function sbatchPart(args: SlurmArgs): SbatchArgs {
  const out: Record<string, unknown> = { ...args };
  for (const key of SETTING_KEYS) delete out[key];
  return out as SbatchArgs;
}

/** broom's settings of checked args. */
export function settingsPart(args: SlurmArgs): SlurmSettings {
  const out: SlurmSettings = {};
  for (const key of SETTING_KEYS) if (args[key] !== undefined) (out as Record<string, unknown>)[key] = args[key];
  return out;
}

/** Check an item's `resource_args` and keep the sbatch options. */
export function parseSbatchArgs(raw: unknown, where = 'resource_args'): SbatchArgs {
  return sbatchPart(parseSlurmArgs(raw, where));
}

/**
 * The plugin's options schema: the launch agent hands an item's `resource_args` to the plugin as its
 * options, so they are checked (and normalised) here with the same rules and messages.
 */
export const SlurmOptionsSchema: OptionsSchema<SlurmArgs> = toolArgsSchema(SPEC);

/**
 * Layer an item's args over the plugin's defaults, key by key (`extra` too is replaced, not
 * appended: the launch agent passes the same `resource_args` as options and as the item's args).
 */
export function mergeSbatchArgs(defaults: SbatchArgs, item: SbatchArgs): SbatchArgs {
  return { ...defaults, ...item };
}

/**
 * sbatch's command-line options for these args, one argv element each (`--mem=16G`). They are
 * passed to sbatch without a shell, so values with spaces or quotes need no quoting.
 */
export function renderSbatchOptions(args: SbatchArgs): string[] {
  const out: string[] = [];
  for (const key of SBATCH_ARG_KEYS) {
    if (key === 'extra') continue;
    const value = args[key];
    if (value === undefined) continue;
    if (typeof value === 'boolean') {
      if (value) out.push(`--${key}`);
      continue;
    }
    out.push(`--${key}=${value}`);
  }
  out.push(...(args.extra ?? []));
  return out;
}
