package infer

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// PlanOptions are what a plan needs beyond the schema: its connections,
// migrations directory and step name.
type PlanOptions struct {
	// Source is the URL of the sample connection, relative to the plan
	// file ("file:samples.jsonl"). Note, when set, is a comment above it.
	Source string
	Note   string
	// Cursor is the source's from.cursor (a feed's); empty for none.
	Cursor string
	// Target is the target connection's URL.
	Target string
	// Migrations is the migrations directory, relative to the plan file.
	Migrations string
	// Step names the one step.
	Step string
}

// Plan writes a decant plan that loads records like the samples into the
// tables of s: one step reading the sample connection; to the one table, or
// routed by the route field to a table per value; every field mapped to its
// column. A routed step maps in map only the columns every table has (decant
// requires each map column of every routed table) and the rest through
// fields: record, whose snake_case entries are exactly the inferred column
// names.
func (s *Schema) Plan(o PlanOptions) string {
	var b strings.Builder
	b.WriteString(`# decant plan written by decant infer from sample records (docs/infer.md).
# As written it loads the sample file itself: point the source connection at
# the real source (a feed, a database, the full export) before a real run.
# Every key is documented in docs/plan.md.
version: 1

connections:
`)
	if o.Note != "" {
		fmt.Fprintf(&b, "  # %s\n", lineComment(o.Note))
	}
	fmt.Fprintf(&b, "  source: %s\n  target: %s\n\n", yamlQuote(o.Source), yamlQuote(o.Target))
	fmt.Fprintf(&b, "# The tables: the migration infer wrote, applied once by decant migrate.\nmigrations: %s\n\n", yamlQuote(o.Migrations))
	b.WriteString("# infer read \"\" as no value, so it is NULL in every column.\nnull_if: [\"\"]\n\nsteps:\n")
	fmt.Fprintf(&b, "  - name: %s\n    from:\n      connection: source\n      key: %s\n", yamlQuote(o.Step), yamlQuote(gjsonEscape(s.Key)))
	if o.Cursor != "" {
		fmt.Fprintf(&b, "      cursor: %s\n", yamlQuote(o.Cursor))
	}
	keyCol := s.Tables[0].Key[0]
	fmt.Fprintf(&b, "    key: %s\n    to:\n", yamlKey(keyCol))
	routed := s.Route != ""
	if !routed {
		fmt.Fprintf(&b, "      table: %s\n", s.Tables[0].Name)
	} else {
		fmt.Fprintf(&b, "      route: %s\n      label: %s\n      routes:\n", yamlQuote(fieldExpr("record", s.Route)), yamlQuote(s.Route))
		for _, t := range s.Tables {
			b.WriteString(routeLine(t))
		}
	}
	if !routed {
		writeMap(&b, "    ", "record", s.Tables[0].Columns, false)
		writeLayouts(&b, "    ", s.Tables[0].Columns)
	} else {
		writeMap(&b, "    ", "record", s.shared(), false)
		if l := s.layouts(); len(l) > 0 {
			b.WriteString("    # Dates decant's default layouts do not read (Wed, 31 Dec 2014 00:00:00 GMT), in\n" +
				"    # every table's date and time columns, ISO 8601 first.\n")
			fmt.Fprintf(&b, "    layouts: [%s]\n", strings.Join(l, ", "))
		}
		b.WriteString("    # Every other field goes to the column of its snake_case name in its table.\n")
		fmt.Fprintf(&b, "    fields: %s\n", yamlQuote(s.routedFields()))
	}
	var children []string
	for _, t := range s.Tables {
		for _, c := range t.Children {
			children = append(children, child(t, c, routed))
		}
	}
	if len(children) > 0 {
		b.WriteString("    children:\n")
		b.WriteString(strings.Join(children, ""))
	}
	return b.String()
}

// shared are the columns of the first table that every table has, but
// for dates that need layouts; the rest of each table's columns are
// filled by fields.
func (s *Schema) shared() []*Column {
	var out []*Column
	for _, c := range s.Tables[0].Columns {
		all := true
		for _, t := range s.Tables {
			if tc := t.Column(c.Name); tc == nil || len(tc.Layouts) > 0 || len(tc.Spilled) > 0 {
				all = false
			}
		}
		if all {
			out = append(out, c)
		}
	}
	return out
}

