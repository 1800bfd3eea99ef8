/**
 * The PostgreSQL schema, as numbered migrations (the same tables as SQLite's). Migration i brings
 * the database from version i to i + 1; `schema_version` holds the version reached. They are
 * applied under an advisory lock, so servers starting at once migrate one after the other. Never
 * edit a released migration: add one.
 *
 * Values (configs, summaries, history rows, scheduler state) are TEXT holding the JSON that
 * `stringifyJson` wrote, not `jsonb`: jsonb would turn `1.0` into `1` and cannot hold NaN or
 * Infinity. Timestamps are TEXT (ISO-8601 in UTC) as in SQLite, so they come back byte for byte.
 * `seq` columns keep insertion order where SQLite uses its rowid.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sweeps (
    id              TEXT PRIMARY KEY,
    seq             BIGSERIAL NOT NULL,
    name            TEXT NOT NULL,
    project         TEXT NOT NULL,
    entity          TEXT,
    method          TEXT NOT NULL,
    state           TEXT NOT NULL,
    config          TEXT NOT NULL,
    config_text     TEXT,
    config_file     TEXT,
    config_dir      TEXT,
    seed            BIGINT NOT NULL,
    error           TEXT,
    finishing       TEXT,
    scheduler_state TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
  );

  CREATE TABLE sweep_events (
    id         BIGSERIAL PRIMARY KEY,
    sweep_id   TEXT NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    reason     TEXT
  );
  CREATE INDEX sweep_events_sweep ON sweep_events(sweep_id, id);

  CREATE TABLE agents (
    id           TEXT PRIMARY KEY,
    seq          BIGSERIAL NOT NULL,
    sweep_id     TEXT NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
    host         TEXT NOT NULL,
    pid          BIGINT NOT NULL,
    slots        INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
  );
  CREATE INDEX agents_sweep ON agents(sweep_id);

  CREATE TABLE runs (
    id                   TEXT PRIMARY KEY,
    sweep_id             TEXT NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
    number               INTEGER NOT NULL,
    name                 TEXT NOT NULL,
    state                TEXT NOT NULL,
    config               TEXT NOT NULL,
    summary              TEXT NOT NULL DEFAULT '{}',
    agent_id             TEXT REFERENCES agents(id),
    exit_code            INTEGER,
    created_at           TEXT NOT NULL,
    started_at           TEXT,
    ended_at             TEXT,
    stop_requested       BOOLEAN NOT NULL DEFAULT FALSE,
    stop_reason          TEXT,
    search_info          TEXT,
    early_terminate_info TEXT,
    superseded           BOOLEAN NOT NULL DEFAULT FALSE,
    history_length       INTEGER NOT NULL DEFAULT 0,
    UNIQUE (sweep_id, number),
    UNIQUE (sweep_id, name)
  );
  CREATE INDEX runs_agent ON runs(agent_id);
  CREATE INDEX runs_active ON runs(state) WHERE state IN ('pending', 'running');

  CREATE TABLE history (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    row    TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  );
  `,
  // Access tokens (issue 8): the SHA-256 of each secret, never the secret.
  `
  CREATE TABLE tokens (
    id           TEXT PRIMARY KEY,
    seq          BIGSERIAL NOT NULL,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
  );
  `,
  // Sweeps on Launch (issue 7): queues, their items (claimed by priority, then enqueue order `seq`),
  // launch agents, and the launch side of launch sweeps.
  `
  CREATE TABLE queues (
    name        TEXT PRIMARY KEY,
    description TEXT,
    created_at  TEXT NOT NULL
  );

  CREATE TABLE launch_agents (
    id             TEXT PRIMARY KEY,
    host           TEXT NOT NULL,
    pid            BIGINT NOT NULL,
    queues         TEXT NOT NULL,
    max_jobs       INTEGER NOT NULL,
    max_schedulers INTEGER NOT NULL,
    state          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    heartbeat_at   TEXT NOT NULL,
    ended_at       TEXT
  );

  CREATE TABLE queue_items (
    id              TEXT PRIMARY KEY,
    seq             BIGSERIAL NOT NULL UNIQUE,
    queue           TEXT NOT NULL REFERENCES queues(name),
    priority        INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    state           TEXT NOT NULL,
    sweep_id        TEXT REFERENCES sweeps(id) ON DELETE CASCADE,
    run_id          TEXT REFERENCES runs(id) ON DELETE CASCADE,
    spec            TEXT NOT NULL,
    resource        TEXT NOT NULL,
    resource_args   TEXT NOT NULL,
    launch_agent_id TEXT REFERENCES launch_agents(id),
    job_id          TEXT,
    exit_code       INTEGER,
    message         TEXT,
    stop_requested  BOOLEAN NOT NULL DEFAULT FALSE,
    stop_reason     TEXT,
    created_at      TEXT NOT NULL,
    claimed_at      TEXT,
    started_at      TEXT,
    ended_at        TEXT
  );
  CREATE INDEX queue_items_claim ON queue_items(state, queue, priority, seq);
  CREATE INDEX queue_items_sweep ON queue_items(sweep_id);
  CREATE INDEX queue_items_agent ON queue_items(launch_agent_id);

  CREATE TABLE launch_sweeps (
    sweep_id          TEXT PRIMARY KEY REFERENCES sweeps(id) ON DELETE CASCADE,
    queue             TEXT NOT NULL REFERENCES queues(name),
    priority          INTEGER NOT NULL,
    scheduler         TEXT NOT NULL,
    launch            TEXT NOT NULL,
    scheduler_item_id TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
  );
  `,
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;
