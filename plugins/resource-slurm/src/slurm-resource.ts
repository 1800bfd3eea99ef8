import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BroomError, type LaunchedJob, type LaunchSpec, type Resource } from '@broom/core';
import { batchScript, shellJoin, slurmFilename } from './batch-script.js';
import type { SbatchArgs, SlurmResourceOptions } from './sbatch-args.schema.js';
import { mergeSbatchArgs, parseSlurmArgs, renderSbatchOptions, sbatchPart, settingsPart } from './sbatch-options.js';
import { SlurmCommands } from './slurm-commands.js';
import { SlurmJob, type SlurmJobOptions } from './slurm-job.js';

/** sbatch refused a job. */
export class SlurmSubmitError extends BroomError {}

export const DEFAULT_POLL_INTERVAL = 5;
export const DEFAULT_KILL_WAIT = 10;

/** Words in sbatch's complaints that point at one of the options broom passed. */
const BLAME: [RegExp, keyof SbatchArgs][] = [
  [/partition/i, 'partition'],
  [/time limit|--time|time specification/i, 'time'],
  [/node count|--nodes|node specification/i, 'nodes'],
  [/--ntasks|task count/i, 'ntasks'],
  [/cpus-per-task|cpu count|cpus per task/i, 'cpus-per-task'],
  [/--mem\b|memory/i, 'mem'],
  [/gres|generic resource|tres/i, 'gres'],
  [/account/i, 'account'],
  [/qos/i, 'qos'],
  [/feature|constraint/i, 'constraint'],
  [/reservation/i, 'reservation'],
];

/** sbatch runs with the agent's environment and the item's on top: `--export=ALL` carries it to the job. */
function sbatchEnv(spec: LaunchSpec): Record<string, string | undefined> {
  return { ...process.env, ...spec.env };
}

/** The SLURM resource: each queue item becomes one `sbatch` job running the item's command. */
export class SlurmResource implements Resource {
  readonly slurm: SlurmCommands;
  private readonly defaults: SbatchArgs;

  constructor(private readonly options: SlurmResourceOptions = {}) {
    this.slurm = new SlurmCommands(options.bin);
    this.defaults = options.defaults ?? {};
  }

  /** The sbatch argv (options and script) for an item, the batch script's text, and the job's settings. */
  prepare(spec: LaunchSpec): { args: SbatchArgs; argv: string[]; scriptFile: string; script: string; slurm: SlurmCommands; job: SlurmJobOptions } {
    const itemArgs = parseSlurmArgs(spec.resourceArgs);
    const settings = settingsPart(itemArgs);
    const args = mergeSbatchArgs(this.defaults, sbatchPart(itemArgs));
    const scriptFile = `${spec.logFile}.sbatch`;
    const argv = [
      '--parsable',
      `--job-name=${args['job-name'] ?? `broom-${spec.itemId}`.replace(/[^\w.-]+/g, '_')}`,
      `--output=${slurmFilename(spec.logFile)}`,
      '--open-mode=append',
      `--chdir=${spec.cwd}`,
      ...renderSbatchOptions({ ...args, 'job-name': undefined }),
      scriptFile,
    ];
    const bin = settings.bin ?? this.options.bin;
    return {
      args,
      argv,
      scriptFile,
      // The script exports what the item adds to the agent's environment.
      script: batchScript(spec, ['sbatch', ...argv], process.env),
      slurm: bin === this.slurm.bin ? this.slurm : new SlurmCommands(bin),
      job: {
        pollInterval: settings['poll-interval'] ?? this.options.pollInterval ?? DEFAULT_POLL_INTERVAL,
        killWait: settings['kill-wait'] ?? this.options.killWait ?? DEFAULT_KILL_WAIT,
      },
    };
  }

  async launch(spec: LaunchSpec): Promise<LaunchedJob> {
    const { args, argv, scriptFile, script, slurm, job } = this.prepare(spec);
    await mkdir(path.dirname(spec.logFile), { recursive: true });
    // The script holds the item's environment: readable by its owner only.
    await writeFile(scriptFile, script, { mode: 0o600 });
    await chmod(scriptFile, 0o600);
    const r = await slurm.run('sbatch', argv, sbatchEnv(spec));
    const id = /^(\d+(?:_\d+)?)(?:;.*)?$/m.exec(r.stdout.trim())?.[1];
    if (r.code !== 0 || !id) {
      const said = (r.stderr.trim() || r.stdout.trim() || '(no message)').split('\n').slice(0, 10).join('\n');
      const given = renderSbatchOptions(args);
      const blamed = BLAME.filter(([re, key]) => re.test(said) && args[key] !== undefined).map(
        ([, key]) => `resource_args.${key} = ${JSON.stringify(args[key])}`,
      );
      const lines = [
        r.code !== 0
          ? `sbatch refused queue item ${spec.itemId} (exit code ${r.code}):`
          : `sbatch gave no job id for queue item ${spec.itemId}:`,
        `  ${said.replace(/\n/g, '\n  ')}`,
        ...(blamed.length > 0 ? [`The option SLURM complains about is likely ${blamed.join(', ')}.`] : []),
        `sbatch options from resource_args: ${given.length > 0 ? shellJoin(given) : '(none)'}`,
        `Command: ${shellJoin([slurm.program('sbatch'), ...argv])}`,
      ];
      throw new SlurmSubmitError('slurm-submit', lines.join('\n'), { itemId: spec.itemId, stderr: r.stderr, options: given });
    }
    return new SlurmJob(id, slurm, job);
  }
}
