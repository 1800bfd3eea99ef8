import type Database from 'better-sqlite3';
import { isRecord, parseJson, stringifyJson, type SweepState, type ValueRecord } from '@broom/core';
import { StoreNotFoundError } from './store-errors.js';
import type {
  ItemClaim,
  ItemFilter,
  ItemPatch,
  ItemSpec,
  LaunchAgentRow,
  LaunchSweepCreate,
  LaunchSweepRestart,
  LaunchSweepRestartResult,
  LaunchSweepRow,
  NewLaunchAgent,
  NewQueueItem,
  QueueItemRow,
  QueueRow,
  RunItemLaunch,
  RunItemLaunchResult,
  ItemState,
  ItemKind,
  LaunchAgentState,
} from './launch-types.js';
import type { RunRow, SweepRow } from './store.js';
import { toItem, toLaunchAgent, toLaunchSweep, toQueue, type Row } from './store-rows.js';


/** How the launch part reads sweeps and runs of the main store (their row mapping lives there). */
export interface SqliteRowReaders {
  sweep(id: string): SweepRow;
  run(id: string): RunRow;
}

/**
 * The Sweeps-on-Launch part of the SQLite store (issue 7): queues, items, launch agents and
 * launch sweeps. Every method that keeps an invariant across rows is one IMMEDIATE transaction, so
 * two claims (from this process or another one on the same file) never take the same item. The SQL
 * is plain (no RETURNING, no UPSERT) so that it reads the same on PostgreSQL.
 */
export class SqliteLaunch {
  constructor(
    private readonly db: Database.Database,
    private readonly rows: SqliteRowReaders,
  ) {}

  ensureQueue(name: string, at: string): QueueRow {
    return this.db.transaction(() => {
      const found = this.db.prepare('SELECT * FROM queues WHERE name = ?').get(name) as Row | undefined;
      if (found) return toQueue(found);
      this.db.prepare('INSERT INTO queues (name, created_at) VALUES (?, ?)').run(name, at);
      return toQueue(this.db.prepare('SELECT * FROM queues WHERE name = ?').get(name) as Row);
    }).immediate();
  }

  getQueue(name: string): QueueRow | undefined {
    const row = this.db.prepare('SELECT * FROM queues WHERE name = ?').get(name) as Row | undefined;
    return row ? toQueue(row) : undefined;
  }

  listQueues(): QueueRow[] {
    return (this.db.prepare('SELECT * FROM queues ORDER BY name').all() as Row[]).map(toQueue);
  }

  enqueueItem(item: NewQueueItem): QueueItemRow {
    this.db.transaction(() => this.insertItem(item)).immediate();
    return this.itemOrThrow(item.id);
  }

  claimItem(c: ItemClaim): QueueItemRow | undefined {
    if (c.queues.length === 0 || c.kinds.length === 0) return undefined;
    const id = this.db.transaction(() => {
      const agent = this.db.prepare('SELECT id FROM launch_agents WHERE id = ?').get(c.launchAgentId) as Row | undefined;
      if (!agent) throw new StoreNotFoundError('launch-agent', c.launchAgentId);
      const row = this.db
        .prepare(
          `SELECT id FROM queue_items
           WHERE state = 'queued' AND queue IN (${marks(c.queues)}) AND kind IN (${marks(c.kinds)})
           ORDER BY priority, seq LIMIT 1`,
        )
        .get(...c.queues, ...c.kinds) as { id: string } | undefined;
      if (!row) return undefined;
      const info = this.db
        .prepare("UPDATE queue_items SET state = 'claimed', launch_agent_id = ?, claimed_at = ? WHERE id = ? AND state = 'queued'")
        .run(c.launchAgentId, c.at, row.id);
      return info.changes === 1 ? row.id : undefined;
    }).immediate();
    return id === undefined ? undefined : this.itemOrThrow(id);
  }

