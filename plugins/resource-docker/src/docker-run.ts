import path from 'node:path';
import { BroomError, type LaunchSpec } from '@broom/core';
import type { DockerRunArgs } from './docker-args.schema.js';

/** The container of a queue item is named `broom-<item id>` (docker allows `[a-zA-Z0-9][a-zA-Z0-9_.-]*`). */
export function containerName(itemId: string): string {
  return `broom-${itemId.replace(/[^a-zA-Z0-9_.-]+/g, '_')}`;
}

/** Quote one word for a POSIX shell: bare when it is plainly safe, else in single quotes. For messages and logs. */
export function shellQuote(word: string): string {
  if (word === '') return "''";
  if (/^[A-Za-z0-9_\/.,:=+@%-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line, quoted for a POSIX shell (to show it; broom runs docker without a shell). */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/**
 * Variables of the launch agent's machine that make no sense in a container: they are never copied
 * into it from the item's environment (the image has its own).
 */
const HOST_ONLY = new Set(['PATH', 'HOME', 'HOSTNAME', 'PWD', 'OLDPWD', 'SHLVL', 'SHELL', 'TERM', 'USER', 'LOGNAME', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LC_ALL', '_']);

/**
 * What of an item's environment goes into its container: every `BROOM_*` and `WANDB_*` variable
 * (the run's files, ids, config and the server's address, which the launch agent may have inherited
 * unchanged), and any other variable the item adds to or changes from `base` (the launch agent's own
 * environment), except the machine's own (PATH, HOME, …).
 */
export function containerEnv(itemEnv: Record<string, string>, base: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(itemEnv)) {
    if (HOST_ONLY.has(name)) continue;
    if (/^(BROOM|WANDB)_/.test(name) || base[name] !== value) out[name] = value;
  }
  return out;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** `http://127.0.0.1:8080` → `http://host.docker.internal:8080` (the launch agent's machine, seen from a bridged container). */
export function hostAddress(url: string): string {
  try {
    const u = new URL(url);
    if (!LOOPBACK.test(u.hostname)) return url;
    u.hostname = 'host.docker.internal';
    return u.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
  } catch {
    return url;
  }
}

function isInside(dir: string, parent: string): boolean {
  const rel = path.relative(parent, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export interface DockerRunPlan {
  /** The container's name, `broom-<item id>`. */
  name: string;
  image: string;
  /** Where the image came from: the sweep's `image_uri` or `resource_args.image`. */
  imageFrom: 'image_uri' | 'resource_args.image';
  /** `docker` + these arguments start the container (detached). */
  argv: string[];
  /** The container's environment (passed as `--env NAME`, the value from the client's environment). */
  env: Record<string, string>;
  /** The docker client's environment: the launch agent's, with the container's variables on top. */
  clientEnv: Record<string, string | undefined>;
}

export interface PlanOptions {
  /** `process.platform`: on Linux the network defaults to `host`. */
  platform?: NodeJS.Platform;
  /** The launch agent's environment (`process.env`). */
  base?: Readonly<Record<string, string | undefined>>;
}

export const NO_IMAGE =
  'The local-container resource needs an image to run: set resource_args.image (e.g. image: "python:3.12"), or image_uri in the sweep config.';

/** The image an item runs: the sweep's `image_uri` first, then `resource_args.image`; undefined when neither. */
export function imageFor(spec: { image?: string }, args: DockerRunArgs): { image: string; from: DockerRunPlan['imageFrom'] } | undefined {
  if (spec.image) return { image: spec.image, from: 'image_uri' };
  if (args.image) return { image: args.image, from: 'resource_args.image' };
  return undefined;
}

/**
 * The `docker run` of one queue item. A program item (no `spec.image`) runs its command as the
 * container's entrypoint (`--entrypoint command[0] IMAGE command[1..]`) in its working directory,
 * mounted at the same path; an image item (`image_uri`) runs the image's own entrypoint with the
 * command as its arguments, in the image's working directory. The broom directory (`BROOM_DIR` of the
 * item) is mounted at the same path, so the run's config, metrics file and `${args_json_file}` paths
 * hold inside the container. On Linux the network is `host` unless `network` says otherwise, so
 * `127.0.0.1` is the launch agent's machine; on a bridged network BROOM_URL's loopback address
 * becomes `host.docker.internal`.
 */
export function planDockerRun(spec: LaunchSpec, args: DockerRunArgs, opts: PlanOptions = {}): DockerRunPlan {
  const platform = opts.platform ?? process.platform;
  const base = opts.base ?? process.env;
  const found = imageFor(spec, args);
  if (!found) throw new BroomError('docker-no-image', `Queue item ${spec.itemId}: ${NO_IMAGE}`, { itemId: spec.itemId });
  const imageItem = spec.image !== undefined;
  if (!imageItem && (spec.command.length === 0 || spec.command[0] === '')) {
    throw new BroomError('docker-launch-spec', `Queue item ${spec.itemId}: the command to run is empty.`, { itemId: spec.itemId });
  }
  const name = containerName(spec.itemId);
  const network = args.network ?? (platform === 'linux' ? 'host' : undefined);
  const env = containerEnv(spec.env, base);
  for (const [k, v] of Object.entries(normaliseEnv(args.env, base))) env[k] = v;
  if (network !== 'host' && env.BROOM_URL !== undefined) env.BROOM_URL = hostAddress(env.BROOM_URL);

  const argv = ['run', '--detach', `--name=${name}`, `--label=broom.item=${spec.itemId}`];
  if (args.init ?? true) argv.push('--init');
  if (network !== undefined) argv.push(`--network=${network}`);
  if (network !== 'host' && platform === 'linux' && env.BROOM_URL?.includes('host.docker.internal')) {
    argv.push('--add-host=host.docker.internal:host-gateway');
  }
  if (args.pull !== undefined) argv.push(`--pull=${args.pull}`);
  if (args.gpus !== undefined) argv.push(`--gpus=${args.gpus}`);
  if (args.cpus !== undefined) argv.push(`--cpus=${args.cpus}`);
  if (args.memory !== undefined) argv.push(`--memory=${args.memory}`);
  if (args['shm-size'] !== undefined) argv.push(`--shm-size=${args['shm-size']}`);
  if (args.user !== undefined) argv.push(`--user=${args.user}`);

  // Mounts: the item's directory (program items), the broom directory, then the user's volumes.
  const mounted: string[] = [];
  const mount = (dir: string) => {
    // docker refuses `/` as a mount point (a launch agent started in `/` runs its programs from the image's root).
    if (dir === path.parse(dir).root || mounted.some((m) => isInside(dir, m))) return;
    mounted.push(dir);
    argv.push(`--volume=${dir}:${dir}`);
  };
  const cwd = path.resolve(spec.cwd);
  if (!imageItem) mount(cwd);
  if (spec.env.BROOM_DIR) mount(path.resolve(cwd, spec.env.BROOM_DIR));
  for (const v of args.volumes ?? []) {
    const [source, ...rest] = v.split(':');
    const local = source!.startsWith('.') ? path.resolve(cwd, source!) : source!;
    argv.push(`--volume=${[local, ...rest].join(':')}`);
  }
  const workdir = args.workdir ?? (imageItem ? undefined : cwd);
  if (workdir !== undefined) argv.push(`--workdir=${workdir}`);

  // Values travel in the client's environment, not on its command line (where `ps` shows them);
  // DOCKER_* would steer the client itself, so those few are given inline.
  const clientEnv: Record<string, string | undefined> = { ...base };
  for (const [k, v] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (k.startsWith('DOCKER_')) argv.push(`--env=${k}=${v}`);
    else {
      argv.push(`--env=${k}`);
      clientEnv[k] = v;
    }
  }
  argv.push(...(args.extra ?? []));
  if (imageItem) argv.push(found.image, ...spec.command);
  else argv.push(`--entrypoint=${spec.command[0]}`, found.image, ...spec.command.slice(1));
  return { name, image: found.image, imageFrom: found.from, argv, env, clientEnv };
}

/** `resource_args.env` as variables: `{A: 1}` → `{A: "1"}`; `["A=1", "B"]` → A, and B from the launch agent's environment. */
export function normaliseEnv(env: DockerRunArgs['env'], base: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  if (!env) return out;
  if (Array.isArray(env)) {
    for (const entry of env) {
      const eq = entry.indexOf('=');
      if (eq >= 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
      else if (base[entry] !== undefined) out[entry] = base[entry]!;
    }
    return out;
  }
  for (const [k, v] of Object.entries(env)) out[k] = String(v);
  return out;
}
