-- Version 10. The fields of a step's records that reached no column: per
-- target table and field path, how many written records carried it and an
-- example of its value. Each batch adds its counts in its own transaction.
-- See docs/state.md.
CREATE TABLE IF NOT EXISTS decant_unmapped (
    scope   text COLLATE "C" NOT NULL,
    step    text COLLATE "C" NOT NULL,
    tbl     text COLLATE "C" NOT NULL,
    path    text COLLATE "C" NOT NULL,
    records bigint NOT NULL,
    example text NOT NULL,
    updated timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, step, tbl, path)
);
