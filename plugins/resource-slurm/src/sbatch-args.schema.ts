import { z } from 'zod';

const WHOLE = 'must be a whole number > 0';
const positiveInt = z.number({ error: WHOLE }).int({ error: WHOLE }).positive({ error: WHOLE });
const text = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .refine((s) => !/[\r\n\0]/.test(s), 'must be one line (no newline or NUL)');
/** `1024`, `16G`, `500M` (a bare number means megabytes, as sbatch reads it). */
const MEMORY = 'must be megabytes (a whole number) or a size like "16G", "500M"';
const memory = z.union([positiveInt, text.regex(/^\d+[KMGT]?$/i, MEMORY)], { error: MEMORY });
/** sbatch's time formats: `minutes`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`, or `UNLIMITED`. */
const TIME = 'must be minutes (a whole number) or "HH:MM:SS", "D-HH:MM:SS" (sbatch --time formats)';
const time = z.union(
  [positiveInt, text.regex(/^(\d+|\d+:\d+|\d+:\d+:\d+|\d+-\d+|\d+-\d+:\d+|\d+-\d+:\d+:\d+|UNLIMITED|INFINITE)$/i, TIME)],
  { error: TIME },
);
const NODES = 'must be a node count (a whole number > 0) or a range like "1-4"';
const GPUS = 'must be a GPU count (a whole number > 0) or a spec like "a100:2"';

/**
 * `resource_args` of a queue item for the `slurm` resource: common sbatch options, spelled as sbatch
 * spells them (`cpus-per-task`; `cpus_per_task` is accepted too and normalised before this schema),
 * plus `extra`, raw sbatch options passed as they are.
 */
export const SbatchArgs = z.strictObject({
  partition: text.optional(),
  time: time.optional(),
  nodes: z.union([positiveInt, text.regex(/^\d+(-\d+)?$/, NODES)], { error: NODES }).optional(),
  ntasks: positiveInt.optional(),
  'ntasks-per-node': positiveInt.optional(),
  'cpus-per-task': positiveInt.optional(),
  mem: memory.optional(),
  'mem-per-cpu': memory.optional(),
  gres: text.optional(),
  gpus: z.union([positiveInt, text], { error: GPUS }).optional(),
  'job-name': text.optional(),
  account: text.optional(),
  qos: text.optional(),
  constraint: text.optional(),
  reservation: text.optional(),
  nodelist: text.optional(),
  exclude: text.optional(),
  exclusive: z.boolean({ error: 'must be true or false' }).optional(),
  /** Raw sbatch options, e.g. `["--begin=now+1hour", "--mail-type=END"]`. */
  extra: z.array(text, { error: 'must be a list of sbatch options like ["--begin=now+60"]' }).optional(),
});
export type SbatchArgs = z.infer<typeof SbatchArgs>;

/**
 * broom's own settings, accepted in `resource_args` next to the sbatch options (the launch agent
 * hands an item's `resource_args` to the plugin as its options). None of them is an sbatch option.
 */
export const SlurmSettings = z.strictObject({
  /** Seconds between `squeue` polls while waiting for the job (default 5). */
  'poll-interval': z.number({ error: 'must be a number of seconds > 0' }).positive({ error: 'must be a number of seconds > 0' }).max(3600, { error: 'must be at most 3600 seconds' }).optional(),
  /** Seconds between SIGTERM (`scancel --signal=TERM --full`) and the forced `scancel` in `stop()` (default 10). */
  'kill-wait': z.number({ error: 'must be a number of seconds >= 0' }).min(0, { error: 'must be a number of seconds >= 0' }).max(3600, { error: 'must be at most 3600 seconds' }).optional(),
  /** Directory holding sbatch, squeue, sacct, scontrol and scancel, when they are not on PATH. */
  bin: text.optional(),
});

/** Everything `resource_args` of the slurm resource may hold: sbatch options and broom's settings. */
export const SlurmArgs = z.strictObject({ ...SbatchArgs.shape, ...SlurmSettings.shape });
export type SlurmArgs = z.infer<typeof SlurmArgs>;

/** How a program builds the resource (`new SlurmResource(options)`). */
export interface SlurmResourceOptions {
  pollInterval?: number;
  killWait?: number;
  bin?: string;
  /** sbatch options applied to every job; an item's `resource_args` override them key by key. */
  defaults?: SbatchArgs;
}
