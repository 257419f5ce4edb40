-- decant's state tables, version 1. See docs/state.md. Times are text in UTC
-- with nine fractional digits (2006-01-02T15:04:05.000000000Z), so that they
-- compare as text.

CREATE TABLE IF NOT EXISTS decant_scopes (
    scope     TEXT PRIMARY KEY NOT NULL,
    status    TEXT NOT NULL DEFAULT 'new',
    holder    TEXT,
    holder_id TEXT,
    since     TEXT,
    expires   TEXT,
    updated   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS decant_checkpoints (
    scope    TEXT NOT NULL,
    step     TEXT NOT NULL,
    position TEXT,
    cursor   TEXT,
    updated  TEXT NOT NULL,
    PRIMARY KEY (scope, step)
) WITHOUT ROWID;

-- AUTOINCREMENT: ids of batches and errors are never reused, even after the
-- newest rows are deleted, so an id in a report always means one row.
CREATE TABLE IF NOT EXISTS decant_batches (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    scope       TEXT NOT NULL,
    step        TEXT NOT NULL,
    cursor_from TEXT NOT NULL DEFAULT '',
    cursor_to   TEXT NOT NULL DEFAULT '',
    total       INTEGER NOT NULL,
    ok          INTEGER NOT NULL,
    failed      INTEGER NOT NULL,
    started     TEXT NOT NULL,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS decant_batches_scope_step ON decant_batches (scope, step, id);

CREATE TABLE IF NOT EXISTS decant_errors (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    scope    TEXT NOT NULL,
    step     TEXT NOT NULL,
    key      TEXT NOT NULL,
    message  TEXT NOT NULL,
    detail   TEXT NOT NULL,
    payload  TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    resolved INTEGER NOT NULL DEFAULT 0,
    created  TEXT NOT NULL,
    updated  TEXT NOT NULL,
    UNIQUE (scope, step, key)
);
-- Status counts and auto-resolution look only at unresolved errors.
CREATE INDEX IF NOT EXISTS decant_errors_unresolved ON decant_errors (scope, step, key) WHERE resolved = 0;

CREATE TABLE IF NOT EXISTS decant_ledger (
    scope       TEXT NOT NULL,
    step        TEXT NOT NULL,
    key         TEXT NOT NULL,
    source_hash TEXT NOT NULL DEFAULT '',
    target_hash TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    updated     TEXT NOT NULL,
    PRIMARY KEY (scope, step, key)
) WITHOUT ROWID;
