import type pg from 'pg';
import { isRecord, parseJson, stringifyJson, type SweepState, type ValueRecord } from '@broom/core';
import { StoreNotFoundError } from './store-errors.js';
import type {
  ItemClaim,
  ItemFilter,
  ItemKind,
  ItemPatch,
  ItemSpec,
  ItemState,
  LaunchAgentRow,
  LaunchAgentState,
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
} from './launch-types.js';
import { toItem, toLaunchAgent, toLaunchSweep, toQueue, toRun, toSweep, type Row } from './store-rows.js';
import type { RunRow, SweepRow } from './store.js';

type Db = pg.Pool | pg.PoolClient;

/** What the launch part uses of the PostgreSQL store: its pool and its transactions. */
export interface PgParts {
  pool: pg.Pool;
  tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T>;
}

async function one(db: Db, sql: string, args: unknown[] = []): Promise<Row | undefined> {
  return (await db.query(sql, args)).rows[0] as Row | undefined;
}

async function all(db: Db, sql: string, args: unknown[] = []): Promise<Row[]> {
  return (await db.query(sql, args)).rows as Row[];
}

/**
 * The Sweeps-on-Launch part of the PostgreSQL store (issue 7): queues, items, launch agents and
 * launch sweeps, with the SQLite store's semantics. A claim is one statement that locks the best
 * queued item with `FOR UPDATE SKIP LOCKED` and marks it claimed, so concurrent claims (from any
 * number of servers) never get the same item and never wait on each other. Enqueue order is a
 * sequence (`seq`), so concurrent enqueues never collide.
 */
export class PgLaunch {
  constructor(private readonly db: PgParts) {}

  async ensureQueue(name: string, at: string): Promise<QueueRow> {
    await this.db.pool.query('INSERT INTO queues (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, at]);
    return toQueue((await one(this.db.pool, 'SELECT * FROM queues WHERE name = $1', [name]))!);
  }

  async getQueue(name: string): Promise<QueueRow | undefined> {
    const row = await one(this.db.pool, 'SELECT * FROM queues WHERE name = $1', [name]);
    return row ? toQueue(row) : undefined;
  }

  async listQueues(): Promise<QueueRow[]> {
    return (await all(this.db.pool, 'SELECT * FROM queues ORDER BY name')).map(toQueue);
  }

  async enqueueItem(item: NewQueueItem): Promise<QueueItemRow> {
    return this.db.tx((c) => this.insertItem(c, item));
  }

  async claimItem(cl: ItemClaim): Promise<QueueItemRow | undefined> {
    if (cl.queues.length === 0 || cl.kinds.length === 0) return undefined;
    if (!(await one(this.db.pool, 'SELECT id FROM launch_agents WHERE id = $1', [cl.launchAgentId]))) {
      throw new StoreNotFoundError('launch-agent', cl.launchAgentId);
    }
    const row = await one(
      this.db.pool,
      `UPDATE queue_items SET state = 'claimed', launch_agent_id = $1, claimed_at = $2
       WHERE id = (
         SELECT id FROM queue_items
         WHERE state = 'queued' AND queue = ANY($3::text[]) AND kind = ANY($4::text[])
         ORDER BY priority, seq LIMIT 1
         FOR UPDATE SKIP LOCKED
       ) AND state = 'queued'
       RETURNING *`,
      [cl.launchAgentId, cl.at, [...cl.queues], [...cl.kinds]],
    );
    return row ? toItem(row) : undefined;
  }

  async getItem(id: string): Promise<QueueItemRow | undefined> {
    const row = await one(this.db.pool, 'SELECT * FROM queue_items WHERE id = $1', [id]);
    return row ? toItem(row) : undefined;
  }

  async listItems(f: ItemFilter): Promise<QueueItemRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const eq = (column: string, value: unknown) => {
      args.push(value);
      where.push(`${column} = $${args.length}`);
    };
    if (f.queue !== undefined) eq('queue', f.queue);
    if (f.sweepId !== undefined) eq('sweep_id', f.sweepId);
    if (f.launchAgentId !== undefined) eq('launch_agent_id', f.launchAgentId);
    if (f.kind !== undefined) eq('kind', f.kind);
    if (f.states !== undefined) {
      if (f.states.length === 0) return [];
      args.push([...f.states]);
      where.push(`state = ANY($${args.length}::text[])`);
    }
    const sql = `SELECT * FROM queue_items ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY priority, seq`;
    return (await all(this.db.pool, sql, args)).map(toItem);
  }

