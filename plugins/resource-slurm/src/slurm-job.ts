import type { JobStatus, LaunchedJob } from '@broom/core';
import { SlurmCommandError, SlurmUnavailableError, commandFailed, type SlurmCommands } from './slurm-commands.js';
import { toJobStatus, type SlurmRecord } from './slurm-states.js';

export interface SlurmJobOptions {
  /** Seconds between polls in `wait()`. */
  pollInterval: number;
  /** Seconds between SIGTERM and the forced `scancel` in `stop()`. */
  killWait: number;
}

/** After this many polls in a row in which no SLURM command knows the job, `wait()` gives up on it. */
const VANISHED_LIMIT = 3;

const ENDED_STATES = new Set(['finished', 'failed', 'stopped']);

/** sacct is optional: some clusters do not install it, or do not let users run it. */
async function fallback(query: () => Promise<SlurmRecord | undefined>): Promise<SlurmRecord | undefined> {
  try {
    return await query();
  } catch (error) {
    if (error instanceof SlurmUnavailableError || error instanceof SlurmCommandError) return undefined;
    throw error;
  }
}

/** One SLURM batch job: tracked with squeue (then sacct, then scontrol), stopped with scancel. */
export class SlurmJob implements LaunchedJob {
  private final: JobStatus | undefined;
  private stopRequested = false;
  private escalation: NodeJS.Timeout | undefined;
  private waiting: Promise<JobStatus> | undefined;

  constructor(
    readonly id: string,
    private readonly slurm: SlurmCommands,
    private readonly options: SlurmJobOptions,
  ) {}

  /** Where SLURM says the job is. A SLURM command that fails gives `unknown` with its message. */
  async status(): Promise<JobStatus> {
    if (this.final) return this.final;
    let record: SlurmRecord | undefined;
    try {
      record = (await this.slurm.squeue(this.id)) ?? (await fallback(() => this.slurm.sacct(this.id))) ?? (await this.slurm.scontrol(this.id));
    } catch (error) {
      if (error instanceof SlurmCommandError) return { state: 'unknown', message: error.message };
      throw error;
    }
    if (!record) {
      return { state: 'unknown', message: `SLURM job ${this.id} is not known to squeue, sacct or scontrol any more` };
    }
    const status = toJobStatus(record, this.id, this.stopRequested);
    if (ENDED_STATES.has(status.state)) this.end(status);
    return status;
  }

  wait(): Promise<JobStatus> {
    this.waiting ??= this.poll();
    return this.waiting;
  }

  private async poll(): Promise<JobStatus> {
    let vanished = 0;
    for (;;) {
      const status = await this.status();
      if (ENDED_STATES.has(status.state)) return status;
      vanished = status.state === 'unknown' && / not known to /.test(status.message ?? '') ? vanished + 1 : 0;
      if (vanished >= VANISHED_LIMIT) {
        this.end(status);
        return status;
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.pollInterval * 1000));
    }
  }

  /**
   * A pending job is cancelled. A started one gets SIGTERM (`scancel --signal=TERM --full`, which
   * reaches the batch step and the program), and, if it has not ended `killWait` seconds later, a
   * plain `scancel` (SLURM's own SIGTERM, then SIGKILL after the cluster's KillWait).
   */
  async stop(): Promise<void> {
    if (this.final) return;
    this.stopRequested = true;
    const now = await this.status();
    if (ENDED_STATES.has(now.state)) return;
    if (now.state === 'pending') {
      await this.scancel([]);
      return;
    }
    await this.scancel(['--signal=TERM', '--full']);
    if (this.escalation) return;
    this.escalation = setTimeout(() => {
      void this.status()
        .then((s) => (ENDED_STATES.has(s.state) ? undefined : this.scancel([])))
        .catch(() => undefined);
    }, this.options.killWait * 1000);
    this.escalation.unref();
  }

  private async scancel(args: string[]): Promise<void> {
    const r = await this.slurm.run('scancel', [...args, this.id]);
    // A job that ended meanwhile is not an error: there is nothing left to stop.
    if (r.code !== 0 && !/already completing or completed|invalid job id/i.test(r.stderr)) throw commandFailed('scancel', r);
  }

  private end(status: JobStatus): void {
    this.final = status;
    if (this.escalation) clearTimeout(this.escalation);
  }
}
