import pg from 'pg';
import { BroomError, parseJson, stringifyJson, type RunState, type SweepState, type Value, type ValueRecord } from '@broom/core';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from './pg-migrations.js';
import { PgLaunch } from './pg-launch.js';
import { parseRecord, toAgent, toRun, toSweep, toToken, type Row } from './store-rows.js';
import type {
  ItemClaim, ItemFilter, ItemPatch, LaunchAgentRow, LaunchSweepCreate, LaunchSweepRestart, LaunchSweepRestartResult, LaunchSweepRow,
  NewLaunchAgent, NewQueueItem, QueueItemRow, QueueRow, RunItemLaunch, RunItemLaunchResult,
} from './launch-types.js';
import { HistoryGapError, StoreNotFoundError, StoreVersionError } from './store-errors.js';
import type {
  AgentRow,
  HistoryWrite,
  NewAgent,
  NewSweep,
  NewToken,
  RunLaunch,
  RunPatch,
  RunRow,
  Store,
  SweepEvent,
  SweepRow,
  SweepStateChange,
  TokenRow,
} from './store.js';

type Db = pg.Pool | pg.PoolClient;

const ACTIVE: readonly RunState[] = ['pending', 'running'];

/**
 * Advisory lock keys (the two-int form): class 0x62726f6d ("brom") with key 0 serialises
 * migrations; class 0x62726f6e with `hashtext(sweep id)` is a sweep's scheduling lock. A hash
 * collision only makes two sweeps wait for each other now and then.
 */
const MIGRATION_LOCK: readonly [number, number] = [0x62726f6d, 0];
const SWEEP_LOCK_CLASS = 0x62726f6e;

export interface PostgresStoreOptions {
  /** Connections for the store's queries (default 10). */
  maxConnections?: number;
  /** Connections that hold sweep locks while a sweep is stepped (default 8). */
  maxLockConnections?: number;
  /** Errors of idle connections (the database restarted, the network dropped); default: ignored, the pool reconnects. */
  onError?: (error: Error) => void;
}

/** The URL without its password, for messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

/**
 * Open the PostgreSQL store at `url` (`postgres://user:password@host:port/database`), creating and
 * migrating its tables as needed. A clear BroomError (`store-connect`) when it cannot connect.
 */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new BroomError(
      'store-url',
      `The database URL must start with postgres:// or postgresql:// (postgres://user:password@host:5432/database), but got "${redactDatabaseUrl(url)}".`,
      {},
    );
  }
  const store = new PostgresStore(url, opts);
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    if (error instanceof BroomError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new BroomError(
      'store-connect',
      `Cannot open the PostgreSQL store at ${redactDatabaseUrl(url)}: ${message}. Check BROOM_DATABASE_URL (host, port, user, password and database name) and that the server runs.`,
      { url: redactDatabaseUrl(url) },
    );
  }
  return store;
}

/**
 * The shared store: any number of `broom server` processes can use one PostgreSQL database.
 * Multi-row changes are transactions with row locks (`SELECT … FOR UPDATE` on the sweep or run
 * they change), so concurrent servers number runs and append history as one server would;
 * `withSweepLock` makes each sweep's scheduling step single-writer across processes.
 */
export class PostgresStore implements Store {
  private readonly pool: pg.Pool;
  /** Separate connections for sweep locks, so that steps holding a lock never starve the queries they wait for. */
  private readonly lockPool: pg.Pool;
  /** The Sweeps-on-Launch part (pg-launch.ts). */
  private readonly launch: PgLaunch;
  private closed = false;

