package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/decanthq/decant"
)

// Checkpoint returns the stored position of (scope, step), nil if none,
// also when decant has not written to the database yet.
func (s *Store) Checkpoint(ctx context.Context, scope, step string) (decant.Position, error) {
	var pos *string
	err := s.pool.QueryRow(ctx, "SELECT position FROM decant_checkpoints WHERE scope = $1 AND step = $2",
		scope, step).Scan(&pos)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && pos == nil) {
		return nil, nil
	}
	if err != nil {
		none, err := s.noState(ctx, err)
		if none {
			return nil, nil
		}
		return nil, fmt.Errorf("postgres: read checkpoint of %s/%s: %w", scope, step, err)
	}
	return decant.Position(*pos), nil
}

// runGap is the pause between batches that starts a new run. Within one
// run a batch starts reading as soon as the previous one is read, before it
// is written, so a run's batches overlap; a later run (or --follow round)
// starts after the last one ended. The gap only absorbs clock jitter and
// durations stored in whole milliseconds.
const runGap = time.Second
const statusLedgerSQL = `
SELECT step, count(*), count(*) FILTER (WHERE status = 'ok'), count(*) FILTER (WHERE status = 'deleted')
FROM decant_ledger WHERE scope = $1 GROUP BY step`

const statusErrorsSQL = `
SELECT step, count(*) FILTER (WHERE NOT resolved)
FROM decant_errors WHERE scope = $1 GROUP BY step`

// statusBatchesSQL counts a step's batches, finds its last one, and sums
// the records and the wall-clock span (first start to last end, in ms) of
// its latest run: the batches since the last one that started more than
// $2 ms after every earlier batch had ended. Summing durations instead
// would count the overlapping time of pipelined batches several times.
// Durations are kept in whole milliseconds, truncated: a batch kept as 0 ms
// took under one and counts as half of one, so that a fast step's rate is
// an estimate rather than 0. The last column is the records read by every
// run, which status shows as READ.
// sqlite/read.go has the same query; keep them alike.
const statusBatchesSQL = `
WITH b AS (
    SELECT step, id, started, cursor_to, total,
           round(extract(epoch FROM started) * 1000)::bigint AS t0,
           round(extract(epoch FROM started) * 1000)::bigint
               + CASE WHEN duration_ms = 0 THEN 0.5 ELSE duration_ms END AS t1
    FROM decant_batches WHERE scope = $1
), prev AS (
    SELECT *, row_number() OVER (PARTITION BY step ORDER BY id DESC) AS n,
           max(t1) OVER (PARTITION BY step ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
    FROM b
), runs AS (
    SELECT *, sum(CASE WHEN before IS NULL OR t0 > before + $2 THEN 1 ELSE 0 END)
              OVER (PARTITION BY step ORDER BY id ROWS UNBOUNDED PRECEDING) AS run
    FROM prev
), latest AS (
    SELECT *, max(run) OVER (PARTITION BY step) AS last_run FROM runs
)
SELECT step, count(*),
       max(started) FILTER (WHERE n = 1), max(cursor_to) FILTER (WHERE n = 1),
       coalesce(sum(total) FILTER (WHERE run = last_run), 0)::bigint,
       coalesce(max(t1) FILTER (WHERE run = last_run) - min(t0) FILTER (WHERE run = last_run), 0)::float8,
       coalesce(sum(total), 0)::bigint
FROM latest
GROUP BY step`

const statusCheckpointsSQL = `SELECT step, position FROM decant_checkpoints WHERE scope = $1`

const statusChunksSQL = `SELECT step, chunk, position FROM decant_chunks WHERE scope = $1`

const statusFindingsSQL = `SELECT step, kind, count(*) FROM decant_diffs WHERE scope = $1 GROUP BY step, kind`

