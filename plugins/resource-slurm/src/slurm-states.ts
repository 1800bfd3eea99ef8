import { constants } from 'node:os';
import type { JobState, JobStatus } from '@broom/core';

/** What SLURM says about a job, from squeue, sacct or scontrol. */
export interface SlurmRecord {
  /** SLURM's state name (`PENDING`, `COMPLETED`, `OUT_OF_MEMORY`, …). */
  state: string;
  reason?: string;
  /** The batch script's exit: its code, or the signal that killed it. */
  exit?: { code: number; signal: number };
  source: 'squeue' | 'sacct' | 'scontrol';
}

/** SLURM states of a job that has not started, and of one that has started and not ended. */
const PENDING = new Set(['PENDING', 'CONFIGURING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'RESV_DEL_HOLD', 'SPECIAL_EXIT']);
const RUNNING = new Set(['RUNNING', 'COMPLETING', 'SUSPENDED', 'STOPPED', 'SIGNALING', 'STAGE_OUT', 'RESIZING']);

/** Ended states: the JobState each maps to, and the words for it. */
const ENDED: Record<string, { state: JobState; words: string }> = {
  COMPLETED: { state: 'finished', words: 'completed' },
  FAILED: { state: 'failed', words: 'failed' },
  TIMEOUT: { state: 'failed', words: 'reached its time limit' },
  OUT_OF_MEMORY: { state: 'failed', words: 'ran out of memory' },
  NODE_FAIL: { state: 'failed', words: 'lost its node' },
  BOOT_FAIL: { state: 'failed', words: 'could not boot its node' },
  DEADLINE: { state: 'failed', words: 'missed its deadline' },
  CANCELLED: { state: 'stopped', words: 'was cancelled' },
  PREEMPTED: { state: 'stopped', words: 'was preempted' },
  REVOKED: { state: 'stopped', words: 'was revoked (it runs on another cluster)' },
};

/** `CANCELLED by 0` → `CANCELLED`; `CG` is not expected (we ask for long names). */
export function baseState(state: string): string {
  return state.trim().split(/\s+/)[0]!.replace(/\+$/, '').toUpperCase();
}

export function isEnded(state: string): boolean {
  return baseState(state) in ENDED;
}

/** `3:0` (sacct, scontrol) → code 3; `0:15` → signal 15. */
export function parseExitPair(text: string | undefined): SlurmRecord['exit'] {
  const m = /^(\d+):(\d+)$/.exec(text?.trim() ?? '');
  return m ? { code: Number(m[1]), signal: Number(m[2]) } : undefined;
}

/** squeue's `exit_code`, a raw wait status (`768` = exit 3; `15` = SIGTERM). */
export function parseWaitStatus(text: string | undefined): SlurmRecord['exit'] {
  const t = text?.trim() ?? '';
  if (!/^\d+$/.test(t)) return undefined;
  const status = Number(t);
  return { code: (status >> 8) & 0xff, signal: status & 0x7f };
}

function signalName(signal: number): string {
  const name = Object.entries(constants.signals).find(([, n]) => n === signal)?.[0];
  return name ?? `signal ${signal}`;
}

/**
 * The broom JobStatus of a SLURM record. `stopRequested`: broom asked to stop this job, so any end
 * counts as `stopped` (a job stopped with SIGTERM ends FAILED in SLURM's eyes). The exit code is the
 * program's; a program killed by a signal gets 128 + signal, as a shell reports it.
 */
export function toJobStatus(record: SlurmRecord, jobId: string, stopRequested = false): JobStatus {
  const state = baseState(record.state);
  const reason = record.reason && record.reason !== 'None' && record.reason !== '(null)' ? record.reason : undefined;
  if (PENDING.has(state)) {
    return { state: 'pending', message: `SLURM job ${jobId} is ${state}${reason ? ` (${reason})` : ''}` };
  }
  if (RUNNING.has(state)) {
    return { state: 'running', message: `SLURM job ${jobId} is ${state}` };
  }
  const ended = ENDED[state];
  if (!ended) {
    return { state: 'unknown', message: `SLURM job ${jobId} is in state ${record.state}, which broom does not know` };
  }
  const exit = record.exit;
  const exitCode = exit === undefined ? undefined : exit.signal > 0 ? 128 + exit.signal : exit.code;
  const how =
    exit === undefined ? '' : exit.signal > 0 ? `, killed by ${signalName(exit.signal)}` : `, exit code ${exit.code}`;
  const said = `SLURM job ${jobId} ${ended.words} (${state}${reason ? `, ${reason}` : ''}${how})`;
  const status: JobStatus = { state: stopRequested ? 'stopped' : ended.state, message: stopRequested ? `stopped on request; ${said}` : said };
  if (exitCode !== undefined) status.exitCode = exitCode;
  if (state === 'COMPLETED' && exitCode === undefined && !stopRequested) status.exitCode = 0;
  return status;
}
