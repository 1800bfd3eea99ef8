import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { BroomError, type LaunchedJob, type LaunchSpec, type Resource } from '@broom/core';
import type { DockerArgs, DockerRunArgs, DockerSettings } from './docker-args.schema.js';
import { DockerCommands, said, unreachableError } from './docker-commands.js';
import { DockerJob, LogFollower } from './docker-job.js';
import { RUN_ARG_KEYS, SETTING_KEYS, parseDockerArgs } from './docker-options.js';
import { NO_IMAGE, imageFor, planDockerRun, shellJoin, type DockerRunPlan } from './docker-run.js';

/** docker refused to start an item's container. */
export class DockerRunError extends BroomError {}

export const DEFAULT_KILL_WAIT = 30;
/** Seconds `docker run` may take (it pulls a missing image first). */
const RUN_TIMEOUT_S = 3600;

/** How a program builds the resource (`new DockerResource(options)`). */
export interface DockerResourceOptions {
  /** docker run options applied to every item; an item's `resource_args` override them key by key. */
  defaults?: DockerRunArgs;
  killWait?: number;
  bin?: string;
  remove?: boolean;
  /** Seconds between tries while the daemon does not answer `docker wait` (default 2). */
  retryInterval?: number;
  /** For tests: the platform the network default is chosen for, and the launch agent's environment. */
  platform?: NodeJS.Platform;
  base?: Readonly<Record<string, string | undefined>>;
}

/** The docker run options of checked args (broom's settings left out). */
export function runPart(args: DockerArgs): DockerRunArgs {
  const out: Record<string, unknown> = {};
  for (const key of RUN_ARG_KEYS) if (args[key] !== undefined) out[key] = args[key];
  return out as DockerRunArgs;
}

/** broom's settings of checked args. */
export function settingsPart(args: DockerArgs): DockerSettings {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) if (args[key] !== undefined) out[key] = args[key];
  return out as DockerSettings;
}

const IMAGE_PROBLEM =
  /pull access denied|manifest unknown|not found: manifest|manifest for .* not found|repository does not exist|No such image|failed to resolve reference|error pulling image|invalid reference format|lookup \S+ .*no such host|Get "https:\/\/[^"]+\/v2\/"/i;
const NAME_CONFLICT = /Conflict\. The container name .* is already in use|container name .* is already in use/i;
const NO_PROGRAM = /executable file not found|no such file or directory|permission denied/i;

/**
 * The `local-container` resource: each queue item runs as one container (`docker run --detach`,
 * named `broom-<item id>`), its output followed into the item's log file, its end read with
 * `docker wait` and `docker inspect`, stopped with `docker stop`.
 */
export class DockerResource implements Resource {
  readonly runsImages = true;
  readonly docker: DockerCommands;
  private readonly defaults: DockerRunArgs;

  constructor(private readonly options: DockerResourceOptions = {}) {
    this.docker = new DockerCommands(options.bin);
    this.defaults = options.defaults ?? {};
  }

  /** An item needs an image: `image_uri`, or `image` in resource_args. */
  check(item: { image?: string }): string | undefined {
    return imageFor(item, this.defaults) ? undefined : NO_IMAGE;
  }

  /** The `docker run` of an item, the client to run it with, and the job's settings. */
  prepare(spec: LaunchSpec): { plan: DockerRunPlan; docker: DockerCommands; killWait: number; remove: boolean } {
    const itemArgs = parseDockerArgs(spec.resourceArgs);
    const settings = settingsPart(itemArgs);
    const args = { ...this.defaults, ...runPart(itemArgs) };
    const plan = planDockerRun(spec, args, { platform: this.options.platform, base: this.options.base });
    const bin = settings.bin ?? this.options.bin;
    return {
      plan,
      docker: bin === undefined || bin === this.docker.program ? this.docker : new DockerCommands(bin),
      killWait: settings['kill-wait'] ?? this.options.killWait ?? DEFAULT_KILL_WAIT,
      remove: settings.remove ?? this.options.remove ?? true,
    };
  }

  async launch(spec: LaunchSpec): Promise<LaunchedJob> {
    const { plan, docker, killWait, remove } = this.prepare(spec);
    await mkdir(path.dirname(spec.logFile), { recursive: true });
    const r = await docker.run(plan.argv, { env: plan.clientEnv, timeout: RUN_TIMEOUT_S });
    // docker run's own words (a pull's progress, warnings) go to the log, before the program's output.
    if (r.stderr.trim()) await appendFile(spec.logFile, r.stderr.endsWith('\n') ? r.stderr : `${r.stderr}\n`);
    const id = /^([0-9a-f]{12,64})$/m.exec(r.stdout.trim())?.[1];
    if (r.code !== 0 || !id) throw await this.refused(spec, plan, docker, r);
    const logs = new LogFollower(docker, id, spec.logFile);
    const settings = {
      killWait,
      remove,
      ...(this.options.retryInterval !== undefined ? { retryInterval: this.options.retryInterval } : {}),
      ...(spec.image === undefined ? { program: spec.command[0] } : {}),
    };
    return new DockerJob(id, plan.name, docker, settings, logs);
  }

  private async refused(spec: LaunchSpec, plan: DockerRunPlan, docker: DockerCommands, r: { code: number; stdout: string; stderr: string }): Promise<Error> {
    const unreachable = unreachableError(docker.program, r);
    if (unreachable) return unreachable;
    const words = said(r);
    const conflict = NAME_CONFLICT.test(words);
    // A container docker created but could not start keeps the name: remove it (not another's, on a conflict).
    if (!conflict) await docker.run(['container', 'rm', '--force', plan.name], { timeout: 60 }).catch(() => undefined);
    const command = `Command: ${shellJoin([docker.program, ...plan.argv])}`;
    const data = { itemId: spec.itemId, image: plan.image, stderr: r.stderr };
    if (conflict) {
      return new DockerRunError(
        'docker-name-conflict',
        `docker refused queue item ${spec.itemId}: a container named ${plan.name} already exists (left by an earlier launch agent?). ` +
          `Remove it with \`${docker.program} rm -f ${plan.name}\`. docker said: ${words}`,
        data,
      );
    }
    if (IMAGE_PROBLEM.test(words)) {
      return new DockerRunError(
        'docker-image',
        `docker could not get the image "${plan.image}" (${plan.imageFrom}) for queue item ${spec.itemId}: ${words}\n` +
          `Check the name and tag, \`${docker.program} login\` for a private registry, or \`${docker.program} pull ${plan.image}\` on this machine.`,
        data,
      );
    }
    const lines = [
      `docker refused queue item ${spec.itemId} (exit code ${r.code}):`,
      `  ${words.replace(/\n/g, '\n  ')}`,
      ...(NO_PROGRAM.test(words) && spec.image === undefined
        ? [`The item's program is "${spec.command[0]}": the image ${plan.image} must have it (on its PATH, or give its full path in the sweep's command).`]
        : []),
      command,
    ];
    return new DockerRunError(r.code !== 0 ? 'docker-run' : 'docker-run-no-id', lines.join('\n'), data);
  }
}
