import { randomInt } from 'node:crypto';
import {
  BroomError,
  fillConfig,
  loadScheduler,
  loadSearchMethod,
  TERMINAL_STATES,
  type AgentCommand,
  type CreateSweepRequest,
  type EngineService,
  type HeartbeatRequest,
  type MetricsRequest,
  type RegisterAgentRequest,
  type RunStateRequest,
  type SweepConfig,
  type SweepControlRequest,
  type SweepState,
} from '@broom/core';
import type { AgentRow, RunRow, Store, SweepRow } from '../store/store.js';
import { HistoryGapError } from '../store/store-errors.js';
import { ACTIVE_RUN_STATES, SweepController } from './sweep-controller.js';
import { newId } from './ids.js';
import { nameProblem } from '../http/names.js';
import { notFound, ServiceError } from './service-error.js';
import { controlMessages } from './control-messages.js';

export interface SweepManagerOptions {
  store: Store;
  engine: EngineService;
  /** Directories whose dependencies hold the built-in plugins (this package's). */
  hostDirs: string[];
  log(line: string): void;
  pollIntervalMs: number;
  heartbeatTimeoutMs: number;
  now?: () => Date;
}

const ENDED: ReadonlySet<SweepState> = new Set(['FINISHED', 'CANCELED', 'FAILED']);
/** How many runs one heartbeat may start on one agent at most. */
const MAX_SLOTS = 64;

/**
 * The server's sweeps: creates them, keeps one SweepController per live sweep, answers agents'
 * heartbeats with commands, applies pause/resume/stop/cancel, and runs the poll timer (a step of
 * every live sweep, and crashing the runs of agents that stopped heartbeating).
 */
export class SweepManager {
  private readonly controllers = new Map<string, Promise<SweepController>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly startedAt: number;
  private readonly now: () => Date;
  private closed = false;

  constructor(private readonly opts: SweepManagerOptions) {
    this.now = opts.now ?? (() => new Date());
    this.startedAt = this.now().getTime();
  }

