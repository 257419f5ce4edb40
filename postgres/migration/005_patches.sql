-- Version 5. decant_patches keeps what `decant patch` wrote: per record
-- (scope, step, key), the findings it answered, the reason, the record's
-- tables and key values (tables, JSON), and its rows before and after the
-- patch (JSON arrays of {"table", "rows"}, each row as row_to_json gives
-- it, which json_populate_recordset writes back exactly). A revert sets
-- reverted_at. See docs/state.md.
CREATE TABLE IF NOT EXISTS decant_patches (
    id            bigserial PRIMARY KEY,
    scope         text COLLATE "C" NOT NULL,
    step          text COLLATE "C" NOT NULL,
    key           text COLLATE "C" NOT NULL,
    findings      text NOT NULL DEFAULT '[]',
    reason        text NOT NULL,
    tables        text NOT NULL,
    before        text NOT NULL,
    after         text NOT NULL,
    patched_at    timestamptz NOT NULL DEFAULT now(),
    reverted_at   timestamptz,
    revert_reason text NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS decant_patches_key ON decant_patches (scope, step, key);
