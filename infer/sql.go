package infer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/decanthq/decant"
)

// Dialect is the target database a migration is written for.
type Dialect string

// The dialects infer writes.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// ParseDialect checks a --dialect value.
func ParseDialect(s string) (Dialect, error) {
	switch d := Dialect(s); d {
	case Postgres, SQLite:
		return d, nil
	}
	return "", fmt.Errorf("dialect %q: want postgres or sqlite", s)
}

func (d Dialect) title() string {
	if d == SQLite {
		return "SQLite"
	}
	return "PostgreSQL"
}

// maxColumns is the most columns a table may have: PostgreSQL's fixed
// 1,600, and SQLite's default SQLITE_MAX_COLUMN of 2,000.
func (d Dialect) maxColumns() int {
	if d == SQLite {
		return 2000
	}
	return 1600
}

// SQLType is the column type d declares for t. For SQLite each is a name
// that decant reads back as t's kind (sqlite.KindOf) and whose affinity
// keeps the value as decant writes it: a decimal is "decimal text", whose
// TEXT affinity keeps 12.30 digit for digit where NUMERIC would make it the
// float 12.3.
func (d Dialect) SQLType(t Type) string {
	if d == SQLite {
		switch t {
		case Integer:
			return "integer"
		case Decimal:
			return "decimal text"
		case Date:
			return "date"
		case Timestamp:
			return "timestamp"
		case Boolean:
			return "boolean"
		case JSONType:
			return "json"
		}
		return "text"
	}
	switch t {
	case Integer:
		return "bigint"
	case Decimal:
		return "numeric"
	case Date:
		return "date"
	case Timestamp:
		return "timestamptz"
	case Boolean:
		return "boolean"
	case JSONType:
		return "jsonb"
	}
	return "text"
}

// Migration is the SQL of a migration that creates every table of s
// (parents before their children).
func (s *Schema) Migration(d Dialect) string {
	var b strings.Builder
	b.WriteString(header)
	for _, t := range s.All() {
		createTable(&b, t, d)
	}
	return b.String()
}

const header = "-- Written by decant infer from sample records (docs/infer.md): review it,\n" +
	"-- then apply it with decant migrate (the plan's migrations: directory) or decant db up.\n"

// All is every table of s, each parent before its children.
func (s *Schema) All() []*Table {
	var out []*Table
	var walk func(ts []*Table)
	walk = func(ts []*Table) {
		for _, t := range ts {
			out = append(out, t)
			walk(t.Children)
		}
	}
	walk(s.Tables)
	return out
}

func createTable(b *strings.Builder, t *Table, d Dialect) {
	fmt.Fprintf(b, "\nCREATE TABLE %s (\n", quoteIdent(t.Name))
	for _, c := range t.Columns {
		fmt.Fprintf(b, "    %s %s", quoteIdent(c.Name), d.SQLType(c.Type))
		if !c.Nullable {
			b.WriteString(" NOT NULL")
		}
		b.WriteString(",")
		if d == SQLite {
			// SQLite has no COMMENT ON: the comment stays in the schema
			// text that sqlite_schema keeps.
			fmt.Fprintf(b, " -- %s", lineComment(comment(c)))
		}
		b.WriteString("\n")
	}
	keys := make([]string, len(t.Key))
	for i, k := range t.Key {
		keys[i] = quoteIdent(k)
	}
	fmt.Fprintf(b, "    PRIMARY KEY (%s)\n);\n", strings.Join(keys, ", "))
	if d == Postgres {
		for _, c := range t.Columns {
			commentOn(b, t, c)
		}
	}
}

func commentOn(b *strings.Builder, t *Table, c *Column) {
	fmt.Fprintf(b, "COMMENT ON COLUMN %s.%s IS %s;\n", quoteIdent(t.Name), quoteIdent(c.Name), quoteLiteral(comment(c)))
}

