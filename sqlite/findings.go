package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/decanthq/decant"
)

var _ decant.FindingStore = (*Store)(nil)

// deleteFindingsSQL deletes a step's findings in a key range; an empty
// bound is open. SQLite compares text bytewise, as the key range wants.
const deleteFindingsSQL = `
DELETE FROM decant_diffs WHERE scope = ?1 AND step = ?2
AND (?3 = '' OR key >= ?3) AND (?4 = '' OR key <= ?4)`

// deleteTableFindingsSQL deletes one table's findings in an order range,
// after ?4 and up to ?5, leaving out the condition of an empty (open)
// bound so that the index on sort_key bounds the scan. Findings stored
// before version 6 have no order key (”): only the range that runs to the
// table's end takes them, so a verify stopped half way drops none of them
// outside what it re-examined.
func deleteTableFindingsSQL(after, until string) string {
	q := "DELETE FROM decant_diffs WHERE scope = ?1 AND step = ?2 AND table_name = ?3"
	switch {
	case after != "" && until == "":
		q += " AND (sort_key > ?4 OR sort_key = '')"
	case after != "":
		q += " AND sort_key > ?4"
	default:
		q += " AND ?4 = ''"
	}
	if until != "" {
		q += " AND sort_key <= ?5"
		if after == "" {
			q += " AND sort_key <> ''"
		}
	} else {
		q += " AND ?5 = ''"
	}
	return q
}

const insertFindingSQL = `
INSERT INTO decant_diffs (scope, step, table_name, key, kind, columns, rule, reason, run, found_at, sort_key)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (scope, step, table_name, key) DO UPDATE SET
    kind = excluded.kind, columns = excluded.columns, rule = excluded.rule, reason = excluded.reason,
    run = excluded.run, found_at = excluded.found_at, sort_key = excluded.sort_key`

// ReplaceFindings replaces the findings of run's scope, step and key range
// with findings, and saves run.Progress, in one transaction.
func (s *Store) ReplaceFindings(ctx context.Context, run decant.FindingRun, findings []decant.Finding) error {
	findings = append([]decant.Finding(nil), findings...)
	if err := decant.CheckFindings(run, findings); err != nil {
		return err
	}
	now := stamp(time.Now())
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		if run.Table != "" {
			_, err = tx.ExecContext(ctx, deleteTableFindingsSQL(run.After, run.Until), run.Scope, run.Step, run.Table, run.After, run.Until)
		} else {
			_, err = tx.ExecContext(ctx, deleteFindingsSQL, run.Scope, run.Step, run.From, run.To)
		}
		if err != nil {
			return err
		}
		if err := insertFindings(ctx, tx, run, findings, now); err != nil {
			return err
		}
		if run.Progress != nil {
			return saveProgress(ctx, tx, *run.Progress)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: replace findings of %s/%s: %w", run.Scope, run.Step, err)
	}
	return nil
}

func insertFindings(ctx context.Context, tx *sql.Tx, run decant.FindingRun, findings []decant.Finding, now string) error {
	if len(findings) == 0 {
		return nil
	}
	ins, err := tx.PrepareContext(ctx, insertFindingSQL)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, f := range findings {
		cols, err := decant.FindingColumnsJSON(f.Columns)
		if err != nil {
			return fmt.Errorf("key %q: %w", f.Key, err)
		}
		if _, err := ins.ExecContext(ctx, f.Scope, f.Step, f.Table, f.Key, f.Kind, cols, f.Rule, f.Reason, run.Run, now, f.Order); err != nil {
			return fmt.Errorf("key %q: %w", f.Key, err)
		}
	}
	return nil
}

// findingOrder orders a table's findings by key order (version 6 keeps
// it), then key text.
func findingOrder(version int) string {
	if version < 6 {
		return "key"
	}
	return "sort_key, key"
}

// Findings lists stored findings. Tables older than version 4 have none.
func (s *Store) Findings(ctx context.Context, f decant.FindingFilter) ([]decant.Finding, error) {
	v, err := s.stateVersion(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list findings: read the state version: %w", err)
	}
	if v < 4 {
		return nil, nil
	}
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"scope", f.Scope}, {"step", f.Step}, {"kind", f.Kind}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	query := "SELECT scope, step, table_name, key, kind, columns, rule, reason, run, found_at FROM decant_diffs"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY scope, step, table_name, " + findingOrder(v)
	if f.Limit > 0 {
		query += " LIMIT " + strconv.Itoa(f.Limit)
	}
	out, err := s.queryFindings(ctx, query, args)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list findings: %w", err)
	}
	return out, nil
}

func (s *Store) queryFindings(ctx context.Context, query string, args []any) ([]decant.Finding, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []decant.Finding{}
	for rows.Next() {
		var f decant.Finding
		var cols, found string
		if err := rows.Scan(&f.Scope, &f.Step, &f.Table, &f.Key, &f.Kind, &cols, &f.Rule, &f.Reason, &f.Run, &found); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(cols), &f.Columns); err != nil {
			return nil, fmt.Errorf("finding %s/%s %s key %q: columns: %w", f.Scope, f.Step, f.Table, f.Key, err)
		}
		if f.Columns == nil {
			f.Columns = []decant.ColumnFinding{}
		}
		f.FoundAt = parseStamp(found)
		out = append(out, f)
	}
	return out, rows.Err()
}

const saveProgressSQL = `
INSERT INTO decant_verify_progress (scope, run, step, table_name, last_key, done, result, updated)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (scope, run, step, table_name) DO UPDATE SET
    last_key = excluded.last_key, done = excluded.done, result = excluded.result, updated = excluded.updated`