  async updateItem(id: string, p: ItemPatch): Promise<QueueItemRow | undefined> {
    const sets: string[] = [];
    const args: unknown[] = [id];
    const put = (column: string, value: unknown) => {
      args.push(value);
      sets.push(`${column} = $${args.length}`);
    };
    if (p.state !== undefined) put('state', p.state);
    if (p.jobId !== undefined) put('job_id', p.jobId);
    if (p.exitCode !== undefined) put('exit_code', p.exitCode);
    if (p.message !== undefined) put('message', p.message);
    if (p.stopRequested !== undefined) put('stop_requested', p.stopRequested);
    if (p.stopReason !== undefined) put('stop_reason', p.stopReason);
    if (p.startedAt !== undefined) put('started_at', p.startedAt);
    if (p.endedAt !== undefined) put('ended_at', p.endedAt);
    if (sets.length === 0) return this.getItem(id);
    const row = await one(this.db.pool, `UPDATE queue_items SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, args);
    return row ? toItem(row) : undefined;
  }

  async registerLaunchAgent(a: NewLaunchAgent): Promise<LaunchAgentRow> {
    const row = await one(
      this.db.pool,
      `INSERT INTO launch_agents (id, host, pid, queues, max_jobs, max_schedulers, state, created_at, heartbeat_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'polling', $7, $7) RETURNING *`,
      [a.id, a.host, a.pid, JSON.stringify(a.queues), a.maxJobs, a.maxSchedulers, a.createdAt],
    );
    return toLaunchAgent(row!);
  }

  async getLaunchAgent(id: string): Promise<LaunchAgentRow | undefined> {
    const row = await one(this.db.pool, 'SELECT * FROM launch_agents WHERE id = $1', [id]);
    return row ? toLaunchAgent(row) : undefined;
  }

  async listLaunchAgents(): Promise<LaunchAgentRow[]> {
    return (await all(this.db.pool, 'SELECT * FROM launch_agents ORDER BY created_at, id')).map(toLaunchAgent);
  }

  async heartbeatLaunchAgent(id: string, at: string): Promise<LaunchAgentRow | undefined> {
    const row = await one(this.db.pool, 'UPDATE launch_agents SET heartbeat_at = $1 WHERE id = $2 RETURNING *', [at, id]);
    return row ? toLaunchAgent(row) : undefined;
  }

  async stopLaunchAgent(id: string, at: string): Promise<LaunchAgentRow | undefined> {
    const row = await one(this.db.pool, "UPDATE launch_agents SET state = 'stopped', ended_at = COALESCE(ended_at, $1) WHERE id = $2 RETURNING *", [at, id]);
    return row ? toLaunchAgent(row) : undefined;
  }

  async failStaleItems(heartbeatBefore: string, now: string, message: string): Promise<QueueItemRow[]> {
    return this.db.tx(async (c) => {
      // One statement picks and fails the items: an item another server fails meanwhile is re-checked and left alone.
      const rows = await all(
        c,
        `UPDATE queue_items i SET state = 'failed', ended_at = $1, message = $2 FROM launch_agents a
         WHERE a.id = i.launch_agent_id AND i.state IN ('claimed', 'running') AND a.state <> 'stopped' AND a.heartbeat_at < $3
         RETURNING i.*`,
        [now, message, heartbeatBefore],
      );
      const runIds = rows.map((r) => r.run_id).filter((id): id is string => typeof id === 'string');
      if (runIds.length > 0) {
        await c.query("UPDATE runs SET state = 'crashed', ended_at = $1 WHERE id = ANY($2::text[]) AND state IN ('pending', 'running')", [now, runIds]);
      }
      return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map(toItem);
    });
  }

  async createLaunchSweep(cr: LaunchSweepCreate): Promise<{ sweep: SweepRow; launch: LaunchSweepRow; item: QueueItemRow }> {
    const s = cr.sweep;
    return this.db.tx(async (c) => {
      if (!(await one(c, 'SELECT name FROM queues WHERE name = $1', [cr.launch.queue]))) throw new StoreNotFoundError('queue', cr.launch.queue);
      const sweep = await one(
        c,
        `INSERT INTO sweeps (id, name, project, entity, method, state, config, config_text, config_file, config_dir, seed, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING *`,
        [s.id, s.name, s.project, s.entity ?? null, s.method, s.state, stringifyJson(s.config), s.configText ?? null,
          s.configFile ?? null, s.configDir ?? null, s.seed, s.createdAt],
      );
      await c.query('INSERT INTO sweep_events (sweep_id, at, from_state, to_state, reason) VALUES ($1, $2, NULL, $3, $4)', [s.id, s.createdAt, s.state, 'created (launch sweep)']);
      const l = cr.launch;
      const launch = await one(
        c,
        `INSERT INTO launch_sweeps (sweep_id, queue, priority, scheduler, launch, scheduler_item_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING *`,
        [s.id, l.queue, l.priority, stringifyJson(l.scheduler), stringifyJson(l.launch), cr.schedulerItem.id, l.createdAt],
      );
      const item = await this.insertItem(c, { ...cr.schedulerItem, sweepId: s.id });
      return { sweep: toSweep(sweep!), launch: toLaunchSweep(launch!), item };
    });
  }

  async getLaunchSweep(sweepId: string): Promise<LaunchSweepRow | undefined> {
    const row = await one(this.db.pool, 'SELECT * FROM launch_sweeps WHERE sweep_id = $1', [sweepId]);
    return row ? toLaunchSweep(row) : undefined;
  }

  async restartLaunchSweep(sweepId: string, r: LaunchSweepRestart): Promise<LaunchSweepRestartResult> {
    return this.db.tx(async (c): Promise<LaunchSweepRestartResult> => {
      const sweep = await one(c, 'SELECT * FROM sweeps WHERE id = $1 FOR UPDATE', [sweepId]);
      if (!sweep || !(await one(c, 'SELECT sweep_id FROM launch_sweeps WHERE sweep_id = $1', [sweepId]))) {
        throw new StoreNotFoundError('sweep', sweepId);
      }
      const active = await one(
        c,
        "SELECT * FROM queue_items WHERE sweep_id = $1 AND kind = 'scheduler' AND state IN ('queued', 'claimed', 'running') ORDER BY seq LIMIT 1",
        [sweepId],
      );
      if (active) return { ok: false, why: 'active', item: toItem(active) };
      const from = sweep.state as SweepState;
      if (!r.from.includes(from)) return { ok: false, why: 'state', sweep: toSweep(sweep) };
      const updated = await one(c, 'UPDATE sweeps SET state = $1, error = NULL, finishing = NULL, updated_at = $2 WHERE id = $3 RETURNING *', [r.state, r.at, sweepId]);
      await c.query('INSERT INTO sweep_events (sweep_id, at, from_state, to_state, reason) VALUES ($1, $2, $3, $4, $5)', [sweepId, r.at, from, r.state, r.reason]);
      const launch = await one(
        c,
        'UPDATE launch_sweeps SET queue = $1, priority = $2, scheduler = $3, scheduler_item_id = $4, updated_at = $5 WHERE sweep_id = $6 RETURNING *',
        [r.queue, r.priority, stringifyJson(r.scheduler), r.schedulerItem.id, r.at, sweepId],
      );
      const item = await this.insertItem(c, { ...r.schedulerItem, sweepId });
      return { ok: true, sweep: toSweep(updated!), launch: toLaunchSweep(launch!), item };
    });
  }

  async launchRunItems(sweepId: string, l: RunItemLaunch): Promise<RunItemLaunchResult> {
    return this.db.tx(async (c): Promise<RunItemLaunchResult> => {
      // The sweep's row lock orders concurrent launches (run numbers) as in launchRuns.
      const sweep = await one(c, 'SELECT state FROM sweeps WHERE id = $1 FOR UPDATE', [sweepId]);
      const launch = await one(c, 'SELECT scheduler_item_id FROM launch_sweeps WHERE sweep_id = $1', [sweepId]);
      if (!sweep || !launch) throw new StoreNotFoundError('sweep', sweepId);
      if (launch.scheduler_item_id !== l.schedulerItemId) return { ok: false, why: 'fenced' };
      if (!l.requireState.includes(sweep.state as SweepState)) return { ok: false, why: 'state' };
      const next = await one(c, 'SELECT COALESCE(MAX(number) + 1, 0) AS n FROM runs WHERE sweep_id = $1', [sweepId]);
      const n = Number(next!.n);
      const runs: RunRow[] = [];
      const items: QueueItemRow[] = [];
      for (const [i, r] of l.runs.entries()) {
        const row = await one(
          c,
          `INSERT INTO runs (id, sweep_id, number, name, state, config, agent_id, created_at, search_info)
           VALUES ($1, $2, $3, $4, 'pending', $5, NULL, $6, $7) RETURNING *`,
          [r.id, sweepId, n + i, r.name, stringifyJson(r.config), l.at, r.searchInfo ? stringifyJson(r.searchInfo) : null],
        );
        runs.push(toRun(row!));
        items.push(await this.insertItem(c, { ...r.item, sweepId, runId: r.id }));
      }
      if (l.schedulerState !== undefined) {
        await c.query('UPDATE sweeps SET scheduler_state = $1 WHERE id = $2', [stringifyJson(l.schedulerState), sweepId]);
      }
      return { ok: true, runs, items };
    });
  }

  /** Insert an item (its queue must exist); call inside a transaction. */
  private async insertItem(c: pg.PoolClient, item: NewQueueItem): Promise<QueueItemRow> {
    if (!(await one(c, 'SELECT name FROM queues WHERE name = $1', [item.queue]))) throw new StoreNotFoundError('queue', item.queue);
    const row = await one(
      c,
      `INSERT INTO queue_items (id, queue, priority, kind, state, sweep_id, run_id, spec, resource, resource_args, created_at)
       VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $8, $9, $10) RETURNING *`,
      [item.id, item.queue, item.priority, item.kind, item.sweepId ?? null, item.runId ?? null, stringifyJson(item.spec as never),
        item.resource, stringifyJson(item.resourceArgs), item.createdAt],
    );
    return toItem(row!);
  }
}
