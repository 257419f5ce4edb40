package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
	"github.com/decanthq/decant/verify"
)

// A child table has no key of its own: the store replaces a parent's
// child rows as a whole. So a child table is verified per parent key: the
// multiset of child rows the plan expects for the parent against the rows
// the table holds for it (docs/verify.md, "Child tables").

// prepareChildren sets up a sorter per child table; a missing-only verify
// compares keys, and child rows have none, so it lists them as not verified.
func (v *stepVerify) prepareChildren(m *transform.Mapper, r *VerifyStepResult) error {
	for _, c := range m.ChildTables() {
		if v.opts.MissingOnly {
			r.NotVerified = append(r.NotVerified, NotVerified{Table: c.Table,
				Reason: "--missing-only compares keys and child rows have none: run a full verify"})
			continue
		}
		if _, ok := v.cols[c.Table]; !ok {
			return fmt.Errorf("child table %s does not exist in the target: run decant migrate first, or fix the step's children", c.Table)
		}
		v.children = append(v.children, c)
		v.sorters[c.Table] = verify.NewSorter(v.opts.Sort)
		v.skip[c.Table] = map[string]bool{}
	}
	return nil
}

// addChildren adds one record's child rows, keyed by the parent key. Each
// record first adds a marker row (no values) per child table: the sorter
// keeps rows of equal keys in the order they were added, so a later record
// of the same parent starts over from its marker, as the store's replace
// did, and a parent with no children is still compared.
func (v *stepVerify) addChildren(out transform.Output, isErr bool) error {
	if len(v.children) == 0 {
		return nil
	}
	if out.ParentKey == nil {
		return errors.New("the record has no value for its first key column, which its child rows need: map it")
	}
	keys := make(map[string][]any, len(v.children))
	for _, c := range v.children {
		key := v.childKey(c, out.ParentKey)
		keys[c.Table] = key
		if isErr {
			v.skip[c.Table][keyString(key)] = true
			continue
		}
		if err := v.sorters[c.Table].Add(verify.KeyedRow{Key: key}); err != nil {
			return err
		}
	}
	if isErr {
		return nil
	}
	for _, row := range out.Rows {
		if row.ReplaceBy == "" {
			continue
		}
		vals := make(map[string]any, len(row.Cols))
		for i, c := range row.Cols {
			vals[c] = row.Vals[i]
		}
		v.narrow(row.Table, row.Cols)
		if err := v.sorters[row.Table].Add(verify.KeyedRow{Key: keys[row.Table], Values: vals}); err != nil {
			return err
		}
	}
	return nil
}

// childKey is the parent key as the child table's parent key column holds
// it, which the target read returns and orders by: the store writes the
// parent's key there as it is, and the database converts it to the
// column's type, so an integer key is text in a text column ("10"), a
// text key that is an integer is a number in an integer column, and a
// UUID in a PostgreSQL uuid column reads back in lowercase (verify.Form).
// A key the column's kind cannot hold stays as it is.
func (v *stepVerify) childKey(c transform.ChildTable, parent any) []any {
	i := slices.IndexFunc(v.cols[c.Table], func(col decant.Column) bool { return col.Name == c.ParentKey })
	if i < 0 {
		return []any{parent}
	}
	kind := v.cols[c.Table][i].Kind
	if kind != decant.KindText && kind != decant.KindInt {
		return []any{parent}
	}
	k, err := transform.Coercion{Kind: kind, Zone: v.zone}.Apply(c.ParentKey, parent)
	if err != nil || k == nil {
		return []any{parent}
	}
	if col := v.opts.Column(v.cols[c.Table][i]); col.Form != "" {
		// The column holds a value read from the text (a uuid), which the
		// target read spells its way.
		if s, _, err := verify.Canonical(col, k, verify.Options{}); err == nil {
			k = s
		}
	}
	return []any{k}
}

// childGroup is the child rows of one parent key, each rendered
// canonically, sorted.
type childGroup struct {
	key  []any
	rows []string
}

