import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { isRecord, parseJson, stringifyJson, type RunState, type SweepState, type Value, type ValueRecord } from '@broom/core';
import { MIGRATIONS, SCHEMA_VERSION } from './sqlite-migrations.js';
import { SqliteLaunch } from './sqlite-launch.js';
import type {
  ItemClaim, ItemFilter, ItemPatch, LaunchAgentRow, LaunchSweepCreate, LaunchSweepRestart, LaunchSweepRestartResult, LaunchSweepRow,
  NewLaunchAgent, NewQueueItem, QueueItemRow, QueueRow, RunItemLaunch, RunItemLaunchResult,
} from './launch-types.js';
import { HistoryGapError, StoreNotFoundError, StoreVersionError } from './store-errors.js';
import { parseRecord, toAgent, toRun, toSweep, toToken, type Row } from './store-rows.js';
import type {
  AgentRow,
  HistoryWrite,
  NewAgent,
  NewSweep,
  RunLaunch,
  RunPatch,
  RunRow,
  Store,
  SweepEvent,
  SweepRow,
  SweepStateChange,
  NewToken,
  TokenRow,
} from './store.js';

/** The file name of the store in the broom directory. */
export const SQLITE_FILE = 'broom.sqlite';

/** Open (creating and migrating as needed) the SQLite store `<dir>/broom.sqlite`. */
export async function openSqliteStore(dir: string): Promise<SqliteStore> {
  mkdirSync(dir, { recursive: true });
  return new SqliteStore(path.join(dir, SQLITE_FILE));
}


const ACTIVE: readonly RunState[] = ['pending', 'running'];

