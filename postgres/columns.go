package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
)

// table describes a target table as WriteBatch needs it.
type table struct {
	// ident is the quoted, possibly schema-qualified name.
	ident   string
	columns []decant.Column
	// base is each column's type without modifiers, domains resolved to their
	// base type, for casts.
	base map[string]string
	kind map[string]string
	// uniques lists the column sets (sorted) of the table's unique indexes
	// that ON CONFLICT can use: immediate, without predicate or expressions.
	uniques [][]string
}

// querier is what both the pool and a transaction can do.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Columns describes table's columns in table order. A schema-qualified name
// (schema.table) is looked up in that schema, a bare one on the search_path.
// It returns an error wrapping decant.ErrNotFound when there is no such table.
func (s *Store) Columns(ctx context.Context, name string) ([]decant.Column, error) {
	t, err := describe(ctx, s.pool, name)
	if err != nil {
		return nil, fmt.Errorf("postgres: columns: %w", err)
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

// ident quotes a table name, splitting schema.table at the first dot.
func ident(name string) string {
	if schema, tbl, ok := strings.Cut(name, "."); ok {
		return pgx.Identifier{schema, tbl}.Sanitize()
	}
	return pgx.Identifier{name}.Sanitize()
}

const uniquesSQL = `
SELECT array_agg(a.attname::text ORDER BY a.attname)
FROM pg_index i
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
WHERE i.indrelid = $1 AND i.indisunique AND i.indimmediate AND i.indpred IS NULL AND i.indexprs IS NULL
GROUP BY i.indexrelid`

const describeSQL = `
SELECT a.attname,
       format_type(a.atttypid, a.atttypmod),
       format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, NULL),
       NOT a.attnotnull
FROM pg_attribute a
JOIN pg_type t ON t.oid = a.atttypid
WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`

func describe(ctx context.Context, q querier, name string) (*table, error) {
	id := ident(name)
	var oid *uint32
	if err := q.QueryRow(ctx, "SELECT to_regclass($1)::oid", id).Scan(&oid); err != nil {
		return nil, fmt.Errorf("look up table %s: %w", name, err)
	}
	if oid == nil {
		return nil, fmt.Errorf("table %s: %w", name, decant.ErrNotFound)
	}
	rows, err := q.Query(ctx, describeSQL, *oid)
	if err != nil {
		return nil, fmt.Errorf("describe table %s: %w", name, err)
	}
	t := &table{ident: id, base: map[string]string{}, kind: map[string]string{}}
	for rows.Next() {
		var c decant.Column
		var base string
		if err := rows.Scan(&c.Name, &c.DBType, &base, &c.Nullable); err != nil {
			return nil, fmt.Errorf("describe table %s: %w", name, err)
		}
		c.Kind = kindOf(base)
		t.columns = append(t.columns, c)
		t.base[c.Name] = base
		t.kind[c.Name] = c.Kind
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("describe table %s: %w", name, err)
	}
	rows, err = q.Query(ctx, uniquesSQL, *oid)
	if err != nil {
		return nil, fmt.Errorf("describe table %s: %w", name, err)
	}
	if t.uniques, err = pgx.CollectRows(rows, pgx.RowTo[[]string]); err != nil {
		return nil, fmt.Errorf("describe table %s: %w", name, err)
	}
	return t, nil
}

// hasUnique reports whether a unique index covers exactly the columns key.
func (t *table) hasUnique(key []string) bool {
	k := slices.Sorted(slices.Values(key))
	return slices.ContainsFunc(t.uniques, func(u []string) bool { return slices.Equal(u, k) })
}

// kindOf maps a type name as format_type prints it, without modifiers, to
// its decant kind.
func kindOf(base string) string {
	switch base {
	case "smallint", "integer", "bigint":
		return decant.KindInt
	case "real", "double precision":
		return decant.KindFloat
	case "numeric":
		return decant.KindDecimal
	case "boolean":
		return decant.KindBool
	case "date":
		return decant.KindDate
	case "timestamp without time zone", "timestamp with time zone":
		return decant.KindTimestamp
	case "json", "jsonb":
		return decant.KindJSON
	}
	return decant.KindText
}