// compareChild merges, parent key by parent key, the expected child rows
// of one table with its target rows.
func (v *stepVerify) compareChild(ctx context.Context, c transform.ChildTable) (VerifyTableResult, error) {
	tr := VerifyTableResult{Table: c.Table}
	described := map[string]verify.Column{}
	for _, col := range v.cols[c.Table] {
		described[col.Name] = v.opts.Column(col)
		if col.Name != c.ParentKey && !slices.Contains(v.mapped[c.Table], col.Name) {
			tr.Unmapped = append(tr.Unmapped, col.Name)
		}
	}
	cols := slices.DeleteFunc(slices.Clone(v.mapped[c.Table]), func(s string) bool { return s == c.ParentKey })
	render := func(val func(i int, col string) any) (string, error) {
		return v.renderChild(described, cols, val)
	}
	reader, err := decant.Require[decant.TargetReader](v.cfg.Store, "read the target rows to verify")
	if err != nil {
		return tr, err
	}
	q := decant.RowQuery{Table: c.Table, Key: []string{c.ParentKey}, Columns: cols}
	if w := v.where(); w != "" {
		// The step's key space (the scope's rows of shared tables) is
		// said of its parent tables; a child row is in it when its parent is.
		q.Where, q.Scope = w, v.cfg.Scope
		q.WhereParents = &decant.ParentTables{Tables: v.parents, Column: v.step.Spec.Key[0]}
	}
	rows, err := reader.ReadRows(ctx, q)
	if errors.Is(err, decant.ErrNotFound) {
		return tr, fmt.Errorf("table %s: %w: run decant migrate first, or fix the step's children", c.Table, err)
	}
	if err != nil {
		return tr, fmt.Errorf("read table %s: %w", c.Table, err)
	}
	defer rows.Close()
	// A marker row (no values) starts a record's rows over: the last
	// record of a parent wins, as in the target.
	sorted := prefetch[verify.KeyedRow](ctx, v.sorters[c.Table])
	defer sorted.stop()
	target := prefetch[decant.TargetRow](ctx, &skipRows{TargetRows: rows, skip: v.skip[c.Table]})
	defer target.stop()
	exp := &childGroups[verify.KeyedRow]{src: sorted,
		key: func(r verify.KeyedRow) []any { return r.Key },
		add: func(g *childGroup, r verify.KeyedRow) error {
			if len(r.Values) == 0 {
				g.rows = g.rows[:0]
				return nil
			}
			return g.render(render, func(_ int, col string) any { return r.Values[col] })
		}}
	act := &childGroups[decant.TargetRow]{src: target,
		key: func(r decant.TargetRow) []any { return r.Key },
		add: func(g *childGroup, r decant.TargetRow) error {
			return g.render(render, func(i int, _ string) any { return r.Values[i] })
		}}
	if err := v.mergeChildren(ctx, c.Table, exp, act, &tr.VerifyCounts); err != nil {
		return tr, fmt.Errorf("table %s: %w", c.Table, err)
	}
	return tr, nil
}

// renderChild renders a child row as `col="value", …` over cols, each
// value canonical for its column; NULL is written bare.
func (v *stepVerify) renderChild(described map[string]verify.Column, cols []string, val func(int, string) any) (string, error) {
	parts := make([]string, len(cols))
	for i, col := range cols {
		s, null, err := verify.Canonical(described[col], val(i, col), verify.Options{Zone: v.zone})
		if err != nil {
			return "", fmt.Errorf("column %s: %w", col, err)
		}
		if !null {
			s = strconv.Quote(s)
		}
		parts[i] = col + "=" + s
	}
	return strings.Join(parts, ", "), nil
}

