import { definePlugin } from '@broom/core';
import { DockerOptionsSchema } from './docker-options.js';
import { DockerResource, runPart } from './docker-resource.js';
import { PACKAGE } from './meta.js';

export { DockerArgs, DockerRunArgs, DockerSettings } from './docker-args.schema.js';
export {
  DockerCommands,
  DockerCommandError,
  DockerUnavailableError,
  daemonUnreachable,
  unreachableError,
  type CommandResult,
} from './docker-commands.js';
export { DockerJob, LogFollower, type DockerJobOptions } from './docker-job.js';
export {
  DockerArgsError,
  DockerOptionsSchema,
  RESOURCE_NAMES,
  RUN_ARG_KEYS,
  SETTING_KEYS,
  checkDockerArgs,
  optionName,
  parseDockerArgs,
  type ArgsProblem,
} from './docker-options.js';
export { DEFAULT_KILL_WAIT, DockerResource, DockerRunError, runPart, settingsPart, type DockerResourceOptions } from './docker-resource.js';
export {
  NO_IMAGE,
  containerEnv,
  containerName,
  hostAddress,
  imageFor,
  normaliseEnv,
  planDockerRun,
  shellJoin,
  shellQuote,
  type DockerRunPlan,
  type PlanOptions,
} from './docker-run.js';
export { signalOf, toJobStatus, type ContainerState } from './docker-states.js';

/** `resource: local-container` (or `docker`): each item runs as a `docker run` of an image. */
export default definePlugin({
  meta: {
    name: PACKAGE.name,
    version: PACKAGE.version,
    kind: 'resource',
    alias: 'local-container',
    description: 'Runs each launch queue item as a Docker container (docker run), tracks it with docker wait/inspect and stops it with docker stop',
  },
  // The launch agent hands an item's resource_args to the plugin as its options: docker run options
  // and broom's settings (kill-wait, bin, remove), checked with the same rules.
  options: DockerOptionsSchema,
  create: (options) =>
    new DockerResource({
      killWait: options['kill-wait'],
      bin: options.bin,
      remove: options.remove,
      defaults: runPart(options),
    }),
});
