-- decant's state tables, version 1. See docs/state.md.
--
-- Names and keys compare bytewise (COLLATE "C"): the ledger's key index takes
-- a write per record, and a locale's collation makes each comparison several
-- times dearer; bytewise order is also the order Go and SQLite sort in.

CREATE TABLE IF NOT EXISTS decant_scopes (
    scope     text COLLATE "C" PRIMARY KEY,
    status    text NOT NULL DEFAULT 'new',
    holder    text,
    holder_id text,
    since     timestamptz,
    expires   timestamptz,
    updated   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS decant_checkpoints (
    scope    text COLLATE "C" NOT NULL,
    step     text COLLATE "C" NOT NULL,
    position text,
    cursor   text,
    updated  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, step)
);

CREATE TABLE IF NOT EXISTS decant_batches (
    id          bigserial PRIMARY KEY,
    scope       text COLLATE "C" NOT NULL,
    step        text COLLATE "C" NOT NULL,
    cursor_from text NOT NULL DEFAULT '',
    cursor_to   text NOT NULL DEFAULT '',
    total       int NOT NULL,
    ok          int NOT NULL,
    failed      int NOT NULL,
    started     timestamptz NOT NULL,
    duration_ms bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS decant_batches_scope_step ON decant_batches (scope, step, id);

CREATE TABLE IF NOT EXISTS decant_errors (
    id       bigserial PRIMARY KEY,
    scope    text COLLATE "C" NOT NULL,
    step     text COLLATE "C" NOT NULL,
    key      text COLLATE "C" NOT NULL,
    message  text NOT NULL,
    detail   text NOT NULL,
    payload  text,
    attempts int NOT NULL DEFAULT 1,
    resolved boolean NOT NULL DEFAULT false,
    created  timestamptz NOT NULL DEFAULT now(),
    updated  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (scope, step, key)
);
-- Status counts and auto-resolution look only at unresolved errors.
CREATE INDEX IF NOT EXISTS decant_errors_unresolved ON decant_errors (scope, step, key) WHERE NOT resolved;

CREATE TABLE IF NOT EXISTS decant_ledger (
    scope       text COLLATE "C" NOT NULL,
    step        text COLLATE "C" NOT NULL,
    key         text COLLATE "C" NOT NULL,
    source_hash text NOT NULL DEFAULT '',
    target_hash text NOT NULL DEFAULT '',
    status      text NOT NULL,
    updated     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, step, key)
);
