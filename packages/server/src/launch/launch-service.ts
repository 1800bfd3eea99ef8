import { randomInt } from 'node:crypto';
import {
  BroomError,
  fillConfig,
  importPlugin,
  instantiatePlugin,
  resolvePlugin,
  type ResolvedPlugin,
  isRecord,
  loadScheduler,
  loadSearchMethod,
  stringifyJson,
  type EngineService,
  type Resource,
  type SweepConfig,
  type SweepState,
  type ValueRecord,
} from '@broom/core';
import { ACTIVE_RUN_STATES } from '../controller/sweep-controller.js';
import { newId } from '../controller/ids.js';
import { ServiceError } from '../controller/service-error.js';
import { toRunDetail, toSweepDetail } from '../http/render.js';
import {
  DEFAULT_PRIORITY,
  TERMINAL_ITEM_STATES,
  type ItemKind,
  type ItemSpec,
  type LaunchSweepRow,
  type NewQueueItem,
  type QueueItemRow,
} from '../store/launch-types.js';
import type { Store, SweepRow } from '../store/store.js';
import type {
  AddRunsRequest,
  AddRunsResponse,
  ClaimResponse,
  CreateLaunchSweepRequest,
  ItemStateRequest,
  LaunchHeartbeatResponse,
  LaunchSweepRecord,
  LaunchSweepResponse,
  QueueDetail,
  QueueSummary,
  RegisterLaunchAgentRequest,
  RegisterLaunchAgentResponse,
  ResumeLaunchSweepRequest,
  SchedulerReport,
} from './launch-api.js';
import { launchMessages } from './launch-messages.js';

export interface LaunchServiceOptions {
  store: Store;
  hostDirs: string[];
  log(line: string): void;
  pollIntervalMs: number;
  /** A launch agent silent this long loses its items (failed; their runs crashed). */
  heartbeatTimeoutMs: number;
  /** Seconds between a launch agent's polls. */
  pollIntervalS: number;
  now?: () => Date;
}

/** The resource a run or scheduler gets when the config names none. */
export const DEFAULT_RESOURCE = 'local-process';
/** The resource the runs of a sweep with `image_uri` get when `launch.resource` names none (W&B's local-container). */
export const IMAGE_RESOURCE = 'local-container';
/**
 * Sweep states in which a launch sweep's queued runs still start: all but CANCELED and FINISHED
 * (stopped). A sweep whose scheduler died (FAILED) keeps its queued runs for a `--resume_id`.
 */
const RUNNABLE: ReadonlySet<SweepState> = new Set(['PENDING', 'RUNNING', 'PAUSED', 'FAILED']);
const LIVE: readonly SweepState[] = ['PENDING', 'RUNNING', 'PAUSED'];
const RESUMABLE: readonly SweepState[] = ['PENDING', 'PAUSED', 'FINISHED', 'CANCELED', 'FAILED'];

/** An engine that is never asked anything: loading a scheduler to check its settings needs one. */
const NO_ENGINE: EngineService = {
  propose: () => Promise.reject(new Error('not available while checking the config')),
  prune: () => Promise.reject(new Error('not available while checking the config')),
};

/**
 * Sweeps on Launch on the server (issue 7): launch sweeps (created PENDING with their scheduler
 * queued as an item; the server's own sweep controller never drives them), the calls of their
 * schedulers (add runs with their items, save state, stop runs, finish or fail the sweep), and the
 * launch agents (register, heartbeat with stop orders, claim items at most once, report items).
 * A timer fails the items of launch agents that went silent and crashes their runs.
 */
export class LaunchService {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly now: () => Date;
  private readonly startedAt: number;

  constructor(private readonly opts: LaunchServiceOptions) {
    this.now = opts.now ?? (() => new Date());
    this.startedAt = this.now().getTime();
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.opts.pollIntervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
  }

  /** Whether a sweep is a launch sweep (its scheduler runs under a launch agent, not in the server). */
  async isLaunchSweep(sweepId: string): Promise<boolean> {
    return (await this.opts.store.getLaunchSweep(sweepId)) !== undefined;
  }

  tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.failStale().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async failStale(): Promise<void> {
    const { store, heartbeatTimeoutMs } = this.opts;
    const now = this.now().getTime();
    // After a restart, launch agents get one timeout to come back.
    if (now - this.startedAt < heartbeatTimeoutMs) return;
    try {
      const message = launchMessages.agentSilent(heartbeatTimeoutMs / 1000);
      const failed = await store.failStaleItems(new Date(now - heartbeatTimeoutMs).toISOString(), new Date(now).toISOString(), message);
      for (const item of failed) {
        this.opts.log(`Item ${item.id} (${item.kind}${item.sweepId ? ` of sweep ${item.sweepId}` : ''}) failed: ${message}`);
        if (item.kind === 'scheduler') await this.schedulerEnded(item, message);
      }
    } catch (error) {
      this.opts.log(`Checking launch agents failed: ${errorMessage(error)}`);
    }
  }

  // ---- launch sweeps -----------------------------------------------------------------------

  async createLaunchSweep(req: CreateLaunchSweepRequest): Promise<LaunchSweepResponse> {
    const { store } = this.opts;
    const file = req.configFile;
    const config = this.fill(req.config, file);
    const warnings = await this.checkConfig(config, req.configDir, file);
    const id = await this.freeSweepId();
    const at = this.iso();
    const launchBlock: ValueRecord = (config.launch as ValueRecord | undefined) ?? {};
    const scheduler: ValueRecord = (config.scheduler as ValueRecord | undefined) ?? {};
    const priority = typeof launchBlock.priority === 'number' ? launchBlock.priority : DEFAULT_PRIORITY;
    await store.ensureQueue(req.queue, at);
    const { sweep, launch, item } = await store.createLaunchSweep({
      sweep: {
        id,
        name: req.name ?? config.name ?? id,
        project: req.project ?? config.project ?? 'uncategorized',
        ...((req.entity ?? config.entity) ? { entity: req.entity ?? config.entity } : {}),
        method: config.method,
        state: 'PENDING',
        config: req.config,
        ...(req.configText !== undefined ? { configText: req.configText } : {}),
        ...(file !== undefined ? { configFile: file } : {}),
        ...(req.configDir !== undefined ? { configDir: req.configDir } : {}),
        seed: randomInt(2 ** 31),
        createdAt: at,
      },
      launch: { sweepId: id, queue: req.queue, priority, scheduler, launch: launchBlock, createdAt: at },
      schedulerItem: this.schedulerItem(id, req.queue, priority, scheduler, at),
    });
    warnings.push(...(await this.queueWarnings(req.queue)));
    this.opts.log(`Launch sweep ${id} created (${config.method}); its scheduler is item ${item.id} in queue ${req.queue}.`);
    return { sweep: toSweepDetail(sweep, []), launch: await this.record(launch), item, warnings };
  }

