import path from 'node:path';
import { BroomError, runTool, ToolRunError, type ToolResult } from '@broom/core';
import { parseExitPair, parseWaitStatus, type SlurmRecord } from './slurm-states.js';

/** SLURM's client commands are not there (not installed, not on PATH, or not in the `bin` option). */
export class SlurmUnavailableError extends BroomError {}

/** A SLURM command ran but failed (controller unreachable, refused request, …). */
export class SlurmCommandError extends BroomError {}

export type CommandResult = ToolResult;

/** Runs SLURM's client commands (no shell: every argument is passed as it is). */
export class SlurmCommands {
  constructor(
    /** Directory of the commands; PATH when absent. */
    readonly bin?: string,
    /** Seconds before a command that hangs (an unreachable controller) is killed. */
    readonly timeout = 60,
  ) {}

  program(name: string): string {
    return this.bin ? path.join(this.bin, name) : name;
  }

  run(name: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CommandResult> {
    const program = this.program(name);
    return runTool(program, args, { ...(env ? { env } : {}), timeoutS: this.timeout }).catch((error: unknown) => {
      if (!(error instanceof ToolRunError)) throw error;
      const { failure } = error;
      if (failure.kind === 'missing') {
        throw new SlurmUnavailableError(
          'slurm-not-found',
          `The slurm resource cannot run ${name}: ${program} was not found${this.bin ? '' : ' on PATH'} (${failure.errno}). ` +
            'It needs SLURM\'s client commands (sbatch, squeue, sacct, scontrol, scancel) on the machine that runs ' +
            'the launch agent. Install them (a one-node test cluster: `sudo scripts/slurm/setup.sh` on Debian), ' +
            'or name their directory in resource_args "bin".',
          { program },
          { cause: error },
        );
      }
      if (failure.kind === 'timeout') {
        throw new SlurmCommandError(
          'slurm-command',
          `${program} ${args.join(' ')} did not answer within ${this.timeout}s (killed by ${failure.signal}); is slurmctld up?`,
          { program },
        );
      }
      throw new SlurmCommandError('slurm-command', `${program} could not be run: ${failure.message}`, { program }, { cause: error });
    });
  }

  /**
   * The job as squeue sees it, finished jobs included while slurmctld keeps them (`MinJobAge`);
   * undefined when squeue no longer knows it.
   */
  async squeue(jobId: string): Promise<SlurmRecord | undefined> {
    const r = await this.run('squeue', ['-h', '-t', 'all', '-j', jobId, '-O', 'JobID:|,State:|,Reason:|,exit_code:|']);
    if (r.code !== 0) {
      if (/invalid job id/i.test(r.stderr)) return undefined;
      throw commandFailed('squeue', r);
    }
    for (const line of r.stdout.split('\n')) {
      const [id, state, reason, exit] = line.split('|').map((s) => s.trim());
      if (id === jobId && state) return { state, reason, exit: parseWaitStatus(exit), source: 'squeue' };
    }
    return undefined;
  }

  /**
   * The job from SLURM's accounting (`sacct`), or, where accounting storage is disabled, from the job
   * completion log (`sacct --completion`, `JobCompType=jobcomp/filetxt`); undefined when neither has it.
   */
  async sacct(jobId: string): Promise<SlurmRecord | undefined> {
    const fields = ['-n', '-P', '-j', jobId, '-o', 'JobID,State,ExitCode'];
    let r = await this.run('sacct', ['-X', ...fields]);
    if (r.code !== 0 && /accounting storage is disabled/i.test(r.stderr + r.stdout)) {
      r = await this.run('sacct', ['--completion', ...fields]);
    }
    if (r.code !== 0) return undefined;
    let found: SlurmRecord | undefined;
    for (const line of r.stdout.split('\n')) {
      const [id, state, exit] = line.split('|').map((s) => s.trim());
      // The last record wins: a requeued job has one per attempt.
      if (id === jobId && state) found = { state, exit: parseExitPair(exit), source: 'sacct' };
    }
    return found;
  }

  /** The job from `scontrol show job` (slurmctld's memory); undefined when it is gone. */
  async scontrol(jobId: string): Promise<SlurmRecord | undefined> {
    const r = await this.run('scontrol', ['show', 'job', '-o', jobId]);
    if (r.code !== 0) {
      if (/invalid job id/i.test(r.stderr)) return undefined;
      throw commandFailed('scontrol', r);
    }
    const field = (name: string) => new RegExp(`(?:^|\\s)${name}=(\\S*)`).exec(r.stdout)?.[1];
    const state = field('JobState');
    if (!state) return undefined;
    return { state, reason: field('Reason'), exit: parseExitPair(field('ExitCode')), source: 'scontrol' };
  }
}

export function commandFailed(name: string, r: CommandResult): SlurmCommandError {
  const said = (r.stderr.trim() || r.stdout.trim() || '(no message)').split('\n').slice(0, 10).join('\n');
  return new SlurmCommandError('slurm-command', `${name} failed (exit code ${r.code}): ${said}`, { command: name, code: r.code });
}
