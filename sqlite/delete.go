package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/decanthq/decant"
)

var _ decant.ScopeResetter = (*Store)(nil)

// deleteRows deletes, or marks, the rows d picks, in statements of at most
// maxVars values: a IN (?, ...), or (a, b) IN (VALUES (?, ?), ...).
func (s *Store) deleteRows(ctx context.Context, t *tx, d *decant.RowDeletes) error {
	tbl, err := s.table(ctx, t, d.Table)
	if err != nil {
		return err
	}
	head := "DELETE FROM " + tbl.ident
	var mark []any
	if d.Mark != "" {
		kind, ok := tbl.kind[d.Mark]
		if !ok {
			return fmt.Errorf("table %s: mark column %s: %w", d.Table, d.Mark, decant.ErrNotFound)
		}
		v, err := value(kind, d.MarkValue)
		if err != nil {
			return fmt.Errorf("table %s: mark column %s: %w", d.Table, d.Mark, err)
		}
		head, mark = "UPDATE "+tbl.ident+" SET "+quote(d.Mark)+" = ?", []any{v}
	}
	return eachKeyChunk(tbl, d, func(where string, args []any) error {
		if _, err := t.ExecContext(ctx, head+where, append(slices.Clone(mark), args...)...); err != nil {
			return translate("delete deleted records' rows of "+d.Table, err)
		}
		return nil
	})
}

// eachKeyChunk calls fn with the WHERE clause and arguments of each chunk
// of d's keys.
func eachKeyChunk(tbl *table, d *decant.RowDeletes, fn func(where string, args []any) error) error {
	if len(d.By) == 0 {
		return fmt.Errorf("table %s: no column picks the rows to delete", d.Table)
	}
	kinds := make([]string, len(d.By))
	for j, c := range d.By {
		kind, ok := tbl.kind[c]
		if !ok {
			return fmt.Errorf("table %s: column %s: %w", d.Table, c, decant.ErrNotFound)
		}
		kinds[j] = kind
	}
	row := "(" + placeholders(len(d.By)) + ")"
	for chunk := range slices.Chunk(d.Keys, (maxVars-1)/len(d.By)) {
		args := make([]any, 0, len(chunk)*len(d.By))
		for _, key := range chunk {
			if len(key) != len(d.By) {
				return fmt.Errorf("table %s: key %v has %d values for %d columns", d.Table, key, len(key), len(d.By))
			}
			for j, v := range key {
				sv, err := value(kinds[j], v)
				if err != nil || sv == nil {
					return fmt.Errorf("table %s: column %s: key value %v: %w", d.Table, d.By[j], v, err)
				}
				args = append(args, sv)
			}
		}
		// One column is a plain IN list, which every SQLite plans with
		// the column's index; row values need 3.15 and plan less well.
		where := fmt.Sprintf(" WHERE %s IN (%s)", quote(d.By[0]), placeholders(len(chunk)))
		if len(d.By) > 1 {
			where = fmt.Sprintf(" WHERE (%s) IN (VALUES %s)", columnList(d.By), strings.Repeat(row+", ", len(chunk)-1)+row)
		}
		if err := fn(where, args); err != nil {
			return err
		}
	}
	return nil
}

// CountRows counts the rows d picks.
func (s *Store) CountRows(ctx context.Context, d decant.RowDeletes) (int64, error) {
	tbl, err := s.table(ctx, s.read, d.Table)
	if err != nil {
		return 0, fmt.Errorf("sqlite: count rows of %s: %w", d.Table, err)
	}
	var total int64
	err = eachKeyChunk(tbl, &d, func(where string, args []any) error {
		var n int64
		err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM "+tbl.ident+where, args...).Scan(&n)
		total += n
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: count rows of %s: %w", d.Table, err)
	}
	return total, nil
}

// LedgerKeys returns up to limit ledger keys of (scope, step) after after,
// in byte order (SQLite's BINARY collation).
func (s *Store) LedgerKeys(ctx context.Context, scope, step, after string, limit int) ([]string, error) {
	keys, err := s.ledgerKeys(ctx, scope, step, "", after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: ledger keys of %s/%s: %w", scope, step, err)
	}
	return keys, nil
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
	err := s.inTx(ctx, func(ctx context.Context, t *sql.Tx) error {
		for _, rt := range resetTables {
			q, args := "DELETE FROM "+rt.name+" WHERE scope = ?", []any{scope}
			switch {
			case step != "" && !rt.perStep:
				continue
			case step != "":
				q, args = q+" AND step = ?", append(args, step)
			}
			if _, err := t.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("%s: %w", rt.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: reset state of %s: %w", scope, err)
	}
	return nil
}
