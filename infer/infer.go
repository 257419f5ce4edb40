package infer

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/decanthq/decant/transform"
)

// Options say what to infer.
type Options struct {
	// Key is the top-level field that identifies a record: the plan's
	// from.key, and as a snake_case column the tables' primary key.
	Key string
	// Route is the top-level field whose value names each record's table
	// (a form name). Empty: every record goes to Table.
	Route string
	// Table is the one table when there is no Route.
	Table string
	// Dialect is the target database; it bounds the columns of a table.
	Dialect Dialect
	// Spill names a JSON column that holds the fields of a table past the
	// dialect's most columns; empty refuses such a table.
	Spill string
}

// Schema is what infer found: the tables, and what the samples disagreed
// on.
type Schema struct {
	// Key and Route are the fields of Options, as the plan needs them.
	Key   string `json:"-"`
	Route string `json:"-"`
	// Tables are the top-level tables, sorted by name.
	Tables []*Table `json:"tables"`
	// Warnings say what infer decided that the samples did not settle: a
	// field whose samples disagree on its type is widened and named here
	// once.
	Warnings []string `json:"warnings"`
	// mapped says the tables are those of a plan's step (InferMapped):
	// the plan exists, and fills every column by its name.
	mapped bool
}

// Table is one inferred table.
type Table struct {
	Name string `json:"table"`
	// Route is the route value that names the table (empty without
	// --route, and for a child); Aliases are other values that snake_case
	// to the same name and go to it too.
	Route   string   `json:"route"`
	Aliases []string `json:"aliases,omitempty"`
	// Field is the array field of the parent record a child table's rows
	// come from; ParentKey its column holding the parent's key.
	Field     string `json:"field,omitempty"`
	ParentKey string `json:"parent_key,omitempty"`
	// Key is the primary key's columns.
	Key []string `json:"key"`
	// Columns: the key columns first, then the others by name.
	Columns  []*Column `json:"columns"`
	Children []*Table  `json:"children"`
	// Position says a child's key includes the generated column position
	// (the item's place in its array, from 1), because its items carry no
	// key of their own.
	Position bool `json:"position,omitempty"`
	// Records is how many samples (or items) the table was inferred from.
	Records int `json:"records"`
}

// Column is one inferred column.
type Column struct {
	Name string `json:"column"`
	// Path is where the value comes from: "weight", or "items[].sku" for a
	// child's item field; empty for the generated parent key and position.
	Path string `json:"path"`
	// Field is the field's name in its record or item (the last part of
	// Path).
	Field    string `json:"-"`
	Type     Type   `json:"type"`
	Nullable bool   `json:"nullable"`
	// Sample is the first value seen, as text, cut to 40 characters.
	Sample string `json:"sample"`
	// Layouts are the layouts (decant's names) the plan reads a date or
	// timestamp column with when decant's defaults do not read every
	// sample: [rfc1123] for Wed, 31 Dec 2014 00:00:00 GMT, with iso8601
	// after it when other samples are ISO dates.
	Layouts []string `json:"layouts,omitempty"`
	// Spilled are the fields the spill column (Options.Spill) holds, as
	// one JSON object; empty for any other column.
	Spilled []string `json:"spilled,omitempty"`
	// placed are, for the spill column, the fields that are not spilled:
	// the plan fills it with the record without them.
	placed []string
}

// Column returns t's column named name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// identifier is what infer accepts as a table or column name: one that
// both PostgreSQL and SQLite take unquoted and keep as written (PostgreSQL
// cuts names at 63 bytes).
var identifier = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// ValidName reports whether infer takes s as a table or column name as it
// is: lower-case letters, digits and _, not starting with a digit, at most
// 63 bytes.
func ValidName(s string) bool { return identifier.MatchString(s) }

// Infer types the samples' fields and builds the tables. It fails on what
// no table can hold as asked, naming the sample, the field and the fix: a
// record without the key or the route field, a route value or field name
// that is no SQL name after snake_case, two fields that become one column,
// a table with more columns than the dialect allows.
func Infer(samples []Sample, o Options) (*Schema, error) {
	if o.Key == "" {
		return nil, fmt.Errorf("give the key field (--key): the field that identifies a record")
	}
	if o.Spill != "" && !identifier.MatchString(o.Spill) {
		return nil, fmt.Errorf("--spill %q is not a valid SQL column name (lower-case letters, digits and _, not starting with a digit, at most 63 bytes)", o.Spill)
	}
	s := &Schema{Key: o.Key, Route: o.Route}
	byTable := map[string]*builder{}
	var order []string
	for _, sample := range samples {
		if err := checkKey(sample, o.Key); err != nil {
			return nil, err
		}
		name, value, err := tableOf(sample, o)
		if err != nil {
			return nil, err
		}
		b := byTable[name]
		if b == nil {
			b = newBuilder(name, "", true)
			b.table.Route = value
			byTable[name] = b
			order = append(order, name)
		} else if o.Route != "" && value != b.table.Route && !slices.Contains(b.table.Aliases, value) {
			b.table.Aliases = append(b.table.Aliases, value)
		}
		b.add(sample.Doc, sample.Place)
	}
	sort.Strings(order)
	keyCol := transform.Snake(o.Key)
	for _, name := range order {
		t, err := byTable[name].build(keyCol, o, &s.Warnings)
		if err != nil {
			return nil, err
		}
		s.Tables = append(s.Tables, t)
	}
	// A child's name (orders_items) can be a route's table too.
	if err := s.finish("rename the route value or the field in the samples"); err != nil {
		return nil, err
	}
	return s, nil
}

