-- Version 6. A verify stores its findings a key range at a time and can
-- resume. decant_diffs.sort_key is the key's order key
-- (decant.FindingOrder), whose bytewise order is the key order verify
-- merges in, so that a range of integer keys 9..10 holds 9 and 10; findings
-- stored before have '' and are replaced only by a range that runs to the
-- end of their table. The index is on a prefix of it, which keeps each entry far below
-- the btree's limit; the range query filters on the whole key too.
-- decant_verify_runs keeps each verify run, decant_verify_progress how far
-- it got per step and table (last_key, done, the counts so far as JSON).
-- See docs/state.md.
ALTER TABLE decant_diffs ADD COLUMN IF NOT EXISTS sort_key text COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS decant_diffs_order ON decant_diffs (scope, step, table_name, left(sort_key, 600));
CREATE TABLE IF NOT EXISTS decant_verify_runs (
    scope   text COLLATE "C" NOT NULL,
    run     text COLLATE "C" NOT NULL,
    plan    text NOT NULL DEFAULT '',
    steps   text NOT NULL DEFAULT '[]',
    status  text NOT NULL,
    message text NOT NULL DEFAULT '',
    started timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, run)
);
CREATE TABLE IF NOT EXISTS decant_verify_progress (
    scope      text COLLATE "C" NOT NULL,
    run        text COLLATE "C" NOT NULL,
    step       text COLLATE "C" NOT NULL,
    table_name text COLLATE "C" NOT NULL,
    last_key   text NOT NULL DEFAULT '',
    done       boolean NOT NULL DEFAULT false,
    result     text NOT NULL DEFAULT '',
    updated    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, run, step, table_name)
);
