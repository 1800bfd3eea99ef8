import { didYouMean } from '../text/did-you-mean.js';
import type { OptionsSchema } from './define-plugin.js';

/**
 * How a resource plugin reads `resource_args` that stand for a command-line tool's options
 * (`sbatch`, `docker run`): any spelling of a key (`cpus_per_task`, `--cpus-per-task`,
 * `cpusPerTask`), the tool's own aliases, W&B's nesting under the resource's name, a strict schema,
 * raw options in `extra` with the ones broom sets itself refused, and every problem reported with its
 * key and value.
 */
export interface ToolArgsSpec<T> {
  /** The resource's name in messages (`slurm`, `local-container`). */
  resource: string;
  /** The tool in messages (`sbatch`, `docker run`). */
  tool: string;
  /** The keys W&B nests an item's args under (`resource_args: {slurm: {...}}`). */
  nestUnder: readonly string[];
  /** The strict schema over canonical names. */
  schema: OptionsSchema<T>;
  /** Every canonical key, for "did you mean" and the list of known keys. */
  keys: readonly string[];
  /** Other spellings (after normalisation) → canonical key (`v` → `volumes`). */
  aliases?: Record<string, string>;
  /** Options refused in `extra`, with why. */
  reserved: Record<string, string>;
  /** An example mapping for messages: `{partition: gpu, time: "01:00:00"}`. */
  example: string;
  /** An example raw option for `extra`: `--begin=now+60`. */
  extraExample: string;
}

/** One thing wrong in `resource_args`: where (below `resource_args`) and what, with the value. */
export interface ToolArgsProblem {
  path: string[];
  message: string;
}

function show(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}

/** `cpus_per_task`, `--cpus-per-task`, `cpusPerTask` → `cpus-per-task`, then through `aliases`. */
export function toolOptionName(key: string, aliases: Record<string, string> = {}): string {
  const name = key
    .replace(/^-+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
  return aliases[name] ?? name;
}

/** Check `resource_args` against a tool spec: the args under canonical names, or every problem found. */
export function checkToolArgs<T>(raw: unknown, spec: ToolArgsSpec<T>): { ok: true; value: T } | { ok: false; problems: ToolArgsProblem[] } {
  if (raw === undefined || raw === null) return { ok: true, value: {} as T };
  const mapping = `must be a mapping of ${spec.tool} options like ${spec.example}`;
  if (typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, problems: [{ path: [], message: `${mapping}, but got ${show(raw)}` }] };
  let input = raw as Record<string, unknown>;
  let base: string[] = [];
  const top = Object.keys(input);
  const nest = top.length === 1 && spec.nestUnder.includes(top[0]!) ? top[0]! : undefined;
  if (nest !== undefined) {
    const inner = input[nest];
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return { ok: false, problems: [{ path: [nest], message: `${mapping}, but got ${show(inner)}` }] };
    input = inner as Record<string, unknown>;
    base = [nest];
  }
  const problems: ToolArgsProblem[] = [];
  const normal: Record<string, unknown> = {};
  const spelled: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    const name = toolOptionName(key, spec.aliases);
    if (name in spelled) {
      problems.push({ path: [...base, key], message: `the same option as "${spelled[name]}"; give it once` });
      continue;
    }
    spelled[name] = key;
    normal[name] = value;
  }
  const parsed = spec.schema.safeParse(normal);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys' && issue.keys) {
        for (const k of issue.keys) {
          const hint = didYouMean(k, spec.keys);
          problems.push({
            path: [...base, spelled[k] ?? k],
            message: hint
              ? `not an option of the ${spec.resource} resource. ${hint} (Known: ${spec.keys.join(', ')}.)`
              : `not an option of the ${spec.resource} resource (known: ${spec.keys.join(', ')}); ` +
                `pass any other ${spec.tool} option in "extra", e.g. extra: ["--${k}=..."]`,
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
    const why = spec.reserved[option];
    if (why) problems.push({ path: [...base, extraKey, String(i)], message: `${option} cannot be given (${why}), but got ${show(token)}` });
  });
  if (extra && typeof extra[0] === 'string' && !extra[0].startsWith('-')) {
    problems.push({ path: [...base, extraKey, '0'], message: `must start with an option like "${spec.extraExample}", but got ${show(extra[0])}` });
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, value: parsed.data };
}

/** The problems as `Key "resource_args.x": message` lines (`where` is the config key). */
export function toolArgsLines(problems: readonly ToolArgsProblem[], where = 'resource_args'): string[] {
  return problems.map((p) => `Key "${[where, ...p.path].join('.')}": ${p.message}`);
}

/**
 * The plugin's options schema for these args: the launch agent hands an item's `resource_args` to
 * the plugin as its options, so they are checked (and normalised) with the same rules and messages.
 */
export function toolArgsSchema<T>(spec: ToolArgsSpec<T>): OptionsSchema<T> {
  return {
    safeParse(input: unknown) {
      const checked = checkToolArgs(input, spec);
      if (checked.ok) return { success: true, data: checked.value };
      return { success: false, error: { issues: checked.problems.map((p) => ({ path: p.path, message: p.message, code: 'custom' })) } };
    },
  };
}
