import { describe, expect, it } from 'vitest';
import { baseState, parseExitPair, parseWaitStatus, toJobStatus, type SlurmRecord } from '../src/slurm-states.js';

const rec = (state: string, exit?: SlurmRecord['exit'], reason?: string): SlurmRecord => ({ state, exit, reason, source: 'squeue' });

describe('SLURM states → JobState', () => {
  it.each([
    ['PENDING', 'pending'],
    ['CONFIGURING', 'pending'],
    ['REQUEUED', 'pending'],
    ['REQUEUE_HOLD', 'pending'],
    ['RESV_DEL_HOLD', 'pending'],
    ['RUNNING', 'running'],
    ['COMPLETING', 'running'],
    ['SUSPENDED', 'running'],
    ['SIGNALING', 'running'],
    ['STAGE_OUT', 'running'],
    ['COMPLETED', 'finished'],
    ['FAILED', 'failed'],
    ['TIMEOUT', 'failed'],
    ['OUT_OF_MEMORY', 'failed'],
    ['NODE_FAIL', 'failed'],
    ['BOOT_FAIL', 'failed'],
    ['DEADLINE', 'failed'],
    ['CANCELLED', 'stopped'],
    ['CANCELLED by 0', 'stopped'],
    ['PREEMPTED', 'stopped'],
    ['REVOKED', 'stopped'],
    ['SOMETHING_NEW', 'unknown'],
  ])('%s → %s', (state, expected) => {
    expect(toJobStatus(rec(state), '42').state).toBe(expected);
  });

  it('gives the exit code of an ended job, and 128 + signal for one killed by a signal', () => {
    expect(toJobStatus(rec('COMPLETED', { code: 0, signal: 0 }), '7')).toEqual({
      state: 'finished',
      exitCode: 0,
      message: 'SLURM job 7 completed (COMPLETED, exit code 0)',
    });
    expect(toJobStatus(rec('FAILED', { code: 3, signal: 0 }, 'NonZeroExitCode'), '7')).toEqual({
      state: 'failed',
      exitCode: 3,
      message: 'SLURM job 7 failed (FAILED, NonZeroExitCode, exit code 3)',
    });
    expect(toJobStatus(rec('FAILED', { code: 0, signal: 9 }), '7')).toEqual({
      state: 'failed',
      exitCode: 137,
      message: 'SLURM job 7 failed (FAILED, killed by SIGKILL)',
    });
    expect(toJobStatus(rec('TIMEOUT', { code: 0, signal: 15 }), '7').message).toBe('SLURM job 7 reached its time limit (TIMEOUT, killed by SIGTERM)');
    expect(toJobStatus(rec('OUT_OF_MEMORY', { code: 0, signal: 9 }), '7').message).toBe('SLURM job 7 ran out of memory (OUT_OF_MEMORY, killed by SIGKILL)');
    expect(toJobStatus(rec('COMPLETED'), '7').exitCode).toBe(0);
    expect(toJobStatus(rec('NODE_FAIL'), '7')).toEqual({ state: 'failed', message: 'SLURM job 7 lost its node (NODE_FAIL)' });
  });

  it('counts any end of a job broom asked to stop as stopped, saying what SLURM said', () => {
    expect(toJobStatus(rec('FAILED', { code: 0, signal: 15 }, 'JobLaunchFailure'), '9', true)).toEqual({
      state: 'stopped',
      exitCode: 143,
      message: 'stopped on request; SLURM job 9 failed (FAILED, JobLaunchFailure, killed by SIGTERM)',
    });
    expect(toJobStatus(rec('COMPLETED', { code: 0, signal: 0 }), '9', true).state).toBe('stopped');
    // Not yet ended: still what SLURM says.
    expect(toJobStatus(rec('RUNNING'), '9', true).state).toBe('running');
  });

  it('says why a job is pending', () => {
    expect(toJobStatus(rec('PENDING', undefined, 'BeginTime'), '5')).toEqual({ state: 'pending', message: 'SLURM job 5 is PENDING (BeginTime)' });
    expect(toJobStatus(rec('PENDING', undefined, 'None'), '5').message).toBe('SLURM job 5 is PENDING');
  });
});

describe('exit codes', () => {
  it('reads sacct/scontrol "code:signal" pairs', () => {
    expect(parseExitPair('3:0')).toEqual({ code: 3, signal: 0 });
    expect(parseExitPair('0:15')).toEqual({ code: 0, signal: 15 });
    expect(parseExitPair('')).toBeUndefined();
    expect(parseExitPair(undefined)).toBeUndefined();
  });

  it('reads squeue\'s raw wait status', () => {
    expect(parseWaitStatus('768')).toEqual({ code: 3, signal: 0 });
    expect(parseWaitStatus('15')).toEqual({ code: 0, signal: 15 });
    expect(parseWaitStatus('0')).toEqual({ code: 0, signal: 0 });
    expect(parseWaitStatus('N/A')).toBeUndefined();
  });

  it('takes the first word of a state', () => {
    expect(baseState(' CANCELLED by 1000 ')).toBe('CANCELLED');
  });
});
