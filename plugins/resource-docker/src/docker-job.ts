import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { JobStatus, LaunchedJob } from '@broom/core';
import { DockerCommandError, DockerUnavailableError, said, unreachableError, type DockerCommands } from './docker-commands.js';
import { toJobStatus } from './docker-states.js';

export interface DockerJobOptions {
  /** Seconds `docker stop` waits between SIGTERM and SIGKILL. */
  killWait: number;
  /** Remove the container once its end was recorded. */
  remove: boolean;
  /** Seconds between tries when `docker wait` or `docker inspect` cannot reach the daemon (default 2). */
  retryInterval?: number;
  /** Tries in a row that may fail before the job is given up as lost (default 30). */
  retries?: number;
  /** The program the container's init runs (program items), named when it exits 127 (not found). */
  program?: string;
}

const ENDED = new Set(['finished', 'failed', 'stopped']);
/** How long `wait()` waits for `docker logs --follow` to drain after the container ended. */
const LOGS_GRACE_MS = 15_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `docker logs --follow` of a container, appended to the item's log file (stdout and stderr, as
 * they come). Resolves `done` when docker stops following (the container ended) or the follower dies.
 */
export class LogFollower {
  readonly done: Promise<void>;
  private readonly child;

  constructor(docker: DockerCommands, container: string, logFile: string) {
    const log = createWriteStream(logFile, { flags: 'a' });
    log.on('error', () => {});
    this.child = spawn(docker.program, ['logs', '--follow', container], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.pipe(log, { end: false });
    this.child.stderr.pipe(log, { end: false });
    this.done = new Promise((resolve) => {
      const end = () => log.end(() => resolve());
      this.child.on('error', (error) => {
        log.write(`[broom] cannot follow the output of container ${container}: ${error.message}\n`);
        end();
      });
      this.child.on('close', end);
    });
  }

  /** Stop following (the container is gone, or its output would never end). */
  close(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
  }
}

/**
 * One container started by `docker run --detach`: its state from `docker inspect`, its end from
 * `docker wait` (then inspect for the exit code, OOM kill and docker's error), stopped with
 * `docker stop -t <kill-wait>` (SIGTERM, SIGKILL after the wait) and `docker kill` if that fails.
 */
export class DockerJob implements LaunchedJob {
  /** The short container id (what `docker ps` shows). */
  readonly id: string;
  private final: JobStatus | undefined;
  private stopRequested = false;
  private stopping: Promise<void> | undefined;
  private waiting: Promise<JobStatus> | undefined;

  constructor(
    /** The full container id. */
    readonly container: string,
    /** The container's name (`broom-<item id>`). */
    readonly name: string,
    private readonly docker: DockerCommands,
    private readonly options: DockerJobOptions,
    private readonly logs?: LogFollower,
  ) {
    this.id = container.slice(0, 12);
  }

  /** Where docker says the container is. A daemon that does not answer gives `unknown` with its message. */
  async status(): Promise<JobStatus> {
    if (this.final) return this.final;
    try {
      const state = await this.docker.inspectState(this.container);
      if (state === undefined) return { state: 'unknown', message: `container ${this.name} is not known to docker any more (removed outside broom?)` };
      return toJobStatus(state, this.name, this.stopRequested);
    } catch (error) {
      if (error instanceof DockerUnavailableError || error instanceof DockerCommandError) return { state: 'unknown', message: error.message };
      throw error;
    }
  }

  wait(): Promise<JobStatus> {
    this.waiting ??= this.follow();
    return this.waiting;
  }

  private async follow(): Promise<JobStatus> {
    const retries = this.options.retries ?? 30;
    const interval = (this.options.retryInterval ?? 2) * 1000;
    let failures = 0;
    let waited: number | undefined;
    let status: JobStatus | undefined;
    let lastProblem = '';
    while (status === undefined) {
      try {
        const r = await this.docker.run(['container', 'wait', this.container], { timeout: 0 });
        if (r.code === 0 && /^\d+$/.test(r.stdout.trim())) {
          waited = Number(r.stdout.trim());
          break;
        }
        if (/no such container/i.test(r.stderr)) {
          status = this.stopRequested
            ? { state: 'stopped', message: `stopped (container ${this.name} was removed)` }
            : { state: 'failed', message: `container ${this.name} was removed before broom saw it end` };
          break;
        }
        lastProblem = unreachableError(this.docker.program, r)?.message ?? said(r);
      } catch (error) {
        if (!(error instanceof DockerUnavailableError || error instanceof DockerCommandError)) throw error;
        lastProblem = error.message;
      }
      if (++failures >= retries) {
        status = { state: 'failed', message: `lost track of container ${this.name}: docker wait failed ${failures} times; last: ${lastProblem}` };
        break;
      }
      await sleep(interval);
    }
    if (status === undefined) {
      // docker wait gave the exit code; inspect says why (OOM kill, docker's own error).
      status = await this.status();
      if (!ENDED.has(status.state)) {
        status = this.stopRequested
          ? { state: 'stopped', exitCode: waited!, message: `stopped (exit code ${waited})` }
          : waited === 0
            ? { state: 'finished', exitCode: 0 }
            : { state: 'failed', exitCode: waited!, message: `exit code ${waited} (docker inspect: ${status.message ?? status.state})` };
      }
    }
    if (status.state === 'failed' && status.exitCode === 127 && this.options.program !== undefined) {
      status = { ...status, message: `${status.message}: the program "${this.options.program}" was not found in the image (on its PATH), or could not be run; see the log` };
    }
    if (this.logs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.logs.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, LOGS_GRACE_MS)))]);
      clearTimeout(timer);
      this.logs.close();
    }
    this.final = status;
    if (this.options.remove) {
      await this.docker.run(['container', 'rm', '--force', this.container]).catch(() => undefined);
    }
    return status;
  }

  /**
   * `docker stop -t <kill-wait>`: the container's stop signal (SIGTERM unless the image says
   * otherwise), SIGKILL after the wait; `docker kill` if docker stop fails. Resolves once the
   * stop has been handed to docker; `wait()` gives the end.
   */
  async stop(): Promise<void> {
    if (this.final) return;
    this.stopRequested = true;
    this.stopping ??= (async () => {
      try {
        const r = await this.docker.run(['container', 'stop', '-t', String(Math.round(this.options.killWait)), this.container], {
          timeout: this.options.killWait + 60,
        });
        if (r.code === 0 || /no such container|is not running/i.test(r.stderr)) return;
      } catch {
        // fall through to docker kill
      }
      this.kill();
    })();
  }

  /** `docker kill` now (SIGKILL; a second interrupt of the launch agent). */
  kill(): void {
    if (this.final) return;
    this.stopRequested = true;
    void this.docker.run(['container', 'kill', this.container], { timeout: 60 }).catch(() => undefined);
  }
}
