package sqlite

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/decanthq/decant"
)

// WriteBatch writes everything b holds in the transaction dtx.
//
// Deletes go first, in order, then Tables in the batch's order. For a child table (ReplaceBy),
// the rows of the batch's parents are deleted first. Rows go in with
// multi-row INSERT ... ON CONFLICT (key) DO UPDATE statements; SQLite applies
// the rows of one statement in order, so when a key repeats within the batch
// the last row wins. The ledger, errors, their resolution, the audit row and
// the checkpoint follow.
func (s *Store) WriteBatch(ctx context.Context, dtx decant.Tx, b *decant.Batch) error {
	t, err := s.txOf(dtx)
	if err != nil {
		return err
	}
	if err := s.writeBatch(ctx, t, b); err != nil {
		if transient(err) {
			return fmt.Errorf("sqlite: write batch of %s/%s: %w: %w", b.Scope, b.Step, decant.ErrTransient, err)
		}
		return fmt.Errorf("sqlite: write batch of %s/%s: %w", b.Scope, b.Step, err)
	}
	return nil
}

// transient reports whether err says nothing about the rows: the database
// is busy or locked, out of memory or disk, or the file cannot be read.
func transient(err error) bool {
	var se interface{ Code() int }
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff { // the primary result code
	case sqliteBusy, sqliteLocked, sqliteNoMem, sqliteIOErr, sqliteFull:
		return true
	}
	return false
}

// SQLite's primary result codes (https://www.sqlite.org/rescode.html).
const (
	sqliteBusy   = 5
	sqliteLocked = 6
	sqliteNoMem  = 7
	sqliteIOErr  = 10
	sqliteFull   = 13
)

func (s *Store) writeBatch(ctx context.Context, t *tx, b *decant.Batch) error {
	for i := range b.Deletes {
		if err := s.deleteRows(ctx, t, &b.Deletes[i]); err != nil {
			s.forget(b.Deletes[i].Table)
			return err
		}
	}
	for i := range b.Tables {
		if err := s.writeRows(ctx, t, &b.Tables[i]); err != nil {
			s.forget(b.Tables[i].Table)
			return err
		}
	}
	now := stamp(time.Now())
	if err := writeLedger(ctx, t, b, now); err != nil {
		return err
	}
	if err := writeErrors(ctx, t, b, now); err != nil {
		return err
	}
	if err := resolve(ctx, t, b, now); err != nil {
		return err
	}
	if err := writeUnmapped(ctx, t, b, now); err != nil {
		return err
	}
	if err := writeAudit(ctx, t, b); err != nil {
		return err
	}
	return writeCheckpoint(ctx, t, b, now)
}

func (s *Store) writeRows(ctx context.Context, t *tx, tr *decant.TableRows) error {
	tbl, err := s.table(ctx, t, tr.Table)
	if err != nil {
		return err
	}
	if check(tbl, tr) != nil {
		// The cached description may predate a change to the table.
		s.forget(tr.Table)
		if tbl, err = s.table(ctx, t, tr.Table); err != nil {
			return err
		}
		if err := check(tbl, tr); err != nil {
			return err
		}
	}
	if err := deleteReplaced(ctx, t, tbl, tr); err != nil {
		return err
	}
	in := insert{name: tr.Table, head: fmt.Sprintf("INSERT INTO %s (%s)", tbl.ident, columnList(tr.Columns)), ncols: len(tr.Columns)}
	if len(tr.Key) > 0 {
		in.tail = " ON CONFLICT (" + columnList(tr.Key) + ")" + onConflict(tr.Columns, tr.Key)
	}
	kinds := make([]string, len(tr.Columns))
	for i, c := range tr.Columns {
		kinds[i] = tbl.kind[c]
	}
	return in.run(ctx, t, nil, len(tr.Rows), func(i int, dst []driver.NamedValue) ([]driver.NamedValue, error) {
		for j, v := range tr.Rows[i] {
			dv, err := value(kinds[j], v)
			if err != nil {
				return dst, fmt.Errorf("table %s: row %d: column %s: %w", tr.Table, i+1, tr.Columns[j], err)
			}
			dst = append(dst, driver.NamedValue{Value: dv})
		}
		return dst, nil
	})
}