  getItem(id: string): QueueItemRow | undefined {
    const row = this.db.prepare('SELECT * FROM queue_items WHERE id = ?').get(id) as Row | undefined;
    return row ? toItem(row) : undefined;
  }

  listItems(f: ItemFilter): QueueItemRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const eq = (column: string, value: unknown) => {
      where.push(`${column} = ?`);
      args.push(value);
    };
    if (f.queue !== undefined) eq('queue', f.queue);
    if (f.sweepId !== undefined) eq('sweep_id', f.sweepId);
    if (f.launchAgentId !== undefined) eq('launch_agent_id', f.launchAgentId);
    if (f.kind !== undefined) eq('kind', f.kind);
    if (f.states !== undefined) {
      if (f.states.length === 0) return [];
      where.push(`state IN (${marks(f.states)})`);
      args.push(...f.states);
    }
    const sql = `SELECT * FROM queue_items ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY priority, seq`;
    return (this.db.prepare(sql).all(...args) as Row[]).map(toItem);
  }

  updateItem(id: string, p: ItemPatch): QueueItemRow | undefined {
    const sets: string[] = [];
    const args: unknown[] = [];
    const put = (column: string, value: unknown) => {
      sets.push(`${column} = ?`);
      args.push(value);
    };
    if (p.state !== undefined) put('state', p.state);
    if (p.jobId !== undefined) put('job_id', p.jobId);
    if (p.exitCode !== undefined) put('exit_code', p.exitCode);
    if (p.message !== undefined) put('message', p.message);
    if (p.stopRequested !== undefined) put('stop_requested', p.stopRequested ? 1 : 0);
    if (p.stopReason !== undefined) put('stop_reason', p.stopReason);
    if (p.startedAt !== undefined) put('started_at', p.startedAt);
    if (p.endedAt !== undefined) put('ended_at', p.endedAt);
    if (sets.length > 0) this.db.prepare(`UPDATE queue_items SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
    return this.getItem(id);
  }

  registerLaunchAgent(a: NewLaunchAgent): LaunchAgentRow {
    this.db
      .prepare(
        `INSERT INTO launch_agents (id, host, pid, queues, max_jobs, max_schedulers, state, created_at, heartbeat_at)
         VALUES (?, ?, ?, ?, ?, ?, 'polling', ?, ?)`,
      )
      .run(a.id, a.host, a.pid, JSON.stringify(a.queues), a.maxJobs, a.maxSchedulers, a.createdAt, a.createdAt);
    return this.getLaunchAgent(a.id)!;
  }

  getLaunchAgent(id: string): LaunchAgentRow | undefined {
    const row = this.db.prepare('SELECT * FROM launch_agents WHERE id = ?').get(id) as Row | undefined;
    return row ? toLaunchAgent(row) : undefined;
  }

  listLaunchAgents(): LaunchAgentRow[] {
    return (this.db.prepare('SELECT * FROM launch_agents ORDER BY created_at, id').all() as Row[]).map(toLaunchAgent);
  }

  heartbeatLaunchAgent(id: string, at: string): LaunchAgentRow | undefined {
    this.db.prepare('UPDATE launch_agents SET heartbeat_at = ? WHERE id = ?').run(at, id);
    return this.getLaunchAgent(id);
  }

  stopLaunchAgent(id: string, at: string): LaunchAgentRow | undefined {
    this.db.prepare("UPDATE launch_agents SET state = 'stopped', ended_at = COALESCE(ended_at, ?) WHERE id = ?").run(at, id);
    return this.getLaunchAgent(id);
  }

  failStaleItems(heartbeatBefore: string, now: string, message: string): QueueItemRow[] {
    const ids = this.db.transaction(() => {
      const rows = this.db
        .prepare(
          `SELECT i.id, i.run_id FROM queue_items i JOIN launch_agents a ON a.id = i.launch_agent_id
           WHERE i.state IN ('claimed', 'running') AND a.state <> 'stopped' AND a.heartbeat_at < ?
           ORDER BY i.seq`,
        )
        .all(heartbeatBefore) as { id: string; run_id: string | null }[];
      const item = this.db.prepare("UPDATE queue_items SET state = 'failed', ended_at = ?, message = ? WHERE id = ?");
      const run = this.db.prepare("UPDATE runs SET state = 'crashed', ended_at = ? WHERE id = ? AND state IN ('pending', 'running')");
      for (const r of rows) {
        item.run(now, message, r.id);
        if (r.run_id !== null) run.run(now, r.run_id);
      }
      return rows.map((r) => r.id);
    }).immediate();
    return ids.map((id) => this.itemOrThrow(id));
  }

  createLaunchSweep(c: LaunchSweepCreate): { sweep: SweepRow; launch: LaunchSweepRow; item: QueueItemRow } {
    const s = c.sweep;
    this.db.transaction(() => {
      if (!this.db.prepare('SELECT name FROM queues WHERE name = ?').get(c.launch.queue)) throw new StoreNotFoundError('queue', c.launch.queue);
      this.db
        .prepare(
          `INSERT INTO sweeps (id, name, project, entity, method, state, config, config_text, config_file, config_dir, seed, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.id, s.name, s.project, s.entity ?? null, s.method, s.state, stringifyJson(s.config), s.configText ?? null,
          s.configFile ?? null, s.configDir ?? null, s.seed, s.createdAt, s.createdAt);
      this.db
        .prepare('INSERT INTO sweep_events (sweep_id, at, from_state, to_state, reason) VALUES (?, ?, NULL, ?, ?)')
        .run(s.id, s.createdAt, s.state, 'created (launch sweep)');
      const l = c.launch;
      this.db
        .prepare(
          `INSERT INTO launch_sweeps (sweep_id, queue, priority, scheduler, launch, scheduler_item_id, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.id, l.queue, l.priority, stringifyJson(l.scheduler), stringifyJson(l.launch), c.schedulerItem.id, l.createdAt, l.createdAt);
      this.insertItem({ ...c.schedulerItem, sweepId: s.id });
    }).immediate();
    return { sweep: this.rows.sweep(s.id), launch: this.getLaunchSweep(s.id)!, item: this.itemOrThrow(c.schedulerItem.id) };
  }

  getLaunchSweep(sweepId: string): LaunchSweepRow | undefined {
    const row = this.db.prepare('SELECT * FROM launch_sweeps WHERE sweep_id = ?').get(sweepId) as Row | undefined;
    return row ? toLaunchSweep(row) : undefined;
  }

  restartLaunchSweep(sweepId: string, r: LaunchSweepRestart): LaunchSweepRestartResult {
    const refused = this.db.transaction((): LaunchSweepRestartResult | undefined => {
      const sweep = this.db.prepare('SELECT state FROM sweeps WHERE id = ?').get(sweepId) as { state: SweepState } | undefined;
      if (!sweep || !this.db.prepare('SELECT sweep_id FROM launch_sweeps WHERE sweep_id = ?').get(sweepId)) {
        throw new StoreNotFoundError('sweep', sweepId);
      }
      const active = this.db
        .prepare("SELECT id FROM queue_items WHERE sweep_id = ? AND kind = 'scheduler' AND state IN ('queued', 'claimed', 'running') ORDER BY seq LIMIT 1")
        .get(sweepId) as { id: string } | undefined;
      if (active) return { ok: false, why: 'active', item: this.itemOrThrow(active.id) };
      if (!r.from.includes(sweep.state)) return { ok: false, why: 'state', sweep: this.rows.sweep(sweepId) };
      this.db.prepare('UPDATE sweeps SET state = ?, error = NULL, finishing = NULL, updated_at = ? WHERE id = ?').run(r.state, r.at, sweepId);
      this.db
        .prepare('INSERT INTO sweep_events (sweep_id, at, from_state, to_state, reason) VALUES (?, ?, ?, ?, ?)')
        .run(sweepId, r.at, sweep.state, r.state, r.reason);
      this.db
        .prepare('UPDATE launch_sweeps SET queue = ?, priority = ?, scheduler = ?, scheduler_item_id = ?, updated_at = ? WHERE sweep_id = ?')
        .run(r.queue, r.priority, stringifyJson(r.scheduler), r.schedulerItem.id, r.at, sweepId);
      this.insertItem({ ...r.schedulerItem, sweepId });
      return undefined;
    }).immediate();
    if (refused) return refused;
    return { ok: true, sweep: this.rows.sweep(sweepId), launch: this.getLaunchSweep(sweepId)!, item: this.itemOrThrow(r.schedulerItem.id) };
  }

  launchRunItems(sweepId: string, l: RunItemLaunch): RunItemLaunchResult {
    const result = this.db.transaction((): { ok: false; why: 'fenced' | 'state' } | string[] => {
      const sweep = this.db.prepare('SELECT state FROM sweeps WHERE id = ?').get(sweepId) as { state: SweepState } | undefined;
      const launch = this.db.prepare('SELECT scheduler_item_id FROM launch_sweeps WHERE sweep_id = ?').get(sweepId) as Row | undefined;
      if (!sweep || !launch) throw new StoreNotFoundError('sweep', sweepId);
      if (launch.scheduler_item_id !== l.schedulerItemId) return { ok: false, why: 'fenced' };
      if (!l.requireState.includes(sweep.state)) return { ok: false, why: 'state' };
      const { n } = this.db.prepare('SELECT COALESCE(MAX(number) + 1, 0) AS n FROM runs WHERE sweep_id = ?').get(sweepId) as { n: number };
      const insert = this.db.prepare(
        `INSERT INTO runs (id, sweep_id, number, name, state, config, agent_id, created_at, search_info)
         VALUES (?, ?, ?, ?, 'pending', ?, NULL, ?, ?)`,
      );
      l.runs.forEach((r, i) => {
        insert.run(r.id, sweepId, n + i, r.name, stringifyJson(r.config), l.at, r.searchInfo ? stringifyJson(r.searchInfo) : null);
        this.insertItem({ ...r.item, sweepId, runId: r.id });
      });
      if (l.schedulerState !== undefined) {
        this.db.prepare('UPDATE sweeps SET scheduler_state = ? WHERE id = ?').run(stringifyJson(l.schedulerState), sweepId);
      }
      return l.runs.map((r) => r.id);
    }).immediate();
    if (!Array.isArray(result)) return result;
    return {
      ok: true,
      runs: result.map((id) => this.rows.run(id)),
      items: l.runs.map((r) => this.itemOrThrow(r.item.id)),
    };
  }

  /** Insert an item with the next enqueue number; call inside a transaction. */
  private insertItem(item: NewQueueItem): void {
    if (!this.db.prepare('SELECT name FROM queues WHERE name = ?').get(item.queue)) throw new StoreNotFoundError('queue', item.queue);
    const { seq } = this.db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM queue_items').get() as { seq: number };
    this.db
      .prepare(
        `INSERT INTO queue_items (id, seq, queue, priority, kind, state, sweep_id, run_id, spec, resource, resource_args, created_at)
         VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)`,
      )
      .run(item.id, seq, item.queue, item.priority, item.kind, item.sweepId ?? null, item.runId ?? null, stringifyJson(item.spec as never),
        item.resource, stringifyJson(item.resourceArgs), item.createdAt);
  }

  private itemOrThrow(id: string): QueueItemRow {
    const item = this.getItem(id);
    if (!item) throw new StoreNotFoundError('item', id);
    return item;
  }
}

function marks(list: readonly unknown[]): string {
  return list.map(() => '?').join(', ');
}