// mergeChildren walks both streams of groups in parent key order.
func (v *stepVerify) mergeChildren(ctx context.Context, table string, exp *childGroups[verify.KeyedRow], act *childGroups[decant.TargetRow], n *VerifyCounts) error {
	e, eok, err := exp.next(ctx)
	if err != nil {
		return err
	}
	a, aok, err := act.next(ctx)
	if err != nil {
		return err
	}
	for eok || aok {
		var eg, ag childGroup
		switch {
		case !aok || eok && decant.CompareKeys(e.key, a.key) < 0:
			eg, ag = e, childGroup{key: e.key}
		case !eok || decant.CompareKeys(e.key, a.key) > 0:
			eg, ag = childGroup{key: a.key}, a
		default:
			eg, ag = e, a
		}
		if err := v.childFinding(table, eg, ag, n); err != nil {
			return err
		}
		if eok && decant.CompareKeys(e.key, eg.key) == 0 {
			if e, eok, err = exp.next(ctx); err != nil {
				return err
			}
		}
		if aok && decant.CompareKeys(a.key, ag.key) == 0 {
			if a, aok, err = act.next(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// childFinding compares the child rows of one parent key: ok when the
// multisets are equal; else missing when the target has none of them,
// extra when none are expected, diff otherwise. Every row on one side only
// is listed as a column "row" with the other side NULL.
func (v *stepVerify) childFinding(table string, e, a childGroup, n *VerifyCounts) error {
	f := verify.Finding{Key: e.key, Expected: len(e.rows), Actual: len(a.rows)}
	onlyE, onlyA := multisetDiff(e.rows, a.rows)
	for _, r := range onlyE {
		f.Columns = append(f.Columns, verify.ColumnDiff{Column: "row", Expected: r, Actual: "NULL", ActualNull: true})
	}
	for _, r := range onlyA {
		f.Columns = append(f.Columns, verify.ColumnDiff{Column: "row", Expected: "NULL", ExpectedNull: true, Actual: r})
	}
	n.Checked++
	switch {
	case len(f.Columns) == 0:
		n.OK++
		return nil
	case len(a.rows) == 0:
		f.Kind = verify.FindingMissing
		n.Missing++
	case len(e.rows) == 0:
		f.Kind = verify.FindingExtra
		n.Extra++
	default:
		f.Kind = verify.FindingDiff
		n.Diffs++
	}
	if v.opts.Finding == nil {
		return nil
	}
	return v.opts.Finding(v.step.Name, table, f)
}

// multisetDiff returns the rows of sorted e not matched in sorted a, and
// those of a not matched in e.
func multisetDiff(e, a []string) (onlyE, onlyA []string) {
	i, j := 0, 0
	for i < len(e) || j < len(a) {
		switch {
		case j == len(a) || i < len(e) && e[i] < a[j]:
			onlyE = append(onlyE, e[i])
			i++
		case i == len(e) || e[i] > a[j]:
			onlyA = append(onlyA, a[j])
			j++
		default:
			i++
			j++
		}
	}
	return onlyE, onlyA
}

// rowStream is a key-ordered stream of rows: the sorted expected rows or
// a target table's rows.
type rowStream[R any] interface {
	Next(ctx context.Context) bool
	Row() R
	Err() error
}

// childGroups reads a stream of child rows a parent key at a time; add
// puts one row into its group.
type childGroups[R any] struct {
	src     rowStream[R]
	key     func(R) []any
	add     func(*childGroup, R) error
	pending *R
	done    bool
}

// next returns the next parent's group, its rows sorted; false at the end.
func (x *childGroups[R]) next(ctx context.Context) (childGroup, bool, error) {
	var g childGroup
	for {
		if x.pending == nil && !x.done {
			if x.src.Next(ctx) {
				r := x.src.Row()
				x.pending = &r
			} else {
				x.done = true
			}
		}
		if x.pending == nil {
			break
		}
		r := *x.pending
		k := x.key(r)
		if g.key != nil && decant.CompareKeys(k, g.key) != 0 {
			break
		}
		x.pending = nil
		g.key = k
		if err := x.add(&g, r); err != nil {
			return g, false, fmt.Errorf("parent %v: %w", k[0], err)
		}
	}
	if err := x.src.Err(); err != nil {
		return g, false, err
	}
	slices.Sort(g.rows)
	return g, g.key != nil, nil
}

// render adds a row, rendered by render from val, to g.
func (g *childGroup) render(render func(func(int, string) any) (string, error), val func(int, string) any) error {
	s, err := render(val)
	if err != nil {
		return err
	}
	g.rows = append(g.rows, s)
	return nil
}
