// Package sqlread is the part of decant's relational sources that does not
// depend on the database: the read's options, the keyset query, the
// position, and turning a typed row into a record's document. Each source
// package (mysql, postgres, sqlite) gives a [Dialect], its one place for
// quoting, placeholders, row-value comparison and column types.
package sqlread

import (
	"context"
	"database/sql"
	"strings"
)

// Dialect is what one database spells its own way.
type Dialect struct {
	// Name names the database in messages ("MariaDB/MySQL").
	Name string
	// Quote is the quote character of identifiers: '`' or '"'. A quote
	// inside a name is doubled.
	Quote byte
	// Mark is the placeholder of the n-th parameter, from 1: "?" or "$n".
	Mark func(n int) string
	// RowValues is true when the database compares row values,
	// (a, b) > (x, y); otherwise the comparison is spelled out with OR
	// (Oracle, for one, has no row-value >).
	RowValues bool
	// BackslashEscapes is true when a backslash escapes the next character
	// inside a string literal (MariaDB/MySQL by default).
	BackslashEscapes bool
	// HashComments is true when # starts a comment to the end of the line.
	HashComments bool
	// ZeroDates is true when dates may be zero (0000-00-00), which the
	// zero_dates option then says what to do with.
	ZeroDates bool
	// Limit is the clause that keeps the first n rows; nil is "LIMIT n"
	// (Oracle's would be "FETCH FIRST n ROWS ONLY").
	Limit func(n int) string
	// Kind says how a column of the database's type is read; false when
	// decant cannot read it.
	Kind func(ct *sql.ColumnType) (Kind, bool)
	// AsStored, when not nil, says which columns are selected as +column
	// (an expression, whose value the driver hands over as stored):
	// SQLite's driver turns the text of a column declared DATETIME into a
	// time, and the read needs the text to compare and resume.
	AsStored func(ct *sql.ColumnType) bool
	// Unordered, when not nil, says why a column of ct's type cannot
	// order a keyset read, and what to read instead, as the words after
	// "column c is" ("ENUM, which ..."); "" when it can.
	Unordered func(ct *sql.ColumnType) string
	// DoubleType is the type a CAST to a double-precision float names
	// ("DOUBLE", "double precision"), for the message refusing a
	// single-precision key or cursor.
	DoubleType string
	// BindAlways makes every page's query bind at least one argument.
	// MariaDB/MySQL send the rows of a query without arguments as text
	// and those of a prepared one in binary, and a FLOAT's text has fewer
	// digits than its binary value: without it, a row's values would
	// depend on whether it fell on the first page.
	BindAlways bool
	// JSONColumns, when not nil, names the columns of a table that hold
	// JSON although the driver reports text (MariaDB's JSON is LONGTEXT).
	JSONColumns func(ctx context.Context, db *sql.DB, table string) ([]string, error)
}

// Ident quotes an identifier.
func (d *Dialect) Ident(name string) string {
	q := string(d.Quote)
	return q + strings.ReplaceAll(name, q, q+q) + q
}

// Table quotes a table name, which may be qualified (schema.table): each
// part is quoted on its own.
func (d *Dialect) Table(name string) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = d.Ident(p)
	}
	return strings.Join(parts, ".")
}

// after is the condition that a row's columns (refs, quoted) come after
// the values at marks: a row-value comparison where the database has one,
// else c1 > m1 OR (c1 = m1 AND c2 > m2) ..., each mark used once.
func (d *Dialect) after(refs []string, mark func() string) string {
	return d.compare(refs, ">", ">", mark)
}

// compare is the condition that a row's columns (refs, quoted) compare
// with the values at marks as op says, in key order: ">" (after), ">="
// (at or after) or "<" (before). strict is op without its "=", which
// compares every column but the last when spelled out with OR.
func (d *Dialect) compare(refs []string, op, strict string, mark func() string) string {
	if len(refs) == 1 {
		return refs[0] + " " + op + " " + mark()
	}
	if d.RowValues {
		marks := make([]string, len(refs))
		for i := range refs {
			marks[i] = mark()
		}
		return "(" + strings.Join(refs, ", ") + ") " + op + " (" + strings.Join(marks, ", ") + ")"
	}
	var or []string
	for i := range refs {
		var and []string
		for _, c := range refs[:i] {
			and = append(and, c+" = "+mark())
		}
		last := strict
		if i == len(refs)-1 {
			last = op
		}
		and = append(and, refs[i]+" "+last+" "+mark())
		or = append(or, "("+strings.Join(and, " AND ")+")")
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// afterArgs are the arguments of [Dialect.after] for the values vals, in
// the order its marks take them.
func (d *Dialect) afterArgs(vals []any) []any {
	if len(vals) == 1 || d.RowValues {
		return vals
	}
	var args []any
	for i := range vals {
		args = append(args, vals[:i+1]...)
	}
	return args
}
