import { BroomError, didYouMean, type OptionsSchema } from '@broom/core';
import { DockerArgs, DockerRunArgs, DockerSettings } from './docker-args.schema.js';

/** The docker run options `resource_args` may name, as docker spells them. */
export const RUN_ARG_KEYS = Object.keys(DockerRunArgs.shape) as (keyof DockerRunArgs)[];
/** broom's own settings in `resource_args`. */
export const SETTING_KEYS = Object.keys(DockerSettings.shape) as (keyof DockerSettings)[];
const ALL_KEYS: string[] = [...RUN_ARG_KEYS, ...SETTING_KEYS];

/** The resource's names: W&B nests an item's args under them (`resource_args: {local-container: {...}}`). */
export const RESOURCE_NAMES = ['local-container', 'docker'] as const;

/** docker's own short or singular spellings (W&B passes resource_args to docker as flags) → broom's key. */
const ALIASES: Record<string, string> = {
  e: 'env',
  v: 'volumes',
  volume: 'volumes',
  net: 'network',
  u: 'user',
  w: 'workdir',
  m: 'memory',
  'kill-delay': 'kill-wait',
};

/** docker run options broom sets itself (or that break tracking the container): refused in `extra`. */
const RESERVED: Record<string, string> = {
  '--name': 'broom names the container broom-<item id>',
  '-d': 'broom starts the container detached itself',
  '--detach': 'broom starts the container detached itself',
  '--rm': 'broom removes the container after reading its exit code (resource_args.remove)',
  '-i': 'a launched container has no input',
  '--interactive': 'a launched container has no input',
  '-t': 'a TTY would mix stdout and stderr and needs a terminal',
  '--tty': 'a TTY would mix stdout and stderr and needs a terminal',
  '-it': 'a launched container has no input or terminal',
  '-a': 'broom follows the output with docker logs',
  '--attach': 'broom follows the output with docker logs',
  '--entrypoint': "broom runs the item's program as the entrypoint (with image_uri, the image's own entrypoint runs)",
  '--cidfile': 'broom reads the container id from docker run',
};

/** One thing wrong in `resource_args`: where (below `resource_args`) and what, with the value. */
export interface ArgsProblem {
  path: string[];
  message: string;
}

/** Bad `resource_args` for the container resource. */
export class DockerArgsError extends BroomError {
  constructor(message: string, readonly problems: string[]) {
    super('docker-resource-args', message, { problems });
  }
}

function show(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}

/** `shm_size`, `--shm-size`, `shmSize`, `volume` → `shm-size`, `volumes`. */
export function optionName(key: string): string {
  const name = key
    .replace(/^-+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
  return ALIASES[name] ?? name;
}

/**
 * Check `resource_args` for the container resource: docker run options (as docker spells them, or
 * with underscores), broom's settings, and W&B's per-resource nesting `{local-container: {...}}` or
 * `{docker: {...}}`. Gives the args under their canonical names, or every problem found.
 */
export function checkDockerArgs(raw: unknown): { ok: true; value: DockerArgs } | { ok: false; problems: ArgsProblem[] } {
  if (raw === undefined || raw === null) return { ok: true, value: {} };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      problems: [{ path: [], message: `must be a mapping of docker run options like {image: "python:3.12", gpus: all}, but got ${show(raw)}` }],
    };
  }
  let input = raw as Record<string, unknown>;
  let base: string[] = [];
  const keys = Object.keys(input);
  const nest = keys.length === 1 && (RESOURCE_NAMES as readonly string[]).includes(keys[0]!) ? keys[0]! : undefined;
  if (nest !== undefined) {
    const inner = input[nest];
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
      return { ok: false, problems: [{ path: [nest], message: `must be a mapping of docker run options like {image: "python:3.12"}, but got ${show(inner)}` }] };
    }
    input = inner as Record<string, unknown>;
    base = [nest];
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
  const parsed = DockerArgs.safeParse(normal);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) {
          const hint = didYouMean(k, ALL_KEYS);
          problems.push({
            path: [...base, spelled[k] ?? k],
            message: hint
              ? `not an option of the local-container resource. ${hint} (Known: ${ALL_KEYS.join(', ')}.)`
              : `not an option of the local-container resource (known: ${ALL_KEYS.join(', ')}); ` +
                `pass any other docker run option in "extra", e.g. extra: ["--${k}=..."]`,
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
    problems.push({ path: [...base, extraKey, '0'], message: `must start with an option like "--ipc=host", but got ${show(extra[0])}` });
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, value: parsed.data };
}

/** Check `resource_args` and throw one error naming every problem (`where` is the config key). */
export function parseDockerArgs(raw: unknown, where = 'resource_args'): DockerArgs {
  const checked = checkDockerArgs(raw);
  if (checked.ok) return checked.value;
  const lines = checked.problems.map((p) => `Key "${[where, ...p.path].join('.')}": ${p.message}`);
  throw new DockerArgsError(['Invalid resource_args for the local-container resource:', ...lines.map((l) => `  ${l}`)].join('\n'), lines);
}

/**
 * The plugin's options schema: the launch agent hands an item's `resource_args` to the plugin as its
 * options, so they are checked (and normalised) here with the same rules and messages.
 */
export const DockerOptionsSchema: OptionsSchema<DockerArgs> = {
  safeParse(input: unknown) {
    const checked = checkDockerArgs(input);
    if (checked.ok) return { success: true, data: checked.value };
    return { success: false, error: { issues: checked.problems.map((p) => ({ path: p.path, message: p.message, code: 'custom' })) } };
  },
};
