import { hostname } from 'node:os';
import {
  pyStr,
  type AgentCommand,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type MetricsRequest,
  type MetricsResponse,
  type RegisterAgentRequest,
  type RegisterAgentResponse,
  type RunDetail,
  type RunStateRequest,
  type SweepDetail,
} from '@broom/core';
import { AgentGuards, guardSettings } from './agent-guards.js';
import { MetricsTail } from './metrics-tail.js';
import { MetricsUploader } from './metrics-uploader.js';
import { isTransient, withRetry } from './retry.js';
import { prepareRun, type RunSpec } from './run-files.js';
import { RunProcess, type RunOutcome } from './run-process.js';
import type { ParsedLines } from './metrics-lines.js';

/** The routes the agent uses (implemented by `@broom/server`'s ApiClient). */
export interface AgentApi {
  getSweep(sweepId: string): Promise<SweepDetail>;
  registerAgent(sweepId: string, body: RegisterAgentRequest): Promise<RegisterAgentResponse>;
  heartbeat(agentId: string, body: HeartbeatRequest): Promise<HeartbeatResponse>;
  postMetrics(runId: string, body: MetricsRequest): Promise<MetricsResponse>;
  setRunState(runId: string, body: RunStateRequest): Promise<RunDetail>;
}

export interface AgentOutput {
  /** A line for the user (printed as `broom: <line>` on stderr). */
  info(line: string): void;
}

export interface AgentOptions {
  api: AgentApi;
  sweepId: string;
  /** Stop after this many runs have ended (any outcome). */
  count?: number;
  /** Grace between SIGTERM and SIGKILL when a run is stopped. */
  killDelayMs: number;
  /** The broom directory (absolute): run files and logs go under it. */
  dir: string;
  /** The programs' working directory. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  out: AgentOutput;
  /** Keep retrying an unreachable server this long (default 10 min). */
  retryDeadlineMs?: number;
  /** Metrics batching interval (default 1 s) and tail poll interval (default 200 ms). */
  metricsIntervalMs?: number;
  tailIntervalMs?: number;
  /** Echo programs' output to the agent's stdout/stderr (default true). */
  echo?: boolean;
}

interface LiveRun {
  spec: RunSpec;
  process: RunProcess;
  tail: MetricsTail;
  uploader: MetricsUploader;
  /** State reports, in order. */
  reports: Promise<void>;
  skipped: number;
}

type StopMode = 'finish' | 'stop' | 'kill';

/** Wakes the agent's loop before its next heartbeat is due (a run ended, a signal arrived). */
class Waker {
  private resolve: (() => void) | undefined;
  private pending = false;

  wake(): void {
    if (this.resolve) this.resolve();
    else this.pending = true;
  }

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
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
 * `broom agent`: W&B's CLI agent loop (spec §5.3) over broom's HTTP API. Registers with the sweep,
 * heartbeats at the interval the server gives, starts the runs it is given one at a time, streams
 * their metrics, reports their states, obeys `stop` and `exit`, and ends when `count` runs have
 * ended, the server says so, a failure guard trips, or it is interrupted. `run()` answers the exit
 * code: 0 for a finished sweep or a reached count, 1 for guards and errors, 128+n for signal n.
 */
export class Agent {
  private readonly live = new Map<string, LiveRun>();
  private readonly waker = new Waker();
  private readonly guards: AgentGuards;
  private readonly retryDeadlineMs: number;
  private started = 0;
  private ended = 0;
  private stopping: { code: number; reason: string } | undefined;
  private signals = 0;
  private agentId: string | undefined;
  private sweepId: string;

  constructor(private readonly opts: AgentOptions) {
    this.sweepId = opts.sweepId;
    this.guards = new AgentGuards(guardSettings(opts.env), Date.now());
    this.retryDeadlineMs = opts.retryDeadlineMs ?? 600_000;
  }

  /** Handle SIGINT/SIGTERM: the first stops the runs cleanly and exits, the second kills them now. */
  interrupt(signal: NodeJS.Signals): void {
    this.signals++;
    const code = signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143;
    const name = signal === 'SIGINT' ? 'Ctrl-C' : signal;
    if (this.signals === 1) {
      const runs = [...this.live.values()].map((r) => r.spec.runName);
      this.opts.out.info(
        runs.length === 0
          ? `${name}: exiting.`
          : `${name}: stopping run ${runs.join(', ')} (SIGTERM; SIGKILL in ${this.opts.killDelayMs / 1000} s). Press Ctrl-C again to kill it now.`,
      );
      this.beginStop(code, '', 'stop');
    } else {
      this.opts.out.info(`${name} again: killing ${this.live.size === 0 ? 'nothing' : 'the run'} now (SIGKILL).`);
      for (const run of this.live.values()) run.process.kill();
    }
    this.waker.wake();
  }

  /** True until the agent has registered; an interrupt then simply ends the process. */
  get registered(): boolean {
    return this.agentId !== undefined;
  }