func saveProgress(ctx context.Context, tx *sql.Tx, p decant.VerifyProgress) error {
	_, err := tx.ExecContext(ctx, saveProgressSQL, p.Scope, p.Run, p.Step, p.Table, p.LastKey, p.Done, p.Result, stamp(time.Now()))
	return err
}

// StartVerify records a verify run as running; a new run abandons the
// scope's other unfinished runs and drops their progress.
func (s *Store) StartVerify(ctx context.Context, r decant.VerifyRun) error {
	steps, err := json.Marshal(r.Steps)
	if err != nil {
		return fmt.Errorf("sqlite: start verify: %w", err)
	}
	now := stamp(time.Now())
	err = s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE decant_verify_runs SET status = ?, message = '', updated = ? WHERE scope = ? AND run = ?`,
			decant.VerifyRunning, now, r.Scope, r.Run)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE decant_verify_runs SET status = ?, updated = ? WHERE scope = ? AND status IN (?, ?)`,
			decant.VerifyAbandoned, now, r.Scope, decant.VerifyRunning, decant.VerifyFailed); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM decant_verify_progress WHERE scope = ?`, r.Scope); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO decant_verify_runs (scope, run, plan, steps, status, started, updated) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			r.Scope, r.Run, r.Plan, string(steps), decant.VerifyRunning, now, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: start verify run %s of scope %s: %w", r.Run, r.Scope, err)
	}
	return nil
}

// EndVerify records how a verify run ended.
func (s *Store) EndVerify(ctx context.Context, scope, run, status, message string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE decant_verify_runs SET status = ?, message = ?, updated = ? WHERE scope = ? AND run = ?`,
		status, message, stamp(time.Now()), scope, run)
	if err != nil {
		return fmt.Errorf("sqlite: end verify run %s of scope %s: %w", run, scope, err)
	}
	return nil
}

// VerifyRuns lists the scope's verify runs, the latest first. Tables older
// than version 6 have none.
func (s *Store) VerifyRuns(ctx context.Context, scope string, limit int) ([]decant.VerifyRun, error) {
	if v, err := s.stateVersion(ctx); err != nil || v < 6 {
		return nil, err
	}
	q := `SELECT scope, run, plan, steps, status, message, started, updated FROM decant_verify_runs
		WHERE scope = ? ORDER BY started DESC, run DESC`
	if limit > 0 {
		q += " LIMIT " + strconv.Itoa(limit)
	}
	rows, err := s.read.QueryContext(ctx, q, scope)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list verify runs: %w", err)
	}
	defer rows.Close()
	var out []decant.VerifyRun
	for rows.Next() {
		var v decant.VerifyRun
		var steps, started, updated string
		if err := rows.Scan(&v.Scope, &v.Run, &v.Plan, &steps, &v.Status, &v.Message, &started, &updated); err != nil {
			return nil, fmt.Errorf("sqlite: list verify runs: %w", err)
		}
		if err := json.Unmarshal([]byte(steps), &v.Steps); err != nil {
			return nil, fmt.Errorf("sqlite: verify run %s: steps: %w", v.Run, err)
		}
		v.Started, v.Updated = parseStamp(started), parseStamp(updated)
		out = append(out, v)
	}
	return out, rows.Err()
}

// VerifyProgress lists a run's progress rows by step and table.
func (s *Store) VerifyProgress(ctx context.Context, scope, run string) ([]decant.VerifyProgress, error) {
	if v, err := s.stateVersion(ctx); err != nil || v < 6 {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT scope, run, step, table_name, last_key, done, result, updated
		FROM decant_verify_progress WHERE scope = ? AND run = ? ORDER BY step, table_name`, scope, run)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read verify progress: %w", err)
	}
	defer rows.Close()
	var out []decant.VerifyProgress
	for rows.Next() {
		var p decant.VerifyProgress
		var updated string
		if err := rows.Scan(&p.Scope, &p.Run, &p.Step, &p.Table, &p.LastKey, &p.Done, &p.Result, &updated); err != nil {
			return nil, fmt.Errorf("sqlite: read verify progress: %w", err)
		}
		p.Updated = parseStamp(updated)
		out = append(out, p)
	}
	return out, rows.Err()
}

// FinishVerifyStep saves a step's row and drops the step's findings of
// tables it no longer writes, in one transaction.
func (s *Store) FinishVerifyStep(ctx context.Context, p decant.VerifyProgress, tables []string) error {
	keep, err := json.Marshal(append([]string{}, tables...))
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM decant_diffs WHERE scope = ? AND step = ?
			AND table_name NOT IN (SELECT value FROM json_each(?))`, p.Scope, p.Step, string(keep)); err != nil {
			return err
		}
		return saveProgress(ctx, tx, p)
	})
	if err != nil {
		return fmt.Errorf("sqlite: finish verify of %s/%s: %w", p.Scope, p.Step, err)
	}
	return nil
}

// Live reads this process's clock, which stamps the ledger as this
// package writes it, and the scope's lease. A database without decant's
// tables has no lease.
func (s *Store) Live(ctx context.Context, scope string) (decant.Live, error) {
	l := decant.Live{Now: time.Now()}
	v, err := s.stateVersion(ctx)
	if err != nil || v == 0 {
		return l, err
	}
	var holder, expires sql.NullString
	err = s.read.QueryRowContext(ctx, `SELECT holder_id, expires FROM decant_scopes WHERE scope = ?`, scope).Scan(&holder, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return l, nil
	}
	if err != nil {
		return l, fmt.Errorf("sqlite: read the lease of scope %s: %w", scope, err)
	}
	if holder.Valid && expires.Valid {
		l.Holder, l.Expires = holder.String, parseStamp(expires.String)
	}
	return l, nil
}
