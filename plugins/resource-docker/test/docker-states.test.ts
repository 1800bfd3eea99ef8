import { describe, expect, it } from 'vitest';
import { signalOf, toJobStatus } from '../src/index.js';

/** `.State` as docker 20.10–28 print it with `docker inspect --format '{{json .State}}'`. */
function state(more: Record<string, unknown>) {
  return {
    Status: 'exited',
    Running: false,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: 0,
    ExitCode: 0,
    Error: '',
    StartedAt: '2026-11-23T14:03:52.690145339Z',
    FinishedAt: '2026-11-23T14:03:53.1Z',
    ...more,
  };
}

describe('docker inspect state → job status', () => {
  it('created is pending; running, paused, restarting and removing are running', () => {
    expect(toJobStatus(state({ Status: 'created' }), 'broom-a')).toEqual({ state: 'pending', message: 'container broom-a is created, not started yet' });
    expect(toJobStatus(state({ Status: 'running', Running: true, Pid: 42 }), 'broom-a')).toEqual({ state: 'running' });
    expect(toJobStatus(state({ Status: 'paused', Running: true, Paused: true }), 'broom-a')).toEqual({ state: 'running', message: 'container broom-a is paused' });
    expect(toJobStatus(state({ Status: 'restarting', Restarting: true }), 'broom-a').state).toBe('running');
    expect(toJobStatus(state({ Status: 'removing' }), 'broom-a').state).toBe('running');
  });

  it('exit 0 is finished; any other code failed, with the signal when it was one', () => {
    expect(toJobStatus(state({ ExitCode: 0 }), 'broom-a')).toEqual({ state: 'finished', exitCode: 0 });
    expect(toJobStatus(state({ ExitCode: 3 }), 'broom-a')).toEqual({ state: 'failed', exitCode: 3, message: 'exit code 3' });
    expect(toJobStatus(state({ ExitCode: 137 }), 'broom-a')).toEqual({ state: 'failed', exitCode: 137, message: 'killed by signal SIGKILL (exit code 137)' });
    expect(toJobStatus(state({ ExitCode: 143 }), 'broom-a').message).toBe('killed by signal SIGTERM (exit code 143)');
    expect(signalOf(130)).toBe('SIGINT');
    expect(signalOf(3)).toBeUndefined();
    expect(signalOf(255)).toBeUndefined();
  });

  it('an OOM kill fails and says so, with what to raise; a program that survived the kill of a child finished', () => {
    // As docker 20.10 reported `sh -c 'dd bs=100M …; echo done'` under --memory=16m: dd killed, sh exited 0.
    expect(toJobStatus(state({ ExitCode: 0, OOMKilled: true }), 'broom-a')).toEqual({
      state: 'finished',
      exitCode: 0,
      message: 'a process in container broom-a was killed for using more memory than it may (OOMKilled); the program exited 0',
    });
    expect(toJobStatus(state({ ExitCode: 137, OOMKilled: true }), 'broom-a')).toEqual({
      state: 'failed',
      exitCode: 137,
      message: 'container broom-a was killed for using more memory than it may (OOMKilled, exit code 137); raise resource_args.memory',
    });
  });

  it("docker's own error (the program could not start) fails with docker's words", () => {
    const s = state({
      ExitCode: 127,
      Error: 'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown',
    });
    expect(toJobStatus(s, 'broom-a')).toEqual({ state: 'failed', exitCode: 127, message: `docker could not run container broom-a: ${s.Error}` });
    expect(toJobStatus(state({ Status: 'dead', Dead: true, ExitCode: 0 }), 'broom-a').state).toBe('failed');
  });

  it('any end of a container broom stopped is stopped, with its exit code', () => {
    expect(toJobStatus(state({ ExitCode: 143 }), 'broom-a', true)).toEqual({ state: 'stopped', exitCode: 143, message: 'stopped (signal SIGTERM, exit code 143)' });
    expect(toJobStatus(state({ ExitCode: 0 }), 'broom-a', true)).toEqual({ state: 'stopped', exitCode: 0, message: 'stopped (exit code 0)' });
    expect(toJobStatus(state({ ExitCode: 137, OOMKilled: true }), 'broom-a', true).state).toBe('stopped');
    // A container still running after a stop was asked for is still running.
    expect(toJobStatus(state({ Status: 'running', Running: true }), 'broom-a', true)).toEqual({ state: 'running' });
  });

  it('anything else is unknown, saying what docker said', () => {
    expect(toJobStatus(undefined, 'broom-a')).toEqual({ state: 'unknown', message: 'docker inspect of container broom-a gave no state' });
    expect(toJobStatus([], 'broom-a').state).toBe('unknown');
    expect(toJobStatus({ Status: 'frozen' }, 'broom-a')).toEqual({ state: 'unknown', message: 'container broom-a is in docker state "frozen"' });
    expect(toJobStatus({ Status: 'exited' }, 'broom-a')).toEqual({ state: 'failed', message: 'container broom-a exited with no exit code' });
  });
});
