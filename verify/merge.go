package verify

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/decanthq/decant"
)

// RuleKind names what a [Rule] lets differ.
type RuleKind string

// The rule kinds a plan's verify: section can give a column. Each but
// RuleExpr maps to one field of [Options]; RuleExpr asks [Rule.Accept].
const (
	RuleIgnore           RuleKind = "ignore"
	RuleTrim             RuleKind = "trim"
	RuleTolerance        RuleKind = "tolerance"
	RuleNullEqualsEmpty  RuleKind = "null_equals_empty"
	RuleNormalizeUnicode RuleKind = "normalize_unicode"
	RuleExpr             RuleKind = "expr"
)

// Rule is one known difference a plan accepts in a column, with the reason
// it is accepted. A difference that rules alone explain is a change, not a
// diff: it is still reported, apart, with the rule and its reason.
type Rule struct {
	Column string
	Kind   RuleKind
	// Tolerance bounds a RuleTolerance; other kinds ignore it.
	Tolerance Tolerance
	Reason    string
	// Accept decides a RuleExpr: true accepts the difference, false leaves
	// it a diff, and an error stops the merge (it names the table, key and
	// column). It is called only when the values differ, with each side
	// as [ExprValue] reads it, and may be called from several goroutines.
	// Other kinds ignore it.
	Accept func(expected, actual ExprValue) (bool, error) `json:"-"`
}

// ExprValue is one side of a difference as a RuleExpr sees it, under the
// strict rules, so that it is the same whichever store the target is.
type ExprValue struct {
	// Value is the value as a Go value of the column's kind: a string
	// (text, a character(n) column's padding removed), an int64 (int; a
	// float64 beyond int64), a float64 (float, decimal), a bool, a
	// time.Time in UTC (timestamp; a date is its midnight UTC), or a
	// decoded JSON document (numbers as float64). A value that does not
	// fit the kind is passed as the store gave it (the text "12abc" in an
	// int column). Nil for NULL.
	Value any
	// Text is the canonical text findings show ([Canonical]), exact for
	// any decimal; "" for NULL.
	Text string
	Null bool
}

// options returns o with the rule applied.
func (r Rule) options(o Options) Options {
	switch r.Kind {
	case RuleIgnore:
		o.Ignore = true
	case RuleTrim:
		o.Trim = true
	case RuleTolerance:
		o.Tolerance = r.Tolerance
	case RuleNullEqualsEmpty:
		o.NullEqualsEmpty = true
	case RuleNormalizeUnicode:
		o.NormalizeUnicode = true
	}
	return o
}

func (r Rule) check(mapped map[string]bool) error {
	switch r.Kind {
	case RuleIgnore, RuleTrim, RuleNullEqualsEmpty, RuleNormalizeUnicode:
	case RuleTolerance:
		if !r.Tolerance.set() {
			return fmt.Errorf("rule %s on column %q: no bound: give abs or rel greater than zero", r.Kind, r.Column)
		}
	case RuleExpr:
		if r.Accept == nil {
			return fmt.Errorf("rule %s on column %q: no Accept function: set Rule.Accept to the expression's test", r.Kind, r.Column)
		}
	default:
		return fmt.Errorf("rule %q on column %q: %w (known rules: ignore, trim, tolerance, null_equals_empty, normalize_unicode, expr)", r.Kind, r.Column, ErrUnsupported)
	}
	if !mapped[r.Column] {
		return fmt.Errorf("rule %s on column %q: the plan does not map that column: name a mapped column or remove the rule", r.Kind, r.Column)
	}
	if r.Reason == "" {
		return fmt.Errorf("rule %s on column %q: no reason: say why the difference is accepted", r.Kind, r.Column)
	}
	return nil
}

// Table describes what a merge compares: the target table, the columns the
// plan maps into it, and the rules it accepts differences under.
type Table struct {
	Name string
	// Key lists the key columns, as [decant.RowQuery.Key] does.
	Key []string
	// Mapped lists the columns the plan maps, in the order findings list
	// them. Only these are compared.
	Mapped []string
	// Columns describes every column the target table has, by name
	// ([PostgresColumn], [SQLiteColumn]).
	Columns map[string]Column
	// Zone is the plan's timezone ([Options.Zone]).
	Zone  *time.Location
	Rules []Rule
}

// ExpectedRows streams the rows a plan expects, ordered by
// [decant.CompareKeys], rows of equal keys adjacent. A [Sorter] is one.
type ExpectedRows interface {
	Next(ctx context.Context) bool
	Row() KeyedRow
	Err() error
}