  async resumeLaunchSweep(sweepId: string, req: ResumeLaunchSweepRequest): Promise<LaunchSweepResponse> {
    const { store } = this.opts;
    const sweep = await this.sweep(sweepId);
    const launch = await store.getLaunchSweep(sweep.id);
    if (!launch) throw new ServiceError(400, 'not-a-launch-sweep', launchMessages.notLaunchSweep(sweep.id));
    if (sweep.state === 'RUNNING') throw new ServiceError(409, 'sweep-state', launchMessages.resumeRunning(sweep.id));
    const warnings: string[] = [];
    let scheduler = launch.scheduler;
    let launchBlock = launch.launch;
    if (req.config !== undefined) {
      if (!isRecord(req.config)) throw new ServiceError(400, 'bad-request', 'POST /launch-sweeps/:id/resume: Key "config": must be an object.');
      const given = req.config;
      const stored = isRecord(sweep.config) ? sweep.config : {};
      const ignored = Object.keys(given).filter((k) => k !== 'scheduler' && k !== 'launch' && stringifyJson(given[k]) !== stringifyJson(stored[k] ?? null));
      if (ignored.length > 0) warnings.push(launchMessages.resumeIgnores(ignored));
      if (isRecord(given.scheduler)) {
        const oldJob = scheduler.job ?? null;
        const newJob = given.scheduler.job ?? null;
        if (newJob !== null && newJob !== oldJob) {
          throw new ServiceError(400, 'scheduler-job-changed', launchMessages.jobChanged(sweep.id, String(oldJob ?? 'wandb'), String(newJob)));
        }
        scheduler = { ...scheduler, ...given.scheduler };
      }
      if (isRecord(given.launch)) launchBlock = { ...launchBlock, ...given.launch };
    }
    const configValue = { ...(isRecord(sweep.config) ? sweep.config : {}), scheduler, ...(Object.keys(launchBlock).length ? { launch: launchBlock } : {}) };
    const config = this.fill(configValue, req.configFile ?? sweep.configFile);
    warnings.push(...(await this.checkConfig(config, sweep.configDir, sweep.configFile)));
    const queue = req.queue ?? (typeof launchBlock.queue === 'string' && req.config !== undefined ? launchBlock.queue : launch.queue);
    const priority = typeof launchBlock.priority === 'number' ? launchBlock.priority : DEFAULT_PRIORITY;
    const at = this.iso();
    await store.ensureQueue(queue, at);
    const result = await store.restartLaunchSweep(sweep.id, {
      queue,
      priority,
      scheduler,
      schedulerItem: this.schedulerItem(sweep.id, queue, priority, scheduler, at),
      state: 'PENDING',
      at,
      reason: `resumed with launch-sweep --resume_id (was ${sweep.state})`,
      from: RESUMABLE,
    });
    if (!result.ok) {
      if (result.why === 'active') throw new ServiceError(409, 'scheduler-active', launchMessages.schedulerActive(sweep.id, result.item));
      throw new ServiceError(409, 'sweep-state', launchMessages.resumeRunning(sweep.id));
    }
    const runs = await store.listRuns(sweep.id);
    warnings.push(...(await this.queueWarnings(queue)));
    this.opts.log(`Launch sweep ${sweep.id} resumed (was ${sweep.state}, ${runs.length} run(s) so far); its scheduler is item ${result.item.id} in queue ${queue}.`);
    return { sweep: toSweepDetail(result.sweep, runs), launch: await this.record(result.launch), item: result.item, warnings };
  }

  async getLaunchSweep(sweepId: string): Promise<LaunchSweepRecord> {
    const sweep = await this.sweep(sweepId);
    const launch = await this.opts.store.getLaunchSweep(sweep.id);
    if (!launch) throw new ServiceError(404, 'not-a-launch-sweep', launchMessages.notLaunchSweep(sweep.id));
    return this.record(launch);
  }

