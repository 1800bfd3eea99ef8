import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { importPlugin, instantiatePlugin, pyStr, resolvePlugin, type ResolvedPlugin, type JobStatus, type LaunchedJob, type Resource, type RunStateRequest } from '@broom/core';
import type { ApiClient, ItemKind, LaunchClient, QueueItemRecord } from '@broom/server/client';
import { MetricsTail } from '../agent/metrics-tail.js';
import { MetricsUploader } from '../agent/metrics-uploader.js';
import { isTransient, withRetry } from '../agent/retry.js';
import { prepareRun } from '../agent/run-files.js';
import type { ParsedLines } from '../agent/metrics-lines.js';

export interface LaunchAgentOptions {
  api: ApiClient;
  launch: LaunchClient;
  url: string;
  token?: string;
  queues: string[];
  /** Run items at once (−1 unlimited, 0 none). */
  maxJobs: number;
  /** Scheduler items at once (−1 unlimited, 0 none). */
  maxSchedulers: number;
  /** The broom directory (absolute): run files and item logs go under it. */
  dir: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** How this process runs broom again (`node [flags] bin/broom.mjs`), for scheduler items. */
  broomArgv: string[];
  /** Directories whose dependencies hold the built-in plugins (the resources). */
  hostDirs: readonly string[];
  say(line: string): void;
  retryDeadlineMs?: number;
  metricsIntervalMs?: number;
  tailIntervalMs?: number;
}

/** How often an agent with free slots asks for items (its heartbeat interval otherwise). */
const CLAIM_INTERVAL_MS = 1000;

interface LiveItem {
  item: QueueItemRecord;
  job?: LaunchedJob & { kill?: () => void };
  tail?: MetricsTail;
  uploader?: MetricsUploader;
  stopping?: string;
  ended: Promise<void>;
}

/** Wakes the loop before its next poll is due (an item ended, a signal arrived). */
class Waker {
  private resolve: (() => void) | undefined;
  wake(): void {
    this.resolve?.();
  }
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.resolve = undefined;
        resolve();
      }
      this.resolve = done;
    });
  }
}

/**
 * `broom launch-agent`: polls its queues and runs what it claims on the item's resource (a resource
 * plugin named by the item, its `resource_args` checked by the plugin's schema). A scheduler item
 * runs `broom scheduler <sweep-id>`; a run item runs the sweep's command with the run's config, as
 * `broom agent` does (same files, macros and environment), streaming its metrics. Items are
 * reported as they start and end; heartbeats bring stop orders. SIGINT/SIGTERM stop its jobs and
 * end it (a second signal kills them).
 */
export class LaunchAgent {
  private readonly live = new Map<string, LiveItem>();
  private readonly waker = new Waker();
  private readonly resources = new Map<string, Resource>();
  private stopping: { code: number; reason: string } | undefined;
  private signals = 0;
  private agentId: string | undefined;

  constructor(private readonly o: LaunchAgentOptions) {}

  get registered(): boolean {
    return this.agentId !== undefined;
  }

  interrupt(signal: NodeJS.Signals): void {
    this.signals++;
    const code = signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143;
    if (this.signals === 1) {
      this.o.say(`${signal}: stopping ${this.live.size} job(s) and exiting (again to kill them now).`);
      this.stopping ??= { code, reason: '' };
      for (const l of this.live.values()) void this.stopItem(l, `launch agent interrupted (${signal})`);
    } else {
      this.o.say(`${signal} again: killing ${this.live.size} job(s) now.`);
      for (const l of this.live.values()) l.job?.kill?.();
    }
    this.waker.wake();
  }

  async run(): Promise<number> {
    const { launch, say } = this.o;
    const registered = await withRetry(
      () => launch.registerLaunchAgent({ host: hostname(), pid: process.pid, queues: this.o.queues, maxJobs: this.o.maxJobs, maxSchedulers: this.o.maxSchedulers }),
      { deadlineMs: this.o.retryDeadlineMs ?? 600_000 },
    );
    this.agentId = registered.launchAgentId;
    const intervalMs = Math.max(50, registered.pollInterval * 1000);
    say(`Launch agent ${this.agentId} polling queue${this.o.queues.length > 1 ? 's' : ''} ${this.o.queues.join(', ')} (max jobs ${fmt(this.o.maxJobs)}, max schedulers ${fmt(this.o.maxSchedulers)}).`);
    let offlineSince: number | undefined;
    for (;;) {
      if (this.stopping && this.live.size === 0) break;
      try {
        const { stop } = await launch.heartbeat(this.agentId, [...this.live.keys()]);
        for (const order of stop) {
          const l = this.live.get(order.itemId);
          if (l) await this.stopItem(l, order.reason);
        }
        if (!this.stopping) await this.claimAll();
        if (offlineSince !== undefined) say('Reached the server again.');
        offlineSince = undefined;
      } catch (error) {
        if (!isTransient(error)) {
          say(`${(error as Error).message} Stopping the launch agent.`);
          this.stopping ??= { code: 1, reason: '' };
          for (const l of this.live.values()) void this.stopItem(l, 'the launch agent stops');
        } else {
          if (offlineSince === undefined) say(`Cannot reach the server (${(error as Error).message}); jobs go on and the agent keeps trying.`);
          offlineSince ??= Date.now();
          if (this.live.size === 0 && Date.now() - offlineSince > (this.o.retryDeadlineMs ?? 600_000)) {
            this.stopping ??= { code: 1, reason: 'Gave up: the server does not answer.' };
          }
        }
      }
      if (this.stopping && this.live.size === 0) break;
      // With room for more, look for new items every second (a scheduler queues runs as slots free up).
      await this.waker.wait(this.kinds().length > 0 && !this.stopping ? Math.min(intervalMs, CLAIM_INTERVAL_MS) : intervalMs);
    }
    await Promise.all([...this.live.values()].map((l) => l.ended));
    try {
      await launch.exitAgent(this.agentId);
    } catch (error) {
      say(`Could not tell the server that the agent exits: ${(error as Error).message}`);
    }
    if (this.stopping?.reason) say(this.stopping.reason);
    say(`Launch agent ${this.agentId} exits.`);
    return this.stopping?.code ?? 0;
  }

