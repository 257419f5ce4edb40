package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/decanthq/decant"
)

var _ decant.FindingStore = (*Store)(nil)

// deleteFindingsSQL deletes a step's findings in a key range; an empty
// bound ($3, $4) is open.
const deleteFindingsSQL = `
DELETE FROM decant_diffs WHERE scope = $1 AND step = $2
AND ($3 = '' OR key >= $3) AND ($4 = '' OR key <= $4)`

// deleteTableFindingsSQL deletes one table's findings in an order range,
// after $4 and up to $5, leaving out the conditions of an empty (open)
// bound: a condition that is true for an empty bound, ORed with the range,
// would keep a generic plan of the prepared statement off the index. The
// prefix conditions let the index on left(sort_key, 600) find the range;
// the others make it exact. Findings stored before version 6 have no order
// key (”): only the range that runs to the table's end takes them, so a
// verify stopped half way drops none of them outside what it re-examined.
func deleteTableFindingsSQL(after, until string) string {
	q := "DELETE FROM decant_diffs WHERE scope = $1 AND step = $2 AND table_name = $3"
	switch {
	case after != "" && until == "":
		q += " AND (left(sort_key, 600) >= left($4, 600) AND sort_key > $4 OR sort_key = '')"
	case after != "":
		q += " AND left(sort_key, 600) >= left($4, 600) AND sort_key > $4"
	default:
		q += " AND $4 = ''"
	}
	if until != "" {
		q += " AND left(sort_key, 600) <= left($5, 600) AND sort_key <= $5"
		if after == "" {
			q += " AND sort_key <> ''"
		}
	} else {
		q += " AND $5 = ''"
	}
	return q
}

const insertFindingsSQL = `
INSERT INTO decant_diffs (scope, step, table_name, key, kind, columns, rule, reason, run, found_at, sort_key)
SELECT scope, step, table_name, key, kind, columns, rule, reason, $1, $2, sort_key
FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
     AS n(scope, step, table_name, key, kind, columns, rule, reason, sort_key)
ON CONFLICT (scope, step, table_name, key) DO UPDATE SET
    kind = EXCLUDED.kind, columns = EXCLUDED.columns, rule = EXCLUDED.rule,
    reason = EXCLUDED.reason, run = EXCLUDED.run, found_at = EXCLUDED.found_at,
    sort_key = EXCLUDED.sort_key`

