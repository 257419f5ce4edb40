package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
)

var _ decant.ScopeResetter = (*Store)(nil)

// Rows of a RowDeletes are picked by its keys sent as one text array per
// By column, unnested side by side, each value cast to its column's type
// as COPY's text would be: one statement whatever the number of keys.

// deleteRows deletes, or marks, the rows d picks.
func (s *Store) deleteRows(ctx context.Context, t *tx, d *decant.RowDeletes) error {
	if len(d.Keys) == 0 {
		return nil
	}
	tbl, where, args, err := s.rowsWhere(ctx, t, d)
	if err != nil {
		return err
	}
	sql := "DELETE FROM " + tbl.ident + " t" + where
	op := "delete deleted records' rows of"
	if d.Mark != "" {
		kind, ok := tbl.kind[d.Mark]
		if !ok {
			return fmt.Errorf("table %s: mark column %s: %w", d.Table, d.Mark, decant.ErrNotFound)
		}
		v, null, err := format(kind, d.MarkValue)
		if err != nil || null {
			return fmt.Errorf("table %s: mark column %s: value %v: %w", d.Table, d.Mark, d.MarkValue, err)
		}
		args = append(args, v)
		sql = fmt.Sprintf("UPDATE %s t SET %s = $%d::%s%s", tbl.ident, pgx.Identifier{d.Mark}.Sanitize(), len(args), tbl.base[d.Mark], where)
		op = "mark deleted records' rows of"
	}
	if _, err := t.Exec(ctx, sql, args...); err != nil {
		return translate(op, d.Table, err)
	}
	return nil
}

// rowsWhere is the WHERE clause that picks the rows of d's keys (the
// table as t), and its arguments, one text array per By column.
func (s *Store) rowsWhere(ctx context.Context, q querier, d *decant.RowDeletes) (*table, string, []any, error) {
	tbl, err := s.table(ctx, q, d.Table)
	if err != nil {
		return nil, "", nil, err
	}
	if len(d.By) == 0 {
		return nil, "", nil, fmt.Errorf("table %s: no column picks the rows to delete", d.Table)
	}
	args := make([]any, len(d.By))
	unnest, names, conds := make([]string, len(d.By)), make([]string, len(d.By)), make([]string, len(d.By))
	for j, c := range d.By {
		kind, ok := tbl.kind[c]
		if !ok {
			return nil, "", nil, fmt.Errorf("table %s: column %s: %w", d.Table, c, decant.ErrNotFound)
		}
		vals := make([]string, len(d.Keys))
		for i, key := range d.Keys {
			if len(key) != len(d.By) {
				return nil, "", nil, fmt.Errorf("table %s: key %v has %d values for %d columns", d.Table, key, len(key), len(d.By))
			}
			v, null, err := format(kind, key[j])
			if err != nil || null {
				return nil, "", nil, fmt.Errorf("table %s: column %s: key value %v: %w", d.Table, c, key[j], err)
			}
			vals[i] = v
		}
		args[j] = vals
		unnest[j] = fmt.Sprintf("$%d::text[]", j+1)
		names[j] = fmt.Sprintf("k%d", j)
		conds[j] = fmt.Sprintf("t.%s = k.k%d::%s", pgx.Identifier{c}.Sanitize(), j, tbl.base[c])
	}
	where := fmt.Sprintf(" WHERE EXISTS (SELECT 1 FROM unnest(%s) AS k(%s) WHERE %s)",
		strings.Join(unnest, ", "), strings.Join(names, ", "), strings.Join(conds, " AND "))
	return tbl, where, args, nil
}

// CountRows counts the rows d picks.
func (s *Store) CountRows(ctx context.Context, d decant.RowDeletes) (int64, error) {
	if len(d.Keys) == 0 {
		return 0, nil
	}
	tbl, where, args, err := s.rowsWhere(ctx, s.pool, &d)
	if err != nil {
		return 0, fmt.Errorf("postgres: count rows of %s: %w", d.Table, err)
	}
	var n int64
	if err := s.pool.QueryRow(ctx, "SELECT count(*) FROM "+tbl.ident+" t"+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count rows of %s: %w", d.Table, err)
	}
	return n, nil
}

// resetTables are the state tables that keep rows per scope, which
// ResetState empties of a scope's, and whether they have a step column.
var resetTables = []struct {
	name    string
	perStep bool
}{{"decant_checkpoints", true}, {"decant_chunks", true}, {"decant_ledger_blocks", true}, {"decant_errors", true}, {"decant_batches", true},
	{"decant_diffs", true}, {"decant_patches", true}, {"decant_verify_progress", true}, {"decant_verify_runs", false},
	{"decant_unmapped", true}}

// ResetState deletes what the state tables keep of scope, or of its step
// when step is not empty, in one transaction.
func (s *Store) ResetState(ctx context.Context, scope, step string) error {
	t, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: reset state of %s: begin: %w", scope, err)
	}
	defer t.Rollback(context.WithoutCancel(ctx))
	for _, rt := range resetTables {
		sql, args := "DELETE FROM "+rt.name+" WHERE scope = $1", []any{stateText(scope)}
		switch {
		case step != "" && !rt.perStep:
			continue
		case step != "":
			sql, args = sql+" AND step = $2", append(args, stateText(step))
		}
		if _, err := t.Exec(ctx, sql, args...); err != nil {
			return fmt.Errorf("postgres: reset state of %s: %s: %w", scope, rt.name, err)
		}
	}
	if err := t.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: reset state of %s: commit: %w", scope, err)
	}
	return nil
}