// finish refuses two tables of one name (saying fix), and lists no
// warning as an empty list.
func (s *Schema) finish(fix string) error {
	seen := map[string]*Table{}
	for _, t := range s.All() {
		if o := seen[t.Name]; o != nil {
			return fmt.Errorf("two tables would be named %s: %s, and %s: %s", t.Name, origin(o), origin(t), fix)
		}
		seen[t.Name] = t
	}
	if s.Warnings == nil {
		s.Warnings = []string{}
	}
	return nil
}

// origin says where a table comes from, for messages.
func origin(t *Table) string {
	if t.Field != "" {
		return fmt.Sprintf("the child table of field %q", t.Field)
	}
	if t.Route != "" {
		return fmt.Sprintf("the table of route value %q", t.Route)
	}
	return "the table of the samples"
}

// checkKey refuses a record whose key is missing or empty: decant stores
// such a record as an error, so a plan inferred from it could not load it.
func checkKey(sample Sample, key string) error {
	v, ok := sample.Doc[key]
	if !ok || v == nil || v == "" {
		return fmt.Errorf("%s: the record has no key field %q (--key %s): every record needs one; fix the sample, or name another field with --key%s", sample.Place, key, key, fieldsHint(sample.Doc, key))
	}
	if isCompound(v) {
		return fmt.Errorf("%s: the key field %q holds %s: a key must be a string or a number; name another field with --key", sample.Place, key, jsonKind(v))
	}
	return nil
}

// fieldsHint lists doc's fields for a message about a missing field, and
// the one that differs from want only in case, which field names never
// ignore.
func fieldsHint(doc map[string]any, want string) string {
	names := make([]string, 0, len(doc))
	for k := range doc {
		names = append(names, k)
	}
	sort.Strings(names)
	hint := fmt.Sprintf(" (its fields are %s)", abbreviate(names, 10))
	for _, k := range names {
		if strings.EqualFold(k, want) {
			hint += fmt.Sprintf(": field names match case, so --key %s?", k)
		}
	}
	return hint
}

func isCompound(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

// tableOf names the table of a sample: the snake_case of its route value,
// or the one table.
func tableOf(sample Sample, o Options) (table, value string, err error) {
	if o.Route == "" {
		if !identifier.MatchString(o.Table) {
			return "", "", fmt.Errorf("table name %q is not a valid SQL name (lower-case letters, digits and _, not starting with a digit, at most 63 bytes): give another with --table", o.Table)
		}
		return o.Table, "", nil
	}
	v, ok := sample.Doc[o.Route]
	if !ok || v == nil || v == "" || isCompound(v) {
		return "", "", fmt.Errorf("%s: the record has no route field %q (--route %s), or it is not a string: every record needs one to pick its table; fix the sample, or name another field with --route", sample.Place, o.Route, o.Route)
	}
	value = scalarText(v)
	table = transform.Snake(value)
	if !identifier.MatchString(table) || strings.HasPrefix(table, "decant_") {
		return "", "", fmt.Errorf("%s: route value %q (field %q) is not a valid table name (as snake_case %q; a name is lower-case letters, digits and _, not starting with a digit, at most 63 bytes, and not decant_*): fix the value in the sample, or route by another field", sample.Place, value, o.Route, table)
	}
	return table, value, nil
}

// scalarText is a scalar value as the plan's route and the samples' text
// see it.
func scalarText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return string(v)
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// sampleText is a value as a column comment and --json show it: its text,
// cut to 40 characters so that a long answer does not fill the schema.
func sampleText(v any) string {
	s := scalarText(v)
	if utf8.RuneCountInString(s) > 40 {
		r := []rune(s)
		s = string(r[:40]) + "…"
	}
	return s
}

// SetType gives column of table type t, whatever the samples said: a
// reviewed override (decant infer --as) for a sample that misleads, such
// as a date field whose one sample holds a word. A warning records it.
// Table * is every table that has the column.
func (s *Schema) SetType(table, column string, t Type) error {
	if table == "*" {
		n := 0
		for _, tb := range s.All() {
			if tb.Column(column) == nil {
				continue
			}
			if err := s.SetType(tb.Name, column, t); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return fmt.Errorf("no table has a column %s", column)
		}
		return nil
	}
	var names []string
	for _, tb := range s.All() {
		names = append(names, tb.Name)
		if tb.Name != table {
			continue
		}
		c := tb.Column(column)
		if c == nil {
			cols := make([]string, len(tb.Columns))
			for i, c := range tb.Columns {
				cols[i] = c.Name
			}
			return fmt.Errorf("table %s has no column %s (its columns are %s)", table, column, abbreviate(cols, 10))
		}
		if c.Path == "" || len(c.Spilled) > 0 {
			return fmt.Errorf("column %s.%s is decant's own (a parent key, a position or the spill column): its type is not the samples'", table, column)
		}
		s.Warnings = append(s.Warnings, fmt.Sprintf("table %s: column %s is %s, as --as says (the samples made it %s)", table, column, t, c.Type))
		c.Type = t
		if t != Date && t != Timestamp {
			c.Layouts = nil
		}
		return nil
	}
	sort.Strings(names)
	return fmt.Errorf("no table %s (the tables are %s)", table, abbreviate(names, 10))
}

// Nullable makes every column but the tables' keys nullable: samples that
// answer a field each time (one sample of a form) do not show that a
// real record may leave it out.
func (s *Schema) Nullable() {
	for _, t := range s.All() {
		for _, c := range t.Columns {
			if !slices.Contains(t.Key, c.Name) {
				c.Nullable = true
			}
		}
	}
}

// TypeOfKind is the type infer gives a column of decant kind k (a plan's
// column type); "" for a kind it has no type for.
func TypeOfKind(k string) Type {
	for _, t := range Types {
		if t.Kind() == k {
			return t
		}
	}
	return ""
}