  /** The scheduler adds runs: each becomes a pending run and an item in the sweep's queue, in one transaction. */
  async addRuns(sweepId: string, req: AddRunsRequest): Promise<AddRunsResponse> {
    const { store } = this.opts;
    const sweep = await this.sweep(sweepId);
    const launch = await this.launchOf(sweep.id, req.schedulerItemId);
    if (req.expectedRuns !== undefined) {
      const count = (await store.listRuns(sweep.id)).length;
      if (count !== req.expectedRuns) {
        throw new ServiceError(409, 'runs-changed', `Sweep ${sweep.id} has ${count} run(s), not the ${req.expectedRuns} the scheduler saw: nothing was added (a resent request that had arrived, or a stale view); step again.`);
      }
    }
    const config = this.fill(sweep.config, sweep.configFile);
    const at = this.iso();
    const l = launch.launch;
    const resource = typeof l.resource === 'string' ? l.resource : config.image_uri !== undefined ? IMAGE_RESOURCE : DEFAULT_RESOURCE;
    const resourceArgs = isRecord(l.resource_args) && l.template_variables === undefined ? l.resource_args : {};
    const runs = req.runs.map((r) => {
      const id = newId();
      const spec: ItemSpec = {
        runName: id,
        config: r.config,
        ...((config.job ?? config.program) !== undefined ? { program: config.job ?? config.program } : {}),
        ...(config.command !== undefined ? { command: config.command } : {}),
        ...(config.image_uri !== undefined ? { imageUri: config.image_uri } : {}),
        project: sweep.project,
        ...(sweep.entity !== undefined ? { entity: sweep.entity } : {}),
      };
      const item: NewQueueItem = { id: newId(), queue: launch.queue, priority: launch.priority, kind: 'run', spec, resource, resourceArgs, createdAt: at };
      return { id, name: id, config: r.config, ...(r.searchInfo ? { searchInfo: r.searchInfo } : {}), item };
    });
    const result = await store.launchRunItems(sweep.id, {
      schedulerItemId: req.schedulerItemId,
      at,
      requireState: ['RUNNING'],
      runs,
      ...(req.schedulerState !== undefined ? { schedulerState: req.schedulerState } : {}),
    });
    if (!result.ok) {
      if (result.why === 'fenced') throw fenced(sweep.id, req.schedulerItemId);
      const now = await this.sweep(sweep.id);
      throw new ServiceError(409, 'sweep-state', `Sweep ${sweep.id} is ${now.state}: it takes no new runs.`);
    }
    for (const item of result.items) this.opts.log(`Launch sweep ${sweep.id}: run ${item.runId} queued as item ${item.id} in ${item.queue}.`);
    return { runs: result.runs.map((r) => toRunDetail(r)), items: result.items };
  }

  async schedulerReport(sweepId: string, req: SchedulerReport): Promise<LaunchSweepRecord> {
    const { store, log } = this.opts;
    const sweep = await this.sweep(sweepId);
    const launch = await this.launchOf(sweep.id, req.schedulerItemId);
    const at = this.iso();
    switch (req.type) {
      case 'started': {
        const { changed } = await store.setSweepState(sweep.id, { state: 'RUNNING', at, reason: `scheduler started (item ${req.schedulerItemId})`, from: ['PENDING'] });
        if (changed) log(`Launch sweep ${sweep.id} RUNNING: its scheduler (item ${req.schedulerItemId}) started.`);
        break;
      }
      case 'state':
        await store.setSchedulerState(sweep.id, req.schedulerState);
        break;
      case 'finishing':
        if (!sweep.finishing) {
          await store.setSweepFinishing(sweep.id, req.reason);
          log(`Launch sweep ${sweep.id}: no new runs (${req.reason}); it finishes when its active runs end.`);
        }
        break;
      case 'finished': {
        const { changed } = await store.setSweepState(sweep.id, { state: 'FINISHED', at, reason: req.reason, from: ['RUNNING'] });
        if (changed) log(`Launch sweep ${sweep.id} FINISHED: ${req.reason}.`);
        break;
      }
      case 'failed':
        await this.failSweep(sweep.id, req.reason);
        break;
      case 'stop-run': {
        const run = (await store.listRuns(sweep.id)).find((r) => r.name === req.run && !r.superseded);
        if (run && ACTIVE_RUN_STATES.has(run.state) && !run.stopRequested) {
          await store.updateRun(run.id, { stopRequested: true, stopReason: req.reason, ...(req.info ? { earlyTerminateInfo: req.info } : {}) });
          log(`Launch sweep ${sweep.id}: stopping run ${run.id} (${req.reason}).`);
        }
        break;
      }
    }
    return this.record((await store.getLaunchSweep(launch.sweepId))!);
  }

  // ---- queues and launch agents ----------------------------------------------------------------

  async ensureQueue(name: string): Promise<QueueSummary> {
    const queue = await this.opts.store.ensureQueue(name, this.iso());
    return (await this.summaries([queue.name]))[0];
  }

  async listQueues(): Promise<QueueSummary[]> {
    return this.summaries((await this.opts.store.listQueues()).map((q) => q.name));
  }

