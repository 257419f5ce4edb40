package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/decanthq/decant"
)

// table describes a target table as WriteBatch needs it.
type table struct {
	ident   string // the quoted, possibly schema-qualified name
	columns []decant.Column
	kind    map[string]string
}

// querier is what both a database and a transaction can do.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Columns describes table's columns in table order. A qualified name
// (schema.table) is looked up in that attached database. It returns an error
// wrapping decant.ErrNotFound when there is no such table.
func (s *Store) Columns(ctx context.Context, name string) ([]decant.Column, error) {
	t, err := describe(ctx, s.read, name)
	if err != nil {
		return nil, fmt.Errorf("sqlite: columns: %w", err)
	}
	s.tables.Put(name, t)
	return t.columns, nil
}

// table returns the description of name, from the cache when it is there.
func (s *Store) table(ctx context.Context, q querier, name string) (*table, error) {
	return s.tables.Get(name, func() (*table, error) { return describe(ctx, q, name) })
}

// forget drops name's cached description, after a write to it failed: the
// table may have changed since it was read.
func (s *Store) forget(name string) { s.tables.Forget(name) }

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// ident quotes a table name, splitting schema.table at the first dot.
func ident(name string) string {
	if schema, tbl, ok := strings.Cut(name, "."); ok {
		return quote(schema) + "." + quote(tbl)
	}
	return quote(name)
}

func describe(ctx context.Context, q querier, name string) (*table, error) {
	pragma := "PRAGMA table_info(" + quote(name) + ")"
	if schema, tbl, ok := strings.Cut(name, "."); ok {
		pragma = "PRAGMA " + quote(schema) + ".table_info(" + quote(tbl) + ")"
	}
	rows, err := q.QueryContext(ctx, pragma)
	if err != nil {
		return nil, fmt.Errorf("describe table %s: %w", name, err)
	}
	defer rows.Close()
	t := &table{ident: ident(name), kind: map[string]string{}}
	for rows.Next() {
		var cid, notNull, pk int
		var c decant.Column
		var dflt any
		if err := rows.Scan(&cid, &c.Name, &c.DBType, &notNull, &dflt, &pk); err != nil {
			return nil, fmt.Errorf("describe table %s: %w", name, err)
		}
		c.Kind, c.Nullable = kindOf(c.DBType), notNull == 0
		t.columns = append(t.columns, c)
		t.kind[c.Name] = c.Kind
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("describe table %s: %w", name, err)
	}
	if len(t.columns) == 0 {
		return nil, fmt.Errorf("table %s: %w", name, decant.ErrNotFound)
	}
	return t, nil
}

// kindOf maps a declared column type to its decant kind, following SQLite's
// own affinity rules where they apply (a type containing INT is an integer)
// and the conventional names for the kinds SQLite has no type for.
func kindOf(declared string) string {
	t := strings.ToUpper(declared)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(t, s) {
				return true
			}
		}
		return false
	}
	switch {
	case t == "DATE":
		return decant.KindDate
	case has("DATETIME", "TIMESTAMP"):
		return decant.KindTimestamp
	case has("BOOL"):
		return decant.KindBool
	case has("JSON"):
		return decant.KindJSON
	case has("INT"):
		return decant.KindInt
	case has("REAL", "FLOA", "DOUB"):
		return decant.KindFloat
	case has("NUMERIC", "DECIMAL"):
		return decant.KindDecimal
	}
	return decant.KindText
}
