package transform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"github.com/decanthq/decant"
)

// A record its source reports deleted (decant.Record.Deleted, a CouchDB
// tombstone) holds nothing but its key: it cannot be routed or mapped as
// content. Its rows are found from its key alone, in every table of the
// step, by evaluating the key columns over a document that holds only the
// key, at the step's from.key path. That is only right when the key
// columns use nothing of the record but its key, which KeyFromSourceKey
// checks once, when the plan loads or the mapper is prepared.

// The on_delete actions.
const (
	// OnDeleteDelete deletes the record's rows and their children: the
	// target mirrors the source. It is the default.
	OnDeleteDelete = "delete"
	// OnDeleteIgnore leaves the record's rows as they are.
	OnDeleteIgnore = "ignore"
	// OnDeleteMark sets a column of the record's rows (OnDelete.Mark).
	OnDeleteMark = "mark"
)

// OnDelete is what a step does with a record its source reports deleted.
type OnDelete struct {
	// Action is OnDeleteDelete (also when empty), OnDeleteIgnore or
	// OnDeleteMark.
	Action string
	// Mark is the column OnDeleteMark sets on the record's rows in each
	// of the step's tables: a bool column to true, a timestamp or date
	// column to when the deletion was read.
	Mark string
	// Where is the plan's position of on_delete ("decant.yaml:12:5") for
	// messages; empty when the plan does not set it, and then a step
	// whose key cannot be found from the source key alone still loads,
	// and only its deleted records fail.
	Where string
}

// Is reports whether the step's action is action (an empty Action is
// OnDeleteDelete).
func (o OnDelete) Is(action string) bool {
	if o.Action == "" {
		return action == OnDeleteDelete
	}
	return o.Action == action
}

// KeyFromSourceKey reports, as an error naming the step and saying what
// to do, when spec's key columns cannot be computed from a record's
// source key alone: a key column that fields gives, or whose expression
// (or a let it uses) reads anything of record but the from.key path.
// key, scope, step, table, functions and constants are fine.
func KeyFromSourceKey(spec Spec) error {
	if err := keyFromSourceKey(spec); err != nil {
		return fmt.Errorf("step %s: %w; map the key columns from the source key alone (from.key, or the variable key), or set on_delete: ignore", spec.Step, err)
	}
	return nil
}

func keyFromSourceKey(spec Spec) error {
	path, err := sourceKeyPath(spec.SourceKey)
	if err != nil {
		return err
	}
	lets := map[string]*Program{}
	for _, l := range spec.Let {
		lets[l.Name] = l.Prog
	}
	for _, k := range spec.Key {
		i := slices.IndexFunc(spec.Map, func(n Named) bool { return n.Name == k })
		if i < 0 {
			return fmt.Errorf("key column %s is not in map (fields gives it), so a deleted record's rows cannot be found from its key", k)
		}
		if err := usesKeyOnly(spec.Map[i].Prog, path, lets, map[string]bool{}); err != nil {
			return fmt.Errorf("key column %s = %s %w, so a deleted record's rows cannot be found from its key", k, spec.Map[i].Prog.Source, err)
		}
	}
	return nil
}

// sourceKeyPath splits a from.key GJSON path that names one member chain
// ("id", "meta.id"); a query (wildcards, modifiers, escapes) has no
// document of its own to rebuild.
func sourceKeyPath(p string) ([]string, error) {
	if p == "" {
		return nil, fmt.Errorf("from.key is not set")
	}
	if strings.ContainsAny(p, `*?#|@\!`) {
		return nil, fmt.Errorf("from.key %q is a query, not a plain path", p)
	}
	parts := strings.Split(p, ".")
	if slices.Contains(parts, "") {
		return nil, fmt.Errorf("from.key %q is not a plain path", p)
	}
	return parts, nil
}

// usesKeyOnly reports an error when prog reads record other than through
// its key path, itself or through the lets it names.
func usesKeyOnly(prog *Program, path []string, lets map[string]*Program, seen map[string]bool) error {
	tree, err := parser.Parse(prog.Source)
	if err != nil {
		return err
	}
	var c refCollector
	ast.Walk(&tree.Node, &c)
	keyed := map[*ast.IdentifierNode]bool{}
	for _, m := range c.members {
		p := memberPath(m)
		if len(p) > len(path) && p[0] == "record" && slices.Equal(p[1:len(path)+1], path) {
			keyed[rootIdent(m)] = true
		}
	}
	for _, id := range c.idents {
		switch {
		case id.Value == "record" && !keyed[id]:
			return fmt.Errorf("reads the record beyond its key (from.key: %s)", strings.Join(path, "."))
		case lets[id.Value] != nil && !seen[id.Value]:
			seen[id.Value] = true
			if err := usesKeyOnly(lets[id.Value], path, lets, seen); err != nil {
				return fmt.Errorf("uses let %s, which %w", id.Value, err)
			}
		}
	}
	return nil
}

type refCollector struct {
	idents  []*ast.IdentifierNode
	members []ast.Node
}

func (c *refCollector) Visit(n *ast.Node) {
	switch v := (*n).(type) {
	case *ast.IdentifierNode:
		c.idents = append(c.idents, v)
	case *ast.MemberNode:
		c.members = append(c.members, v)
	}
}

// rootIdent returns the variable a member chain starts from.
func rootIdent(n ast.Node) *ast.IdentifierNode {
	for {
		switch v := n.(type) {
		case *ast.MemberNode:
			n = v.Node
		case *ast.IdentifierNode:
			return v
		default:
			return nil
		}
	}
}

