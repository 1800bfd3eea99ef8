/**
 * @broom/server: the HTTP API of `broom server`, its sweep controllers and the run store.
 * `startServer` is what the CLI's `broom server` and the tests call.
 */
export { startServer, DEFAULT_HOST, DEFAULT_PORT, type ServerOptions, type RunningServer } from './server.js';
export { ApiClient, ApiRequestError, type ApiClientOptions } from './client/api-client.js';
export type {
  Store, SweepRow, SweepEvent, SweepStateChange, RunRow, RunPatch, RunLaunch, NewRun, NewSweep, NewAgent, AgentRow, HistoryWrite,
} from './store/store.js';
export { HistoryGapError, StoreNotFoundError, StoreVersionError } from './store/store-errors.js';
export { StoreUnavailableError, isStoreUnavailable } from './store/store-errors.js';
export type { NewToken, TokenRow } from './store/store.js';
export { hashToken, newTokenSecret, TOKEN_PREFIX } from './http/access.js';
export type { TokenInfo, CreatedToken } from './http/token-routes.js';
export { nameProblem } from './http/names.js';
export { SqliteStore, openSqliteStore, SQLITE_FILE } from './store/sqlite-store.js';
export { PostgresStore, openPostgresStore, redactDatabaseUrl, type PostgresStoreOptions } from './store/pg-store.js';