// ReplaceFindings replaces the findings of run's scope, step and key range
// with findings, and saves run.Progress, in one transaction.
func (s *Store) ReplaceFindings(ctx context.Context, run decant.FindingRun, findings []decant.Finding) error {
	findings = append([]decant.Finding(nil), findings...)
	if err := decant.CheckFindings(run, findings); err != nil {
		return err
	}
	var n struct{ scope, step, table, key, kind, columns, rule, reason, order []string }
	for _, f := range findings {
		cols, err := decant.FindingColumnsJSON(f.Columns)
		if err != nil {
			return fmt.Errorf("postgres: replace findings: key %q: %w", f.Key, err)
		}
		n.scope, n.step = append(n.scope, f.Scope), append(n.step, f.Step)
		n.table, n.key = append(n.table, stateText(f.Table)), append(n.key, f.Key)
		n.kind, n.columns = append(n.kind, stateText(f.Kind)), append(n.columns, cols)
		n.rule, n.reason = append(n.rule, stateText(f.Rule)), append(n.reason, stateText(f.Reason))
		n.order = append(n.order, f.Order)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if run.Table != "" {
			_, err = tx.Exec(ctx, deleteTableFindingsSQL(run.After, run.Until), run.Scope, run.Step, run.Table, run.After, run.Until)
		} else {
			_, err = tx.Exec(ctx, deleteFindingsSQL, run.Scope, run.Step, run.From, run.To)
		}
		if err != nil {
			return err
		}
		if len(findings) > 0 {
			if _, err := tx.Exec(ctx, insertFindingsSQL, stateText(run.Run), time.Now(),
				n.scope, n.step, n.table, n.key, n.kind, n.columns, n.rule, n.reason, n.order); err != nil {
				return err
			}
		}
		if run.Progress != nil {
			return saveProgress(ctx, tx, *run.Progress)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: replace findings of %s/%s: %w", run.Scope, run.Step, translate("write decant_diffs", "", err))
	}
	return nil
}

// Findings lists stored findings. Tables older than version 4 have none.
func (s *Store) Findings(ctx context.Context, f decant.FindingFilter) ([]decant.Finding, error) {
	var where []string
	var args []any
	arg := func(col, v string) {
		if v != "" {
			args = append(args, v)
			where = append(where, col+" = $"+strconv.Itoa(len(args)))
		}
	}
	arg("scope", f.Scope)
	arg("step", f.Step)
	arg("kind", f.Kind)
	sql := "SELECT scope, step, table_name, key, kind, columns, rule, reason, run, found_at FROM decant_diffs"
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	order := "sort_key, key" // key order (version 6 keeps it), then key text
	if v, err := s.stateVersion(ctx); err == nil && v < 6 {
		order = "key"
	}
	sql += " ORDER BY scope, step, table_name, " + order
	if f.Limit > 0 {
		sql += " LIMIT " + strconv.Itoa(f.Limit)
	}
	out, err := s.queryFindings(ctx, sql, args)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42P01" { // undefined_table
		if v, verr := s.stateVersion(ctx); verr == nil && v < 4 {
			return nil, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: list findings: %w", err)
	}
	return out, nil
}

func (s *Store) queryFindings(ctx context.Context, sql string, args []any) ([]decant.Finding, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (decant.Finding, error) {
		var f decant.Finding
		var cols string
		if err := r.Scan(&f.Scope, &f.Step, &f.Table, &f.Key, &f.Kind, &cols, &f.Rule, &f.Reason, &f.Run, &f.FoundAt); err != nil {
			return f, err
		}
		if err := json.Unmarshal([]byte(cols), &f.Columns); err != nil {
			return f, fmt.Errorf("finding %s/%s %s key %q: columns: %w", f.Scope, f.Step, f.Table, f.Key, err)
		}
		if f.Columns == nil {
			f.Columns = []decant.ColumnFinding{}
		}
		return f, nil
	})
}

const saveProgressSQL = `
INSERT INTO decant_verify_progress (scope, run, step, table_name, last_key, done, result, updated)
VALUES ($1, $2, $3, $4, $5, $6, $7, now())
ON CONFLICT (scope, run, step, table_name) DO UPDATE SET
    last_key = EXCLUDED.last_key, done = EXCLUDED.done, result = EXCLUDED.result, updated = EXCLUDED.updated`

func saveProgress(ctx context.Context, tx pgx.Tx, p decant.VerifyProgress) error {
	_, err := tx.Exec(ctx, saveProgressSQL, p.Scope, p.Run, p.Step, p.Table, stateText(p.LastKey), p.Done, stateText(p.Result))
	return err
}

// StartVerify records a verify run as running; a new run abandons the
// scope's other unfinished runs and drops their progress.
func (s *Store) StartVerify(ctx context.Context, r decant.VerifyRun) error {
	steps, err := json.Marshal(r.Steps)
	if err != nil {
		return fmt.Errorf("postgres: start verify: %w", err)
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE decant_verify_runs SET status = $3, message = '', updated = now() WHERE scope = $1 AND run = $2`,
			r.Scope, r.Run, decant.VerifyRunning)
		if err != nil || tag.RowsAffected() > 0 {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE decant_verify_runs SET status = $2, updated = now()
			WHERE scope = $1 AND status IN ($3, $4)`, r.Scope, decant.VerifyAbandoned, decant.VerifyRunning, decant.VerifyFailed); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM decant_verify_progress WHERE scope = $1`, r.Scope); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO decant_verify_runs (scope, run, plan, steps, status) VALUES ($1, $2, $3, $4, $5)`,
			r.Scope, r.Run, stateText(r.Plan), stateText(string(steps)), decant.VerifyRunning)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: start verify run %s of scope %s: %w", r.Run, r.Scope, translate("write decant_verify_runs", "", err))
	}
	return nil
}

