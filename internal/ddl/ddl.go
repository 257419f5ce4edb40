// Package ddl reads the tables and columns that SQL scripts create, alter
// and drop, without running them, so that check, preview and a dry run can
// compare a plan with the target that its pending migrations and setup
// files would make. It reads CREATE TABLE, ALTER TABLE (ADD, DROP, RENAME
// and ALTER COLUMN ... TYPE) and DROP TABLE in the forms PostgreSQL and
// SQLite share, and ignores every other statement: what it cannot read it
// leaves to the real run.
package ddl

import (
	"strings"

	"github.com/decanthq/decant"
)

// Table is a table as the scripts leave it.
type Table struct {
	// Name is the name as the scripts spell it (unquoted ones lowercased).
	Name    string
	Columns []decant.Column
	// Exists is false when the table does not exist (before the scripts,
	// or after one dropped it).
	Exists bool
	// CreatedBy names the script that created the table; empty when it
	// existed before.
	CreatedBy string
	// AddedBy names, by column, the script that added or changed it.
	AddedBy map[string]string
}

// Model collects the DDL of scripts, in the order they would run.
type Model struct {
	// Kind maps a declared column type to its decant kind (the target's
	// rules); nil makes every column decant.KindText, which holds anything.
	Kind func(declared string) string
	// DefaultSchema is the schema an unqualified name lives in (public on
	// PostgreSQL, main on SQLite), so that both spellings name one table.
	DefaultSchema string
	// Fold lowercases unquoted names, as PostgreSQL does; SQLite keeps them
	// as spelled.
	Fold bool

	changes []change
}

// change is one action of a statement on one table.
type change struct {
	origin string
	table  string // key
	name   string // as spelled
	op     string // create, drop, rename, add, dropcol, renamecol, retype
	cols   []decant.Column
	col    string // dropcol, renamecol, retype: the column
	to     string // rename: new table key and name; renamecol: new column
	toName string
	ifNot  bool // create: IF NOT EXISTS; add: IF NOT EXISTS
}

// Add reads the DDL of one script; origin names it in Table.CreatedBy and
// AddedBy ("migration 0003_forms.sql").
func (m *Model) Add(origin, text string) {
	for _, st := range statements(text) {
		m.changes = append(m.changes, m.parse(origin, st)...)
	}
}

// Tables returns the names of the tables the scripts touch, each spelled
// as it first appears (unquoted names lowercased when the model folds
// case), to read their columns as they are before the scripts.
func (m *Model) Tables() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range m.changes {
		names := [][2]string{{c.table, c.name}}
		if c.op == "rename" {
			names = append(names, [2]string{c.to, c.toName})
		}
		for _, n := range names {
			if !seen[n[0]] {
				seen[n[0]] = true
				out = append(out, n[1])
			}
		}
	}
	return out
}

// Key is how the model names a table: unquoted parts lowercased, the
// default schema left out. Pass a plan's table name through it to look a
// table up in the map Apply returns.
func (m *Model) Key(name string) string {
	name = strings.ToLower(name)
	if s, t, ok := strings.Cut(name, "."); ok && s == strings.ToLower(m.DefaultSchema) {
		return t
	}
	return name
}

// Apply plays the scripts over the tables as they are (by Key of their
// name; a missing key or a Table with Exists false is a table that does not
// exist yet) and returns every table they touch, by key, as they leave it.
func (m *Model) Apply(before map[string]*Table) map[string]*Table {
	out := map[string]*Table{}
	get := func(key, name string) *Table {
		if t := out[key]; t != nil {
			return t
		}
		t := &Table{Name: name, AddedBy: map[string]string{}}
		if b := before[key]; b != nil && b.Exists {
			t.Exists, t.Columns = true, append([]decant.Column(nil), b.Columns...)
		}
		out[key] = t
		return t
	}
	for _, c := range m.changes {
		t := get(c.table, c.name)
		switch c.op {
		case "create":
			if t.Exists && c.ifNot {
				continue
			}
			*t = Table{Name: c.name, Columns: c.cols, Exists: true, CreatedBy: c.origin, AddedBy: map[string]string{}}
		case "drop":
			*t = Table{Name: c.name, AddedBy: map[string]string{}}
		case "rename":
			moved := *t
			moved.Name = c.toName
			*t = Table{Name: c.name, AddedBy: map[string]string{}}
			nt := get(c.to, c.toName)
			*nt = moved
		case "add":
			for _, col := range c.cols {
				if i := colIndex(t, col.Name); i >= 0 {
					continue // IF NOT EXISTS, or a script that fails there
				}
				t.Columns = append(t.Columns, col)
				t.AddedBy[col.Name] = c.origin
			}
		case "dropcol":
			if i := colIndex(t, c.col); i >= 0 {
				t.Columns = append(t.Columns[:i:i], t.Columns[i+1:]...)
			}
		case "renamecol":
			if i := colIndex(t, c.col); i >= 0 {
				t.Columns[i].Name = c.to
				t.AddedBy[c.to] = c.origin
			}
		case "retype":
			if i := colIndex(t, c.col); i >= 0 && len(c.cols) == 1 {
				t.Columns[i].Kind, t.Columns[i].DBType = c.cols[0].Kind, c.cols[0].DBType
				t.AddedBy[c.col] = c.origin
			}
		}
	}
	return out
}

func colIndex(t *Table, name string) int {
	for i, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}
