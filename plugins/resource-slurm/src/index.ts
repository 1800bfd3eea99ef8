import { definePlugin } from '@broom/core';
import { PACKAGE } from './meta.js';
import { SlurmResourceOptions } from './sbatch-args.schema.js';
import { SlurmResource } from './slurm-resource.js';

export { batchScript, shellJoin, shellQuote, slurmFilename } from './batch-script.js';
export { SbatchArgs, SlurmResourceOptions } from './sbatch-args.schema.js';
export { SBATCH_ARG_KEYS, SlurmArgsError, mergeSbatchArgs, parseSbatchArgs, renderSbatchOptions } from './sbatch-options.js';
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
  options: SlurmResourceOptions,
  create: (options) => new SlurmResource(options),
});
