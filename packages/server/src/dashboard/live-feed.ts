import { stringifyJson, TERMINAL_STATES, type RunDetail, type SweepDetail, type SweepSummary, type ValueRecord } from '@broom/core';
import { toRunDetail, toSweepDetail, toSweepSummary } from '../http/render.js';
import type { AgentRow, RunRow, Store } from '../store/store.js';

/** A run as the dashboard shows it: the API's RunDetail (no history) with its position and history length. */
export interface RunView extends RunDetail {
  number: number;
  historyLength: number;
  stopReason?: string;
}

export interface AgentView {
  id: string;
  host: string;
  pid: number;
  slots: number;
  createdAt: string;
  heartbeatAt: string;
}

/** New history rows of a run: rows `from, from+1, …`. */
export interface HistoryDelta {
  runId: string;
  from: number;
  rows: ValueRecord[];
}

/**
 * What a sweep's stream sends. `snapshot` first (the sweep, every run without history, its agents),
 * then `delta`s holding only what changed since the previous one: the sweep when its state or counts
 * changed, the runs whose fields changed, new agents, and the new history rows of each run.
 */
export interface SweepSnapshot {
  sweep: SweepDetail;
  runs: RunView[];
  agents: AgentView[];
}
export interface SweepDelta {
  sweep?: SweepDetail;
  runs?: RunView[];
  agents?: AgentView[];
  history?: HistoryDelta[];
}
/** The sweeps list's stream: `sweeps` with every sweep first, then the changed ones and the removed ids. */
export interface SweepsDelta {
  sweeps: SweepSummary[];
  removed?: string[];
}

/** One pre-serialised server-sent event frame, written as is to every subscriber. */
export type Frame = string;
type Listener = (frame: Frame) => void;

export function toRunView(run: RunRow): RunView {
  return {
    ...toRunDetail(run),
    number: run.number,
    historyLength: run.historyLength,
    ...(run.stopReason ? { stopReason: run.stopReason } : {}),
  };
}

function toAgentView(a: AgentRow): AgentView {
  return { id: a.id, host: a.host, pid: a.pid, slots: a.slots, createdAt: a.createdAt, heartbeatAt: a.heartbeatAt };
}

export function frame(event: string, data: unknown): Frame {
  return `event: ${event}\ndata: ${stringifyJson(data)}\n\n`;
}

abstract class Topic {
  readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | undefined;
  private active = false;
  private running: Promise<void> | undefined;
  /** The snapshot frame for a new subscriber, once the first tick has run. */
  protected snapshotFrame: Frame | undefined;

  constructor(
    protected readonly store: Store,
    private readonly intervalMs: number,
    protected readonly log: (line: string) => void,
  ) {}

  add(listener: Listener): void {
    this.listeners.add(listener);
    if (this.snapshotFrame) listener(this.snapshotFrame);
    if (!this.active) {
      this.active = true;
      void this.loop();
    }
  }

  /**
   * Poll, then wait the interval, or twice as long as the poll took when that is longer: a sweep so
   * big that polling it is slow is polled less often instead of keeping the server busy.
   */
  private async loop(): Promise<void> {
    if (!this.active) return;
    const started = Date.now();
    await this.tick();
    if (!this.active) return;
    const delay = Math.max(this.intervalMs, 2 * (Date.now() - started));
    this.timer = setTimeout(() => void this.loop(), delay);
    this.timer.unref();
  }

  /** Remove a listener; answers true when the topic has none left (and stopped). */
  remove(listener: Listener): boolean {
    this.listeners.delete(listener);
    if (this.listeners.size > 0) return false;
    this.stop();
    return true;
  }