// comment says where a column's values come from, with one of them.
func comment(c *Column) string {
	switch {
	case len(c.Spilled) > 0:
		return "the fields past the column limit, as one JSON object: " + abbreviate(c.Spilled, 5)
	case c.Path == "" && c.Name == "position":
		return "the item's position in its array, from 1"
	case c.Path == "":
		return "the parent record's key"
	case c.Sample == "":
		return fmt.Sprintf("from %s (no value in the samples)", c.Path)
	}
	return fmt.Sprintf("from %s, e.g. %s", c.Path, quoteLiteral(c.Sample))
}

// lineComment makes s safe as the rest of a -- comment: a line break
// would end the comment and let the rest of the value be read as SQL.
func lineComment(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

// quoteLiteral is s as an SQL string literal, which PostgreSQL (with
// standard_conforming_strings, its default) and SQLite read alike; control
// characters become spaces so that a comment stays on one line.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(lineComment(s), "'", "''") + "'"
}

// quoteIdent quotes every name, as decant's stores do: a list of the
// words each dialect reserves would drift (PostgreSQL's left, SQLite's
// nothing), and infer's names (see identifier) need no escaping inside
// the quotes. Quoted, a lower-case name is the same name unquoted.
func quoteIdent(s string) string { return `"` + s + `"` }

// Delta is what a target that has some tables lacks (Schema.Next).
type Delta struct {
	// SQL is the next migration; "" when nothing is new.
	SQL string
	// Reports are the existing columns that do not suit the samples (too
	// narrow, or NOT NULL where some sample has no value): never altered.
	Reports []string
	// Added names what SQL adds: "table pnc", "column tt.place text".
	Added []string
	// PlanNeeds say what the plan must gain to fill what SQL adds: a
	// route for a new table, a map entry or a date layout for a new
	// column. The migration alone leaves them empty, or fails the records.
	PlanNeeds []string
}

// Next is the next migration for a target that has some tables already:
// CREATE TABLE for the tables it lacks, ALTER TABLE ... ADD COLUMN for the
// columns it lacks. A column whose inferred type the existing one cannot
// hold, or a NOT NULL column some sample has no value for, is reported,
// never altered: changing a column is a decision about the data it holds.
func (s *Schema) Next(ctx context.Context, cat decant.Cataloger, d Dialect) (*Delta, error) {
	var b strings.Builder
	out := &Delta{Reports: []string{}, Added: []string{}, PlanNeeds: []string{}}
	for _, t := range s.All() {
		have, err := cat.Columns(ctx, t.Name)
		if errors.Is(err, decant.ErrNotFound) {
			createTable(&b, t, d)
			out.Added = append(out.Added, "table "+t.Name)
			out.PlanNeeds = append(out.PlanNeeds, s.tableNeeds(t))
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read the columns of %s: %w", t.Name, err)
		}
		byName := map[string]decant.Column{}
		for _, c := range have {
			byName[c.Name] = c
		}
		for _, c := range t.Columns {
			old, ok := byName[c.Name]
			if !ok {
				addColumn(&b, t, c, d)
				out.Added = append(out.Added, fmt.Sprintf("column %s.%s %s", t.Name, c.Name, c.Type))
				out.PlanNeeds = append(out.PlanNeeds, s.columnNeeds(t, c)...)
				continue
			}
			if !holds(old.Kind, c.Type) {
				out.Reports = append(out.Reports, fmt.Sprintf("table %s: column %s is %s, but the samples of %q need %s (e.g. %q): not altered; change it in a migration of your own if the data should fit", t.Name, c.Name, old.DBType, c.Path, d.SQLType(c.Type), c.Sample))
			}
			if !old.Nullable && c.Nullable && c.Path != "" {
				out.Reports = append(out.Reports, fmt.Sprintf("table %s: column %s is NOT NULL, but some samples have no value for %q, and such records would fail: not altered; make it nullable in a migration of your own if they should load", t.Name, c.Name, c.Path))
			}
		}
		// A NOT NULL column no sample has a field for fails every record.
		for _, old := range have {
			if !old.Nullable && t.Column(old.Name) == nil {
				out.Reports = append(out.Reports, fmt.Sprintf("table %s: column %s is NOT NULL, but no sample of the table has a field for it, and such records would fail: not altered; make it nullable in a migration of your own if they should load", t.Name, old.Name))
			}
		}
	}
	if b.Len() > 0 {
		out.SQL = header + b.String()
	}
	return out, nil
}