  async queueDetail(name: string): Promise<QueueDetail> {
    const { store } = this.opts;
    if (!(await store.getQueue(name))) {
      const names = (await store.listQueues()).map((q) => q.name);
      throw new ServiceError(404, 'queue-not-found', launchMessages.noQueue(name, names));
    }
    const [summary] = await this.summaries([name]);
    const launchAgents = (await store.listLaunchAgents()).filter((a) => a.state !== 'stopped' && a.queues.includes(name));
    return { ...summary, items: await store.listItems({ queue: name }), launchAgents };
  }

  async registerLaunchAgent(req: RegisterLaunchAgentRequest): Promise<RegisterLaunchAgentResponse> {
    const { store } = this.opts;
    const at = this.iso();
    for (const q of req.queues) await store.ensureQueue(q, at);
    const agent = await store.registerLaunchAgent({ id: newId(), ...req, createdAt: at });
    this.opts.log(`Launch agent ${agent.id} registered (${agent.host}, pid ${agent.pid}; queues ${agent.queues.join(', ')}; max jobs ${agent.maxJobs}, max schedulers ${agent.maxSchedulers}).`);
    return { launchAgentId: agent.id, pollInterval: this.opts.pollIntervalS };
  }

  /** A launch agent's heartbeat: which of its items it must stop, and why. */
  async heartbeat(agentId: string, running: readonly string[]): Promise<LaunchHeartbeatResponse> {
    const { store } = this.opts;
    const agent = await store.heartbeatLaunchAgent(agentId, this.iso());
    if (!agent) throw launchAgentNotFound(agentId);
    const stop: LaunchHeartbeatResponse['stop'] = [];
    for (const itemId of running) {
      const item = await store.getItem(itemId);
      const reason = item ? await this.stopReason(item, agentId) : 'the server does not know this item';
      if (reason) stop.push({ itemId, reason });
    }
    return { stop };
  }

  /** Why a running item must stop now, or undefined. */
  private async stopReason(item: QueueItemRow, agentId: string): Promise<string | undefined> {
    const { store } = this.opts;
    if (item.launchAgentId !== agentId) return `the item belongs to launch agent ${item.launchAgentId ?? '(none)'}`;
    if (TERMINAL_ITEM_STATES.has(item.state)) return `the item is ${item.state}${item.message ? `: ${item.message}` : ''}`;
    if (item.stopRequested) return item.stopReason ?? 'stop requested';
    if (!item.sweepId) return undefined;
    const sweep = await store.getSweep(item.sweepId);
    if (!sweep) return 'its sweep was deleted';
    if (item.kind === 'scheduler') {
      const launch = await store.getLaunchSweep(sweep.id);
      if (launch?.schedulerItemId !== item.id) return `sweep ${sweep.id} has a newer scheduler (item ${launch?.schedulerItemId})`;
      return undefined;
    }
    if (sweep.state === 'CANCELED') return `sweep ${sweep.id} was canceled`;
    const run = item.runId ? await store.getRun(item.runId) : undefined;
    if (run?.stopRequested) return run.stopReason ?? 'the scheduler stopped it';
    return undefined;
  }

  /**
   * Hand the agent its next item (at most once: the store's claim is one transaction). Run items
   * of sweeps that no longer run are canceled instead of handed out (W&B skips jobs of stopped
   * sweeps), and so are scheduler items that are not their sweep's current scheduler.
   */
  async claim(agentId: string, kinds: readonly ItemKind[]): Promise<ClaimResponse> {
    const { store, log } = this.opts;
    const agent = await store.heartbeatLaunchAgent(agentId, this.iso());
    if (!agent) throw launchAgentNotFound(agentId);
    if (agent.state === 'stopped') throw new ServiceError(409, 'launch-agent-stopped', `Launch agent ${agentId} has exited; register again.`);
    for (;;) {
      const item = await store.claimItem({ launchAgentId: agentId, queues: agent.queues, kinds, at: this.iso() });
      if (!item) return { item: null };
      const sweep = item.sweepId ? await store.getSweep(item.sweepId) : undefined;
      const why = await this.skipReason(item, sweep);
      if (why) {
        await store.updateItem(item.id, { state: 'canceled', endedAt: this.iso(), message: why });
        if (item.runId) {
          const run = await store.getRun(item.runId);
          if (run && ACTIVE_RUN_STATES.has(run.state)) await store.updateRun(run.id, { state: 'killed', endedAt: this.iso() });
        }
        log(`Item ${item.id} canceled: ${why}`);
        continue;
      }
      log(`Item ${item.id} (${item.kind}${item.sweepId ? ` of sweep ${item.sweepId}` : ''}) claimed by launch agent ${agentId}.`);
      return { item, ...(sweep ? { sweep: { id: sweep.id, state: sweep.state, name: sweep.name } } : {}) };
    }
  }