// deletedKey is how MapDeleted finds a deleted record's key columns; it
// is the same for a mapper and its clones.
type deletedKey struct {
	// path is the from.key path; err is why the key columns cannot be
	// computed from it (KeyFromSourceKey), nil when they can.
	path []string
	err  error
}

func newDeletedKey(spec Spec) *deletedKey {
	d := &deletedKey{err: KeyFromSourceKey(spec)}
	if d.err == nil {
		d.path, _ = sourceKeyPath(spec.SourceKey)
	}
	return d
}

// keyDocument is the document a deleted record is mapped from: its key at
// the key path, nothing else.
func keyDocument(path []string, key string) map[string]any {
	var v any = key
	for i := len(path) - 1; i >= 0; i-- {
		v = map[string]any{path[i]: v}
	}
	return v.(map[string]any)
}

// MapDeleted maps a deleted record to the key columns of its rows: one row
// of the key columns per table of the step (the fixed table, or every
// table of the route, since a deleted record has nothing to route by),
// and the parent key its child rows hang from. It fails when the step's
// key is not computable from the source key (see KeyFromSourceKey) or a
// key column fails to compute or coerce, or maps to null.
func (m *Mapper) MapDeleted(rec decant.Record, scope string) (Output, *Failure) {
	if rec.Key == "" {
		return Output{}, &Failure{"deleted record has no key", fmt.Sprintf("%s: the key is missing or empty", rec.Where)}
	}
	if err := m.deleted.err; err != nil {
		return Output{}, &Failure{"cannot find a deleted record's rows", err.Error()}
	}
	e := m.env
	e.Set("record", keyDocument(m.deleted.path, rec.Key))
	e.Set("key", rec.Key)
	e.Set("scope", scope)
	e.Set("step", m.spec.Step)
	e.Set("table", nil) // as for Map's lets: no table is picked yet
	// Lets the key uses compute from the key; the others may fail or give
	// nil on a document without content, and are not used.
	for _, l := range m.spec.Let {
		v, err := e.Eval(l.Prog)
		if err != nil {
			v = nil
		}
		e.Set(l.Name, v)
	}
	var out Output
	for _, table := range m.spec.To.All() {
		e.Set("table", table)
		vals := make([]any, len(m.spec.Key))
		for _, i := range m.keys.order {
			c := m.keys.cols[i]
			v, err := e.Eval(c.Prog)
			if err != nil {
				return Output{}, evalFailure("cannot compute column "+c.Name, fmt.Sprintf("table %s, column %s = %s", table, c.Name, c.Prog.Source), err)
			}
			vals[i] = v
		}
		o, f := m.keyOutput(rec, table, vals)
		if f != nil {
			return Output{}, f
		}
		if out.Rows == nil {
			out.ParentKey = o.ParentKey
		}
		out.Rows = append(out.Rows, o.Rows...)
	}
	return out, nil
}

// checkOnDelete reports a mark column that a table of the step lacks or
// whose type cannot hold a mark, and, when the plan sets on_delete to
// delete or mark, a key not computable from the source key.
func checkOnDelete(spec Spec, tables map[string][]decant.Column) []string {
	od := spec.OnDelete
	var probs []string
	where := ""
	if od.Where != "" {
		where = od.Where + ": "
	}
	if od.Where != "" && !od.Is(OnDeleteIgnore) {
		if err := KeyFromSourceKey(spec); err != nil {
			probs = append(probs, where+err.Error())
		}
	}
	if !od.Is(OnDeleteMark) {
		return probs
	}
	for _, t := range spec.To.All() {
		cols, ok := tables[t]
		if !ok {
			continue // Check reports the table
		}
		i := slices.IndexFunc(cols, func(c decant.Column) bool { return c.Name == od.Mark })
		switch {
		case i < 0:
			probs = append(probs, fmt.Sprintf("%stable %s has no column %s (on_delete: mark): add it, or mark another column", where, t, od.Mark))
		case !slices.Contains([]string{decant.KindBool, decant.KindTimestamp, decant.KindDate}, cols[i].Kind):
			probs = append(probs, fmt.Sprintf("%stable %s: column %s is %s (on_delete: mark sets a bool column to true, or a timestamp or date column to when the deletion was read)", where, t, od.Mark, cols[i].Kind))
		}
	}
	return probs
}

// MarkKind returns the kind of the column on_delete: mark sets in table,
// decant.KindBool, KindTimestamp or KindDate; "" when the step does not
// mark or the table is not one of the step's.
func (m *Mapper) MarkKind(table string) string {
	if !m.spec.OnDelete.Is(OnDeleteMark) {
		return ""
	}
	return m.tables[table].cols[m.spec.OnDelete.Mark].Kind
}

// unmark sets the mark column of a parent row of a step that marks
// deletions (on_delete: mark) back to unmarked: false for a bool column,
// null for a timestamp or date. An upsert writes only the row's columns,
// so without it a record deleted, then written again, would keep its
// mark. A plan that maps the mark column itself keeps its value.
func (m *Mapper) unmark(r *Row) {
	kind := m.MarkKind(r.Table)
	if kind == "" || containsCol(r.Cols, m.spec.OnDelete.Mark) {
		return
	}
	var v any
	if kind == decant.KindBool {
		v = false
	}
	r.Cols = append(r.Cols, m.spec.OnDelete.Mark)
	r.Vals = append(r.Vals, v)
}

// SourceKeyError is KeyFromSourceKey of the mapper's spec, worked out
// once: nil when a deleted record's rows can be found from its key.
func (m *Mapper) SourceKeyError() error { return m.deleted.err }

// OnDelete returns what the step does with deleted records.
func (m *Mapper) OnDelete() OnDelete { return m.spec.OnDelete }