  stop(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One poll; overlapping ticks are skipped (a slow store slows the stream instead of piling up). */
  tick(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.poll()
      .then((frames) => {
        for (const f of frames) for (const l of [...this.listeners]) l(f);
      })
      .catch((error: unknown) => this.log(`Dashboard feed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  protected abstract poll(): Promise<Frame[]>;
}

/** Every run of one sweep: field changes and new history rows, computed by comparing polls. */
class SweepTopic extends Topic {
  private sweepKey = '';
  private detail: SweepDetail | undefined;
  private readonly views = new Map<string, { key: string; view: RunView }>();
  private readonly agents = new Map<string, AgentView>();
  private gone = false;

  constructor(
    store: Store,
    intervalMs: number,
    log: (line: string) => void,
    private readonly sweepId: string,
  ) {
    super(store, intervalMs, log);
  }

  protected async poll(): Promise<Frame[]> {
    if (this.gone) return [];
    const sweep = await this.store.getSweep(this.sweepId);
    if (!sweep) {
      this.gone = true;
      return [frame('gone', { sweepId: this.sweepId })];
    }
    const runs = await this.store.listRuns(this.sweepId);
    const agents = await this.store.listAgents(this.sweepId);
    const first = this.detail === undefined;
    const delta: SweepDelta = {};

    const detail = toSweepDetail(sweep, runs);
    const sweepKey = stringifyJson(detail);
    if (sweepKey !== this.sweepKey) {
      this.sweepKey = sweepKey;
      this.detail = detail;
      delta.sweep = detail;
    }
    const changedRuns: RunView[] = [];
    const history: HistoryDelta[] = [];
    for (const run of runs) {
      const view = toRunView(run);
      const key = stringifyJson(view);
      const before = this.views.get(run.id);
      if (before?.key === key) continue;
      this.views.set(run.id, { key, view });
      changedRuns.push(view);
      const from = before?.view.historyLength ?? 0;
      // A run first seen after the snapshot sends its whole (short) history; the snapshot sends none.
      if (!first && run.historyLength > from) {
        const rows = (await this.store.getHistory(run.id)).slice(from, run.historyLength);
        if (rows.length > 0) history.push({ runId: run.id, from, rows });
      }
    }
    const newAgents: AgentView[] = [];
    for (const a of agents) {
      if (this.agents.has(a.id)) continue;
      const view = toAgentView(a);
      this.agents.set(a.id, view);
      newAgents.push(view);
    }
    this.snapshotFrame = frame('snapshot', {
      sweep: this.detail!,
      runs: [...this.views.values()].map((v) => v.view),
      agents: [...this.agents.values()],
    } satisfies SweepSnapshot);
    if (first) return [this.snapshotFrame];
    if (changedRuns.length) delta.runs = changedRuns;
    if (newAgents.length) delta.agents = newAgents;
    if (history.length) delta.history = history;
    return Object.keys(delta).length ? [frame('delta', delta)] : [];
  }
}

/** The sweeps list: the summaries that changed. Ended sweeps with no active run are not recomputed. */
class SweepsTopic extends Topic {
  private readonly cache = new Map<string, { updatedAt: string; live: boolean; key: string; summary: SweepSummary }>();
  private started = false;

  protected async poll(): Promise<Frame[]> {
    const sweeps = await this.store.listSweeps();
    const changed: SweepSummary[] = [];
    const seen = new Set<string>();
    for (const s of sweeps) {
      seen.add(s.id);
      const cached = this.cache.get(s.id);
      if (cached && !cached.live && cached.updatedAt === s.updatedAt) continue;
      const runs = await this.store.listRuns(s.id);
      const summary = toSweepSummary(s, runs);
      const key = stringifyJson(summary);
      const live = s.state === 'RUNNING' || s.state === 'PAUSED' || s.state === 'PENDING' || runs.some((r) => !TERMINAL_STATES.has(r.state));
      this.cache.set(s.id, { updatedAt: s.updatedAt, live, key, summary });
      if (cached?.key !== key) changed.push(summary);
    }
    const removed = [...this.cache.keys()].filter((id) => !seen.has(id));
    for (const id of removed) this.cache.delete(id);
    const all = sweeps.map((s) => this.cache.get(s.id)!.summary);
    this.snapshotFrame = frame('sweeps', { sweeps: all } satisfies SweepsDelta);
    if (!this.started) {
      this.started = true;
      return [this.snapshotFrame];
    }
    if (changed.length === 0 && removed.length === 0) return [];
    return [frame('sweeps', { sweeps: changed, ...(removed.length ? { removed } : {}) } satisfies SweepsDelta)];
  }
}

export interface LiveFeedOptions {
  /** How often a watched sweep (or the list) is polled, in ms: changes within one interval go out as one delta. */
  intervalMs?: number;
  log?: (line: string) => void;
}

/**
 * The dashboard's live updates. Each watched topic (the sweeps list, or one sweep) is polled once per
 * interval however many browsers watch it, and each change is serialised once and fanned out.
 * Polling the store (instead of hooking its writers) works the same for every Store implementation.
 */
export class LiveFeed {
  private readonly topics = new Map<string, Topic>();
  readonly intervalMs: number;
  private readonly log: (line: string) => void;

  constructor(private readonly store: Store, opts: LiveFeedOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.log = opts.log ?? (() => {});
  }

  /** Subscribe to the sweeps list (`sweepId` undefined) or one sweep; answers the unsubscribe function. */
  subscribe(sweepId: string | undefined, listener: Listener): () => void {
    const key = sweepId === undefined ? '*' : `sweep:${sweepId}`;
    let topic = this.topics.get(key);
    if (!topic) {
      topic = sweepId === undefined ? new SweepsTopic(this.store, this.intervalMs, this.log) : new SweepTopic(this.store, this.intervalMs, this.log, sweepId);
      this.topics.set(key, topic);
    }
    topic.add(listener);
    const t = topic;
    return () => {
      if (t.remove(listener) && this.topics.get(key) === t) this.topics.delete(key);
    };
  }

  /** How many topics are being polled (for tests). */
  get topicCount(): number {
    return this.topics.size;
  }

  close(): void {
    for (const t of this.topics.values()) t.stop();
    this.topics.clear();
  }
}
