import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import type { JobStatus, LaunchedJob, LaunchSpec, Resource } from '@broom/core';
import type { LocalProcessOptions } from './options.schema.js';

export const DEFAULT_KILL_DELAY_S = 30;

/** Starts each job as a child process; options are `resource_args` validated by the plugin's schema. */
export class LocalProcessResource implements Resource {
  constructor(private readonly options: LocalProcessOptions = {}) {}

  async launch(spec: LaunchSpec): Promise<LaunchedJob> {
    if (spec.command.length === 0) throw new Error(`Item ${spec.itemId}: the command is empty.`);
    const cwd = path.resolve(spec.cwd, this.options.cwd ?? '.');
    const env = { ...spec.env, ...(this.options.env ?? {}) };
    const killDelayMs = (this.options.kill_delay ?? DEFAULT_KILL_DELAY_S) * 1000;
    return LocalProcessJob.start(spec.command, { cwd, env, logFile: spec.logFile, killDelayMs });
  }
}

interface JobOptions {
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  killDelayMs: number;
}

/**
 * One child process: its own process group (a stop reaches everything it started), stdin closed,
 * no shell, stdout and stderr appended to the log file. `stop()` sends SIGTERM to the group and
 * SIGKILL after the kill delay if it is still alive.
 */
export class LocalProcessJob implements LaunchedJob {
  private state: JobStatus = { state: 'running' };
  private stopping = false;
  private killTimer: NodeJS.Timeout | undefined;
  readonly done: Promise<JobStatus>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly killDelayMs: number,
    done: Promise<JobStatus>,
  ) {
    this.done = done;
  }

  static start(command: readonly string[], opts: JobOptions): Promise<LocalProcessJob> {
    mkdirSync(path.dirname(opts.logFile), { recursive: true });
    const log = createWriteStream(opts.logFile, { flags: 'a' });
    log.on('error', () => {});
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(command[0], command.slice(1), {
          cwd: opts.cwd,
          env: opts.env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: process.platform !== 'win32',
          windowsHide: true,
        });
      } catch (error) {
        log.end();
        reject(error);
        return;
      }
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      let job: LocalProcessJob | undefined;
      const done = new Promise<JobStatus>((settle) => {
        child.on('close', (code, signal) => {
          const j = job;
          if (!j) return; // never started: the 'error' handler rejected
          clearTimeout(j.killTimer);
          const exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : null);
          const status: JobStatus = j.stopping
            ? { state: 'stopped', ...(exitCode !== null ? { exitCode } : {}), message: signal ? `stopped (signal ${signal})` : `stopped (exit code ${exitCode})` }
            : exitCode === 0
              ? { state: 'finished', exitCode }
              : { state: 'failed', ...(exitCode !== null ? { exitCode } : {}), message: signal ? `killed by signal ${signal}` : `exit code ${exitCode}` };
          j.state = status;
          log.end(() => settle(status));
        });
      });
      child.once('spawn', () => {
        job = new LocalProcessJob(child, opts.killDelayMs, done);
        resolve(job);
      });
      child.once('error', (error) => {
        if (child.pid === undefined) {
          log.end();
          reject(new Error(`Cannot start ${command[0]}: ${error.message}`));
        }
      });
    });
  }

  get id(): string {
    return String(this.child.pid);
  }

  async status(): Promise<JobStatus> {
    return this.state;
  }

  wait(): Promise<JobStatus> {
    return this.done;
  }

  async stop(): Promise<void> {
    if (this.state.state !== 'running' || this.stopping) return;
    this.stopping = true;
    this.signal('SIGTERM');
    this.killTimer = setTimeout(() => this.signal('SIGKILL'), this.killDelayMs);
    this.killTimer.unref();
  }

  /** SIGKILL the group now (a second interrupt of the launch agent). */
  kill(): void {
    if (this.state.state !== 'running') return;
    this.stopping = true;
    this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined || this.state.state !== 'running') return;
    try {
      if (process.platform === 'win32') this.child.kill(signal);
      else process.kill(-pid, signal);
    } catch {
      try {
        this.child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}