  private kinds(): ItemKind[] {
    let schedulers = 0;
    let runs = 0;
    for (const l of this.live.values()) {
      if (l.item.kind === 'scheduler') schedulers++;
      else runs++;
    }
    const room = (max: number, n: number) => max < 0 || n < max;
    const kinds: ItemKind[] = [];
    if (room(this.o.maxSchedulers, schedulers)) kinds.push('scheduler');
    if (room(this.o.maxJobs, runs)) kinds.push('run');
    return kinds;
  }

  private async claimAll(): Promise<void> {
    for (;;) {
      const kinds = this.kinds();
      if (kinds.length === 0 || this.stopping) return;
      const { item } = await this.o.launch.claim(this.agentId!, kinds);
      if (!item) return;
      await this.start(item);
    }
  }

  private async start(item: QueueItemRecord): Promise<void> {
    const { say } = this.o;
    let settle!: () => void;
    const l: LiveItem = { item, ended: new Promise((r) => (settle = r)) };
    this.live.set(item.id, l);
    const what = item.kind === 'scheduler' ? `scheduler of sweep ${item.sweepId}` : `run ${item.runId} of sweep ${item.sweepId}`;
    try {
      const resource = await this.resource(item);
      const image = item.kind === 'run' ? item.spec.imageUri : undefined;
      // image_uri: the run is the image's entrypoint with the run's args, which only a container resource runs.
      if (image !== undefined && !resource.runsImages) {
        throw new Error(`the sweep has image_uri ${image}, a container image, but the resource "${item.resource}" runs programs, not images (use launch.resource: local-container).`);
      }
      const missing = resource.check?.(image !== undefined ? { image } : {});
      if (missing) throw new Error(missing);
      const spec = item.kind === 'scheduler' ? await this.schedulerSpec(item) : await this.runSpec(l);
      say(`Item ${item.id}: starting the ${what} on ${item.resource}${image !== undefined ? ` (image ${image})` : ''}.`);
      l.job = (await resource.launch({ itemId: item.id, resourceArgs: item.resourceArgs, cwd: this.o.cwd, ...spec, ...(image !== undefined ? { image } : {}) })) as LiveItem['job'];
    } catch (error) {
      const message = `could not start: ${(error as Error).message}`;
      say(`Item ${item.id} (${what}) ${message}`);
      await this.report(item, { state: 'failed', message }, { state: 'failed', exitCode: null });
      this.live.delete(item.id);
      settle();
      this.waker.wake();
      return;
    }
    await this.report(item, { state: 'running', jobId: l.job!.id }, { state: 'running' });
    l.tail?.start();
    if (l.stopping) await l.job!.stop();
    void l.job!.wait().then(async (status) => {
      await this.finish(l, status);
      this.live.delete(item.id);
      settle();
      this.waker.wake();
    });
  }

  private async finish(l: LiveItem, status: JobStatus): Promise<void> {
    await l.tail?.stop();
    await l.uploader?.flush();
    const state = status.state === 'finished' ? 'finished' : status.state === 'stopped' ? 'stopped' : 'failed';
    const runState: RunStateRequest['state'] = state === 'finished' ? 'finished' : state === 'stopped' ? 'killed' : 'failed';
    const message = l.stopping && state === 'stopped' ? `stopped: ${l.stopping}` : status.message;
    await this.report(l.item, { state, exitCode: status.exitCode ?? null, ...(message ? { message } : {}) }, { state: runState, exitCode: status.exitCode ?? null });
    this.o.say(`Item ${l.item.id} ${state}${status.exitCode !== undefined ? ` (exit code ${status.exitCode})` : ''}${message ? `: ${message}` : ''}.`);
  }

