package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/decanthq/decant"
)

// Checkpoint returns the stored position of (scope, step), nil if none,
// also when decant has not written to the database yet.
func (s *Store) Checkpoint(ctx context.Context, scope, step string) (decant.Position, error) {
	var pos sql.NullString
	err := s.read.QueryRowContext(ctx, "SELECT position FROM decant_checkpoints WHERE scope = ? AND step = ?",
		scope, step).Scan(&pos)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !pos.Valid) {
		return nil, nil
	}
	if err != nil {
		none, err := s.noState(ctx, err)
		if none {
			return nil, nil
		}
		return nil, fmt.Errorf("sqlite: read checkpoint of %s/%s: %w", scope, step, err)
	}
	return decant.Position(pos.String), nil
}

// runGap is the pause between batches that starts a new run. Within one
// run a batch starts reading as soon as the previous one is read, before it
// is written, so a run's batches overlap; a later run (or --follow round)
// starts after the last one ended. The gap only absorbs clock jitter and
// durations stored in whole milliseconds.
const runGap = time.Second

// statusBatchesSQL counts a step's batches, finds its last one, and sums
// the records and the wall-clock span (first start to last end, in ms) of
// its latest run: the batches since the last one that started more than
// ?2 ms after every earlier batch had ended. Summing durations instead
// would count the overlapping time of pipelined batches several times.
// Durations are kept in whole milliseconds, truncated: a batch kept as 0 ms
// took under one and counts as half of one, so that a fast step's rate is
// an estimate rather than 0. The last column is the records read by every
// run, which status shows as READ.
// postgres/read.go has the same query; keep them alike. julianday reads
// the stored RFC 3339 text to the millisecond.
const statusBatchesSQL = `
WITH b AS (
    SELECT step, id, started, cursor_to, total,
           CAST(round((julianday(started) - 2440587.5) * 86400000.0) AS INTEGER) AS t0,
           CAST(round((julianday(started) - 2440587.5) * 86400000.0) AS INTEGER)
               + CASE WHEN duration_ms = 0 THEN 0.5 ELSE duration_ms END AS t1
    FROM decant_batches WHERE scope = ?1
), prev AS (
    SELECT *, row_number() OVER (PARTITION BY step ORDER BY id DESC) AS n,
           max(t1) OVER (PARTITION BY step ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
    FROM b
), runs AS (
    SELECT *, sum(CASE WHEN before IS NULL OR t0 > before + ?2 THEN 1 ELSE 0 END)
              OVER (PARTITION BY step ORDER BY id ROWS UNBOUNDED PRECEDING) AS run
    FROM prev
), latest AS (
    SELECT *, max(run) OVER (PARTITION BY step) AS last_run FROM runs
)
SELECT step, count(*),
       max(started) FILTER (WHERE n = 1), max(cursor_to) FILTER (WHERE n = 1),
       coalesce(sum(total) FILTER (WHERE run = last_run), 0),
       CAST(coalesce(max(t1) FILTER (WHERE run = last_run) - min(t0) FILTER (WHERE run = last_run), 0) AS REAL),
       coalesce(sum(total), 0)
FROM latest
GROUP BY step`