  private async skipReason(item: QueueItemRow, sweep: SweepRow | undefined): Promise<string | undefined> {
    if (!item.sweepId) return undefined;
    if (!sweep) return 'its sweep no longer exists';
    if (item.kind === 'scheduler') {
      const launch = await this.opts.store.getLaunchSweep(sweep.id);
      if (launch?.schedulerItemId !== item.id) return `sweep ${sweep.id} has a newer scheduler`;
      if (!LIVE.includes(sweep.state)) return `sweep ${sweep.id} is ${sweep.state}`;
      return undefined;
    }
    if (!RUNNABLE.has(sweep.state)) return `sweep ${sweep.id} is ${sweep.state}: its queued runs do not start`;
    return undefined;
  }

  async itemState(itemId: string, req: ItemStateRequest): Promise<QueueItemRow> {
    const { store, log } = this.opts;
    const item = await store.getItem(itemId);
    if (!item) throw new ServiceError(404, 'item-not-found', `No queue item with id "${itemId}" on this server.`, { id: itemId });
    if (TERMINAL_ITEM_STATES.has(item.state)) {
      if (item.state === req.state) return item;
      throw new ServiceError(409, 'item-ended', `Item ${itemId} has already ended (${item.state}); it cannot become ${req.state}.`);
    }
    const at = this.iso();
    const ended = TERMINAL_ITEM_STATES.has(req.state);
    const updated = (await store.updateItem(itemId, {
      state: req.state,
      ...(req.jobId !== undefined ? { jobId: req.jobId } : {}),
      ...(req.state === 'running' && !item.startedAt ? { startedAt: at } : {}),
      ...(ended ? { endedAt: at } : {}),
      ...(req.exitCode !== undefined ? { exitCode: req.exitCode } : {}),
      ...(req.message !== undefined ? { message: req.message } : {}),
    }))!;
    if (ended) {
      log(`Item ${itemId} (${item.kind}${item.sweepId ? ` of sweep ${item.sweepId}` : ''}) ${req.state}${req.exitCode != null ? ` (exit code ${req.exitCode})` : ''}${req.message ? `: ${req.message}` : ''}.`);
      if (item.kind === 'scheduler' && req.state !== 'finished') await this.schedulerEnded(updated, req.message ?? `it ended ${req.state}`);
      if (item.kind === 'run' && item.runId) {
        // The agent reports the run itself; a run it could not start is failed here.
        const run = await store.getRun(item.runId);
        if (run && ACTIVE_RUN_STATES.has(run.state)) {
          await store.updateRun(run.id, { state: req.state === 'stopped' ? 'killed' : req.state === 'finished' ? 'finished' : 'failed', endedAt: at, ...(req.exitCode !== undefined ? { exitCode: req.exitCode } : {}) });
        }
      }
    }
    return updated;
  }