// check reports columns the batch names that the table lacks.
func check(tbl *table, tr *decant.TableRows) error {
	cols := append(slices.Clone(tr.Columns), tr.Key...)
	if tr.ReplaceBy != "" {
		cols = append(cols, tr.ReplaceBy)
	}
	for _, c := range cols {
		if _, ok := tbl.kind[c]; !ok {
			return fmt.Errorf("table %s: column %s: %w", tr.Table, c, decant.ErrNotFound)
		}
	}
	for i, row := range tr.Rows {
		if len(row) != len(tr.Columns) {
			return fmt.Errorf("table %s: row %d has %d values for %d columns", tr.Table, i+1, len(row), len(tr.Columns))
		}
	}
	return nil
}

// value converts v for a column of kind: times become UTC text that sorts
// as text (a date column gets the value's own date), booleans 0 or 1,
// decimals and JSON text.
func value(kind string, v any) (driver.Value, error) {
	switch v := v.(type) {
	case nil, string, int64, float64:
		return v, nil
	case int:
		return int64(v), nil
	case int32:
		return int64(v), nil
	case bool:
		if v {
			return int64(1), nil
		}
		return int64(0), nil
	case time.Time:
		if kind == decant.KindDate {
			return v.Format(time.DateOnly), nil
		}
		return stamp(v), nil
	case decant.Decimal:
		return string(v), nil
	case decant.JSON:
		return textOrNil(v), nil
	case json.RawMessage:
		return textOrNil(v), nil
	case []byte:
		return textOrNil(v), nil
	}
	return nil, fmt.Errorf("unsupported value type %T", v)
}

// textOrNil binds b as text, or NULL when b is nil. The string shares b's
// bytes: the driver copies them when it binds, and b does not change
// before the statement has run.
func textOrNil(b []byte) driver.Value {
	if b == nil {
		return nil
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// deleteReplaced deletes the rows of a child table whose parent is in the batch.
func deleteReplaced(ctx context.Context, t *tx, tbl *table, tr *decant.TableRows) error {
	if tr.ReplaceBy == "" {
		return nil
	}
	kind := tbl.kind[tr.ReplaceBy]
	for chunk := range slices.Chunk(tr.Parents, maxVars) {
		args := make([]any, len(chunk))
		for i, p := range chunk {
			var err error
			if args[i], err = value(kind, p); err != nil {
				return fmt.Errorf("table %s: parent key %v: %w", tr.Table, p, err)
			}
		}
		sql := fmt.Sprintf("DELETE FROM %s WHERE %s IN (%s)", tbl.ident, quote(tr.ReplaceBy), placeholders(len(chunk)))
		if _, err := t.ExecContext(ctx, sql, args...); err != nil {
			return translate("delete replaced rows of "+tr.Table, err)
		}
	}
	return nil
}

// maxVars is how many values one statement binds at most; SQLite allows 32766.
const maxVars = 32000

// maxRowsPerStatement bounds a multi-row INSERT: past a few hundred rows,
// longer statements are no faster.
const maxRowsPerStatement = 500

// onConflict replaces every non-key column with the incoming value.
func onConflict(columns, key []string) string {
	var set []string
	for _, c := range columns {
		if !slices.Contains(key, c) {
			set = append(set, quote(c)+" = excluded."+quote(c))
		}
	}
	if len(set) == 0 {
		return " DO NOTHING"
	}
	return " DO UPDATE SET " + strings.Join(set, ", ")
}

func columnList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = quote(c)
	}
	return strings.Join(q, ", ")
}

func placeholders(n int) string {
	return strings.Repeat("?, ", n-1) + "?"
}

// translate wraps a driver error of op. SQLite's messages already name the
// table and column at fault ("NOT NULL constraint failed: people.name"); a
// missing table wraps decant.ErrNotFound.
func translate(op string, err error) error {
	if strings.Contains(err.Error(), "no such table") || strings.Contains(err.Error(), "has no column named") {
		return fmt.Errorf("%s: %w (%w)", op, decant.ErrNotFound, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}
