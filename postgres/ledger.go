package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
)

// The ledger is kept in blocks, one row per written batch (see
// migration/009_ledger_blocks.sql and docs/state.md): a key's fate is its
// entry in the latest block that holds it. The view decant_ledger gives
// every key's last entry; the readers here go to the blocks themselves so
// that they can skip the blocks whose key range cannot hold what they ask
// for, and read a block's arrays only when it might.

var (
	_ decant.LedgerStatusLister = (*Store)(nil)
	_ decant.LedgerCompactor    = (*Store)(nil)
)

// lastEntries is the shape of every reader's inner query: the step's
// entries, from the blocks that $where keeps, each key's latest first.
// DISTINCT ON keeps that latest; the caller leaves forgotten keys out.
const lastEntries = `SELECT DISTINCT ON (e.key) e.key, e.source_hash, e.target_hash, e.status,
       coalesce(e.updated, b.updated) AS updated
FROM decant_ledger_blocks b
CROSS JOIN LATERAL unnest(b.keys, b.source_hashes, b.target_hashes, b.statuses, b.updates)
    AS e(key, source_hash, target_hash, status, updated)
WHERE b.scope = $1 AND b.step = $2 AND `

// someKeyIn keeps the blocks whose range meets [$4, $5], the smallest and
// largest asked key, and their entries of the keys in $3. The keys are
// tested with = ANY, which PostgreSQL turns into a hash look-up only in a
// plan made for the array's value; the readers ask for such a plan each
// time (pgx.QueryExecModeExec), since the generic plan of a prepared
// statement tests each entry against the whole array, and a join with
// the keys was planned as a nested loop over every (block, key) pair:
// minutes for 5,000 keys against a million entries.
const someKeyIn = `b.max_key >= $4 AND b.min_key <= $5 AND e.key = ANY($3::text[])`

// keyRange returns keys, ready for a query, with their smallest and
// largest in byte order.
func keyRange(keys []string) (texts []string, lo, hi string) {
	texts = textsOf(keys)
	lo, hi = keyBounds(texts)
	return texts, lo, hi
}

// fewKeysIn is someKeyIn for a few keys: a block's keys array meets
// them (&&, a loop over both arrays in C) before its five arrays are
// unnested, so that a live run's batch with a deletion or two reads the
// blocks that hold them, not every block whose range spans them. With
// many keys that loop costs more than the unnesting it saves.
const fewKeysIn = someKeyIn + ` AND b.keys && $3::text[]`

// fewKeys is the most keys a look-up tests with fewKeysIn.
const fewKeys = 8

const ledgerByKeySQL = `SELECT key, source_hash, target_hash, status, updated FROM (` +
	lastEntries + someKeyIn + `
ORDER BY e.key, b.id DESC) AS l
WHERE status <> '` + decant.StatusForgotten + `'`

var ledgerByFewKeysSQL = strings.Replace(ledgerByKeySQL, someKeyIn, fewKeysIn, 1)

