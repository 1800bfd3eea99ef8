import { constants } from 'node:os';
import type { JobStatus } from '@broom/core';

/** The part of `docker inspect`'s `.State` broom reads. */
export interface ContainerState {
  Status?: string;
  Running?: boolean;
  Paused?: boolean;
  Restarting?: boolean;
  OOMKilled?: boolean;
  Dead?: boolean;
  ExitCode?: number;
  Error?: string;
  StartedAt?: string;
  FinishedAt?: string;
}

const SIGNAL_NAMES: Record<number, string> = Object.fromEntries(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/** `137` → `SIGKILL` (a container's exit code is 128 + the signal that killed its process). */
export function signalOf(exitCode: number): string | undefined {
  return exitCode > 128 && exitCode < 128 + 65 ? SIGNAL_NAMES[exitCode - 128] : undefined;
}

function isState(value: unknown): value is ContainerState {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Where a container is, from `docker inspect --format '{{json .State}}'`: created → pending;
 * running, paused, restarting, removing → running; exited or dead → finished (exit code 0), failed
 * (any other code, an OOM kill, an error starting it) or stopped (when broom stopped it).
 */
export function toJobStatus(raw: unknown, container: string, stopRequested = false): JobStatus {
  if (!isState(raw)) return { state: 'unknown', message: `docker inspect of container ${container} gave no state` };
  const status = (raw.Status ?? '').toLowerCase();
  if (status === 'created') return { state: 'pending', message: `container ${container} is created, not started yet` };
  if (status === 'running' || status === 'restarting' || status === 'removing') return { state: 'running' };
  if (status === 'paused') return { state: 'running', message: `container ${container} is paused` };
  if (status !== 'exited' && status !== 'dead') {
    if (raw.Running) return { state: 'running' };
    return { state: 'unknown', message: `container ${container} is in docker state "${raw.Status ?? '(none)'}"` };
  }
  const exitCode = typeof raw.ExitCode === 'number' ? raw.ExitCode : undefined;
  const signal = exitCode !== undefined ? signalOf(exitCode) : undefined;
  const code = exitCode !== undefined ? `exit code ${exitCode}` : 'no exit code';
  const error = raw.Error?.trim();
  if (stopRequested) {
    return { state: 'stopped', ...(exitCode !== undefined ? { exitCode } : {}), message: signal ? `stopped (signal ${signal}, ${code})` : `stopped (${code})` };
  }
  if (raw.OOMKilled && exitCode === 0) {
    // A process of the container was OOM-killed, but the program itself ended well.
    return { state: 'finished', exitCode, message: `a process in container ${container} was killed for using more memory than it may (OOMKilled); the program exited 0` };
  }
  if (raw.OOMKilled) {
    return {
      state: 'failed',
      ...(exitCode !== undefined ? { exitCode } : {}),
      message: `container ${container} was killed for using more memory than it may (OOMKilled, ${code}); raise resource_args.memory`,
    };
  }
  if (error) return { state: 'failed', ...(exitCode !== undefined ? { exitCode } : {}), message: `docker could not run container ${container}: ${error}` };
  if (status === 'dead') return { state: 'failed', ...(exitCode !== undefined ? { exitCode } : {}), message: `container ${container} is dead (docker could not remove or stop it cleanly; ${code})` };
  if (exitCode === 0) return { state: 'finished', exitCode };
  if (exitCode === undefined) return { state: 'failed', message: `container ${container} exited with no exit code` };
  return { state: 'failed', exitCode, message: signal ? `killed by signal ${signal} (${code})` : code };
}