// Status returns the counts of every step of scope that has any state,
// ordered by step; none when decant has not written to the database yet
// (it creates no table). The rate is the records of the step's latest run
// divided by the run's wall-clock span (see statusBatchesSQL).
func (s *Store) Status(ctx context.Context, scope string) ([]decant.StepStatus, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // one snapshot for all the reads
	if err != nil {
		return nil, fmt.Errorf("sqlite: status of %s: %w", scope, err)
	}
	defer tx.Rollback()
	steps := map[string]*decant.StepStatus{}
	step := func(name string) *decant.StepStatus {
		if steps[name] == nil {
			steps[name] = &decant.StepStatus{Scope: scope, Step: name}
		}
		return steps[name]
	}
	reads := []statusRead{
		{statusLedgerSQL, []any{scope}, func(r *sql.Rows) error {
			var name string
			var keys, written, deleted int64
			err := r.Scan(&name, &keys, &written, &deleted)
			step(name).Keys, step(name).Written, step(name).Deleted = keys, written, deleted
			return err
		}},
		{"SELECT step, count(*) FILTER (WHERE resolved = 0) FROM decant_errors WHERE scope = ? GROUP BY step",
			[]any{scope}, func(r *sql.Rows) error {
				var name string
				var failed int64
				err := r.Scan(&name, &failed)
				step(name).Failed = failed
				return err
			}},
		{statusBatchesSQL, []any{scope, runGap.Milliseconds()}, func(r *sql.Rows) error {
			var name, last, cursor string
			var n, total, read int64
			var ms float64
			err := r.Scan(&name, &n, &last, &cursor, &total, &ms, &read)
			st := step(name)
			st.Batches, st.LastBatch, st.LastCursor, st.Read = n, parseStamp(last), cursor, read
			if ms > 0 {
				st.Rate = float64(total) / (ms / 1000)
			}
			return err
		}},
		{"SELECT step, position FROM decant_checkpoints WHERE scope = ?", []any{scope}, func(r *sql.Rows) error {
			var name string
			var pos sql.NullString
			err := r.Scan(&name, &pos)
			if st := step(name); pos.Valid {
				st.Checkpoint = decant.Position(pos.String)
			}
			return err
		}},
	}
	// State tables older than version 4 have no decant_diffs (their steps
	// read as having no findings), older than 8 no decant_chunks (no
	// chunks), older than 10 no decant_unmapped, rather than failing the
	// whole status.
	optional := map[string]statusRead{
		"decant_diffs": {"SELECT step, kind, count(*) FROM decant_diffs WHERE scope = ? GROUP BY step, kind",
			[]any{scope}, func(r *sql.Rows) error {
				var name, kind string
				var n int64
				err := r.Scan(&name, &kind, &n)
				step(name).AddFinding(kind, n)
				return err
			}},
		"decant_unmapped": {unmappedSQL + " ORDER BY step, tbl, path", []any{scope}, func(r *sql.Rows) error {
			name, f, err := scanUnmapped(r)
			st := step(name)
			st.Unmapped = append(st.Unmapped, f)
			return err
		}},
		"decant_chunks": {"SELECT step, chunk, position FROM decant_chunks WHERE scope = ?",
			[]any{scope}, func(r *sql.Rows) error {
				var name, chunk, pos string
				err := r.Scan(&name, &chunk, &pos)
				step(name).AddChunk(chunk, decant.Position(pos))
				return err
			}},
	}
	for table, rd := range optional {
		exists, err := tableExists(ctx, tx, table)
		if err != nil {
			return nil, fmt.Errorf("sqlite: status of %s: %w", scope, err)
		}
		if exists {
			reads = append(reads, rd)
		}
	}
	// State tables older than version 9 keep the ledger in a table, which
	// the view of version 9 replaces: its counts are those of the view.
	if blocks, err := tableExists(ctx, tx, "decant_ledger_blocks"); err != nil {
		return nil, fmt.Errorf("sqlite: status of %s: %w", scope, err)
	} else if !blocks {
		reads[0].sql = statusLedgerTableSQL
	}
	for _, rd := range reads {
		if err := each(ctx, tx, rd.sql, rd.args, rd.scan); err != nil {
			none, err := s.noState(ctx, err)
			if none {
				return []decant.StepStatus{}, nil
			}
			return nil, fmt.Errorf("sqlite: status of %s: %w", scope, err)
		}
	}
	out := make([]decant.StepStatus, 0, len(steps))
	for _, st := range steps {
		out = append(out, *st)
	}
	slices.SortFunc(out, func(a, b decant.StepStatus) int { return cmp.Compare(a.Step, b.Step) })
	return out, nil
}

// statusLedgerSQL counts the keys of each step of scope ?1, those written
// (last entry ok) and deleted. A step's compacted blocks come before its
// others and hold each key at most once, none forgotten (see
// ledgerKeysSQL): their counts add up, less their entries of keys that a
// later block (u, the other blocks' last entries) holds again, plus u's
// keys that are not forgotten. Only u is sorted; the compacted blocks'
// superseded entries are found by their keys, their status looked up by
// position in the few blocks that have one. A step that has only blocks
// not compacted, none forgotten, each key in one of them (a first load
// before its run ends: fresh) adds up its blocks' counts too, once a sort
// of its keys alone (twice as fast as one of its entries) finds them
// distinct.
var statusLedgerSQL = `WITH fresh(step) AS MATERIALIZED (
    SELECT step FROM decant_ledger_blocks x WHERE scope = ?1 GROUP BY step
    HAVING max(compacted) = 0 AND sum(n_forgotten) = 0 AND sum(n) = (
        SELECT count(*) FROM (SELECT e.value FROM decant_ledger_blocks b, json_each(b.keys) e
                              WHERE b.scope = ?1 AND b.step = x.step GROUP BY e.value))
), u AS MATERIALIZED (
    SELECT step, key, status FROM (` + lastEntriesAll("b.scope = ?1 AND NOT b.compacted AND b.step NOT IN (SELECT step FROM fresh)") + `)
)
SELECT step, sum(n), sum(n_ok), sum(n_deleted) FROM (
    SELECT step, n, n_ok, n_deleted FROM decant_ledger_blocks WHERE scope = ?1 AND (compacted OR step IN (SELECT step FROM fresh))
    UNION ALL
    SELECT step, -1, -(status = 'ok'), -(status = 'deleted') FROM (
        SELECT b.step, json_extract(b.entries, '$[' || e.key || '][3]') AS status
        FROM decant_ledger_blocks b, json_each(b.keys) e
        WHERE b.scope = ?1 AND b.compacted AND b.step IN (SELECT step FROM u) AND (b.step, e.value) IN (SELECT step, key FROM u)
    )
    UNION ALL
    ` + statusCountsSQL + ` FROM u WHERE status <> '` + decant.StatusForgotten + `' GROUP BY step
) GROUP BY step HAVING sum(n) > 0`

