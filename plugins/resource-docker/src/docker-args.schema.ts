import { z } from 'zod';

const text = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .refine((s) => !/[\r\n\0]/.test(s), 'must be one line (no newline or NUL)');
const POSITIVE = 'must be a number > 0';



/** Docker's sizes (`512m`, `2g`, `1.5GB`, or bytes as a whole number), as `docker run` reads them. */
const SIZE = 'must be a size like "512m", "2g" (docker run\'s units b, k, m, g) or a number of bytes';
const size = z.union([z.number({ error: SIZE }).int({ error: SIZE }).positive({ error: SIZE }), text.regex(/^\d+(\.\d+)?\s?[bkmgtp]?i?b?$/i, SIZE)], { error: SIZE });

const GPUS = 'must be "all", a GPU count (a whole number > 0) or a spec like "device=0,1"';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_RECORD = 'must be a mapping of variable names to values, like {OMP_NUM_THREADS: 4}';
const ENV_LIST = 'must be "NAME=value", or "NAME" to pass the launch agent\'s value';
/** `{NAME: value}` or docker's list form `["NAME=value", "NAME"]`. */
const env = z.union(
  [
    z.record(
      z.string().regex(ENV_NAME, 'must be a variable name (letters, digits, "_", not starting with a digit)'),
      z.union([z.string(), z.number(), z.boolean()], { error: 'must be a string, number or boolean' }),
      { error: ENV_RECORD },
    ),
    z.array(text.regex(/^[A-Za-z_][A-Za-z0-9_]*(=.*)?$/s, ENV_LIST), { error: ENV_RECORD }),
  ],
  { error: `${ENV_RECORD} or a list like ["NAME=value", "NAME"]` },
);

const VOLUME = 'must be "SOURCE:/path/in/container" or "SOURCE:/path/in/container:OPTIONS" (e.g. "/data:/data:ro")';
const volume = text.regex(/^[^:]+:\/[^:]*(:[A-Za-z,]+)?$/, VOLUME);

/**
 * `resource_args` of a queue item for the `local-container` (`docker`) resource: the image and common
 * `docker run` options, spelled as docker spells them (`shm-size`; `shm_size` is accepted too and
 * normalised before this schema), plus `extra`, raw `docker run` options passed as they are.
 */
export const DockerRunArgs = z.strictObject({
  /** The image to run. Required unless the sweep has `image_uri` (which wins). */
  image: text.regex(/^\S+$/, 'must be an image reference like "python:3.12" (no spaces)').optional(),
  /** `--gpus`: `all`, a count, or `"device=0,1"`. */
  gpus: z.union([z.number({ error: GPUS }).int({ error: GPUS }).positive({ error: GPUS }), text], { error: GPUS }).optional(),
  /** Variables for the container, on top of the item's own. */
  env: env.optional(),
  /** `--volume`s: `"/host/path:/container/path[:ro]"`; a relative host path is from the launch agent's directory. */
  volumes: z.array(volume, { error: `must be a list of volumes; each ${VOLUME}` }).optional(),
  /** `--network` (default `host` on Linux, so `127.0.0.1` in BROOM_URL is the launch agent's machine). */
  network: text.regex(/^\S+$/, 'must be a network name like "host", "bridge" or "my-net"').optional(),
  /** `--shm-size` (PyTorch data loaders want more than docker's 64m). */
  'shm-size': size.optional(),
  /** `--user`: `uid[:gid]` or a name. */
  user: z
    .union([z.number().int().min(0), text.regex(/^[^\s:]+(:[^\s:]+)?$/, 'must be "uid", "uid:gid" or a user name')], {
      error: 'must be "uid", "uid:gid" or a user name',
    })
    .optional(),
  /** `--workdir` in the container (absolute). */
  workdir: text.regex(/^\//, 'must be an absolute path in the container, like "/workspace"').optional(),
  /** `--cpus`. */
  cpus: z.number({ error: POSITIVE }).positive({ error: POSITIVE }).optional(),
  /** `--memory`; a container over it is OOM-killed (the item fails and says so). */
  memory: size.optional(),
  /** `--pull`: `missing` (docker's default), `always` or `never`. */
  pull: z.enum(['missing', 'always', 'never'], { error: 'must be "missing", "always" or "never"' }).optional(),
  /** `--init` (default true): a tiny init as PID 1 forwards signals and reaps zombies. */
  init: z.boolean({ error: 'must be true or false' }).optional(),
  /** Raw `docker run` options, e.g. `["--ipc=host", "--ulimit=memlock=-1"]`. */
  extra: z.array(text, { error: 'must be a list of docker run options like ["--ipc=host"]' }).optional(),
});
export type DockerRunArgs = z.infer<typeof DockerRunArgs>;

/** broom's own settings, accepted in `resource_args` next to the docker run options. None is a docker run option. */
export const DockerSettings = z.strictObject({
  /** Seconds `docker stop` waits between SIGTERM and SIGKILL when an item is stopped (default 30, W&B's KILL_DELAY). */
  'kill-wait': z
    .number({ error: 'must be a number of seconds >= 0' })
    .min(0, { error: 'must be a number of seconds >= 0' })
    .max(3600, { error: 'must be at most 3600 seconds' })
    .optional(),
  /** The docker client to run (a name on PATH or a path; default `docker`, e.g. `podman`). */
  bin: text.optional(),
  /** Remove the container once its end was recorded (default true; false keeps it for `docker logs`/`inspect`). */
  remove: z.boolean({ error: 'must be true or false' }).optional(),
});
export type DockerSettings = z.infer<typeof DockerSettings>;

/** Everything `resource_args` of the container resource may hold. */
export const DockerArgs = z.strictObject({ ...DockerRunArgs.shape, ...DockerSettings.shape });
export type DockerArgs = z.infer<typeof DockerArgs>;