  /** A launch agent exits: it is marked stopped, and items it still holds are failed (their runs crashed). */
  async exitAgent(agentId: string) {
    const { store } = this.opts;
    const at = this.iso();
    const agent = await store.stopLaunchAgent(agentId, at);
    if (!agent) throw launchAgentNotFound(agentId);
    for (const item of await store.listItems({ launchAgentId: agentId, states: ['claimed', 'running'] })) {
      await this.itemState(item.id, { state: 'failed', message: `its launch agent ${agentId} exited while holding it` });
    }
    this.opts.log(`Launch agent ${agentId} exited.`);
    return agent;
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The sweep's scheduler item ended without finishing: a live sweep fails, saying how to resume it. */
  private async schedulerEnded(item: QueueItemRow, why: string): Promise<void> {
    if (!item.sweepId) return;
    const launch = await this.opts.store.getLaunchSweep(item.sweepId);
    if (launch?.schedulerItemId !== item.id) return;
    await this.failSweep(item.sweepId, launchMessages.schedulerEnded(item.sweepId, why, launch.queue));
  }

  private async failSweep(sweepId: string, message: string): Promise<void> {
    const { store, log } = this.opts;
    const { changed } = await store.setSweepState(sweepId, { state: 'FAILED', at: this.iso(), reason: message, error: message, from: LIVE });
    if (!changed) return;
    log(`Launch sweep ${sweepId} FAILED: ${message}`);
  }

  private schedulerItem(sweepId: string, queue: string, priority: number, scheduler: ValueRecord, at: string): NewQueueItem {
    return {
      id: newId(),
      queue,
      priority,
      kind: 'scheduler',
      spec: { entryPoint: ['broom', 'scheduler', sweepId] },
      resource: typeof scheduler.resource === 'string' ? scheduler.resource : DEFAULT_RESOURCE,
      resourceArgs: isRecord(scheduler.resource_args) ? scheduler.resource_args : {},
      createdAt: at,
    };
  }

  private fill(config: unknown, file: string | undefined): SweepConfig {
    try {
      return fillConfig(config as never, { file, launch: true });
    } catch (error) {
      throw asBadRequest(error, 'sweep-config');
    }
  }

  /** Check what the server can check now: the search method, the runs' program and the scheduler's settings. */
  private async checkConfig(config: SweepConfig, configDir: string | undefined, file: string | undefined): Promise<string[]> {
    const warnings: string[] = [];
    const resolve = { configDir, file, hostDirs: this.opts.hostDirs };
    const image = config.image_uri;
    if (image === undefined && config.job === undefined && config.program === undefined && config.command === undefined) {
      throw new ServiceError(400, 'launch-no-job', launchMessages.noJob(file));
    }
    if (config.method !== 'custom') {
      try {
        await loadSearchMethod(config, resolve);
      } catch (error) {
        throw asBadRequest(error, 'search-method');
      }
    }
    if (config.scheduler?.docker_image !== undefined) warnings.push(launchMessages.dockerImageIgnored(config.scheduler.docker_image));
    for (const where of ['scheduler', 'launch'] as const) {
      const block = (config[where] ?? {}) as ValueRecord;
      const runsImage = where === 'launch' ? image : undefined;
      const name = typeof block.resource === 'string' ? block.resource : runsImage !== undefined ? IMAGE_RESOURCE : DEFAULT_RESOURCE;
      const args = isRecord(block.resource_args) && !(where === 'launch' && block.template_variables !== undefined) ? block.resource_args : {};
      let resource: Resource;
      try {
        const resolved = resolvePlugin(name, 'resource', { ...resolve, key: `${where}.resource` }) as ResolvedPlugin & { kind: 'resource' };
        resource = instantiatePlugin(await importPlugin(resolved, `${where}.resource`), args, `${where}.resource_args`);
      } catch (error) {
        // A resource installed only where the launch agents run (e.g. a site plugin) is checked there.
        if (error instanceof BroomError && error.code === 'plugin-not-found') {
          warnings.push(launchMessages.resourceElsewhere(where, name));
          continue;
        }
        throw asBadRequest(error, 'resource');
      }
      // image_uri runs on a resource that runs images (the item is the image's entrypoint with the run's args).
      if (runsImage !== undefined && !resource.runsImages) throw new ServiceError(400, 'launch-image-uri', launchMessages.imageUri(file, name));
      // The scheduler is the launch agent's own `broom scheduler`, a program of its machine: never inside an image.
      if (where === 'scheduler' && resource.runsImages) throw new ServiceError(400, 'launch-scheduler-container', launchMessages.schedulerContainer(file, name));
      const missing = resource.check?.(runsImage !== undefined ? { image: runsImage } : {});
      if (missing) throw new ServiceError(400, 'launch-resource-args', launchMessages.resourceNeeds(file, where, name, missing));
    }
    try {
      await loadScheduler(config, { engine: NO_ENGINE, log: () => {}, numWorkers: config.scheduler?.num_workers ?? 8, seed: 0 }, resolve);
    } catch (error) {
      // A TypeScript scheduler file the server cannot import is checked when its scheduler starts (under tsx).
      if (error instanceof BroomError && error.code === 'plugin-import-failed' && /\.[cm]?ts$/.test(config.scheduler?.job ?? '')) {
        warnings.push(launchMessages.checkedLater(config.scheduler?.job ?? ''));
      } else {
        throw asBadRequest(error, 'scheduler');
      }
    }
    return warnings;
  }

  private async queueWarnings(queue: string): Promise<string[]> {
    const agents = (await this.opts.store.listLaunchAgents()).filter((a) => a.state !== 'stopped' && a.queues.includes(queue));
    return agents.length === 0 ? [launchMessages.nobodyPolls(queue)] : [];
  }

  private async summaries(names: readonly string[]): Promise<QueueSummary[]> {
    const { store } = this.opts;
    const agents = (await store.listLaunchAgents()).filter((a) => a.state !== 'stopped');
    const out: QueueSummary[] = [];
    for (const name of names) {
      const queue = (await store.getQueue(name))!;
      const counts: QueueSummary['counts'] = {};
      for (const item of await store.listItems({ queue: name })) counts[item.state] = (counts[item.state] ?? 0) + 1;
      out.push({ ...queue, counts, agents: agents.filter((a) => a.queues.includes(name)).length });
    }
    return out;
  }

  private async record(launch: LaunchSweepRow): Promise<LaunchSweepRecord> {
    const sweep = await this.sweep(launch.sweepId);
    return {
      ...launch,
      schedulerState: await this.opts.store.getSchedulerState(launch.sweepId),
      seed: sweep.seed,
      ...(sweep.configDir !== undefined ? { configDir: sweep.configDir } : {}),
      ...(sweep.configFile !== undefined ? { configFile: sweep.configFile } : {}),
    };
  }

  private async launchOf(sweepId: string, schedulerItemId: string): Promise<LaunchSweepRow> {
    const launch = await this.opts.store.getLaunchSweep(sweepId);
    if (!launch) throw new ServiceError(404, 'not-a-launch-sweep', launchMessages.notLaunchSweep(sweepId));
    if (launch.schedulerItemId !== schedulerItemId) throw fenced(sweepId, schedulerItemId);
    return launch;
  }

  private async sweep(id: string): Promise<SweepRow> {
    const sweep = await this.opts.store.getSweep(id);
    if (!sweep) throw new ServiceError(404, 'sweep-not-found', `No sweep with id "${id}" on this server.`, { id });
    return sweep;
  }

  private async freeSweepId(): Promise<string> {
    for (;;) {
      const id = newId();
      if (!(await this.opts.store.getSweep(id))) return id;
    }
  }

  private iso(): string {
    return this.now().toISOString();
  }
}

function fenced(sweepId: string, itemId: string): ServiceError {
  return new ServiceError(409, 'scheduler-fenced', launchMessages.fenced(sweepId, itemId));
}

function launchAgentNotFound(id: string): ServiceError {
  return new ServiceError(404, 'launch-agent-not-found', `No launch agent with id "${id}" on this server (it may have been registered with another server).`, { id });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function asBadRequest(error: unknown, fallbackCode: string): unknown {
  if (error instanceof ServiceError) return error;
  if (error instanceof BroomError) return new ServiceError(400, error.code || fallbackCode, error.message, error.data);
  return error;
}
