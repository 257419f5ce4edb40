package infer

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/decanthq/decant/transform"
)

// Mapped is a sample as a plan's step maps it (transform.Evaluate): the
// table its route names and the value of each column it would write, so
// that infer types what the step writes rather than the source record
// (Drishti's form is a JSON string inside the record, flattened by the
// step's fields).
type Mapped struct {
	// Place names the sample in messages, as Sample.Place.
	Place string
	// RouteValue is the route's value; Table the table it names (the
	// route's, for a value the plan routes), or "" for the value's
	// snake_case.
	RouteValue, Table string
	// Values are the columns' values; Paths say where each came from,
	// for the column's comment ("fields ttDose").
	Values map[string]any
	Paths  map[string]string
	// Children are the rows of the step's children entries.
	Children []MappedChild
}

// MappedChild is one child row of a Mapped sample.
type MappedChild struct {
	// Name is the children entry's name; ParentKey its parent_key column.
	Name, ParentKey string
	Mapped
}

// FromEvaluation is a step's evaluation of one sample as infer types it:
// the map's entries by column name, then every fields entry by its
// snake_case name unless the map has that column (as the Mapper fills
// them). Two fields entries that become one column are refused, as from
// raw samples.
func FromEvaluation(ev transform.Evaluation, place string) (Mapped, error) {
	m, err := mappedRow(ev, place)
	if err != nil {
		return m, err
	}
	for _, c := range ev.Children {
		for i, it := range c.Items {
			row, err := mappedRow(it, fmt.Sprintf("%s, children %s[%d]", place, c.Name, i))
			if err != nil {
				return m, err
			}
			// decant sets the parent key itself.
			delete(row.Values, c.ParentKey)
			m.Children = append(m.Children, MappedChild{Name: c.Name, ParentKey: c.ParentKey, Mapped: row})
		}
	}
	return m, nil
}

func mappedRow(ev transform.Evaluation, place string) (Mapped, error) {
	m := Mapped{Place: place, RouteValue: ev.RouteValue, Table: ev.Table, Values: map[string]any{}, Paths: map[string]string{}}
	for _, nv := range ev.Map {
		m.Values[nv.Name], m.Paths[nv.Name] = nv.Value, nv.Source
	}
	names := make([]string, 0, len(ev.Fields))
	for k := range ev.Fields {
		names = append(names, k)
	}
	sort.Strings(names)
	from := map[string]string{}
	for _, k := range names {
		col := Snake(k)
		if _, mapped := m.Paths[col]; mapped && from[col] == "" {
			continue
		}
		if other, ok := from[col]; ok {
			return m, fmt.Errorf("%s: fields %q and %q both become the column %q as snake_case, and decant's fields fill it from the first only: rename one in the source, or drop one in the step's fields expression", place, other, k, col)
		}
		from[col] = k
		m.Values[col], m.Paths[col] = ev.Fields[k], fieldExpr("fields", k)
	}
	return m, nil
}

// Snake is a field's column name: transform.Snake, decant's own rule.
func Snake(s string) string { return transform.Snake(s) }

// InferMapped types the columns of samples a plan's step mapped. key is
// the step's first key column. A table is named by each sample's route;
// a child table by its children entry's route, its rows keyed by their
// parent's key (the entry's parent_key) and the first column named id or
// *_id that every row has and no two rows of one parent share.
//
// types are the types the step's columns (its plan's columns:) give by
// name: they override the samples', since decant coerces to them.
func InferMapped(samples []Mapped, key string, types map[string]Type, o Options) (*Schema, error) {
	s := &Schema{Key: key, Route: "route", mapped: true}
	tables := map[string]*builder{}
	var order []string
	children := map[string]*childBuilder{}
	var childOrder []string
	for i, sample := range samples {
		name, err := mappedTable(sample, false)
		if err != nil {
			return nil, err
		}
		if v := sample.Values[key]; v == nil || v == "" {
			return nil, fmt.Errorf("%s: the step maps no value to its key column %q: every record needs one; fix the sample or the step's map", sample.Place, key)
		}
		b := tables[name]
		if b == nil {
			b = newBuilder(name, "", true)
			b.flat, b.paths = true, map[string]string{}
			b.table.Route = cmpOr(sample.RouteValue, name)
			tables[name] = b
			order = append(order, name)
		} else if v := sample.RouteValue; v != "" && v != b.table.Route && !slices.Contains(b.table.Aliases, v) {
			b.table.Aliases = append(b.table.Aliases, v)
		}
		b.addMapped(sample.Values, sample.Paths, sample.Place)
		for _, c := range sample.Children {
			cname, err := mappedTable(c.Mapped, true)
			if err != nil {
				return nil, err
			}
			cb := children[cname]
			if cb == nil {
				cb = &childBuilder{builder: newBuilder(cname, "", false), parent: name, entry: c.Name, parentKey: c.ParentKey}
				cb.flat, cb.paths = true, map[string]string{}
				children[cname] = cb
				childOrder = append(childOrder, cname)
			}
			cb.addMapped(c.Values, c.Paths, c.Place)
			cb.parents = append(cb.parents, i)
		}
	}
	sort.Strings(order)
	sort.Strings(childOrder)
	byName := map[string]*Table{}
	for _, name := range order {
		t, err := tables[name].build(key, o, &s.Warnings)
		if err != nil {
			return nil, err
		}
		for _, c := range t.Columns {
			if ty, ok := types[c.Name]; ok {
				c.Type, c.Layouts = ty, nil
			}
		}
		s.Tables = append(s.Tables, t)
		byName[name] = t
	}
	for _, name := range childOrder {
		cb := children[name]
		parent := byName[cb.parent]
		ct, err := cb.buildChild(parent, key, o, &s.Warnings)
		if err != nil {
			return nil, err
		}
		parent.Children = append(parent.Children, ct)
	}
	if err := s.finish("change the route of one"); err != nil {
		return nil, err
	}
	return s, nil
}

