package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/decanthq/decant"
)

var _ decant.LedgerStatusLister = (*Store)(nil)

// LedgerKeysByStatus returns up to limit ledger keys of (scope, step) with
// status, after after, in byte order (SQLite's BINARY collation).
func (s *Store) LedgerKeysByStatus(ctx context.Context, scope, step, status, after string, limit int) ([]string, error) {
	keys, err := s.ledgerKeys(ctx, scope, step, status, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s ledger keys of %s/%s: %w", status, scope, step, err)
	}
	return keys, nil
}

// ledgerKeysWhere picks the blocks of (?1, ?2) that may hold a key after
// ?3 and, when ?6 is not NULL, not after ?6, and their entries whose key
// (the expression key) is in that range. Every entry of a key in the
// range is in the blocks it picks.
func ledgerKeysWhere(key string) string {
	return `b.scope = ?1 AND b.step = ?2 AND b.max_key > ?3 AND (?6 IS NULL OR b.min_key <= ?6)
    AND ` + key + ` > ?3 AND (?6 IS NULL OR ` + key + ` <= ?6)`
}

// ledgerKeysSQL reads the keys that ledgerKeysWhere picks with status ?4
// (any when empty), in order, at most ?5. A step's compacted blocks come
// before its others (CompactLedger marks or rewrites all of a step's
// blocks; later batches append) and hold each key at most once, none
// forgotten; so a key's fate is its last entry in the other blocks (u),
// else its entry in a compacted block. Only u is sorted for last entries;
// the compacted blocks' keys go through SQLite's sort with a limit, and
// when no status is asked for, from the blocks' keys alone. A reset, which
// forgets a compacted step's keys a page at a time, pays for its
// forgotten keys rather than for the whole step.
var ledgerKeysSQL = `WITH u(key, status) AS MATERIALIZED (
    SELECT key, status FROM (` + lastEntriesAll("NOT b.compacted AND "+ledgerKeysWhere("e.value ->> 0")) + `)
)
SELECT key FROM (
    SELECT e.value AS key FROM decant_ledger_blocks b, json_each(b.keys) e
    WHERE ?4 = '' AND b.compacted AND ` + ledgerKeysWhere("e.value") + ` AND e.value NOT IN (SELECT key FROM u)
    UNION ALL
    SELECT e.value ->> 0 FROM decant_ledger_blocks b, json_each(b.entries) e
    WHERE ?4 <> '' AND b.compacted AND ` + ledgerKeysWhere("e.value ->> 0") + ` AND e.value ->> 3 = ?4
        AND e.value ->> 0 NOT IN (SELECT key FROM u)
    UNION ALL
    SELECT key FROM u WHERE status <> '` + decant.StatusForgotten + `' AND (?4 = '' OR status = ?4)
) ORDER BY key LIMIT ?5`

// ledgerKeysBoundSQL finds an upper bound of the keys that ledgerKeys
// looks for, from the blocks' ranges and counts alone (?7 names the count:
// n, n_ok or n_deleted): the smallest max_key at which the blocks lying
// wholly after ?3 hold ?4 entries; NULL when they hold fewer. Entries may
// be superseded or forgotten, so the keys up to the bound may be fewer
// than asked for; then ledgerKeys reads without it. In a step compacted in
// key order the bound picks the one or two blocks that hold the keys.
const ledgerKeysBoundSQL = `SELECT max_key FROM (
    SELECT max_key, sum(CASE ?5 WHEN 'n_ok' THEN n_ok WHEN 'n_deleted' THEN n_deleted ELSE n END)
           OVER (ORDER BY max_key ROWS UNBOUNDED PRECEDING) AS c
    FROM decant_ledger_blocks WHERE scope = ?1 AND step = ?2 AND min_key > ?3
) WHERE c >= ?4 ORDER BY max_key LIMIT 1`

// ledgerKeys returns up to limit ledger keys of (scope, step) after after,
// of status unless it is empty, in byte order; none when decant has not
// written to the database yet.
func (s *Store) ledgerKeys(ctx context.Context, scope, step, status, after string, limit int) ([]string, error) {
	count := map[string]string{decant.StatusOK: "n_ok", decant.StatusDeleted: "n_deleted"}[status]
	var bound sql.NullString
	err := s.read.QueryRowContext(ctx, ledgerKeysBoundSQL, scope, step, after, limit, count).Scan(&bound)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	if err != nil {
		none, err := s.noState(ctx, err)
		if none {
			return nil, nil
		}
		return nil, err
	}
	keys, err := s.keys(ctx, ledgerKeysSQL, scope, step, after, status, limit, bound)
	if err == nil && bound.Valid && len(keys) < limit {
		keys, err = s.keys(ctx, ledgerKeysSQL, scope, step, after, status, limit, nil)
	}
	return keys, err
}

// keys runs a query whose rows are one key each and returns them.
func (s *Store) keys(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}
