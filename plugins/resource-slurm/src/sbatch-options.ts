import { BroomError, didYouMean, type OptionsSchema } from '@broom/core';
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
export interface ArgsProblem {
  path: string[];
  message: string;
}

/** Bad `resource_args` for the slurm resource. */
export class SlurmArgsError extends BroomError {
  constructor(message: string, readonly problems: string[]) {
    super('slurm-resource-args', message, { problems });
  }
}

function show(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}

/** `cpus_per_task`, `--cpus-per-task`, `pollInterval` → `cpus-per-task`, `poll-interval`. */
export function optionName(key: string): string {
  return key
    .replace(/^-+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}

/**
 * Check `resource_args` for the slurm resource: sbatch options (as sbatch spells them, or with
 * underscores), broom's settings, and W&B's per-resource nesting `{slurm: {...}}`. Gives the args
 * under their canonical names, or every problem found.
 */
export function checkSlurmArgs(raw: unknown): { ok: true; value: SlurmArgs } | { ok: false; problems: ArgsProblem[] } {
  if (raw === undefined || raw === null) return { ok: true, value: {} };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      problems: [{ path: [], message: `must be a mapping of sbatch options like {partition: gpu, time: "01:00:00"}, but got ${show(raw)}` }],
    };
  }
  let input = raw as Record<string, unknown>;
  let base: string[] = [];
  const keys = Object.keys(input);
  if (keys.length === 1 && keys[0] === 'slurm' && typeof input.slurm === 'object' && input.slurm !== null && !Array.isArray(input.slurm)) {
    input = input.slurm as Record<string, unknown>;
    base = ['slurm'];
  }
  const problems: ArgsProblem[] = [];
  const normal: Record<string, unknown> = {};
  const spelled: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    const name = optionName(key);
    if (name in spelled) {
      problems.push({ path: [...base, key], message: `the same option as "${spelled[name]}"; give it once` });
      continue;
    }
    spelled[name] = key;
    normal[name] = value;
  }
  const parsed = SlurmArgs.safeParse(normal);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) {
          const hint = didYouMean(k, ALL_KEYS);
          problems.push({
            path: [...base, spelled[k] ?? k],
            message: hint
              ? `not an option of the slurm resource. ${hint} (Known: ${ALL_KEYS.join(', ')}.)`
              : `not an option of the slurm resource (known: ${ALL_KEYS.join(', ')}); ` +
                `pass any other sbatch option in "extra", e.g. extra: ["--${k}=..."]`,
          });
        }
        continue;
      }
      const [head, ...rest] = issue.path.map(String);
      let value: unknown = normal;
      for (const p of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[p as string];
      problems.push({
        path: [...base, ...(head === undefined ? [] : [spelled[head] ?? head]), ...rest],
        message: `${issue.message.replace(/^Invalid input: /, '')}, but got ${show(value)}`,
      });
    }
  }
  const extra = Array.isArray(normal.extra) ? normal.extra : undefined;
  const extraKey = spelled.extra ?? 'extra';
  extra?.forEach((token: unknown, i) => {
    if (typeof token !== 'string') return;
    const option = token.split('=')[0]!;
    const why = RESERVED[option];
    if (why) problems.push({ path: [...base, extraKey, String(i)], message: `${option} cannot be given (${why}), but got ${show(token)}` });
  });
  if (extra && typeof extra[0] === 'string' && !extra[0].startsWith('-')) {
    problems.push({ path: [...base, extraKey, '0'], message: `must start with an option like "--begin=now+60", but got ${show(extra[0])}` });
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, value: parsed.data };
}

/** Check `resource_args` and throw one error naming every problem (`where` is the config key). */
export function parseSlurmArgs(raw: unknown, where = 'resource_args'): SlurmArgs {
  const checked = checkSlurmArgs(raw);
  if (checked.ok) return checked.value;
  const lines = checked.problems.map((p) => `Key "${[where, ...p.path].join('.')}": ${p.message}`);
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
export const SlurmOptionsSchema: OptionsSchema<SlurmArgs> = {
  safeParse(input: unknown) {
    const checked = checkSlurmArgs(input);
    if (checked.ok) return { success: true, data: checked.value };
    return { success: false, error: { issues: checked.problems.map((p) => ({ path: p.path, message: p.message, code: 'custom' })) } };
  },
};

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