  async run(): Promise<number> {
    const { api, out } = this.opts;
    const sweep = await this.call(() => api.getSweep(this.sweepId), 'read the sweep');
    if (!sweep) return this.stopping?.code ?? 1;
    this.sweepId = sweep.id;
    const registered = await this.call(
      () => api.registerAgent(sweep.id, { host: hostname(), pid: process.pid, slots: 1 }),
      'register the agent',
    );
    if (!registered) return this.stopping?.code ?? 1;
    this.agentId = registered.agentId;
    const intervalMs = Math.max(50, registered.heartbeatInterval * 1000);
    out.info(`Starting agent ${registered.agentId} for sweep ${sweep.id}${this.opts.count ? ` (count ${this.opts.count})` : ''}`);
    if (sweep.state === 'PAUSED') out.info(`Sweep ${sweep.id} is paused: waiting until it is resumed.`);

    let lastContact = Date.now();
    let offline = false;
    for (;;) {
      if (this.stopping && this.live.size === 0) break;
      if (!this.stopping && this.opts.count !== undefined && this.ended >= this.opts.count) {
        this.beginStop(0, `Reached --count ${this.opts.count}: ran ${this.ended} run${this.ended === 1 ? '' : 's'}. Exiting agent.`, 'finish');
        continue;
      }
      try {
        const answer = await api.heartbeat(registered.agentId, { running: [...this.live.keys()], freeSlots: this.freeSlots() });
        lastContact = Date.now();
        if (offline) out.info('Reached the server again.');
        offline = false;
        for (const command of answer.commands) await this.handle(command);
      } catch (error) {
        if (isTransient(error)) {
          if (!offline) out.info(`Cannot reach the server (${(error as Error).message}); runs go on and the agent keeps trying.`);
          offline = true;
          if (this.live.size === 0 && Date.now() - lastContact > this.retryDeadlineMs) {
            this.beginStop(1, `Gave up: the server has not answered for ${Math.round((Date.now() - lastContact) / 1000)} s.`, 'finish');
          }
        } else {
          this.beginStop(1, `${(error as Error).message} Stopping agent.`, 'finish');
        }
      }
      if (this.stopping && this.live.size === 0) break;
      await this.waker.wait(intervalMs);
    }
    if (this.stopping?.reason) out.info(this.stopping.reason);
    return this.stopping?.code ?? 0;
  }

  /** Call the server, retrying while it cannot be reached; undefined (and stopping set) on failure. */
  private async call<T>(fn: () => Promise<T>, what: string): Promise<T | undefined> {
    let warned = false;
    try {
      return await withRetry(fn, {
        deadlineMs: this.retryDeadlineMs,
        onRetry: (error) => {
          if (warned) return;
          warned = true;
          this.opts.out.info(`Cannot ${what} (${(error as Error).message}); retrying.`);
        },
      });
    } catch (error) {
      this.beginStop(1, '', 'finish');
      this.opts.out.info((error as Error).message);
      return undefined;
    }
  }

  private freeSlots(): number {
    if (this.stopping || this.live.size > 0) return 0;
    if (this.opts.count !== undefined && this.started >= this.opts.count) return 0;
    return 1;
  }

  private beginStop(code: number, reason: string, mode: StopMode): void {
    if (!this.stopping) this.stopping = { code, reason };
    if (mode === 'stop') for (const run of this.live.values()) run.process.stop(this.opts.killDelayMs);
    if (mode === 'kill') for (const run of this.live.values()) run.process.kill();
    this.waker.wake();
  }

  private async handle(command: AgentCommand): Promise<void> {
    const { out } = this.opts;
    switch (command.type) {
      case 'run': {
        const spec: RunSpec = {
          sweepId: this.sweepId,
          runId: command.runId,
          runName: command.runName,
          config: command.config,
          program: command.program,
          command: command.command,
        };
        if (this.stopping || this.freeSlots() === 0) {
          // Not ours to run any more (we are leaving, or already busy): give it back as killed.
          void this.report(spec, { state: 'killed', exitCode: null });
          return;
        }
        await this.startRun(spec);
        return;
      }
      case 'stop': {
        const run = this.live.get(command.runId);
        if (!run || run.process.isStopping) return;
        out.info(`Stopping run ${run.spec.runName} as the sweep asks (SIGTERM now, SIGKILL in ${this.opts.killDelayMs / 1000} s if still running).`);
        run.process.stop(this.opts.killDelayMs);
        return;
      }
      case 'exit': {
        let code = 0;
        try {
          code = (await this.opts.api.getSweep(this.sweepId)).state === 'FAILED' ? 1 : 0;
        } catch {
          // the reason says it all
        }
        this.beginStop(code, `${command.reason} Exiting agent.`, 'stop');
        return;
      }
    }
  }

