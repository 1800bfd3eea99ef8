import { definePlugin } from '@broom/core';
import { PACKAGE } from './meta.js';
import { SlurmOptionsSchema, sbatchPart } from './sbatch-options.js';
import { SlurmResource } from './slurm-resource.js';

export { batchScript, shellJoin, shellQuote, slurmFilename } from './batch-script.js';
export { SbatchArgs, SlurmArgs, SlurmSettings, type SlurmResourceOptions } from './sbatch-args.schema.js';
export {
  SBATCH_ARG_KEYS,
  SETTING_KEYS,
  SlurmArgsError,
  SlurmOptionsSchema,
  checkSlurmArgs,
  mergeSbatchArgs,
  optionName,
  parseSbatchArgs,
  parseSlurmArgs,
  renderSbatchOptions,
  type ArgsProblem,
} from './sbatch-options.js';
export { SlurmCommandError, SlurmCommands, SlurmUnavailableError } from './slurm-commands.js';
export { SlurmJob, type SlurmJobOptions } from './slurm-job.js';
export { DEFAULT_KILL_WAIT, DEFAULT_POLL_INTERVAL, SlurmResource, SlurmSubmitError } from './slurm-resource.js';
export { toJobStatus, type SlurmRecord } from './slurm-states.js';

export default definePlugin({
  meta: {
    name: PACKAGE.name,
    version: PACKAGE.version,
    kind: 'resource',
    alias: 'slurm',
    description: 'Runs each launch queue item as a SLURM batch job (sbatch), tracks it with squeue/sacct and stops it with scancel',
  },
  // The launch agent hands an item's resource_args to the plugin as its options: sbatch options
  // and broom's settings (poll-interval, kill-wait, bin), checked with the same rules.
  options: SlurmOptionsSchema,
  create: (options) =>
    new SlurmResource({
      pollInterval: options['poll-interval'],
      killWait: options['kill-wait'],
      bin: options.bin,
      defaults: sbatchPart(options),
    }),
});
