import { BroomError, didYouMean } from '@broom/core';
import { SbatchArgs } from './sbatch-args.schema.js';

/** The keys of `resource_args` for the slurm resource, as sbatch spells the options. */
export const SBATCH_ARG_KEYS = Object.keys(SbatchArgs.shape) as (keyof SbatchArgs)[];

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

/** Bad `resource_args` (or plugin options) for the slurm resource. */
export class SlurmArgsError extends BroomError {
  constructor(message: string, readonly problems: string[]) {
    super('slurm-resource-args', message, { problems });
  }
}

function show(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}

/**
 * Validate an item's `resource_args` for the slurm resource and return them with sbatch's spelling.
 * Accepts `cpus_per_task` for `cpus-per-task`, and W&B's per-resource nesting `{slurm: {...}}`.
 * `where` names the config key in messages.
 */
export function parseSbatchArgs(raw: unknown, where = 'resource_args'): SbatchArgs {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    const problem = `Key "${where}": must be a mapping of sbatch options like {partition: gpu, time: "01:00:00"}, but got ${show(raw)}`;
    throw new SlurmArgsError(`Invalid resource_args for the slurm resource:\n  ${problem}`, [problem]);
  }
  let input = raw as Record<string, unknown>;
  const keys = Object.keys(input);
  if (keys.length === 1 && keys[0] === 'slurm' && typeof input.slurm === 'object' && input.slurm !== null && !Array.isArray(input.slurm)) {
    input = input.slurm as Record<string, unknown>;
    where = `${where}.slurm`;
  }
  const problems: string[] = [];
  const normal: Record<string, unknown> = {};
  const spelled: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    const name = key.replace(/_/g, '-').replace(/^-+/, '');
    if (name in spelled) {
      problems.push(`Key "${where}.${key}": the same option as "${where}.${spelled[name]}"; give it once`);
      continue;
    }
    spelled[name] = key;
    normal[name] = value;
  }
  const parsed = SbatchArgs.safeParse(normal);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) {
          const hint = didYouMean(k, SBATCH_ARG_KEYS);
          problems.push(
            `Key "${where}.${spelled[k] ?? k}": not an option of the slurm resource.${hint ? ` ${hint}` : ''} ` +
              `Known: ${SBATCH_ARG_KEYS.join(', ')}; pass any other sbatch option in "extra", e.g. extra: ["--${k}=..."]`,
          );
        }
        continue;
      }
      const [head, ...rest] = issue.path.map(String);
      const shown = [head === undefined ? undefined : (spelled[head] ?? head), ...rest].filter((p) => p !== undefined);
      let value: unknown = normal;
      for (const p of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[p as string];
      const message = issue.message.replace(/^Invalid input: /, '');
      problems.push(`Key "${[where, ...shown].join('.')}": ${message}, but got ${show(value)}`);
    }
  }
  const extra = Array.isArray(normal.extra) ? normal.extra : undefined;
  extra?.forEach((token: unknown, i) => {
    if (typeof token !== 'string') return;
    const option = token.split('=')[0]!;
    const why = RESERVED[option];
    if (why) problems.push(`Key "${where}.extra.${i}": ${option} cannot be given (${why}), but got ${show(token)}`);
  });
  if (extra && typeof extra[0] === 'string' && !extra[0].startsWith('-')) {
    problems.push(`Key "${where}.extra.0": must start with an option like "--begin=now+60", but got ${show(extra[0])}`);
  }
  if (problems.length > 0) {
    throw new SlurmArgsError([`Invalid resource_args for the slurm resource:`, ...problems.map((p) => `  ${p}`)].join('\n'), problems);
  }
  return parsed.success ? parsed.data : {};
}

/** Layer an item's args over the plugin's defaults: key by key, `extra` concatenated. */
export function mergeSbatchArgs(defaults: SbatchArgs, item: SbatchArgs): SbatchArgs {
  const merged: SbatchArgs = { ...defaults, ...item };
  if (defaults.extra || item.extra) merged.extra = [...(defaults.extra ?? []), ...(item.extra ?? [])];
  return merged;
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
