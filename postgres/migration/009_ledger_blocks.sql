-- Version 9. The ledger in blocks: one row per written batch, holding the
-- batch's entries as parallel arrays, instead of one indexed row per
-- record. A key's fate is its entry in the block with the greatest id that
-- holds it; an entry with status 'forgotten' says the key no longer names a
-- record. The view decant_ledger gives each key's last entry, forgotten
-- ones left out, with the columns the table had (the keys keep the
-- arrays' collation "C", so they sort in byte order as before). See docs/state.md and
-- docs/decisions/0012-ledger-blocks.md.
CREATE TABLE decant_ledger_blocks (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scope         text COLLATE "C" NOT NULL,
    step          text COLLATE "C" NOT NULL,
    min_key       text COLLATE "C" NOT NULL,
    max_key       text COLLATE "C" NOT NULL,
    n             int NOT NULL,
    keys          text[] COLLATE "C" NOT NULL,
    source_hashes text[] NOT NULL,
    target_hashes text[] NOT NULL,
    statuses      text[] NOT NULL,
    -- updates holds each entry's own time in blocks made by compaction or
    -- by this upgrade; NULL when every entry was written at updated.
    updates       timestamptz[],
    updated       timestamptz NOT NULL DEFAULT now(),
    compacted     boolean NOT NULL DEFAULT false
);
CREATE INDEX decant_ledger_blocks_step ON decant_ledger_blocks (scope, step, id);
-- The arrays are stored out of line without compression: hashes are hex,
-- which pglz cannot shrink, and trying cost the server about 3 seconds of
-- CPU per million entries (measured: 75 MB either way).
ALTER TABLE decant_ledger_blocks
    ALTER keys SET STORAGE EXTERNAL, ALTER source_hashes SET STORAGE EXTERNAL,
    ALTER target_hashes SET STORAGE EXTERNAL, ALTER statuses SET STORAGE EXTERNAL,
    ALTER updates SET STORAGE EXTERNAL;

-- The version-8 ledger becomes compacted blocks of 5000 keys in key order,
-- each entry keeping its own time. One aggregate node feeds every array,
-- so their elements line up.
INSERT INTO decant_ledger_blocks
    (scope, step, min_key, max_key, n, keys, source_hashes, target_hashes, statuses, updates, updated, compacted)
SELECT scope, step, min(key), max(key), count(*), array_agg(key), array_agg(source_hash),
       array_agg(target_hash), array_agg(status), array_agg(updated), max(updated), true
FROM (SELECT l.*, (row_number() OVER (PARTITION BY scope, step ORDER BY key) - 1) / 5000 AS block
      FROM decant_ledger l) AS l
GROUP BY scope, step, block
ORDER BY scope, step, block;

DROP TABLE decant_ledger;

CREATE VIEW decant_ledger AS
SELECT scope, step, key, source_hash, target_hash, status, updated FROM (
    SELECT DISTINCT ON (b.scope, b.step, e.key)
           b.scope, b.step, e.key, e.source_hash, e.target_hash, e.status,
           coalesce(e.updated, b.updated) AS updated
    FROM decant_ledger_blocks b
    CROSS JOIN LATERAL unnest(b.keys, b.source_hashes, b.target_hashes, b.statuses, b.updates)
        AS e(key, source_hash, target_hash, status, updated)
    ORDER BY b.scope, b.step, e.key, b.id DESC
) AS l
WHERE status <> 'forgotten';