// ActualRows streams a target table's rows, ordered by
// [decant.CompareKeys], each row's Values in the order of
// [Merger.Columns]. A [decant.TargetRows] is one.
type ActualRows interface {
	Next(ctx context.Context) bool
	Row() decant.TargetRow
	Err() error
}

// FindingKind is what the comparison of one key found.
type FindingKind string

// The kinds of findings, one per key.
const (
	FindingOK      FindingKind = "ok"
	FindingMissing FindingKind = "missing" // expected, not in the target
	FindingExtra   FindingKind = "extra"   // in the target, not expected
	FindingDiff    FindingKind = "diff"    // a column differs that no rule explains
	FindingChange  FindingKind = "change"  // columns differ, every one as a rule accepts
	// FindingDuplicate is a key present more than once on one side or
	// both. Its rows are not compared: which pair would be meant is
	// unknown.
	FindingDuplicate FindingKind = "duplicate"
)

// Finding is the result for one key.
type Finding struct {
	Kind FindingKind
	Key  []any
	// Columns lists, for a diff or a change, each mapped column whose
	// values differ, in the order of Table.Mapped.
	Columns []ColumnDiff
	// Expected and Actual count the rows of the key on each side: 0 or 1,
	// except for a duplicate.
	Expected, Actual int
}

// ColumnDiff is one column whose expected and actual values differ. The
// values are canonical ([Canonical]) under the strict rules, so that they
// differ exactly where the values do, even when a rule accepts it.
type ColumnDiff struct {
	Column                   string
	Expected, Actual         string
	ExpectedNull, ActualNull bool
	// Rules lists the rules that accept the difference: empty for a
	// diff, one rule when one suffices, else every rule of the column.
	Rules []Rule
}

// Counts sums the findings of a merge by kind. Checked counts keys.
type Counts struct {
	Checked, OK, Missing, Extra, Diffs, Changes, Duplicates int
}

func (c *Counts) add(k FindingKind) {
	c.Checked++
	switch k {
	case FindingOK:
		c.OK++
	case FindingMissing:
		c.Missing++
	case FindingExtra:
		c.Extra++
	case FindingDiff:
		c.Diffs++
	case FindingChange:
		c.Changes++
	case FindingDuplicate:
		c.Duplicates++
	}
}

// Merger compares the expected and actual rows of one table.
type Merger struct {
	t        Table
	cols     []Column
	rules    [][]Rule
	unmapped []string
}

// NewMerger checks t and returns a merger for it. A mapped column the
// target table lacks is an error naming it: the table must be checked, and
// the plan or the table fixed, before verify can say anything of it.
func NewMerger(t Table) (*Merger, error) {
	m := &Merger{t: t}
	mapped := make(map[string]bool, len(t.Mapped))
	for _, name := range t.Mapped {
		col, ok := t.Columns[name]
		if !ok {
			return nil, fmt.Errorf("table %s: column %q is mapped by the plan but the table has no such column: add the column or fix the mapping", t.Name, name)
		}
		if mapped[name] {
			return nil, fmt.Errorf("table %s: column %q is mapped twice", t.Name, name)
		}
		mapped[name] = true
		m.cols = append(m.cols, col)
	}
	m.rules = make([][]Rule, len(t.Mapped))
	for _, r := range t.Rules {
		if err := r.check(mapped); err != nil {
			return nil, fmt.Errorf("table %s: %w", t.Name, err)
		}
		i := slices.Index(t.Mapped, r.Column)
		m.rules[i] = append(m.rules[i], r)
	}
	for name := range t.Columns {
		if !mapped[name] && !slices.Contains(t.Key, name) {
			m.unmapped = append(m.unmapped, name)
		}
	}
	slices.Sort(m.unmapped)
	return m, nil
}

// Columns returns the columns to read from the target, in the order
// [ActualRows] must give their values: [decant.RowQuery.Columns].
func (m *Merger) Columns() []string { return slices.Clone(m.t.Mapped) }

// Unmapped returns, sorted, the target columns the plan does not map and
// that are not key columns: they are not compared, which the caller says
// once.
func (m *Merger) Unmapped() []string { return slices.Clone(m.unmapped) }