// Ledger returns the ledger rows of (scope, step) for keys that have one;
// none when decant has not written to the database yet.
func (s *Store) Ledger(ctx context.Context, scope, step string, keys []string) ([]decant.LedgerRow, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	texts, lo, hi := keyRange(keys)
	query := ledgerByKeySQL
	if len(keys) <= fewKeys {
		query = ledgerByFewKeysSQL
	}
	rows, err := s.pool.Query(ctx, query, pgx.QueryExecModeExec, stateText(scope), stateText(step), texts, lo, hi)
	if err != nil {
		none, err := s.noState(ctx, err)
		if none {
			return nil, nil
		}
		return nil, fmt.Errorf("postgres: read ledger of %s/%s: %w", scope, step, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (decant.LedgerRow, error) {
		var l decant.LedgerRow
		err := r.Scan(&l.Key, &l.SourceHash, &l.TargetHash, &l.Status, &l.Updated)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: read ledger of %s/%s: %w", scope, step, err)
	}
	return out, nil
}

// keysBoundSQL finds the end of the next page of keys after $3: the
// $4-th smallest entry key after $3, counting a key once per entry
// (entries of one status only, when $5 is not empty). Its top-N sort
// keeps $4 keys in memory instead of sorting the step. Every key of the
// page lies in ($3, bound], and the page holds at most $4 of them.
const keysBoundSQL = `SELECT max(key) FROM (
    SELECT e.key FROM decant_ledger_blocks b
    CROSS JOIN LATERAL unnest(b.keys, b.statuses) AS e(key, status)
    WHERE b.scope = $1 AND b.step = $2 AND b.max_key > $3 AND e.key > $3 AND ($5 = '' OR e.status = $5)
    ORDER BY e.key LIMIT $4) AS page`

// keysPageSQL gives the keys in ($3, $4] whose last entry is not
// forgotten (and has status $5 when it is not empty), in byte order.
const keysPageSQL = `SELECT key FROM (` + lastEntries + `b.max_key > $3 AND b.min_key <= $4 AND e.key > $3 AND e.key <= $4
ORDER BY e.key, b.id DESC) AS l
WHERE status <> '` + decant.StatusForgotten + `' AND ($5 = '' OR status = $5)
ORDER BY key`

// LedgerKeys returns up to limit ledger keys of (scope, step) after after,
// in byte order (the ledger's keys are COLLATE "C").
func (s *Store) LedgerKeys(ctx context.Context, scope, step, after string, limit int) ([]string, error) {
	return s.keysAfter(ctx, scope, step, "", after, limit)
}

// LedgerKeysByStatus returns up to limit ledger keys of (scope, step) with
// status, after after, in byte order (the ledger's keys are COLLATE "C").
func (s *Store) LedgerKeysByStatus(ctx context.Context, scope, step, status, after string, limit int) ([]string, error) {
	return s.keysAfter(ctx, scope, step, status, after, limit)
}

// keysAfter pages through the step's keys in windows that keysBoundSQL
// ends: a window's keys may all be superseded or forgotten, so it reads
// windows until it has limit keys or the entries run out.
func (s *Store) keysAfter(ctx context.Context, scope, step, status, after string, limit int) ([]string, error) {
	what := "ledger keys"
	if status != "" {
		what = status + " ledger keys"
	}
	var out []string
	for len(out) < limit {
		var bound *string
		err := s.pool.QueryRow(ctx, keysBoundSQL, stateText(scope), stateText(step), after, limit-len(out), status).Scan(&bound)
		if err != nil {
			none, err := s.noState(ctx, err)
			if none {
				return nil, nil
			}
			return nil, fmt.Errorf("postgres: %s of %s/%s: %w", what, scope, step, err)
		}
		if bound == nil {
			break
		}
		rows, err := s.pool.Query(ctx, keysPageSQL, stateText(scope), stateText(step), after, *bound, status)
		if err != nil {
			return nil, fmt.Errorf("postgres: %s of %s/%s: %w", what, scope, step, err)
		}
		keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, fmt.Errorf("postgres: %s of %s/%s: %w", what, scope, step, err)
		}
		out, after = append(out, keys...), *bound
	}
	return out, nil
}

// heldElsewhereSQL finds, per other scope, the last entry of each of the
// keys in $3 that its blocks of step $2 may hold.
const heldElsewhereSQL = `SELECT key, scope FROM (
    SELECT DISTINCT ON (b.scope, e.key) b.scope, e.key, e.status
    FROM decant_ledger_blocks b
    CROSS JOIN LATERAL unnest(b.keys, b.statuses) AS e(key, status)
    WHERE b.step = $2 AND b.scope <> $1 AND ` + someKeyIn + `
    ORDER BY b.scope, e.key, b.id DESC) AS l
WHERE status NOT IN ('` + decant.StatusDeleted + `', '` + decant.StatusForgotten + `')
ORDER BY key, scope`

// HeldElsewhere returns which of keys another scope's ledger of step
// holds, not as deleted, with those scopes.
func (s *Store) HeldElsewhere(ctx context.Context, scope, step string, keys []string) (map[string][]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	texts, lo, hi := keyRange(keys)
	rows, err := s.pool.Query(ctx, heldElsewhereSQL, pgx.QueryExecModeExec, stateText(scope), stateText(step), texts, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("postgres: keys of %s/%s other scopes hold: %w", scope, step, err)
	}
	defer rows.Close()
	held := map[string][]string{}
	var key, other string
	_, err = pgx.ForEachRow(rows, []any{&key, &other}, func() error {
		held[key] = append(held[key], other)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: keys of %s/%s other scopes hold: %w", scope, step, err)
	}
	return held, nil
}

// compactMin is the fewest entries written since the last compaction that
// make a step's blocks worth looking at: below it, the readers scan
// little enough that a check would cost more than it saves.
const compactMin = 10000

// blockSize is the most keys a compacted block holds.
const blockSize = 5000

const blockCountsSQL = `SELECT coalesce(sum(n) FILTER (WHERE compacted), 0), coalesce(sum(n) FILTER (WHERE NOT compacted), 0)
FROM decant_ledger_blocks WHERE scope = $1 AND step = $2`

// supersededSQL counts the step's entries that are not a key's only
// entry, and its forgotten entries: with neither, compaction has nothing
// to drop.
const supersededSQL = `SELECT count(*) - count(DISTINCT e.key), count(*) FILTER (WHERE e.status = '` + decant.StatusForgotten + `')
FROM decant_ledger_blocks b
CROSS JOIN LATERAL unnest(b.keys, b.statuses) AS e(key, status)
WHERE b.scope = $1 AND b.step = $2`

// rewriteSQL writes each key's last entry again, in key order, blockSize
// keys a block, each entry keeping its own time. One aggregate node feeds
// every array, so their elements line up.
const rewriteSQL = `INSERT INTO decant_ledger_blocks
    (scope, step, min_key, max_key, n, keys, source_hashes, target_hashes, statuses, updates, updated, compacted)
SELECT $1, $2, min(key), max(key), count(*), array_agg(key), array_agg(source_hash),
       array_agg(target_hash), array_agg(status), array_agg(updated), max(updated), true
FROM (SELECT l.*, (row_number() OVER (ORDER BY key) - 1) / $3 AS block
      FROM decant_ledger l WHERE scope = $1 AND step = $2) AS l
GROUP BY block ORDER BY block
RETURNING n`

// CompactLedger rewrites the blocks of (scope, step) into one entry per
// key when the entries written since the last compaction are at least as
// many as those it kept (and at least compactMin), and some of them
// supersede others or are forgotten. When none do, it only marks the
// blocks compacted: a first load pays one scan of its keys, not a
// rewrite. Each compaction at most halves what the next must find
// written, so the work stays proportional to what runs write.
func (s *Store) CompactLedger(ctx context.Context, scope, step string) (decant.LedgerCompaction, error) {
	var res decant.LedgerCompaction
	err := pgx.BeginFunc(ctx, s.pool, func(t pgx.Tx) error {
		// Alone on the step's ledger: batches open now commit first, and
		// later ones wait (stepLockKey).
		if _, err := t.Exec(ctx, `SELECT pg_advisory_xact_lock(`+stepLockKey+`)`, stateText(scope), stateText(step)); err != nil {
			return err
		}
		var kept, since int64
		if err := t.QueryRow(ctx, blockCountsSQL, stateText(scope), stateText(step)).Scan(&kept, &since); err != nil {
			return err
		}
		res.Entries, res.Kept = kept+since, kept+since
		if since < max(kept, compactMin) {
			return nil
		}
		res.Checked = true
		var superseded, forgotten int64
		if err := t.QueryRow(ctx, supersededSQL, stateText(scope), stateText(step)).Scan(&superseded, &forgotten); err != nil {
			return err
		}
		if superseded == 0 && forgotten == 0 {
			_, err := t.Exec(ctx, `UPDATE decant_ledger_blocks SET compacted = true
WHERE scope = $1 AND step = $2 AND NOT compacted`, stateText(scope), stateText(step))
			return err
		}
		// The sorts of a rewrite fit in memory up to about a million keys;
		// past that they spill to disk rather than fail.
		if _, err := t.Exec(ctx, "SET LOCAL work_mem = '256MB'"); err != nil {
			return err
		}
		var maxID int64
		if err := t.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM decant_ledger_blocks WHERE scope = $1 AND step = $2`,
			stateText(scope), stateText(step)).Scan(&maxID); err != nil {
			return err
		}
		rows, err := t.Query(ctx, rewriteSQL, stateText(scope), stateText(step), blockSize)
		if err != nil {
			return err
		}
		ns, err := pgx.CollectRows(rows, pgx.RowTo[int32])
		if err != nil {
			return err
		}
		res.Kept, res.Rewrote = 0, true
		for _, n := range ns {
			res.Kept += int64(n)
		}
		_, err = t.Exec(ctx, `DELETE FROM decant_ledger_blocks WHERE scope = $1 AND step = $2 AND id <= $3`,
			stateText(scope), stateText(step), maxID)
		return err
	})
	if err != nil {
		return res, fmt.Errorf("postgres: compact the ledger of %s/%s: %w", scope, step, err)
	}
	return res, nil
}