// mappedTable names a mapped row's table: the route's, else the
// snake_case of the route value, which must then be a table name.
func mappedTable(m Mapped, child bool) (string, error) {
	what := "route"
	if child {
		what = "child route"
	}
	if m.Table != "" {
		return m.Table, nil
	}
	if m.RouteValue == "" {
		return "", fmt.Errorf("%s: the step's %s gave no value: every record needs one to pick its table; fix the sample or the plan", m.Place, what)
	}
	t := Snake(m.RouteValue)
	if !identifier.MatchString(t) || strings.HasPrefix(t, "decant_") {
		return "", fmt.Errorf("%s: %s value %q is not a valid table name (as snake_case %q; a name is lower-case letters, digits and _, not starting with a digit, at most 63 bytes, and not decant_*): fix the value in the sample, or the plan's route", m.Place, what, m.RouteValue, t)
	}
	return t, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// addMapped takes one mapped row, remembering where each column's value
// came from.
func (b *builder) addMapped(values map[string]any, paths map[string]string, place string) {
	for col, p := range paths {
		if _, ok := b.paths[col]; !ok {
			b.paths[col] = p
		}
	}
	b.add(values, place)
}

// childBuilder gathers the rows of one child table of a mapped step.
type childBuilder struct {
	*builder
	parent, entry, parentKey string
	// parents are, for each row, the number of its parent sample.
	parents []int
}

// buildChild makes the child table: its parent key first (typed as the
// parent's key column), then its own key column when one is found, then
// the rest by name.
func (cb *childBuilder) buildChild(parent *Table, key string, o Options, warn *[]string) (*Table, error) {
	ct, err := cb.build("", o, warn)
	if err != nil {
		return nil, err
	}
	ct.Field, ct.ParentKey = cb.entry, cb.parentKey
	pk := &Column{Name: cb.parentKey, Type: Text}
	if k := parent.Column(key); k != nil {
		pk.Type, pk.Sample = k.Type, k.Sample
	}
	own := cb.itemKey(ct)
	cols := []*Column{pk}
	ct.Key = []string{pk.Name}
	if own != nil {
		own.Nullable = false
		cols = append(cols, own)
		ct.Key = append(ct.Key, own.Name)
	} else {
		*warn = append(*warn, fmt.Sprintf("table %s: no column named id or *_id has a value in every row, distinct within a parent: the table's key is its parent key only, so a parent with two rows fails; give the children entry a key (map position: index + 1)", ct.Name))
	}
	ct.Columns = append(cols, without(ct.Columns, own)...)
	if err := cb.limit(o, warn); err != nil {
		return nil, err
	}
	return ct, nil
}

// itemKey is the column that tells a parent's rows apart: the first by
// name of id and the *_id columns that every row has and no two rows of a
// parent share; nil when none does.
func (cb *childBuilder) itemKey(ct *Table) *Column {
	for _, c := range ct.Columns {
		if c.Name != "id" && !strings.HasSuffix(c.Name, "_id") || c.Nullable || c.Type == JSONType {
			continue
		}
		seen := map[string]bool{}
		unique := true
		for i, doc := range cb.docs {
			if i > 0 && cb.parents[i] != cb.parents[i-1] {
				clear(seen)
			}
			v := scalarText(doc[c.Field])
			if seen[v] {
				unique = false
				break
			}
			seen[v] = true
		}
		if unique {
			return c
		}
	}
	return nil
}