// tableNeeds says what the plan needs for new table t.
func (s *Schema) tableNeeds(t *Table) string {
	switch {
	case s.mapped && t.Field != "":
		return fmt.Sprintf("table %s: the children entry %s needs it in its to.routes (%s: []), unless its route is one table", t.Name, t.Field, t.Name)
	case s.mapped:
		return fmt.Sprintf("table %s: the step's to.routes needs the line %s (a record whose route names no table fails as unknown)", t.Name, strings.TrimSpace(routeLine(t)))
	case t.Field != "":
		return fmt.Sprintf("table %s: the step needs a children entry for the field %q: infer these samples without --from-db (--plan-out another file) and copy its entry", t.Name, t.Field)
	case s.Route != "":
		return fmt.Sprintf("table %s: the step's to.routes needs the line %s (a record whose %s has no route fails as unknown)", t.Name, strings.TrimSpace(routeLine(t)), s.Route)
	}
	return fmt.Sprintf("table %s: no step of the plan writes it: infer these samples without --from-db (--plan-out another file) and copy its step", t.Name)
}

// columnNeeds says what the plan needs for column c new in table t: a
// routed step's fields: record fills it by name, but a map names each
// column; a date without zero padding needs its layout either way.
func (s *Schema) columnNeeds(t *Table, c *Column) []string {
	if c.Path == "" {
		return nil
	}
	var out []string
	routed := s.Route != "" && t.Field == ""
	if !routed && !s.mapped {
		base := "record"
		if t.Field != "" {
			base = "item"
		}
		out = append(out, fmt.Sprintf("table %s: the map needs the line %s: %s", t.Name, yamlKey(c.Name), yamlQuote(fieldExpr(base, c.Field))))
	}
	if len(c.Layouts) > 0 {
		switch {
		case s.mapped || routed:
			out = append(out, fmt.Sprintf("table %s: column %s holds dates decant's defaults do not read: give the step (or the column, in a step that writes one table) layouts: [%s]", t.Name, c.Name, strings.Join(layoutsWithISO(c.Layouts), ", ")))
		default:
			out = append(out, fmt.Sprintf("table %s: column %s holds dates decant's defaults do not read: its columns need %s: {layouts: [%s]}", t.Name, c.Name, yamlKey(c.Name), strings.Join(c.Layouts, ", ")))
		}
	}
	return out
}

// addColumn adds c to an existing table. The column is nullable whatever
// the samples say: the table's rows have no value for it, and NOT NULL
// without a default would refuse them.
func addColumn(b *strings.Builder, t *Table, c *Column, d Dialect) {
	fmt.Fprintf(b, "\nALTER TABLE %s ADD COLUMN %s %s;", quoteIdent(t.Name), quoteIdent(c.Name), d.SQLType(c.Type))
	if d == SQLite {
		fmt.Fprintf(b, " -- %s", lineComment(comment(c)))
	}
	b.WriteString("\n")
	if d == Postgres {
		commentOn(b, t, c)
	}
}

// layoutsWithISO is layouts with iso8601 first, as a step's layouts need
// it: they replace decant's default for every date column of the step.
func layoutsWithISO(layouts []string) []string {
	if slices.Contains(layouts, "iso8601") {
		return append([]string{"iso8601"}, slices.DeleteFunc(slices.Clone(layouts), func(l string) bool { return l == "iso8601" })...)
	}
	return append([]string{"iso8601"}, layouts...)
}
