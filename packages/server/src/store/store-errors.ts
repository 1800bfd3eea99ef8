import { BroomError } from '@broom/core';

/** A history batch that starts past the end of the stored history: rows in between would be lost. */
export class HistoryGapError extends BroomError {
  constructor(runId: string, seq: number, historyLength: number) {
    super(
      'history-gap',
      `Run ${runId} has ${historyLength} history row(s), so a batch must start at seq ≤ ${historyLength}, but this one starts at ${seq}; send the missing rows first.`,
      { runId, seq, historyLength },
    );
  }
}

/** A store operation on a sweep, run or agent that does not exist. */
export class StoreNotFoundError extends BroomError {
  constructor(kind: 'sweep' | 'run' | 'agent' | 'queue' | 'item' | 'launch-agent', id: string) {
    super(`${kind}-not-found`, `No ${kind} with id "${id}".`, { kind, id });
  }
}

/** The store's files were written by a newer broom (a schema this version does not know). */
export class StoreVersionError extends BroomError {}

/**
 * The database cannot answer now (locked, read-only, disk full, I/O error, connection lost): the
 * request may succeed later, so the server answers 503 and agents retry. A store may throw this
 * itself; `isStoreUnavailable` also recognises the raw errors of SQLite and PostgreSQL drivers.
 */
export class StoreUnavailableError extends BroomError {}

/** SQLite result codes (better-sqlite3's `code`) that mean "not now" rather than "never". */
const SQLITE_TRANSIENT = /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN|PROTOCOL|NOMEM|INTERRUPT)/;
/** PostgreSQL SQLSTATE classes: 08 connection, 53 insufficient resources, 57 operator intervention, 40001/40P01 retry. */
const PG_TRANSIENT = /^(08|53|57)[0-9A-Z]{3}$|^40001$|^40P01$/;
/** Node's socket errors, as a client driver rethrows them. */
const NET_TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function isStoreUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return SQLITE_TRANSIENT.test(code) || PG_TRANSIENT.test(code) || NET_TRANSIENT.has(code);
}
