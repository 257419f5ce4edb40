package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/decanthq/decant"
)

var _ decant.TargetReader = (*Store)(nil)

// ReadRows streams q's rows in key order (decant.CompareKeys) with one
// query on the store's read handle; database/sql reads its rows as Next
// asks for them, so memory stays flat, and SQLite reads them all from one
// snapshot. Keys are ordered with COLLATE BINARY, bytewise, whatever the
// column's collation, and by SQLite's order of storage classes (NULL,
// numbers, text, blob), which CompareKeys follows.
//
// Keys come back as stored (int64, float64, string or []byte). Values come
// back by kind as decant.TargetRow describes; a value that does not fit
// its column's kind comes as stored.
func (s *Store) ReadRows(ctx context.Context, q decant.RowQuery) (decant.TargetRows, error) {
	if err := q.Check(); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	t, err := describe(ctx, s.read, q.Table)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read rows: %w", err)
	}
	query, args, kinds, err := rowsQuery(t, q)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read rows of %s: %w", q.Table, err)
	}
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: read rows of %s: %w", q.Table, err)
	}
	return &targetRows{rows: rows, q: q, kinds: kinds}, nil
}

// rowsQuery builds the query of q: the key columns, then q.Columns.
func rowsQuery(t *table, q decant.RowQuery) (string, []any, []string, error) {
	var sel, keys, nullable []string
	for _, k := range q.Key {
		kind, ok := t.kind[k]
		if !ok {
			return "", nil, nil, fmt.Errorf("key column %s: %w", k, decant.ErrNotFound)
		}
		if kind != decant.KindInt && kind != decant.KindText {
			return "", nil, nil, fmt.Errorf("key column %s is of kind %s: decant reads target rows in key order only for int and text keys", k, kind)
		}
		sel = append(sel, quote(k))
		keys = append(keys, quote(k)+" COLLATE BINARY")
		if t.nullable(k) {
			nullable = append(nullable, quote(k)+" IS NULL")
		}
	}
	kinds := make([]string, len(q.Columns))
	for i, c := range q.Columns {
		kind, ok := t.kind[c]
		if !ok {
			return "", nil, nil, fmt.Errorf("column %s: %w", c, decant.ErrNotFound)
		}
		kinds[i] = kind
		sel = append(sel, quote(c))
	}
	where, args := rangeConds(keys, nullable, q)
	if q.Where != "" {
		// The scope is a parameter, never text of the query.
		cond, bind := decant.BindScope(q.Where, "?"+strconv.Itoa(len(args)+1))
		if bind {
			args = append(args, q.Scope)
		}
		cond = "(" + cond + "\n)" // a -- comment in it ends at its line
		if q.WhereParents != nil {
			cond = parentsCond(quote(q.Key[0]), q.WhereParents, cond)
		}
		where = append(where, cond)
	}
	query := "SELECT " + strings.Join(sel, ", ") + " FROM " + t.ident
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	return query + " ORDER BY " + strings.Join(keys, ", "), args, kinds, nil
}

// rangeConds are the conditions and arguments of q's key range, keys being
// the key columns as they are ordered and nullable the IS NULL terms of
// those that may hold NULL.
func rangeConds(keys, nullable []string, q decant.RowQuery) ([]string, []any) {
	var where []string
	var args []any
	for _, b := range []struct {
		op  string
		key []any
	}{{">", q.After}, {"<=", q.Until}} {
		if b.key == nil {
			continue
		}
		marks := make([]string, len(b.key))
		for i, v := range b.key {
			args = append(args, v)
			marks[i] = "?" + strconv.Itoa(len(args))
		}
		cond := lexCompare(keys, marks, b.op)
		// A NULL key compares as unknown. NULL sorts first, so a row with
		// one that a bound's comparison reaches sorts before the bound: it
		// is rightly left out after After, but would drop out silently
		// before Until; keep it in so that the reader reports it.
		if b.op == "<=" && len(nullable) > 0 {
			cond = "(" + strings.Join(append([]string{cond}, nullable...), " OR ") + ")"
		}
		where = append(where, cond)
	}
	return where, args
}

// lexCompare compares the key columns with the bound marks in key order:
// op is ">" (after) or "<=" (until). It spells out the row comparison
// (a, b) > (?1, ?2) as a >= ?1 AND (a > ?1 OR (a = ?1 AND b > ?2)):
// SQLite searches an index for a row value only without COLLATE, and the
// first term lets it search on the first key column.
func lexCompare(keys, marks []string, op string) string {
	strict := op[:1] // > or <
	expr := keys[len(keys)-1] + " " + op + " " + marks[len(keys)-1]
	for i := len(keys) - 2; i >= 0; i-- {
		expr = keys[i] + " " + strict + " " + marks[i] + " OR (" + keys[i] + " = " + marks[i] + " AND " + expr + ")"
		if i > 0 {
			expr = "(" + expr + ")"
		}
	}
	if len(keys) == 1 {
		return expr
	}
	return "(" + keys[0] + " " + strict + "= " + marks[0] + " AND (" + expr + "))"
}

