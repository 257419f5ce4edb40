-- Version 4. decant_diffs keeps what `decant verify` found: per key of a
-- target table, the kind (diff, change, missing, extra, duplicate), the
-- columns that differ as JSON text, the rule and reason of a change, the
-- verify run and when. A later verify replaces the findings of the keys it
-- re-examined. The key is the ledger key of the key's text. See
-- docs/state.md.
CREATE TABLE IF NOT EXISTS decant_diffs (
    scope      text COLLATE "C" NOT NULL,
    step       text COLLATE "C" NOT NULL,
    table_name text COLLATE "C" NOT NULL,
    key        text COLLATE "C" NOT NULL,
    kind       text NOT NULL,
    columns    text NOT NULL DEFAULT '[]',
    rule       text NOT NULL DEFAULT '',
    reason     text NOT NULL DEFAULT '',
    run        text NOT NULL DEFAULT '',
    found_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, step, table_name, key)
);