// layouts are the step-level layouts of a routed step whose tables have
// columns that need some (their columns: would have to suit every table
// the step routes to): iso8601, decant's default, first, then the others
// the columns name; none when no column needs any.
func (s *Schema) layouts() []string {
	var out []string
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			for _, l := range c.Layouts {
				if !slices.Contains(out, l) {
					out = append(out, l)
				}
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	out = slices.DeleteFunc(out, func(l string) bool { return l == "iso8601" })
	sort.Strings(out)
	return append([]string{"iso8601"}, out...)
}

// routedFields is the fields expression of a routed step: every field of
// the record but the arrays its children read (which no column holds, and
// which would otherwise be fields that reach no column), a spill column's
// fields gathered for the tables that have one.
func (s *Schema) routedFields() string {
	expr := "record"
	// In a table without the child, the same field may be a column (an
	// array that was empty in its samples): it is left out only where a
	// child reads it.
	tables := map[string][]string{}
	var arrays []string
	for _, t := range s.Tables {
		for _, c := range t.Children {
			if tables[c.Field] == nil {
				arrays = append(arrays, c.Field)
			}
			tables[c.Field] = append(tables[c.Field], exprString(t.Name))
		}
	}
	if len(arrays) > 0 {
		sort.Strings(arrays)
		keys := make([]string, len(arrays))
		for i, a := range arrays {
			keys[i] = fmt.Sprintf("table in [%s] ? %s : nil", strings.Join(tables[a], ", "), exprString(a))
		}
		expr = fmt.Sprintf("without(record, %s)", strings.Join(keys, ", "))
	}
	// A spill column's fields differ by table: each table with one sets it
	// in its records, and every other table's records are left as they
	// are, since a field of the spill column's name is a column of theirs.
	spilled := ""
	for i := len(s.Tables) - 1; i >= 0; i-- {
		for _, c := range s.Tables[i].Columns {
			if len(c.Spilled) > 0 {
				if spilled == "" {
					spilled = "r"
				}
				spilled = fmt.Sprintf("table == %s ? with(r, %s, %s) : %s", exprString(s.Tables[i].Name), exprString(c.Name), spillExpr("r", c.placed), spilled)
			}
		}
	}
	if spilled != "" {
		expr = fmt.Sprintf("let r = %s; %s", expr, spilled)
	}
	return expr
}

// routeLine is t's line of a routed step's routes: its name, and the
// route values that name it when they differ from it.
func routeLine(t *Table) string {
	var values []string
	for _, v := range append([]string{t.Route}, t.Aliases...) {
		if v != t.Name {
			values = append(values, yamlQuote(v))
		}
	}
	return fmt.Sprintf("        %s: [%s]\n", yamlKey(t.Name), strings.Join(values, ", "))
}

// spillExpr is the value of a spill column: base without the fields that
// have a column or a child table of their own, or nil when nothing is
// left.
func spillExpr(base string, placed []string) string {
	quoted := make([]string, len(placed))
	for i, n := range placed {
		quoted[i] = exprString(n)
	}
	return fmt.Sprintf("(let s = without(%s, %s); len(s) > 0 ? s : nil)", base, strings.Join(quoted, ", "))
}

// child is the plan's entry for child table c of t. In a routed step it
// reads the array only for t's records, since every child entry runs for
// every record.
func child(t, c *Table, routed bool) string {
	var b strings.Builder
	from := fieldExpr("record", c.Field)
	if routed {
		from = fmt.Sprintf("table == %s ? %s : nil", exprString(t.Name), from)
	}
	fmt.Fprintf(&b, "      - name: %s\n        from: %s\n        parent_key: %s\n        to:\n          table: %s\n",
		yamlQuote(c.Name), yamlQuote(from), yamlKey(c.ParentKey), c.Name)
	writeMap(&b, "        ", "item", c.Columns, c.Position)
	writeLayouts(&b, "        ", c.Columns)
	return b.String()
}

func writeMap(b *strings.Builder, indent, base string, cols []*Column, position bool) {
	fmt.Fprintf(b, "%smap:\n", indent)
	for _, c := range cols {
		switch {
		case len(c.Spilled) > 0:
			fmt.Fprintf(b, "%s  %s: %s\n", indent, yamlKey(c.Name), yamlQuote(spillExpr(base, c.placed)))
		case c.Path == "" && c.Name == "position" && position:
			fmt.Fprintf(b, "%s  position: index + 1\n", indent)
		case c.Path == "":
			// the parent key: decant fills parent_key itself
		default:
			fmt.Fprintf(b, "%s  %s: %s\n", indent, yamlKey(c.Name), yamlQuote(fieldExpr(base, c.Field)))
		}
	}
}

// writeLayouts gives the columns whose dates decant's defaults do not
// read (RFC 1123) their layouts.
func writeLayouts(b *strings.Builder, indent string, cols []*Column) {
	first := true
	for _, c := range cols {
		if len(c.Layouts) == 0 {
			continue
		}
		if first {
			fmt.Fprintf(b, "%s# Dates decant's default layouts do not read (Wed, 31 Dec 2014 00:00:00 GMT).\n%scolumns:\n", indent, indent)
			first = false
		}
		fmt.Fprintf(b, "%s  %s: {layouts: [%s]}\n", indent, yamlKey(c.Name), strings.Join(c.Layouts, ", "))
	}
}

var exprIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// exprWords are expr-lang's operators and literals, which a field cannot
// be read as after a dot.
var exprWords = map[string]bool{"and": true, "or": true, "not": true, "in": true, "matches": true,
	"contains": true, "startsWith": true, "endsWith": true, "nil": true, "true": true, "false": true,
	"let": true, "if": true, "else": true}

// fieldExpr reads field name of base: base.name, or base["name"] for a
// name that is no identifier (or an operator of the language).
func fieldExpr(base, name string) string {
	if exprIdent.MatchString(name) && !exprWords[name] {
		return base + "." + name
	}
	return fmt.Sprintf("%s[%s]", base, exprString(name))
}

// exprString is s as an expr-lang string literal.
func exprString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// gjsonEscape makes a field name a GJSON path to that one top-level field:
// from.key is GJSON syntax, where . * ? | # @ and the like mean something.
func gjsonEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`.*?|#@\!=<>%`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

var yamlPlain = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*$`)

// yamlWords are plain scalars YAML reads as something other than a
// string.
var yamlWords = map[string]bool{"true": true, "false": true, "null": true, "yes": true, "no": true,
	"on": true, "off": true, "y": true, "n": true}

// yamlQuote is s as a YAML scalar: plain when it is a simple name, else
// single-quoted (where every character is kept and ' is written twice).
func yamlQuote(s string) string {
	if yamlPlain.MatchString(s) && !yamlWords[strings.ToLower(s)] {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// yamlKey is a column or table name as a YAML key.
func yamlKey(s string) string { return yamlQuote(s) }
