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

const insertFindingsSQL = `
INSERT INTO decant_diffs (scope, step, table_name, key, kind, columns, rule, reason, run, found_at)
SELECT scope, step, table_name, key, kind, columns, rule, reason, $1, $2
FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
     AS n(scope, step, table_name, key, kind, columns, rule, reason)
ON CONFLICT (scope, step, table_name, key) DO UPDATE SET
    kind = EXCLUDED.kind, columns = EXCLUDED.columns, rule = EXCLUDED.rule,
    reason = EXCLUDED.reason, run = EXCLUDED.run, found_at = EXCLUDED.found_at`

// ReplaceFindings replaces the findings of run's scope, step and key range
// with findings, in one transaction.
func (s *Store) ReplaceFindings(ctx context.Context, run decant.FindingRun, findings []decant.Finding) error {
	findings = append([]decant.Finding(nil), findings...)
	if err := decant.CheckFindings(run, findings); err != nil {
		return err
	}
	var n struct{ scope, step, table, key, kind, columns, rule, reason []string }
	for _, f := range findings {
		cols, err := decant.FindingColumnsJSON(f.Columns)
		if err != nil {
			return fmt.Errorf("postgres: replace findings: key %q: %w", f.Key, err)
		}
		n.scope, n.step = append(n.scope, f.Scope), append(n.step, f.Step)
		n.table, n.key = append(n.table, stateText(f.Table)), append(n.key, f.Key)
		n.kind, n.columns = append(n.kind, stateText(f.Kind)), append(n.columns, cols)
		n.rule, n.reason = append(n.rule, stateText(f.Rule)), append(n.reason, stateText(f.Reason))
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, deleteFindingsSQL, run.Scope, run.Step, run.From, run.To); err != nil {
			return err
		}
		if len(findings) == 0 {
			return nil
		}
		_, err := tx.Exec(ctx, insertFindingsSQL, stateText(run.Run), time.Now(),
			n.scope, n.step, n.table, n.key, n.kind, n.columns, n.rule, n.reason)
		return err
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
	sql += " ORDER BY scope, step, table_name, key"
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