// statusCountsSQL counts the ledger rows of a step, those written (ok) and
// deleted.
const statusCountsSQL = "SELECT step, count(*), count(*) FILTER (WHERE status = 'ok'), count(*) FILTER (WHERE status = 'deleted')"

// statusLedgerTableSQL is statusLedgerSQL for state tables older than
// version 9, which keep the ledger in a table.
const statusLedgerTableSQL = statusCountsSQL + " FROM decant_ledger WHERE scope = ?1 GROUP BY step"

// statusRead is one query of Status and what to do with each of its rows.
type statusRead struct {
	sql  string
	args []any
	scan func(*sql.Rows) error
}

// each runs a query and calls fn for each row.
func each(ctx context.Context, tx *sql.Tx, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Errors lists stored record errors in id order, none when decant has not
// written to the database yet. An empty Scope means every scope. Selecting
// by ID returns the error whether or not it is resolved, and an error
// wrapping decant.ErrNotFound when there is no such error.
func (s *Store) Errors(ctx context.Context, f decant.ErrorFilter) ([]decant.RecordError, error) {
	var where []string
	var args []any
	if f.Scope != "" {
		where, args = append(where, "scope = ?"), append(args, f.Scope)
	}
	if f.Step != "" {
		where, args = append(where, "step = ?"), append(args, f.Step)
	}
	if f.ID != 0 {
		where, args = append(where, "id = ?"), append(args, f.ID)
	} else if !f.Resolved {
		where = append(where, "resolved = 0")
	}
	query := "SELECT id, scope, step, key, " + errorExtras + ", message, detail, coalesce(payload, ''), attempts, resolved, created, updated FROM decant_errors"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id"
	if f.Limit > 0 {
		query += " LIMIT " + strconv.Itoa(f.Limit)
	}
	out, err := s.queryErrors(ctx, query, args)
	if err != nil {
		none, err := s.noState(ctx, err)
		if !none {
			return nil, fmt.Errorf("sqlite: list errors: %w", err)
		}
	}
	if f.ID != 0 && len(out) == 0 {
		return nil, fmt.Errorf("sqlite: error %d: %w", f.ID, decant.ErrNotFound)
	}
	return out, nil
}

// errorExtras are the columns of decant_errors added by state version 3;
// legacyExtras stand in for them in a database that a read command finds at
// an older version (read commands do not upgrade the state tables).
const (
	errorExtras  = "coalesce(source_key, ''), place, source_error, history"
	legacyExtras = "'', '', '', ''"
)

func (s *Store) queryErrors(ctx context.Context, query string, args []any) ([]decant.RecordError, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil && strings.Contains(err.Error(), "no such column") { // state version 2
		rows, err = s.read.QueryContext(ctx, strings.Replace(query, errorExtras, legacyExtras, 1), args...)
	}
	if err != nil {
		return nil, err
	}
	return scanErrors(rows)
}

// scanErrors reads rows of decant_errors selected as Errors does, and
// closes rows.
func scanErrors(rows *sql.Rows) ([]decant.RecordError, error) {
	defer rows.Close()
	var out []decant.RecordError
	for rows.Next() {
		var e decant.RecordError
		var payload, created, updated string
		err := rows.Scan(&e.ID, &e.Scope, &e.Step, &e.Key, &e.SourceKey, &e.Place, &e.SourceError, &e.History, &e.Message, &e.Detail, &payload,
			&e.Attempts, &e.Resolved, &created, &updated)
		if err != nil {
			return nil, err
		}
		e.Payload, e.Created, e.Updated = []byte(payload), parseStamp(created), parseStamp(updated)
		out = append(out, e)
	}
	return out, rows.Err()
}