// EndVerify records how a verify run ended.
func (s *Store) EndVerify(ctx context.Context, scope, run, status, message string) error {
	_, err := s.pool.Exec(ctx, `UPDATE decant_verify_runs SET status = $3, message = $4, updated = now() WHERE scope = $1 AND run = $2`,
		scope, run, status, stateText(message))
	if err != nil {
		return fmt.Errorf("postgres: end verify run %s of scope %s: %w", run, scope, translate("write decant_verify_runs", "", err))
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
		WHERE scope = $1 ORDER BY started DESC, run DESC`
	if limit > 0 {
		q += " LIMIT " + strconv.Itoa(limit)
	}
	rows, err := s.pool.Query(ctx, q, scope)
	if err != nil {
		return nil, fmt.Errorf("postgres: list verify runs: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (decant.VerifyRun, error) {
		var v decant.VerifyRun
		var steps string
		if err := r.Scan(&v.Scope, &v.Run, &v.Plan, &steps, &v.Status, &v.Message, &v.Started, &v.Updated); err != nil {
			return v, err
		}
		return v, json.Unmarshal([]byte(steps), &v.Steps)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list verify runs: %w", err)
	}
	return out, nil
}

// VerifyProgress lists a run's progress rows by step and table.
func (s *Store) VerifyProgress(ctx context.Context, scope, run string) ([]decant.VerifyProgress, error) {
	if v, err := s.stateVersion(ctx); err != nil || v < 6 {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT scope, run, step, table_name, last_key, done, result, updated
		FROM decant_verify_progress WHERE scope = $1 AND run = $2 ORDER BY step, table_name`, scope, run)
	if err != nil {
		return nil, fmt.Errorf("postgres: read verify progress: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (decant.VerifyProgress, error) {
		var p decant.VerifyProgress
		err := r.Scan(&p.Scope, &p.Run, &p.Step, &p.Table, &p.LastKey, &p.Done, &p.Result, &p.Updated)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: read verify progress: %w", err)
	}
	return out, nil
}

// FinishVerifyStep saves a step's row and drops the step's findings of
// tables it no longer writes, in one transaction.
func (s *Store) FinishVerifyStep(ctx context.Context, p decant.VerifyProgress, tables []string) error {
	if tables == nil {
		tables = []string{}
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM decant_diffs WHERE scope = $1 AND step = $2 AND NOT (table_name = ANY($3::text[]))`,
			p.Scope, p.Step, tables); err != nil {
			return err
		}
		return saveProgress(ctx, tx, p)
	})
	if err != nil {
		return fmt.Errorf("postgres: finish verify of %s/%s: %w", p.Scope, p.Step, translate("write decant_verify_progress", "", err))
	}
	return nil
}

// Live reads the database's clock, which stamps the ledger, and the
// scope's lease. A database without decant's tables has no lease.
func (s *Store) Live(ctx context.Context, scope string) (decant.Live, error) {
	var l decant.Live
	var holder *string
	var expires *time.Time
	err := s.pool.QueryRow(ctx, `SELECT clock_timestamp(), holder_id, expires FROM (SELECT 1) one
		LEFT JOIN decant_scopes ON scope = $1`, scope).Scan(&l.Now, &holder, &expires)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42P01" { // undefined_table: no state yet
		err = s.pool.QueryRow(ctx, "SELECT clock_timestamp()").Scan(&l.Now)
	}
	if err != nil {
		return l, fmt.Errorf("postgres: read the clock and the lease of scope %s: %w", scope, err)
	}
	if holder != nil && expires != nil {
		l.Holder, l.Expires = *holder, *expires
	}
	return l, nil
}