  private async startRun(spec: RunSpec): Promise<void> {
    const { out } = this.opts;
    this.started++;
    out.info(`Agent Starting Run: ${spec.runName} with config:`);
    for (const [name, value] of Object.entries(spec.config)) out.info(`\t${name}: ${pyStr(value)}`);
    let prepared;
    try {
      prepared = await prepareRun(spec, this.opts.dir, this.opts.env);
    } catch (error) {
      out.info(`Cannot start run ${spec.runName}: ${(error as Error).message}`);
      await this.report(spec, { state: 'failed', exitCode: null });
      this.runEnded({ exitCode: null, signal: null, stopped: false, startError: error as Error });
      return;
    }
    if (this.stopping) {
      // Interrupted while the files were written: do not start it.
      await this.report(spec, { state: 'killed', exitCode: null });
      this.runEnded({ exitCode: null, signal: null, stopped: true });
      return;
    }
    out.info(`About to run command: ${prepared.argv.map(quote).join(' ')}`);
    const uploader = new MetricsUploader({
      send: (request) => this.opts.api.postMetrics(spec.runId, request),
      intervalMs: this.opts.metricsIntervalMs,
      retryDeadlineMs: this.retryDeadlineMs,
      warn: (message) => out.info(`Run ${spec.runName}: ${message}`),
    });
    const live: LiveRun = {
      spec,
      uploader,
      process: new RunProcess(prepared.argv, {
        cwd: this.opts.cwd,
        env: prepared.env,
        outputLog: prepared.paths.outputLog,
        ...(this.opts.echo === false ? { echo: null } : {}),
      }),
      tail: undefined as unknown as MetricsTail,
      reports: Promise.resolve(),
      skipped: 0,
    };
    live.tail = new MetricsTail(
      prepared.paths.metricsFile,
      (parsed) => this.onMetrics(live, parsed),
      this.opts.tailIntervalMs,
      (error) => out.info(`Run ${spec.runName}: cannot read ${prepared.paths.metricsFile}: ${error.message}`),
    );
    this.live.set(spec.runId, live);
    live.reports = this.report(spec, { state: 'running' });
    live.tail.start();
    void live.process.done.then((outcome) => this.finishRun(live, outcome));
  }

  private onMetrics(run: LiveRun, parsed: ParsedLines): void {
    run.uploader.add(parsed.rows, parsed.summary);
    for (const skip of parsed.skipped) {
      run.skipped++;
      if (run.skipped <= 3) {
        const text = skip.text.length > 80 ? `${skip.text.slice(0, 77)}...` : skip.text;
        this.opts.out.info(`Run ${run.spec.runName}: metrics line ${skip.line} is ${skip.why}, skipped${text ? `: ${text}` : ''}`);
      } else if (run.skipped === 4) {
        this.opts.out.info(`Run ${run.spec.runName}: more metrics lines are skipped (not shown).`);
      }
    }
  }

  private async finishRun(run: LiveRun, outcome: RunOutcome): Promise<void> {
    const { spec } = run;
    await run.tail.stop();
    await run.uploader.flush();
    let state: RunStateRequest['state'];
    let how: string;
    if (outcome.startError) {
      state = 'failed';
      how = `could not start: ${outcome.startError.message}`;
    } else if (outcome.stopped) {
      state = 'killed';
      how = `stopped (${outcome.signal ? `signal ${outcome.signal}` : `exit code ${outcome.exitCode}`})`;
    } else if (outcome.signal) {
      state = 'killed';
      how = `killed by signal ${outcome.signal}`;
    } else {
      state = outcome.exitCode === 0 ? 'finished' : 'failed';
      how = `${state} with exit code ${outcome.exitCode}`;
    }
    await run.reports;
    await this.report(spec, { state, exitCode: outcome.exitCode });
    this.opts.out.info(`Run ${spec.runName} ${how}.${run.skipped > 3 ? ` ${run.skipped} metrics lines were skipped.` : ''}`);
    this.live.delete(spec.runId);
    this.runEnded(outcome);
  }

  private runEnded(outcome: RunOutcome): void {
    this.ended++;
    if (!outcome.stopped) {
      const tripped = this.guards.record(outcome.startError ? null : outcome.exitCode, Date.now());
      if (tripped) this.beginStop(1, tripped, 'stop');
    }
    this.waker.wake();
  }

  /** Tell the server a run's state, retrying while it cannot be reached; never throws. */
  private async report(spec: RunSpec, request: RunStateRequest): Promise<void> {
    try {
      await withRetry(() => this.opts.api.setRunState(spec.runId, request), { deadlineMs: this.retryDeadlineMs });
    } catch (error) {
      this.opts.out.info(`Cannot report run ${spec.runName} as ${request.state}: ${(error as Error).message}`);
    }
  }
}

function quote(token: string): string {
  return /^[\w@%+=:,./-]+$/.test(token) ? token : `'${token.replace(/'/g, `'\\''`)}'`;
}
