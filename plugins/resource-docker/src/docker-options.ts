import { BroomError, checkToolArgs, toolArgsLines, toolArgsSchema, toolOptionName, type OptionsSchema, type ToolArgsProblem, type ToolArgsSpec } from '@broom/core';
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
export type ArgsProblem = ToolArgsProblem;

/** Bad `resource_args` for the local-container resource. */
export class DockerArgsError extends BroomError {
  constructor(message: string, readonly problems: string[]) {
    super('docker-resource-args', message, { problems });
  }
}

const SPEC: ToolArgsSpec<DockerArgs> = {
  resource: 'local-container',
  tool: 'docker run',
  nestUnder: RESOURCE_NAMES,
  schema: DockerArgs,
  keys: ALL_KEYS,
  aliases: ALIASES,
  reserved: RESERVED,
  example: '{image: "python:3.12", gpus: all}',
  extraExample: '--ipc=host',
};

/** `cpus_per_task`, `--cpus-per-task`, `cpusPerTask` → the canonical option name. */
export function optionName(key: string): string {
  return toolOptionName(key, ALIASES);
}

/**
 * Check `resource_args` for the local-container resource: docker run options (as docker spells them, or
 * with underscores), broom's settings, and W&B's per-resource nesting. Gives the args under their
 * canonical names, or every problem found.
 */
export function checkDockerArgs(raw: unknown): { ok: true; value: DockerArgs } | { ok: false; problems: ArgsProblem[] } {
  return checkToolArgs(raw, SPEC);
}

/** Check `resource_args` and throw one error naming every problem (`where` is the config key). */
export function parseDockerArgs(raw: unknown, where = 'resource_args'): DockerArgs {
  const checked = checkDockerArgs(raw);
  if (checked.ok) return checked.value;
  const lines = toolArgsLines(checked.problems, where);
  throw new DockerArgsError(['Invalid resource_args for the local-container resource:', ...lines.map((l) => `  ${l}`)].join('\n'), lines);
}

/**
 * The plugin's options schema: the launch agent hands an item's `resource_args` to the plugin as its
 * options, so they are checked (and normalised) here with the same rules and messages.
 */
export const DockerOptionsSchema: OptionsSchema<DockerArgs> = toolArgsSchema(SPEC);