// Status returns the counts of every step of scope that has any state,
// ordered by step; none when decant has not written to the database yet
// (it creates no table). The rate is the records of the step's latest run
// divided by the run's wall-clock span (see statusBatchesSQL).
func (s *Store) Status(ctx context.Context, scope string) ([]decant.StepStatus, error) {
	steps := map[string]*decant.StepStatus{}
	step := func(name string) *decant.StepStatus {
		if steps[name] == nil {
			steps[name] = &decant.StepStatus{Scope: scope, Step: name}
		}
		return steps[name]
	}
	var b pgx.Batch
	b.Queue(statusLedgerSQL, scope).Query(each(func(r pgx.Rows) error {
		var name string
		var keys, written, deleted int64
		err := r.Scan(&name, &keys, &written, &deleted)
		st := step(name)
		st.Keys, st.Written, st.Deleted = keys, written, deleted
		return err
	}))
	b.Queue(statusErrorsSQL, scope).Query(each(func(r pgx.Rows) error {
		var name string
		var failed int64
		err := r.Scan(&name, &failed)
		step(name).Failed = failed
		return err
	}))
	b.Queue(statusBatchesSQL, scope, runGap.Milliseconds()).Query(each(func(r pgx.Rows) error {
		var name, cursor string
		var n, total, read int64
		var ms float64
		var last time.Time
		err := r.Scan(&name, &n, &last, &cursor, &total, &ms, &read)
		st := step(name)
		st.Batches, st.LastBatch, st.LastCursor, st.Read = n, last.UTC(), cursor, read
		if ms > 0 {
			st.Rate = float64(total) / (ms / 1000)
		}
		return err
	}))
	b.Queue(statusCheckpointsSQL, scope).Query(each(func(r pgx.Rows) error {
		var name string
		var pos *string
		err := r.Scan(&name, &pos)
		if pos != nil {
			step(name).Checkpoint = decant.Position(*pos)
		} else {
			step(name)
		}
		return err
	}))
	// One snapshot for all the reads: at READ COMMITTED each would see the
	// batches a running migrate committed since the one before, and READ,
	// KEYS and WRITTEN would not add up. READ ONLY also makes sure status
	// writes nothing.
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("postgres: status of %s: %w", scope, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) // nothing to commit
	// State tables older than version 4 have no decant_diffs: their steps
	// read as having no findings rather than failing the whole status.
	var diffs bool
	if err := tx.QueryRow(ctx, tableExistsSQL, "decant_diffs").Scan(&diffs); err != nil {
		return nil, fmt.Errorf("postgres: status of %s: %w", scope, err)
	}
	// Nor do tables older than version 8 have decant_chunks: no chunks.
	var chunks bool
	if err := tx.QueryRow(ctx, tableExistsSQL, "decant_chunks").Scan(&chunks); err != nil {
		return nil, fmt.Errorf("postgres: status of %s: %w", scope, err)
	}
	if chunks {
		b.Queue(statusChunksSQL, scope).Query(each(func(r pgx.Rows) error {
			var name, chunk, pos string
			err := r.Scan(&name, &chunk, &pos)
			step(name).AddChunk(chunk, decant.Position(pos))
			return err
		}))
	}
	// Nor do tables older than version 10 have decant_unmapped.
	var unmapped bool
	if err := tx.QueryRow(ctx, tableExistsSQL, "decant_unmapped").Scan(&unmapped); err != nil {
		return nil, fmt.Errorf("postgres: status of %s: %w", scope, err)
	}
	if unmapped {
		b.Queue(unmappedSQL+" ORDER BY step, tbl, path", scope).Query(each(func(r pgx.Rows) error {
			name, f, err := scanUnmapped(r)
			st := step(name)
			st.Unmapped = append(st.Unmapped, f)
			return err
		}))
	}
	if diffs {
		b.Queue(statusFindingsSQL, scope).Query(each(func(r pgx.Rows) error {
			var name, kind string
			var n int64
			err := r.Scan(&name, &kind, &n)
			step(name).AddFinding(kind, n)
			return err
		}))
	}
	if err := tx.SendBatch(ctx, &b).Close(); err != nil {
		tx.Rollback(context.WithoutCancel(ctx)) // end the aborted transaction before noState reads
		none, err := s.noState(ctx, err)
		if none {
			return []decant.StepStatus{}, nil
		}
		return nil, fmt.Errorf("postgres: status of %s: %w", scope, err)
	}
	out := make([]decant.StepStatus, 0, len(steps))
	for _, st := range steps {
		out = append(out, *st)
	}
	slices.SortFunc(out, func(a, b decant.StepStatus) int { return cmp.Compare(a.Step, b.Step) })
	return out, nil
}

// each adapts a per-row function to pgx's per-result callback.
func each(fn func(pgx.Rows) error) func(pgx.Rows) error {
	return func(rows pgx.Rows) error {
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
}

// Errors lists stored record errors in id order, none when decant has not
// written to the database yet. An empty Scope means every scope. Selecting
// by ID returns the error whether or not it is resolved, and an error
// wrapping decant.ErrNotFound when there is no such error.
func (s *Store) Errors(ctx context.Context, f decant.ErrorFilter) ([]decant.RecordError, error) {
	var where []string
	var args []any
	arg := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Scope != "" {
		arg("scope = ?", f.Scope)
	}
	if f.Step != "" {
		arg("step = ?", f.Step)
	}
	if f.ID != 0 {
		arg("id = ?", f.ID)
	} else if !f.Resolved {
		where = append(where, "NOT resolved")
	}
	sql := "SELECT id, scope, step, key, " + errorExtras + ", message, detail, coalesce(payload, ''), attempts, resolved, created, updated FROM decant_errors"
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += " ORDER BY id"
	if f.Limit > 0 {
		sql += " LIMIT " + strconv.Itoa(f.Limit)
	}
	out, err := s.queryErrors(ctx, sql, args)
	if err != nil {
		none, err := s.noState(ctx, err)
		if !none {
			return nil, fmt.Errorf("postgres: list errors: %w", err)
		}
	}
	if f.ID != 0 && len(out) == 0 {
		return nil, fmt.Errorf("postgres: error %d: %w", f.ID, decant.ErrNotFound)
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

func (s *Store) queryErrors(ctx context.Context, sql string, args []any) ([]decant.RecordError, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42703" { // undefined_column: state version 2
		rows, err = s.pool.Query(ctx, strings.Replace(sql, errorExtras, legacyExtras, 1), args...)
	}
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanError)
}

// scanError reads a row of decant_errors selected as Errors does.
func scanError(r pgx.CollectableRow) (decant.RecordError, error) {
	var e decant.RecordError
	var payload string
	err := r.Scan(&e.ID, &e.Scope, &e.Step, &e.Key, &e.SourceKey, &e.Place, &e.SourceError, &e.History, &e.Message, &e.Detail, &payload,
		&e.Attempts, &e.Resolved, &e.Created, &e.Updated)
	e.Payload = []byte(payload)
	e.Created, e.Updated = e.Created.UTC(), e.Updated.UTC()
	return e, err
}