// Merge reads both streams to their end and calls fn with one finding per
// key, ok included, in key order. It holds one row of each side at a time.
// It stops at the first error: of a stream, of fn, of a comparison (a Go
// type or column kind the rules do not know, wrapping [ErrUnsupported]),
// or a stream out of key order; the error names the key. The counts are
// those of the findings fn was given.
func (m *Merger) Merge(ctx context.Context, expected ExpectedRows, actual ActualRows, fn func(Finding) error) (Counts, error) {
	var c Counts
	e := &cursor[KeyedRow]{side: "expected", next: expected.Next, row: expected.Row, err: expected.Err,
		keyFn: func(r KeyedRow) []any { return r.Key }}
	a := &cursor[decant.TargetRow]{side: "actual", next: actual.Next, row: actual.Row, err: actual.Err,
		keyFn: func(r decant.TargetRow) []any { return r.Key }}
	for _, s := range []interface{ advance(context.Context) error }{e, a} {
		if err := s.advance(ctx); err != nil {
			return c, err
		}
	}
	for e.ok || a.ok {
		f, err := m.step(ctx, e, a)
		if err != nil {
			return c, err
		}
		c.add(f.Kind)
		if err := fn(f); err != nil {
			return c, err
		}
	}
	return c, nil
}

// step takes every row of the lowest key off the two cursors and returns
// the finding for that key.
func (m *Merger) step(ctx context.Context, e *cursor[KeyedRow], a *cursor[decant.TargetRow]) (Finding, error) {
	cmp := 0
	switch {
	case !a.ok:
		cmp = -1
	case !e.ok:
		cmp = 1
	default:
		cmp = compareKeys(e.key, a.key)
	}
	var f Finding
	var er KeyedRow
	var ar decant.TargetRow
	var err error
	if cmp <= 0 {
		f.Key = e.key
		if er, f.Expected, err = e.take(ctx); err != nil {
			return f, err
		}
	}
	if cmp >= 0 {
		f.Key = a.key
		if ar, f.Actual, err = a.take(ctx); err != nil {
			return f, err
		}
	}
	switch {
	case f.Expected > 1 || f.Actual > 1:
		f.Kind = FindingDuplicate
	case f.Actual == 0:
		f.Kind = FindingMissing
	case f.Expected == 0:
		f.Kind = FindingExtra
	default:
		f.Kind, f.Columns, err = m.compare(er, ar)
		if err != nil {
			return f, fmt.Errorf("table %s: key %s: %w", m.t.Name, formatKey(f.Key), err)
		}
	}
	return f, nil
}

// compare compares the mapped columns of one pair of rows.
func (m *Merger) compare(e KeyedRow, a decant.TargetRow) (FindingKind, []ColumnDiff, error) {
	if len(a.Values) != len(m.t.Mapped) {
		return "", nil, fmt.Errorf("the target row has %d values for %d mapped columns: read the columns Merger.Columns names", len(a.Values), len(m.t.Mapped))
	}
	kind := FindingOK
	var diffs []ColumnDiff
	for i, name := range m.t.Mapped {
		ev, ok := e.Values[name]
		if !ok {
			return "", nil, fmt.Errorf("column %q: the expected row has no value for it: the mapper must give every mapped column", name)
		}
		d, differs, err := m.column(i, ev, a.Values[i])
		if err != nil {
			return "", nil, fmt.Errorf("column %q: %w", name, err)
		}
		if !differs {
			continue
		}
		diffs = append(diffs, d)
		if len(d.Rules) == 0 {
			kind = FindingDiff
		} else if kind == FindingOK {
			kind = FindingChange
		}
	}
	return kind, diffs, nil
}

// column compares one column strictly and, when the values differ, finds
// the rules that accept the difference: one alone if one suffices, else
// all of the column's option rules together. An expression rule judges
// the strict values alone: it does not combine with the others.
func (m *Merger) column(i int, ev, av any) (ColumnDiff, bool, error) {
	col, strict := m.cols[i], Options{Zone: m.t.Zone}
	eq, err := Compare(col, ev, av, strict)
	if err != nil || eq {
		return ColumnDiff{}, false, err
	}
	d := ColumnDiff{Column: m.t.Mapped[i]}
	d.Expected, d.ExpectedNull, _ = Canonical(col, ev, strict) // Compare rendered both already
	d.Actual, d.ActualNull, _ = Canonical(col, av, strict)
	all, options := strict, 0
	for _, r := range m.rules[i] {
		ok, err := r.accepts(col, ev, av, strict)
		if err != nil || ok {
			d.Rules = []Rule{r}
			return d, true, err
		}
		if r.Kind != RuleExpr {
			all, options = r.options(all), options+1
		}
	}
	if options > 1 {
		if eq, err := Compare(col, ev, av, all); err != nil || eq {
			d.Rules = slices.DeleteFunc(slices.Clone(m.rules[i]), func(r Rule) bool { return r.Kind == RuleExpr })
			return d, true, err
		}
	}
	return d, true, nil
}