  /** Load the controller of every RUNNING or PAUSED sweep (restoring its scheduler state) and start the timer. */
  async start(): Promise<void> {
    for (const sweep of await this.opts.store.listSweeps()) {
      if (sweep.state !== 'RUNNING' && sweep.state !== 'PAUSED') continue;
      if (await this.opts.store.getLaunchSweep(sweep.id)) continue; // Sweeps on Launch: its scheduler runs under a launch agent
      try {
        await this.controller(sweep.id);
        this.opts.log(`Sweep ${sweep.id} (${sweep.state}) resumed.`);
      } catch (error) {
        const message = `its scheduler could not be loaded on restart: ${errorMessage(error)}`;
        await this.opts.store.setSweepState(sweep.id, { state: 'FAILED', at: this.iso(), reason: message, error: message });
        this.opts.log(`Sweep ${sweep.id} FAILED: ${message}`);
      }
    }
    this.timer = setInterval(() => void this.tick(), this.opts.pollIntervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    for (const c of this.controllers.values()) {
      const controller = await c.catch(() => undefined);
      await controller?.idle();
    }
  }

  /** One poll interval: crash stale runs, then step every live sweep. Overlapping ticks are skipped. */
  tick(): Promise<void> {
    if (this.ticking || this.closed) return this.ticking ?? Promise.resolve();
    this.ticking = this.runTick().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async runTick(): Promise<void> {
    const { store, heartbeatTimeoutMs } = this.opts;
    const now = this.now().getTime();
    const touched = new Set<string>();
    try {
      // After a restart, agents get one timeout to come back before their runs count as crashed.
      if (now - this.startedAt >= heartbeatTimeoutMs) {
        const crashed = await store.crashStaleRuns(new Date(now - heartbeatTimeoutMs).toISOString(), new Date(now).toISOString());
        for (const r of crashed) {
          touched.add(r.sweepId);
          this.opts.log(`Sweep ${r.sweepId}: run ${r.id} crashed: its agent ${r.agentId} sent no heartbeat for ${heartbeatTimeoutMs / 1000} s.`);
        }
      }
    } catch (error) {
      this.opts.log(`Checking heartbeats failed: ${errorMessage(error)}`);
    }
    const ids = new Set([...this.controllers.keys(), ...touched]);
    await Promise.all(
      [...ids].map(async (id) => {
        try {
          const sweep = await store.getSweep(id);
          if (!sweep || ENDED.has(sweep.state)) return;
          await (await this.controller(id)).poll();
        } catch (error) {
          this.opts.log(`Sweep ${id}: poll failed: ${errorMessage(error)}`);
        }
      }),
    );
  }

  async createSweep(req: CreateSweepRequest): Promise<SweepRow> {
    const file = req.configFile;
    let config: SweepConfig;
    try {
      config = fillConfig(req.config, { file });
    } catch (error) {
      throw asBadRequest(error, 'sweep-config');
    }
    const name = req.name ?? config.name;
    const project = req.project ?? config.project ?? 'uncategorized';
    const entity = req.entity ?? config.entity;
    for (const [key, value] of [['name', name], ['project', project], ['entity', entity]] as const) {
      const problem = value === undefined ? undefined : nameProblem(value);
      if (problem) throw new ServiceError(400, 'bad-name', `The sweep's ${key} ${problem}`);
    }
    const resolve = { configDir: req.configDir, file, hostDirs: this.opts.hostDirs };
    if (config.method !== 'custom') {
      try {
        await loadSearchMethod(config, resolve);
      } catch (error) {
        throw asBadRequest(error, 'search-method');
      }
    }
    const id = await this.freeSweepId();
    const seed = randomInt(2 ** 31);
    let controller: SweepController;
    try {
      controller = await this.makeController(id, config, seed, req.configDir, file);
    } catch (error) {
      throw asBadRequest(error, 'scheduler');
    }
    const sweep = await this.opts.store.createSweep({
      id,
      name: name ?? id,
      project,
      ...(entity ? { entity } : {}),
      method: config.method,
      state: 'RUNNING',
      config: req.config,
      ...(req.configText !== undefined ? { configText: req.configText } : {}),
      ...(file !== undefined ? { configFile: file } : {}),
      ...(req.configDir !== undefined ? { configDir: req.configDir } : {}),
      seed,
      createdAt: this.iso(),
    });
    await this.opts.store.setSchedulerState(id, controller.schedulerState());
    this.controllers.set(id, Promise.resolve(controller));
    this.opts.log(`Sweep ${id} created (${config.method}).`);
    return sweep;
  }

  async getSweep(id: string): Promise<SweepRow> {
    const sweep = await this.opts.store.getSweep(id);
    if (!sweep) throw notFound('sweep', id);
    return sweep;
  }

  /** pause / resume / stop / cancel, with W&B's checks (spec §5.7). */
  async control(sweepId: string, req: SweepControlRequest): Promise<SweepRow> {
    const before = await this.getSweep(sweepId);
    const { store } = this.opts;
    if (req.retryFailed && req.action !== 'resume') {
      throw new ServiceError(400, 'bad-request', controlMessages.retryOnlyWithResume(req.action));
    }
    const check = (state: SweepState) => {
      if (req.action === 'pause' && state !== 'PAUSED' && state !== 'RUNNING') {
        throw new ServiceError(409, 'sweep-state', controlMessages.cannotPause(state));
      }
      if (req.action !== 'resume' && state !== 'RUNNING' && state !== 'PAUSED' && state !== 'PENDING') {
        throw new ServiceError(409, 'sweep-state', controlMessages.already(state));
      }
    };
    check(before.state);
    // Resume may need the scheduler of an ended sweep, which is not loaded.
    // A launch sweep's scheduler runs under a launch agent: only its state changes here.
    const launchSweep = (await store.getLaunchSweep(sweepId)) !== undefined;
    if (launchSweep && req.action === 'resume' && before.state !== 'PAUSED') {
      throw new ServiceError(409, 'launch-sweep', before.state === 'PENDING'
        ? `Sweep ${sweepId} is a PENDING launch sweep: its scheduler waits in its queue and starts once a launch agent polls it (\`broom launch-agent -q <queue>\`).`
        : `Sweep ${sweepId} is a ${before.state} launch sweep: its scheduler has ended, so continue it with \`broom launch-sweep --resume_id ${sweepId} -q <queue>\` (\`broom sweep --resume\` only unpauses a launch sweep).`);
    }
    const controller = launchSweep ? undefined : await this.controller(sweepId).catch((error) => {
      if (req.action === 'resume') throw asBadRequest(error, 'scheduler');
      return undefined;
    });
    const apply = async (): Promise<SweepRow> => {
      const at = this.iso();
      const current = await this.getSweep(sweepId);
      check(current.state);
      switch (req.action) {
        case 'pause':
          return (await store.setSweepState(sweepId, { state: 'PAUSED', at, reason: 'pause' })).sweep;
        case 'stop':
          return (await store.setSweepState(sweepId, { state: 'FINISHED', at, reason: 'stopped by the user', finishing: 'stopped by the user' })).sweep;
        case 'cancel': {
          const { sweep } = await store.setSweepState(sweepId, { state: 'CANCELED', at, reason: 'canceled by the user' });
          for (const r of await store.listRuns(sweepId)) {
            if (ACTIVE_RUN_STATES.has(r.state) && !r.stopRequested) {
              await store.updateRun(r.id, { stopRequested: true, stopReason: 'sweep canceled' });
            }
          }
          return sweep;
        }
        case 'resume': {
          if (req.retryFailed) {
            const released = await store.supersedeRuns(sweepId, ['failed', 'crashed']);
            if (released.length > 0) {
              this.opts.log(`Sweep ${sweepId}: ${released.length} failed or crashed run(s) superseded; their configs can be proposed again.`);
            }
          }
          return (await store.setSweepState(sweepId, { state: 'RUNNING', at, reason: req.retryFailed ? 'resume (retry failed)' : 'resume', error: null, finishing: null })).sweep;
        }
      }
    };
    const after = controller ? await controller.exclusive(apply) : await apply();
    this.opts.log(`Sweep ${sweepId}: ${req.action} (${before.state} → ${after.state}).`);
    return after;
  }

  async registerAgent(sweepId: string, req: RegisterAgentRequest): Promise<AgentRow> {
    const sweep = await this.getSweep(sweepId);
    if (await this.opts.store.getLaunchSweep(sweep.id)) {
      throw new ServiceError(400, 'launch-sweep', `Sweep ${sweep.id} is a launch sweep: its scheduler puts its runs in a queue, and launch agents run them (\`broom launch-agent -q <queue>\`), not \`broom agent\`.`);
    }
    if (ENDED.has(sweep.state)) {
      throw new ServiceError(400, 'sweep-not-running', controlMessages.notRunning(sweep));
    }
    const agent = await this.opts.store.registerAgent({
      id: newId(),
      sweepId,
      host: req.host,
      pid: req.pid,
      slots: req.slots ?? 1,
      createdAt: this.iso(),
    });
    this.opts.log(`Sweep ${sweepId}: agent ${agent.id} registered (${agent.host}, pid ${agent.pid}, ${agent.slots} slot(s)).`);
    return agent;
  }

  /** An agent's heartbeat: record it and answer its commands (stop, run, exit). */
  async heartbeat(agentId: string, req: HeartbeatRequest): Promise<AgentCommand[]> {
    const { store } = this.opts;
    const agent = await store.heartbeatAgent(agentId, this.iso());
    if (!agent) throw notFound('agent', agentId);
    let sweep = await this.getSweep(agent.sweepId);
    const running = new Set(req.running);
    const commands: AgentCommand[] = [];
    const agentRuns = await store.listAgentRuns(agentId);
    for (const r of agentRuns) {
      if (r.stopRequested && ACTIVE_RUN_STATES.has(r.state)) commands.push({ type: 'stop', runId: r.id });
    }
    // An agent lists every run it has received until it has reported its end, so a run still
    // pending on this agent that it does not list was handed out in an answer it never got (the
    // answer was lost, or the server died before sending it): hand the same run out again.
    const lost = agentRuns.filter((r) => r.state === 'pending' && !r.stopRequested && !running.has(r.id));
    if (sweep.state === 'RUNNING' && req.freeSlots > 0) {
      const controller = await this.controller(sweep.id);
      const resent = lost.slice(0, Math.min(req.freeSlots, agent.slots, MAX_SLOTS));
      const fresh = Math.min(req.freeSlots, agent.slots, MAX_SLOTS) - resent.length;
      if (resent.length > 0) this.opts.log(`Sweep ${sweep.id}: agent ${agentId} never received run(s) ${resent.map((r) => r.id).join(', ')}: sending them again.`);
      const launched = [...resent, ...(fresh > 0 ? await controller.launchFor(agentId, fresh) : [])];
      for (const r of launched) {
        commands.push({
          type: 'run',
          runId: r.id,
          runName: r.name,
          config: r.config,
          ...(controller.config.program !== undefined ? { program: controller.config.program } : {}),
          ...(controller.config.command !== undefined ? { command: controller.config.command } : {}),
        });
      }
      if (launched.length > 0) return commands;
      sweep = await this.getSweep(sweep.id);
    }
    if (ENDED.has(sweep.state) && running.size === 0) {
      await this.releaseRuns(agentId, sweep);
      commands.push({ type: 'exit', reason: controlMessages.exitReason(sweep) });
    }
    return commands;
  }

  /** The agent runs nothing and is told to exit: its runs that never started (or that it lost) end here. */
  private async releaseRuns(agentId: string, sweep: SweepRow): Promise<void> {
    const at = this.iso();
    for (const r of await this.opts.store.listAgentRuns(agentId)) {
      if (!ACTIVE_RUN_STATES.has(r.state)) continue;
      const state = r.state === 'pending' ? 'killed' : 'crashed';
      await this.opts.store.updateRun(r.id, { state, endedAt: at });
      this.opts.log(`Sweep ${sweep.id}: run ${r.id} ${state}: its agent ${agentId} exits and no longer runs it.`);
    }
  }

  async getRun(runId: string): Promise<RunRow> {
    const run = await this.opts.store.getRun(runId);
    if (!run) throw notFound('run', runId);
    return run;
  }

  /** The agent reports a run's state; a run that ended may let its sweep finish. */
  async reportRunState(runId: string, req: RunStateRequest): Promise<RunRow> {
    const run = await this.getRun(runId);
    const at = this.iso();
    const ended = TERMINAL_STATES.has(req.state);
    // A run the server marked crashed (its agent missed heartbeats) may still report what happened.
    if (TERMINAL_STATES.has(run.state) && run.state !== 'crashed' && run.state !== req.state) {
      throw new ServiceError(409, 'run-ended', `Run ${runId} has already ended (${run.state}); it cannot become ${req.state}.`);
    }
    if (run.state === req.state && req.exitCode === undefined) return run;
    const updated = (await this.opts.store.updateRun(runId, {
      state: req.state,
      ...(req.exitCode !== undefined ? { exitCode: req.exitCode } : {}),
      ...(req.state === 'running' && !run.startedAt ? { startedAt: at } : {}),
      ...(ended && (!TERMINAL_STATES.has(run.state) || run.state === 'crashed') ? { endedAt: at } : {}),
    }))!;
    if (ended) {
      const controller = this.controllers.get(run.sweepId);
      if (controller) await (await controller).settle();
    }
    return updated;
  }

  async postMetrics(runId: string, req: MetricsRequest): Promise<{ historyLength: number }> {
    await this.getRun(runId);
    try {
      const { historyLength } = await this.opts.store.appendHistory(runId, { seq: req.seq, rows: req.rows, ...(req.summary ? { summary: req.summary } : {}) });
      return { historyLength };
    } catch (error) {
      if (error instanceof HistoryGapError) throw new ServiceError(409, error.code, error.message, error.data);
      throw error;
    }
  }

  /** The controller of a sweep, loading its scheduler (and its saved state) on first use. */
  controller(sweepId: string): Promise<SweepController> {
    let c = this.controllers.get(sweepId);
    if (!c) {
      c = this.loadController(sweepId);
      this.controllers.set(sweepId, c);
      c.catch(() => this.controllers.delete(sweepId));
    }
    return c;
  }

  private async loadController(sweepId: string): Promise<SweepController> {
    const sweep = await this.getSweep(sweepId);
    if (await this.opts.store.getLaunchSweep(sweepId)) throw new ServiceError(409, 'launch-sweep', `Sweep ${sweepId} is a launch sweep: its scheduler runs under a launch agent, not in the server.`);
    const config = fillConfig(sweep.config, { file: sweep.configFile });
    const controller = await this.makeController(sweep.id, config, sweep.seed, sweep.configDir, sweep.configFile);
    const state = await this.opts.store.getSchedulerState(sweepId);
    if (state !== null) controller.restoreState(state);
    return controller;
  }

  private async makeController(id: string, config: SweepConfig, seed: number, configDir?: string, file?: string): Promise<SweepController> {
    const log = (line: string) => this.opts.log(`Sweep ${id}: ${line}`);
    const scheduler = await loadScheduler(
      config,
      { engine: sweepEngine(this.opts.engine, configDir), log, numWorkers: config.scheduler?.num_workers ?? 8, seed },
      { configDir, file, hostDirs: this.opts.hostDirs },
    );
    return new SweepController(id, config, scheduler, { store: this.opts.store, log: this.opts.log, now: this.now });
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

/** The engine as one sweep's scheduler sees it: plugin paths in its config resolve from its config's directory. */
function sweepEngine(engine: EngineService, configDir: string | undefined): EngineService {
  if (configDir === undefined) return engine;
  return {
    propose: (config, runs, count, seed, call) => engine.propose(config, runs, count, seed, { configDir, ...call }),
    prune: (config, runs, call) => engine.prune(config, runs, { configDir, ...call }),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A BroomError from checking the user's config or plugins is their mistake: 400 with its message. */
function asBadRequest(error: unknown, fallbackCode: string): unknown {
  if (error instanceof ServiceError) return error;
  if (error instanceof BroomError) return new ServiceError(400, error.code || fallbackCode, error.message, error.data);
  return error;
}