// nullable reports whether col may hold NULL as SQLite declares it. An
// INTEGER PRIMARY KEY cannot, though it is not declared NOT NULL.
func (t *table) nullable(col string) bool {
	for _, c := range t.columns {
		if c.Name == col {
			return c.Nullable
		}
	}
	return true
}

// targetRows reads the rows of a ReadRows query.
type targetRows struct {
	rows  *sql.Rows
	q     decant.RowQuery
	kinds []string
	row   decant.TargetRow
	err   error
}

func (r *targetRows) Next(ctx context.Context) bool {
	if r.err != nil || !r.rows.Next() {
		return false
	}
	n := len(r.q.Key)
	vals := make([]any, n+len(r.q.Columns))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := r.rows.Scan(ptrs...); err != nil {
		r.fail(fmt.Errorf("sqlite: read rows of %s: %w", r.q.Table, err))
		return false
	}
	row := decant.TargetRow{Key: vals[:n:n], Values: vals[n:]}
	for i, v := range row.Key {
		if v == nil {
			r.fail(fmt.Errorf("sqlite: read rows of %s: a row has NULL in key column %s: %w; give it a key or delete it",
				r.q.Table, r.q.Key[i], decant.ErrNullKey))
			return false
		}
	}
	for i, v := range row.Values {
		row.Values[i] = normalize(r.kinds[i], v)
	}
	r.row = row
	return true
}

func (r *targetRows) fail(err error) {
	r.err = err
	r.rows.Close()
}

func (r *targetRows) Row() decant.TargetRow { return r.row }

func (r *targetRows) Err() error {
	if r.err != nil {
		return r.err
	}
	if err := r.rows.Err(); err != nil {
		return fmt.Errorf("sqlite: read rows of %s: %w", r.q.Table, err)
	}
	return nil
}

func (r *targetRows) Close() error { return r.rows.Close() }

// normalize turns a value as stored into its kind's Go type, when it fits.
func normalize(kind string, v any) any {
	switch kind {
	case decant.KindFloat:
		if i, ok := v.(int64); ok {
			return float64(i)
		}
	case decant.KindDecimal:
		return decimal(v)
	case decant.KindBool:
		if i, ok := v.(int64); ok && (i == 0 || i == 1) {
			return i == 1
		}
	case decant.KindDate, decant.KindTimestamp:
		return timeValue(kind, v)
	case decant.KindJSON:
		switch v := v.(type) {
		case string:
			return decant.JSON(v)
		case []byte:
			return decant.JSON(v)
		}
	}
	return v
}

// decimal gives a number or numeric text as a decant.Decimal. SQLite keeps
// a NUMERIC value that looks like a number as an integer or a float, so its
// scale is lost: 1.50 reads as 1.5.
func decimal(v any) any {
	switch v := v.(type) {
	case int64:
		return decant.Decimal(strconv.FormatInt(v, 10))
	case float64:
		return decant.Decimal(strconv.FormatFloat(v, 'f', -1, 64))
	case string:
		if _, err := strconv.ParseFloat(v, 64); err == nil {
			return decant.Decimal(v)
		}
	}
	return v
}

// timeLayouts are the layouts a date or timestamp is read in: decant's own,
// then the common ones. Text without a zone is UTC.
var timeLayouts = []string{TimeLayout, time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", time.DateOnly}

// timeValue reads a date or a timestamp: text in one of timeLayouts, or a
// time the driver parsed already (it does in DATE, DATETIME and TIMESTAMP
// columns). A date is its midnight UTC.
func timeValue(kind string, v any) any {
	var t time.Time
	switch v := v.(type) {
	case time.Time:
		t = v
	case string:
		var ok bool
		if t, ok = parseTime(v); !ok {
			return v
		}
	default:
		return v
	}
	t = t.UTC()
	if kind == decant.KindDate {
		if t != t.Truncate(24*time.Hour) {
			return v // a date with a time of day is not a date: as stored
		}
	}
	return t
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parentsCond is the condition that keeps a child table's rows whose
// parent key column col names a row that cond selects in one of the
// parent tables (RowQuery.WhereParents).
func parentsCond(col string, p *decant.ParentTables, cond string) string {
	in := make([]string, len(p.Tables))
	for i, t := range p.Tables {
		in[i] = col + " IN (SELECT " + quote(p.Column) + " FROM " + ident(t) + " WHERE " + cond + ")"
	}
	return "(" + strings.Join(in, " OR ") + ")"
}