// accepts reports whether r alone accepts the difference of ev and av.
func (r Rule) accepts(col Column, ev, av any, strict Options) (bool, error) {
	if r.Kind != RuleExpr {
		return Compare(col, ev, av, r.options(strict))
	}
	e, err := exprValue(col, ev, strict)
	if err != nil {
		return false, err
	}
	a, err := exprValue(col, av, strict)
	if err != nil {
		return false, err
	}
	ok, err := r.Accept(e, a)
	if err != nil {
		return false, fmt.Errorf("rule %s: %w", r.Kind, err)
	}
	return ok, nil
}

// exprValue reads v, a value of column col, as an expression rule sees it.
// The Go value is read back from the canonical text, so that a value is
// the same whether PostgreSQL or SQLite held it (SQLite's 1 for true, its
// text for a timestamp).
func exprValue(col Column, v any, o Options) (ExprValue, error) {
	c, err := canonical(col, v, o)
	if err != nil || c.null {
		return ExprValue{Null: c.null}, err
	}
	return ExprValue{Value: typedValue(col, c, v), Text: c.text}, nil
}

// typedValue is the Go value of a canonical value c of column col, or v
// unwrapped when c is not of the column's kind (see [foreign]).
func typedValue(col Column, c value, v any) any {
	switch col.Kind {
	case decant.KindText, "":
		if u, _ := unwrap(v); !isDocument(u) {
			return c.text
		}
	case decant.KindInt, decant.KindDecimal, decant.KindFloat:
		if c.num == nil {
			break
		}
		if n, err := strconv.ParseInt(c.text, 10, 64); err == nil && col.Kind == decant.KindInt {
			return n
		}
		if f, err := strconv.ParseFloat(c.text, 64); err == nil || isRange(err) {
			return f
		}
	case decant.KindBool:
		if b, err := strconv.ParseBool(c.text); err == nil {
			return b
		}
	case decant.KindDate:
		if t, err := time.Parse(time.DateOnly, c.text); err == nil {
			return t
		}
	case decant.KindTimestamp:
		if t, err := time.Parse(time.RFC3339Nano, c.text); err == nil {
			return t
		}
	case decant.KindJSON:
		var doc any
		if json.Unmarshal([]byte(c.text), &doc) == nil {
			return doc
		}
	}
	u, _ := unwrap(v) // canonical unwrapped v already
	return u
}

func isDocument(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

// cursor holds the current row of one side and checks its key order.
type cursor[R any] struct {
	side  string
	next  func(context.Context) bool
	row   func() R
	err   func() error
	keyFn func(R) []any
	ok    bool
	// r is the current row and key its key.
	r   R
	key []any
}

// advance moves to the next row, refusing a key that sorts before the
// current one: merging an unsorted stream would report false findings.
func (c *cursor[R]) advance(ctx context.Context) error {
	prev := c.key
	if c.ok = c.next(ctx); !c.ok {
		if err := c.err(); err != nil {
			return fmt.Errorf("read %s rows: %w", c.side, err)
		}
		return nil
	}
	c.r = c.row()
	c.key = c.keyFn(c.r)
	if prev != nil && compareKeys(prev, c.key) > 0 {
		return fmt.Errorf("read %s rows: key %s comes after key %s: %w", c.side, formatKey(c.key), formatKey(prev), errOrder)
	}
	return nil
}

// compareKeys is decant.CompareKeys, which it calls but for the most
// common key, one bigint on both sides: the merge compares every key two
// or three times, and classifying both keys each time was a tenth of a
// --missing-only verify's CPU.
func compareKeys(a, b []any) int {
	if len(a) == 1 && len(b) == 1 {
		if x, ok := a[0].(int64); ok {
			if y, ok := b[0].(int64); ok {
				return cmp.Compare(x, y) // as decant.CompareKeys compares two integers
			}
		}
	}
	return decant.CompareKeys(a, b)
}

// errOrder says a stream is not in key order.
var errOrder = errors.New("rows out of key order: sort them with decant.CompareKeys")

// take returns the current row and how many rows share its key, and
// leaves the cursor on the next key.
func (c *cursor[R]) take(ctx context.Context) (R, int, error) {
	r, key, n := c.r, c.key, 0
	for c.ok && compareKeys(c.key, key) == 0 {
		n++
		if err := c.advance(ctx); err != nil {
			return r, n, err
		}
	}
	return r, n, nil
}

// formatKey prints a key for messages: (1, "a").
func formatKey(key []any) string {
	parts := make([]string, len(key))
	for i, v := range key {
		if s, ok := v.(string); ok {
			parts[i] = quote(s)
		} else {
			parts[i] = fmt.Sprint(v)
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
