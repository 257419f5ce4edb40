package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
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

const insertFindingSQL = `
INSERT INTO decant_diffs (scope, step, table_name, key, kind, columns, rule, reason, run, found_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// ReplaceFindings replaces the findings of run's scope, step and key range
// with findings, in one transaction.
func (s *Store) ReplaceFindings(ctx context.Context, run decant.FindingRun, findings []decant.Finding) error {
	findings = append([]decant.Finding(nil), findings...)
	if err := decant.CheckFindings(run, findings); err != nil {
		return err
	}
	now := stamp(time.Now())
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, deleteFindingsSQL, run.Scope, run.Step, run.From, run.To); err != nil {
			return err
		}
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
			if _, err := ins.ExecContext(ctx, f.Scope, f.Step, f.Table, f.Key, f.Kind, cols, f.Rule, f.Reason, run.Run, now); err != nil {
				return fmt.Errorf("key %q: %w", f.Key, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: replace findings of %s/%s: %w", run.Scope, run.Step, err)
	}
	return nil
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
	query += " ORDER BY scope, step, table_name, key"
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