/**
 * The embedded store: one SQLite file (WAL journal, foreign keys on), written through
 * better-sqlite3. Its calls are synchronous and each multi-row change is one transaction, so a
 * server killed at any point restarts from a consistent file.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    this.db = new Database(file);
    // Every method prepares its SQL on each call, and preparing was ~10% of the server's CPU under
    // load (bench/src/load.ts): keep each prepared statement for the next call (the texts are few).
    const prepare = this.db.prepare.bind(this.db);
    const statements = new Map<string, Database.Statement>();
    this.db.prepare = ((sql: string) => {
      let statement = statements.get(sql);
      if (!statement) statements.set(sql, (statement = prepare(sql)));
      return statement;
    }) as typeof this.db.prepare;
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
  }

  /** The schema version of the open file. */
  get schemaVersion(): number {
    return (this.db.prepare('SELECT version FROM schema_version').get() as { version: number }).version;
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const run = this.db.transaction(() => {
      let row = this.db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
      if (!row) {
        this.db.prepare('INSERT INTO schema_version (version) VALUES (0)').run();
        row = { version: 0 };
      }
      if (row.version > SCHEMA_VERSION) {
        throw new StoreVersionError(
          'store-version',
          `${this.file} has schema version ${row.version}, but this broom knows versions up to ${SCHEMA_VERSION}: it was written by a newer broom. Upgrade broom, or use another directory.`,
          { version: row.version },
        );
      }
      for (let v = row.version; v < SCHEMA_VERSION; v++) this.db.exec(MIGRATIONS[v]);
      this.db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION);
    });
    run.immediate();
  }

  async createSweep(s: NewSweep): Promise<SweepRow> {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO sweeps (id, name, project, entity, method, state, config, config_text, config_file, config_dir, seed, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.id, s.name, s.project, s.entity ?? null, s.method, s.state, stringifyJson(s.config), s.configText ?? null,
          s.configFile ?? null, s.configDir ?? null, s.seed, s.createdAt, s.createdAt);
      this.db
        .prepare('INSERT INTO sweep_events (sweep_id, at, from_state, to_state, reason) VALUES (?, ?, NULL, ?, ?)')
        .run(s.id, s.createdAt, s.state, 'created');
    })();
    return this.sweepOrThrow(s.id);
  }

  async getSweep(id: string): Promise<SweepRow | undefined> {
    const row = this.db.prepare('SELECT * FROM sweeps WHERE id = ?').get(id) as Row | undefined;
    return row ? toSweep(row) : undefined;
  }

  async listSweeps(): Promise<SweepRow[]> {
    return (this.db.prepare('SELECT * FROM sweeps ORDER BY created_at DESC, rowid DESC').all() as Row[]).map(toSweep);
  }

  async setSweepState(id: string, c: SweepStateChange): Promise<{ changed: boolean; sweep: SweepRow }> {
    const changed = this.db.transaction(() => {
      const row = this.db.prepare('SELECT state FROM sweeps WHERE id = ?').get(id) as { state: SweepState } | undefined;
      if (!row) throw new StoreNotFoundError('sweep', id);
      if (c.from && !c.from.includes(row.state)) return false;
      const sets = ['state = ?', 'updated_at = ?'];
      const args: unknown[] = [c.state, c.at];
      if (c.error !== undefined) {
        sets.push('error = ?');
        args.push(c.error);
      }
      if (c.finishing !== undefined) {
        sets.push('finishing = ?');
        args.push(c.finishing);
      }
      this.db.prepare(`UPDATE sweeps SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
      if (row.state !== c.state || c.reason) {
        this.db
          .prepare('INSERT INTO sweep_events (sweep_id, at, from_state, to_state, reason) VALUES (?, ?, ?, ?, ?)')
          .run(id, c.at, row.state, c.state, c.reason ?? null);
      }
      return true;
    }).immediate();
    return { changed, sweep: this.sweepOrThrow(id) };
  }

  async listSweepEvents(id: string): Promise<SweepEvent[]> {
    const rows = this.db.prepare('SELECT * FROM sweep_events WHERE sweep_id = ? ORDER BY id').all(id) as Row[];
    return rows.map((r) => ({
      sweepId: r.sweep_id as string,
      at: r.at as string,
      from: (r.from_state as SweepState | null) ?? null,
      to: r.to_state as SweepState,
      ...(r.reason != null ? { reason: r.reason as string } : {}),
    }));
  }

  async setSweepFinishing(id: string, reason: string | null): Promise<void> {
    const info = this.db.prepare('UPDATE sweeps SET finishing = ? WHERE id = ?').run(reason, id);
    if (info.changes === 0) throw new StoreNotFoundError('sweep', id);
  }

  async getSchedulerState(sweepId: string): Promise<Value> {
    const row = this.db.prepare('SELECT scheduler_state FROM sweeps WHERE id = ?').get(sweepId) as Row | undefined;
    if (!row) throw new StoreNotFoundError('sweep', sweepId);
    return row.scheduler_state == null ? null : parseJson(row.scheduler_state as string, 'scheduler state');
  }

  async setSchedulerState(sweepId: string, state: Value): Promise<void> {
    const info = this.db.prepare('UPDATE sweeps SET scheduler_state = ? WHERE id = ?').run(stringifyJson(state), sweepId);
    if (info.changes === 0) throw new StoreNotFoundError('sweep', sweepId);
  }

  async launchRuns(sweepId: string, launch: RunLaunch): Promise<RunRow[]> {
    const ids = this.db.transaction(() => {
      const sweep = this.db.prepare('SELECT state FROM sweeps WHERE id = ?').get(sweepId) as { state: SweepState } | undefined;
      if (!sweep) throw new StoreNotFoundError('sweep', sweepId);
      if (!launch.requireState.includes(sweep.state)) return [];
      const agent = this.db.prepare('SELECT sweep_id FROM agents WHERE id = ?').get(launch.agentId) as Row | undefined;
      if (!agent) throw new StoreNotFoundError('agent', launch.agentId);
      const { n } = this.db.prepare('SELECT COALESCE(MAX(number) + 1, 0) AS n FROM runs WHERE sweep_id = ?').get(sweepId) as { n: number };
      const insert = this.db.prepare(
        `INSERT INTO runs (id, sweep_id, number, name, state, config, agent_id, created_at, search_info)
         VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
      );
      launch.runs.forEach((r, i) => {
        insert.run(r.id, sweepId, n + i, r.name, stringifyJson(r.config), launch.agentId, launch.at, r.searchInfo ? stringifyJson(r.searchInfo) : null);
      });
      if (launch.schedulerState !== undefined) {
        this.db.prepare('UPDATE sweeps SET scheduler_state = ? WHERE id = ?').run(stringifyJson(launch.schedulerState), sweepId);
      }
      return launch.runs.map((r) => r.id);
    }).immediate();
    return ids.map((id) => this.runOrThrow(id));
  }

  async getRun(id: string): Promise<RunRow | undefined> {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
    return row ? toRun(row) : undefined;
  }

  async listRuns(sweepId: string): Promise<RunRow[]> {
    return (this.db.prepare('SELECT * FROM runs WHERE sweep_id = ? ORDER BY number').all(sweepId) as Row[]).map(toRun);
  }

  async listAgentRuns(agentId: string): Promise<RunRow[]> {
    return (this.db.prepare('SELECT * FROM runs WHERE agent_id = ? ORDER BY number').all(agentId) as Row[]).map(toRun);
  }

  async updateRun(id: string, p: RunPatch): Promise<RunRow | undefined> {
    const sets: string[] = [];
    const args: unknown[] = [];
    const put = (column: string, value: unknown) => {
      sets.push(`${column} = ?`);
      args.push(value);
    };
    if (p.state !== undefined) put('state', p.state);
    if (p.exitCode !== undefined) put('exit_code', p.exitCode);
    if (p.startedAt !== undefined) put('started_at', p.startedAt);
    if (p.endedAt !== undefined) put('ended_at', p.endedAt);
    if (p.stopRequested !== undefined) put('stop_requested', p.stopRequested ? 1 : 0);
    if (p.stopReason !== undefined) put('stop_reason', p.stopReason);
    if (p.earlyTerminateInfo !== undefined) put('early_terminate_info', stringifyJson(p.earlyTerminateInfo));
    if (p.superseded !== undefined) put('superseded', p.superseded ? 1 : 0);
    if (sets.length > 0) this.db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
    return this.getRun(id);
  }

  async supersedeRuns(sweepId: string, states: readonly RunState[]): Promise<RunRow[]> {
    if (states.length === 0) return [];
    const marks = states.map(() => '?').join(', ');
    const ids = this.db.transaction(() => {
      const rows = this.db
        .prepare(`SELECT id FROM runs WHERE sweep_id = ? AND superseded = 0 AND state IN (${marks}) ORDER BY number`)
        .all(sweepId, ...states) as { id: string }[];
      const update = this.db.prepare('UPDATE runs SET superseded = 1 WHERE id = ?');
      for (const r of rows) update.run(r.id);
      return rows.map((r) => r.id);
    }).immediate();
    return ids.map((id) => this.runOrThrow(id));
  }

  async appendHistory(runId: string, w: HistoryWrite): Promise<{ historyLength: number; added: number }> {
    return this.db.transaction(() => {
      const run = this.db.prepare('SELECT history_length, summary FROM runs WHERE id = ?').get(runId) as Row | undefined;
      if (!run) throw new StoreNotFoundError('run', runId);
      const length = run.history_length as number;
      if (w.seq > length) throw new HistoryGapError(runId, w.seq, length);
      const insert = this.db.prepare('INSERT OR IGNORE INTO history (run_id, seq, row) VALUES (?, ?, ?)');
      const summary = parseRecord(run.summary as string);
      let added = 0;
      w.rows.forEach((row, i) => {
        const seq = w.seq + i;
        if (seq < length) return;
        insert.run(runId, seq, stringifyJson(row));
        Object.assign(summary, row);
        added++;
      });
      if (w.summary) Object.assign(summary, w.summary);
      const historyLength = Math.max(length, w.seq + w.rows.length);
      this.db.prepare('UPDATE runs SET history_length = ?, summary = ? WHERE id = ?').run(historyLength, stringifyJson(summary), runId);
      return { historyLength, added };
    }).immediate();
  }

  async getHistory(runId: string): Promise<ValueRecord[]> {
    const rows = this.db.prepare('SELECT row FROM history WHERE run_id = ? ORDER BY seq').all(runId) as { row: string }[];
    return rows.map((r) => parseRecord(r.row));
  }

  async getHistorySince(runId: string, fromSeq: number): Promise<ValueRecord[]> {
    const rows = this.db.prepare('SELECT row FROM history WHERE run_id = ? AND seq >= ? ORDER BY seq').all(runId, fromSeq) as { row: string }[];
    return rows.map((r) => parseRecord(r.row));
  }

  async getSweepHistory(sweepId: string): Promise<Map<string, ValueRecord[]>> {
    const rows = this.db
      .prepare('SELECT h.run_id, h.row FROM history h JOIN runs r ON r.id = h.run_id WHERE r.sweep_id = ? ORDER BY h.run_id, h.seq')
      .all(sweepId) as { run_id: string; row: string }[];
    const out = new Map<string, ValueRecord[]>();
    for (const r of rows) {
      let list = out.get(r.run_id);
      if (!list) out.set(r.run_id, (list = []));
      list.push(parseRecord(r.row));
    }
    return out;
  }

  async registerAgent(a: NewAgent): Promise<AgentRow> {
    this.db
      .prepare('INSERT INTO agents (id, sweep_id, host, pid, slots, created_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(a.id, a.sweepId, a.host, a.pid, a.slots, a.createdAt, a.createdAt);
    return (await this.getAgent(a.id))!;
  }

  async getAgent(id: string): Promise<AgentRow | undefined> {
    const row = this.db.prepare('SELECT * FROM agents WHERE id = ?').get(id) as Row | undefined;
    return row ? toAgent(row) : undefined;
  }

  async listAgents(sweepId: string): Promise<AgentRow[]> {
    return (this.db.prepare('SELECT * FROM agents WHERE sweep_id = ? ORDER BY created_at, rowid').all(sweepId) as Row[]).map(toAgent);
  }

  async heartbeatAgent(id: string, at: string): Promise<AgentRow | undefined> {
    this.db.prepare('UPDATE agents SET heartbeat_at = ? WHERE id = ?').run(at, id);
    return this.getAgent(id);
  }

  async crashStaleRuns(heartbeatBefore: string, now: string): Promise<RunRow[]> {
    const ids = this.db.transaction(() => {
      const rows = this.db
        .prepare(
          `SELECT r.id FROM runs r JOIN agents a ON a.id = r.agent_id
           WHERE r.state IN (${ACTIVE.map(() => '?').join(', ')}) AND a.heartbeat_at < ? ORDER BY r.sweep_id, r.number`,
        )
        .all(...ACTIVE, heartbeatBefore) as { id: string }[];
      const update = this.db.prepare("UPDATE runs SET state = 'crashed', ended_at = ? WHERE id = ?");
      for (const r of rows) update.run(now, r.id);
      return rows.map((r) => r.id);
    }).immediate();
    return ids.map((id) => this.runOrThrow(id));
  }

  // ---- Access tokens (issue 8) ----

  async createToken(t: NewToken): Promise<TokenRow> {
    this.db.prepare('INSERT INTO tokens (id, name, hash, created_at) VALUES (?, ?, ?, ?)').run(t.id, t.name, t.hash, t.createdAt);
    return toToken(this.db.prepare('SELECT * FROM tokens WHERE id = ?').get(t.id) as Row);
  }

  async listTokens(): Promise<TokenRow[]> {
    return (this.db.prepare('SELECT * FROM tokens ORDER BY created_at, rowid').all() as Row[]).map(toToken);
  }

  async findTokenByHash(hash: string): Promise<TokenRow | undefined> {
    const row = this.db.prepare('SELECT * FROM tokens WHERE hash = ?').get(hash) as Row | undefined;
    return row ? toToken(row) : undefined;
  }

  async touchToken(id: string, at: string): Promise<void> {
    this.db.prepare('UPDATE tokens SET last_used_at = ? WHERE id = ?').run(at, id);
  }

  async revokeToken(id: string, at: string): Promise<TokenRow | undefined> {
    this.db.prepare('UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(at, id);
    const row = this.db.prepare('SELECT * FROM tokens WHERE id = ?').get(id) as Row | undefined;
    return row ? toToken(row) : undefined;
  }

  // ---- end of access tokens ----

  // ---- Sweeps on Launch (issue 7): queues, items, launch agents, launch sweeps (sqlite-launch.ts) ----

  private launchPart: SqliteLaunch | undefined;
  private get launch(): SqliteLaunch {
    return (this.launchPart ??= new SqliteLaunch(this.db, { sweep: (id) => this.sweepOrThrow(id), run: (id) => this.runOrThrow(id) }));
  }

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
    if (this.db.open) this.db.close();
  }

  private sweepOrThrow(id: string): SweepRow {
    const row = this.db.prepare('SELECT * FROM sweeps WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new StoreNotFoundError('sweep', id);
    return toSweep(row);
  }

  private runOrThrow(id: string): RunRow {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new StoreNotFoundError('run', id);
    return toRun(row);
  }
}