  private async stopItem(l: LiveItem, reason: string): Promise<void> {
    if (l.stopping) return;
    l.stopping = reason;
    this.o.say(`Stopping item ${l.item.id}: ${reason}.`);
    await l.job?.stop();
  }

  private async resource(item: QueueItemRecord): Promise<Resource> {
    const key = `${item.resource}\u0000${JSON.stringify(item.resourceArgs)}`;
    let r = this.resources.get(key);
    if (!r) {
      const where = item.kind === 'scheduler' ? 'scheduler' : 'launch';
      const resolved = resolvePlugin(item.resource, 'resource', { key: `${where}.resource`, hostDirs: this.o.hostDirs }) as ResolvedPlugin & { kind: 'resource' };
      r = instantiatePlugin(await importPlugin(resolved, `${where}.resource`), item.resourceArgs, `${where}.resource_args`);
      this.resources.set(key, r);
    }
    return r;
  }

  private async schedulerSpec(item: QueueItemRecord) {
    const sweepId = item.sweepId!;
    const logFile = path.join(this.o.dir, 'launch', `scheduler-${sweepId}-${item.id}.log`);
    await mkdir(path.dirname(logFile), { recursive: true });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.o.env)) if (v !== undefined) env[k] = v;
    Object.assign(env, {
      BROOM_URL: this.o.url,
      BROOM_LAUNCH_ITEM_ID: item.id,
      BROOM_LAUNCH_AGENT_PID: String(process.pid),
      BROOM_LAUNCH_AGENT_HOST: hostname(),
      BROOM_DIR: this.o.dir,
    });
    if (this.o.token) env.BROOM_TOKEN = this.o.token;
    const [, , ...rest] = item.spec.entryPoint ?? ['broom', 'scheduler', sweepId];
    return { command: [...this.o.broomArgv, 'scheduler', ...rest], env, logFile };
  }

  private async runSpec(l: LiveItem) {
    const { item } = l;
    const runId = item.runId!;
    // An image_uri run's argv is the arguments of the image's entrypoint: the sweep's command, else ${args}.
    const image = item.spec.imageUri !== undefined;
    const command = item.spec.command ?? (image ? ['${args}'] : undefined);
    const prepared = await prepareRun(
      {
        sweepId: item.sweepId!,
        runId,
        runName: item.spec.runName ?? runId,
        config: item.spec.config ?? {},
        ...(item.spec.program !== undefined ? { program: item.spec.program } : {}),
        ...(command !== undefined ? { command } : {}),
      },
      this.o.dir,
      this.o.env,
    );
    // W&B's launch hands a run in a container its config as WANDB_CONFIG too (BROOM_CONFIG is there as for every run).
    if (image) prepared.env.WANDB_CONFIG = prepared.env.BROOM_CONFIG!;
    if (item.spec.project) prepared.env.WANDB_PROJECT = item.spec.project;
    if (item.spec.entity) prepared.env.WANDB_ENTITY = item.spec.entity;
    prepared.env.BROOM_LAUNCH_ITEM_ID = item.id;
    this.o.say(`Run ${runId} config: ${Object.entries(item.spec.config ?? {}).map(([k, v]) => `${k}=${pyStr(v)}`).join(' ')}`);
    l.uploader = new MetricsUploader({
      send: (request) => this.o.api.postMetrics(runId, request),
      intervalMs: this.o.metricsIntervalMs,
      retryDeadlineMs: this.o.retryDeadlineMs,
      warn: (message) => this.o.say(`Run ${runId}: ${message}`),
    });
    l.tail = new MetricsTail(
      prepared.paths.metricsFile,
      (parsed: ParsedLines) => l.uploader!.add(parsed.rows, parsed.summary),
      this.o.tailIntervalMs,
      (error) => this.o.say(`Run ${runId}: cannot read ${prepared.paths.metricsFile}: ${error.message}`),
    );
    return { command: prepared.argv, env: prepared.env, logFile: prepared.paths.outputLog };
  }

  /** Report an item's state (and its run's), retrying while the server cannot be reached; never throws. */
  private async report(item: QueueItemRecord, itemState: Parameters<LaunchClient['setItemState']>[1], runState: RunStateRequest): Promise<void> {
    const deadlineMs = this.o.retryDeadlineMs ?? 600_000;
    try {
      if (item.kind === 'run' && item.runId) await withRetry(() => this.o.api.setRunState(item.runId!, runState), { deadlineMs });
    } catch (error) {
      this.o.say(`Cannot report run ${item.runId} as ${runState.state}: ${(error as Error).message}`);
    }
    try {
      await withRetry(() => this.o.launch.setItemState(item.id, itemState), { deadlineMs });
    } catch (error) {
      this.o.say(`Cannot report item ${item.id} as ${itemState.state}: ${(error as Error).message}`);
    }
  }
}

function fmt(n: number): string {
  return n < 0 ? 'unlimited' : String(n);
}