  constructor(
    readonly url: string,
    opts: PostgresStoreOptions = {},
  ) {
    const onError = opts.onError ?? (() => undefined);
    this.pool = new pg.Pool({ connectionString: url, max: opts.maxConnections ?? 10, keepAlive: true });
    this.lockPool = new pg.Pool({ connectionString: url, max: opts.maxLockConnections ?? 8, keepAlive: true });
    this.pool.on('error', onError);
    this.lockPool.on('error', onError);
    // A server cut off from the database by the network (not one that exits: its lock goes with its
    // socket at once) would hold its sweep locks until PostgreSQL noticed the dead connection, by
    // default after hours: have PostgreSQL probe lock connections and drop a silent one within a minute.
    this.lockPool.on('connect', (client) => {
      client.query('SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3').catch(() => undefined);
    });
    this.launch = new PgLaunch({ pool: this.pool, tx: (fn) => this.tx(fn) });
  }

  /** Create or upgrade the tables, one server at a time (advisory lock). */
  async migrate(): Promise<void> {
    const c = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await c.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
      try {
        await c.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
        await c.query('BEGIN');
        try {
          const { rows } = await c.query<{ version: number }>('SELECT version FROM schema_version');
          let version = rows[0]?.version;
          if (version === undefined) {
            await c.query('INSERT INTO schema_version (version) VALUES (0)');
            version = 0;
          }
          if (version > PG_SCHEMA_VERSION) {
            throw new StoreVersionError(
              'store-version',
              `The database ${redactDatabaseUrl(this.url)} has schema version ${version}, but this broom knows versions up to ${PG_SCHEMA_VERSION}: it was written by a newer broom. Upgrade broom, or use another database.`,
              { version },
            );
          }
          for (let v = version; v < PG_SCHEMA_VERSION; v++) await c.query(PG_MIGRATIONS[v]);
          if (version !== PG_SCHEMA_VERSION) await c.query('UPDATE schema_version SET version = $1', [PG_SCHEMA_VERSION]);
          await c.query('COMMIT');
        } catch (error) {
          await c.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      } finally {
        await c.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]).catch((e: Error) => (broken = e));
      }
    } finally {
      c.release(broken);
    }
  }

  /** The schema version of the database. */
  async schemaVersion(): Promise<number> {
    const { rows } = await this.pool.query<{ version: number }>('SELECT version FROM schema_version');
    return rows[0].version;
  }

  /**
   * Run `task` holding the sweep's scheduling lock (a session advisory lock on a connection of its
   * own): every server process on this database steps a sweep one at a time. The lock goes with the
   * connection, so a server that dies never leaves it held.
   */
  async withSweepLock<T>(sweepId: string, task: () => Promise<T>): Promise<T> {
    const c = await this.lockPool.connect();
    let broken: Error | undefined;
    try {
      await c.query('SELECT pg_advisory_lock($1, hashtext($2))', [SWEEP_LOCK_CLASS, sweepId]);
      try {
        return await task();
      } finally {
        await c.query('SELECT pg_advisory_unlock($1, hashtext($2))', [SWEEP_LOCK_CLASS, sweepId]).catch((e: Error) => (broken = e));
      }
    } finally {
      c.release(broken);
    }
  }

  /** One transaction on one connection; rolled back when `fn` throws. */
  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await c.query('BEGIN');
      try {
        const result = await fn(c);
        await c.query('COMMIT');
        return result;
      } catch (error) {
        await c.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw error;
      }
    } finally {
      c.release(broken);
    }
  }

  private async one(db: Db, sql: string, args: unknown[] = []): Promise<Row | undefined> {
    return (await db.query(sql, args)).rows[0] as Row | undefined;
  }

  private async all(db: Db, sql: string, args: unknown[] = []): Promise<Row[]> {
    return (await db.query(sql, args)).rows as Row[];
  }

  async createSweep(s: NewSweep): Promise<SweepRow> {
    return this.tx(async (c) => {
      const row = await this.one(
        c,
        `INSERT INTO sweeps (id, name, project, entity, method, state, config, config_text, config_file, config_dir, seed, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING *`,
        [s.id, s.name, s.project, s.entity ?? null, s.method, s.state, stringifyJson(s.config), s.configText ?? null,
          s.configFile ?? null, s.configDir ?? null, s.seed, s.createdAt],
      );
      await c.query('INSERT INTO sweep_events (sweep_id, at, from_state, to_state, reason) VALUES ($1, $2, NULL, $3, $4)', [s.id, s.createdAt, s.state, 'created']);
      return toSweep(row!);
    });
  }

  async getSweep(id: string): Promise<SweepRow | undefined> {
    const row = await this.one(this.pool, 'SELECT * FROM sweeps WHERE id = $1', [id]);
    return row ? toSweep(row) : undefined;
  }

  async listSweeps(): Promise<SweepRow[]> {
    return (await this.all(this.pool, 'SELECT * FROM sweeps ORDER BY created_at DESC, seq DESC')).map(toSweep);
  }

  async setSweepState(id: string, ch: SweepStateChange): Promise<{ changed: boolean; sweep: SweepRow }> {
    return this.tx(async (c) => {
      const row = await this.one(c, 'SELECT * FROM sweeps WHERE id = $1 FOR UPDATE', [id]);
      if (!row) throw new StoreNotFoundError('sweep', id);
      const from = row.state as SweepState;
      if (ch.from && !ch.from.includes(from)) return { changed: false, sweep: toSweep(row) };
      const sets = ['state = $2', 'updated_at = $3'];
      const args: unknown[] = [id, ch.state, ch.at];
      if (ch.error !== undefined) {
        args.push(ch.error);
        sets.push(`error = $${args.length}`);
      }
      if (ch.finishing !== undefined) {
        args.push(ch.finishing);
        sets.push(`finishing = $${args.length}`);
      }
      const updated = await this.one(c, `UPDATE sweeps SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, args);
      if (from !== ch.state || ch.reason) {
        await c.query('INSERT INTO sweep_events (sweep_id, at, from_state, to_state, reason) VALUES ($1, $2, $3, $4, $5)', [id, ch.at, from, ch.state, ch.reason ?? null]);
      }
      return { changed: true, sweep: toSweep(updated!) };
    });
  }

  async listSweepEvents(id: string): Promise<SweepEvent[]> {
    const rows = await this.all(this.pool, 'SELECT * FROM sweep_events WHERE sweep_id = $1 ORDER BY id', [id]);
    return rows.map((r) => ({
      sweepId: r.sweep_id as string,
      at: r.at as string,
      from: (r.from_state as SweepState | null) ?? null,
      to: r.to_state as SweepState,
      ...(r.reason != null ? { reason: r.reason as string } : {}),
    }));
  }

  async setSweepFinishing(id: string, reason: string | null): Promise<void> {
    const { rowCount } = await this.pool.query('UPDATE sweeps SET finishing = $1 WHERE id = $2', [reason, id]);
    if (rowCount === 0) throw new StoreNotFoundError('sweep', id);
  }

  async getSchedulerState(sweepId: string): Promise<Value> {
    const row = await this.one(this.pool, 'SELECT scheduler_state FROM sweeps WHERE id = $1', [sweepId]);
    if (!row) throw new StoreNotFoundError('sweep', sweepId);
    return row.scheduler_state == null ? null : parseJson(row.scheduler_state as string, 'scheduler state');
  }

  async setSchedulerState(sweepId: string, state: Value): Promise<void> {
    const { rowCount } = await this.pool.query('UPDATE sweeps SET scheduler_state = $1 WHERE id = $2', [stringifyJson(state), sweepId]);
    if (rowCount === 0) throw new StoreNotFoundError('sweep', sweepId);
  }

  async launchRuns(sweepId: string, launch: RunLaunch): Promise<RunRow[]> {
    return this.tx(async (c) => {
      // The sweep's row lock orders concurrent launches: each sees the numbers the one before took.
      const sweep = await this.one(c, 'SELECT state FROM sweeps WHERE id = $1 FOR UPDATE', [sweepId]);
      if (!sweep) throw new StoreNotFoundError('sweep', sweepId);
      if (!launch.requireState.includes(sweep.state as SweepState)) return [];
      const agent = await this.one(c, 'SELECT sweep_id FROM agents WHERE id = $1', [launch.agentId]);
      if (!agent) throw new StoreNotFoundError('agent', launch.agentId);
      const next = await this.one(c, 'SELECT COALESCE(MAX(number) + 1, 0) AS n FROM runs WHERE sweep_id = $1', [sweepId]);
      const n = Number(next!.n);
      const out: RunRow[] = [];
      for (const [i, r] of launch.runs.entries()) {
        const row = await this.one(
          c,
          `INSERT INTO runs (id, sweep_id, number, name, state, config, agent_id, created_at, search_info)
           VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8) RETURNING *`,
          [r.id, sweepId, n + i, r.name, stringifyJson(r.config), launch.agentId, launch.at, r.searchInfo ? stringifyJson(r.searchInfo) : null],
        );
        out.push(toRun(row!));
      }
      if (launch.schedulerState !== undefined) {
        await c.query('UPDATE sweeps SET scheduler_state = $1 WHERE id = $2', [stringifyJson(launch.schedulerState), sweepId]);
      }
      return out;
    });
  }

  async getRun(id: string): Promise<RunRow | undefined> {
    const row = await this.one(this.pool, 'SELECT * FROM runs WHERE id = $1', [id]);
    return row ? toRun(row) : undefined;
  }

  async listRuns(sweepId: string): Promise<RunRow[]> {
    return (await this.all(this.pool, 'SELECT * FROM runs WHERE sweep_id = $1 ORDER BY number', [sweepId])).map(toRun);
  }

  async listAgentRuns(agentId: string): Promise<RunRow[]> {
    return (await this.all(this.pool, 'SELECT * FROM runs WHERE agent_id = $1 ORDER BY number', [agentId])).map(toRun);
  }

  async updateRun(id: string, p: RunPatch): Promise<RunRow | undefined> {
    const sets: string[] = [];
    const args: unknown[] = [id];
    const put = (column: string, value: unknown) => {
      args.push(value);
      sets.push(`${column} = $${args.length}`);
    };
    if (p.state !== undefined) put('state', p.state);
    if (p.exitCode !== undefined) put('exit_code', p.exitCode);
    if (p.startedAt !== undefined) put('started_at', p.startedAt);
    if (p.endedAt !== undefined) put('ended_at', p.endedAt);
    if (p.stopRequested !== undefined) put('stop_requested', p.stopRequested);
    if (p.stopReason !== undefined) put('stop_reason', p.stopReason);
    if (p.earlyTerminateInfo !== undefined) put('early_terminate_info', stringifyJson(p.earlyTerminateInfo));
    if (p.superseded !== undefined) put('superseded', p.superseded);
    if (sets.length === 0) return this.getRun(id);
    const row = await this.one(this.pool, `UPDATE runs SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, args);
    return row ? toRun(row) : undefined;
  }

  async supersedeRuns(sweepId: string, states: readonly RunState[]): Promise<RunRow[]> {
    if (states.length === 0) return [];
    const rows = await this.all(
      this.pool,
      'UPDATE runs SET superseded = TRUE WHERE sweep_id = $1 AND NOT superseded AND state = ANY($2::text[]) RETURNING *',
      [sweepId, [...states]],
    );
    return rows.map(toRun).sort((a, b) => a.number - b.number);
  }

  async appendHistory(runId: string, w: HistoryWrite): Promise<{ historyLength: number; added: number }> {
    return this.tx(async (c) => {
      // The run's row lock: concurrent batches of one run apply one after the other.
      const run = await this.one(c, 'SELECT history_length, summary FROM runs WHERE id = $1 FOR UPDATE', [runId]);
      if (!run) throw new StoreNotFoundError('run', runId);
      const length = run.history_length as number;
      if (w.seq > length) throw new HistoryGapError(runId, w.seq, length);
      const summary = parseRecord(run.summary as string);
      const seqs: number[] = [];
      const texts: string[] = [];
      w.rows.forEach((row, i) => {
        const seq = w.seq + i;
        if (seq < length) return;
        seqs.push(seq);
        texts.push(stringifyJson(row));
        Object.assign(summary, row);
      });
      if (seqs.length > 0) {
        await c.query(
          'INSERT INTO history (run_id, seq, row) SELECT $1, s, r FROM unnest($2::int[], $3::text[]) AS t(s, r) ON CONFLICT DO NOTHING',
          [runId, seqs, texts],
        );
      }
      if (w.summary) Object.assign(summary, w.summary);
      const historyLength = Math.max(length, w.seq + w.rows.length);
      await c.query('UPDATE runs SET history_length = $1, summary = $2 WHERE id = $3', [historyLength, stringifyJson(summary), runId]);
      return { historyLength, added: seqs.length };
    });
  }

  async getHistory(runId: string): Promise<ValueRecord[]> {
    const rows = await this.all(this.pool, 'SELECT row FROM history WHERE run_id = $1 ORDER BY seq', [runId]);
    return rows.map((r) => parseRecord(r.row as string));
  }

  /** A run's history rows from index `fromSeq` on (the primary key's order). */
  async getHistorySince(runId: string, fromSeq: number): Promise<ValueRecord[]> {
    const rows = await this.all(this.pool, 'SELECT row FROM history WHERE run_id = $1 AND seq >= $2 ORDER BY seq', [runId, fromSeq]);
    return rows.map((r) => parseRecord(r.row as string));
  }

  async getSweepHistory(sweepId: string): Promise<Map<string, ValueRecord[]>> {
    const rows = await this.all(
      this.pool,
      'SELECT h.run_id, h.row FROM history h JOIN runs r ON r.id = h.run_id WHERE r.sweep_id = $1 ORDER BY h.run_id, h.seq',
      [sweepId],
    );
    const out = new Map<string, ValueRecord[]>();
    for (const r of rows) {
      let list = out.get(r.run_id as string);
      if (!list) out.set(r.run_id as string, (list = []));
      list.push(parseRecord(r.row as string));
    }
    return out;
  }

  async registerAgent(a: NewAgent): Promise<AgentRow> {
    const row = await this.one(
      this.pool,
      'INSERT INTO agents (id, sweep_id, host, pid, slots, created_at, heartbeat_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *',
      [a.id, a.sweepId, a.host, a.pid, a.slots, a.createdAt],
    );
    return toAgent(row!);
  }

  async getAgent(id: string): Promise<AgentRow | undefined> {
    const row = await this.one(this.pool, 'SELECT * FROM agents WHERE id = $1', [id]);
    return row ? toAgent(row) : undefined;
  }

  async listAgents(sweepId: string): Promise<AgentRow[]> {
    return (await this.all(this.pool, 'SELECT * FROM agents WHERE sweep_id = $1 ORDER BY created_at, seq', [sweepId])).map(toAgent);
  }

  async heartbeatAgent(id: string, at: string): Promise<AgentRow | undefined> {
    const row = await this.one(this.pool, 'UPDATE agents SET heartbeat_at = $1 WHERE id = $2 RETURNING *', [at, id]);
    return row ? toAgent(row) : undefined;
  }

  async crashStaleRuns(heartbeatBefore: string, now: string): Promise<RunRow[]> {
    // One statement: a run that another server crashes meanwhile is re-checked and left alone.
    const rows = await this.all(
      this.pool,
      `UPDATE runs r SET state = 'crashed', ended_at = $1 FROM agents a
       WHERE a.id = r.agent_id AND r.state = ANY($2::text[]) AND a.heartbeat_at < $3 RETURNING r.*`,
      [now, [...ACTIVE], heartbeatBefore],
    );
    return rows.map(toRun).sort((a, b) => (a.sweepId < b.sweepId ? -1 : a.sweepId > b.sweepId ? 1 : a.number - b.number));
  }

  // ---- access tokens ----

  async createToken(t: NewToken): Promise<TokenRow> {
    const row = await this.one(this.pool, 'INSERT INTO tokens (id, name, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING *', [t.id, t.name, t.hash, t.createdAt]);
    return toToken(row!);
  }

  async listTokens(): Promise<TokenRow[]> {
    return (await this.all(this.pool, 'SELECT * FROM tokens ORDER BY created_at, seq')).map(toToken);
  }

  async findTokenByHash(hash: string): Promise<TokenRow | undefined> {
    const row = await this.one(this.pool, 'SELECT * FROM tokens WHERE hash = $1', [hash]);
    return row ? toToken(row) : undefined;
  }

  async touchToken(id: string, at: string): Promise<void> {
    await this.pool.query('UPDATE tokens SET last_used_at = $1 WHERE id = $2', [at, id]);
  }

  async revokeToken(id: string, at: string): Promise<TokenRow | undefined> {
    const row = await this.one(this.pool, 'UPDATE tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 RETURNING *', [at, id]);
    return row ? toToken(row) : undefined;
  }

  // ---- end of access tokens ----

  // ---- Sweeps on Launch (issue 7): queues, items, launch agents, launch sweeps (pg-launch.ts) ----


  async ensureQueue(name: string, at: string): Promise<QueueRow> { return this.launch.ensureQueue(name, at); }
  async getQueue(name: string): Promise<QueueRow | undefined> { return this.launch.getQueue(name); }
  async listQueues(): Promise<QueueRow[]> { return this.launch.listQueues(); }
  async enqueueItem(item: NewQueueItem): Promise<QueueItemRow> { return this.launch.enqueueItem(item); }
  async claimItem(claim: ItemClaim): Promise<QueueItemRow | undefined> { return this.launch.claimItem(claim); }
  async getItem(id: string): Promise<QueueItemRow | undefined> { return this.launch.getItem(id); }
  async listItems(filter: ItemFilter): Promise<QueueItemRow[]> { return this.launch.listItems(filter); }
  async updateItem(id: string, patch: ItemPatch): Promise<QueueItemRow | undefined> { return this.launch.updateItem(id, patch); }
  async registerLaunchAgent(agent: NewLaunchAgent): Promise<LaunchAgentRow> { return this.launch.registerLaunchAgent(agent); }
  async getLaunchAgent(id: string): Promise<LaunchAgentRow | undefined> { return this.launch.getLaunchAgent(id); }
  async listLaunchAgents(): Promise<LaunchAgentRow[]> { return this.launch.listLaunchAgents(); }
  async heartbeatLaunchAgent(id: string, at: string): Promise<LaunchAgentRow | undefined> { return this.launch.heartbeatLaunchAgent(id, at); }
  async stopLaunchAgent(id: string, at: string): Promise<LaunchAgentRow | undefined> { return this.launch.stopLaunchAgent(id, at); }
  async failStaleItems(before: string, now: string, message: string): Promise<QueueItemRow[]> { return this.launch.failStaleItems(before, now, message); }
  async createLaunchSweep(c: LaunchSweepCreate): Promise<{ sweep: SweepRow; launch: LaunchSweepRow; item: QueueItemRow }> { return this.launch.createLaunchSweep(c); }
  async getLaunchSweep(sweepId: string): Promise<LaunchSweepRow | undefined> { return this.launch.getLaunchSweep(sweepId); }
  async restartLaunchSweep(sweepId: string, r: LaunchSweepRestart): Promise<LaunchSweepRestartResult> { return this.launch.restartLaunchSweep(sweepId, r); }
  async launchRunItems(sweepId: string, l: RunItemLaunch): Promise<RunItemLaunchResult> { return this.launch.launchRunItems(sweepId, l); }

  // ---- end of Sweeps on Launch ----

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.pool.end(), this.lockPool.end()]);
  }
}
