package verify_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/sqlite"
	"github.com/decanthq/decant/verify"
)

// expectedSlice feeds expected rows from a slice.
type expectedSlice struct {
	rows []verify.KeyedRow
	i    int
	err  error // returned once the rows run out
}

func (s *expectedSlice) Next(context.Context) bool {
	s.i++
	return s.i <= len(s.rows)
}
func (s *expectedSlice) Row() verify.KeyedRow { return s.rows[s.i-1] }
func (s *expectedSlice) Err() error           { return s.err }

// actualSlice feeds target rows from a slice.
type actualSlice struct {
	rows []decant.TargetRow
	i    int
}

func (s *actualSlice) Next(context.Context) bool {
	s.i++
	return s.i <= len(s.rows)
}
func (s *actualSlice) Row() decant.TargetRow { return s.rows[s.i-1] }
func (s *actualSlice) Err() error            { return nil }

// table has a key, a text column and a decimal column, and a column the
// plan does not map.
func table(rules ...verify.Rule) verify.Table {
	return verify.Table{
		Name:   "t",
		Key:    []string{"id"},
		Mapped: []string{"id", "name", "amount"},
		Columns: map[string]verify.Column{
			"id":     {Kind: decant.KindInt},
			"name":   {Kind: decant.KindText},
			"amount": {Kind: decant.KindDecimal},
			"extra":  {Kind: decant.KindText},
		},
		Rules: rules,
	}
}

// exp and act build a row of table from its key and values.
func exp(key any, name, amount any) verify.KeyedRow {
	return verify.KeyedRow{Key: keyOf(key), Values: map[string]any{"id": keyOf(key)[0], "name": name, "amount": amount}}
}

func act(key any, name, amount any) decant.TargetRow {
	return decant.TargetRow{Key: keyOf(key), Values: []any{keyOf(key)[0], name, amount}}
}

func keyOf(key any) []any {
	if k, ok := key.([]any); ok {
		return k
	}
	return []any{key}
}

// merge runs a merge and renders each finding that is not ok as a line:
// kind key [column expected actual rules...].
func merge(t *testing.T, tb verify.Table, e []verify.KeyedRow, a []decant.TargetRow) ([]string, verify.Counts, error) {
	t.Helper()
	m, err := verify.NewMerger(tb)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	c, err := m.Merge(context.Background(), &expectedSlice{rows: e}, &actualSlice{rows: a}, func(f verify.Finding) error {
		if f.Kind != verify.FindingOK {
			got = append(got, render(f))
		}
		return nil
	})
	return got, c, err
}

func render(f verify.Finding) string {
	s := fmt.Sprintf("%s %v", f.Kind, f.Key)
	if f.Kind == verify.FindingDuplicate {
		s += fmt.Sprintf(" %d/%d", f.Expected, f.Actual)
	}
	for _, d := range f.Columns {
		s += fmt.Sprintf(" %s=%s/%s", d.Column, show(d.Expected, d.ExpectedNull), show(d.Actual, d.ActualNull))
		for _, r := range d.Rules {
			s += fmt.Sprintf(" %s(%s)", r.Kind, r.Reason)
		}
	}
	return s
}

// show renders a canonical value: NULL, or its text quoted, so that the
// text "NULL" and padding show.
func show(s string, null bool) string {
	if null {
		return "NULL"
	}
	return strconv.Quote(s)
}

func TestMerge(t *testing.T) {
	t.Parallel()
	trim := verify.Rule{Column: "name", Kind: verify.RuleTrim, Reason: "legacy pads names"}
	empty := verify.Rule{Column: "name", Kind: verify.RuleNullEqualsEmpty, Reason: "blank is unknown"}
	cent := verify.Rule{Column: "amount", Kind: verify.RuleTolerance, Tolerance: verify.Tolerance{Abs: 0.01}, Reason: "rounding"}
	cases := []struct {
		name   string
		rules  []verify.Rule
		e      []verify.KeyedRow
		a      []decant.TargetRow
		want   []string
		counts verify.Counts
	}{
		{name: "both empty"},
		{
			name:   "ok",
			e:      []verify.KeyedRow{exp(int64(1), "a", decant.Decimal("1.5"))},
			a:      []decant.TargetRow{act(int64(1), "a", decant.Decimal("1.50"))},
			counts: verify.Counts{Checked: 1, OK: 1},
		},
		{
			name:   "no actual rows",
			e:      []verify.KeyedRow{exp(int64(1), "a", nil), exp(int64(2), "b", nil)},
			want:   []string{"missing [1]", "missing [2]"},
			counts: verify.Counts{Checked: 2, Missing: 2},
		},
		{
			name:   "no expected rows",
			a:      []decant.TargetRow{act(int64(1), "a", nil), act(int64(2), "b", nil)},
			want:   []string{"extra [1]", "extra [2]"},
			counts: verify.Counts{Checked: 2, Extra: 2},
		},
		{
			name: "interleaved",
			e: []verify.KeyedRow{exp(int64(1), "a", nil), exp(int64(3), "c", nil), exp(int64(4), "d", nil),
				exp(int64(7), "g", nil)},
			a: []decant.TargetRow{act(int64(2), "b", nil), act(int64(3), "c", nil), act(int64(4), "D", nil),
				act(int64(5), "e", nil), act(int64(6), "f", nil), act(int64(7), "g", nil), act(int64(8), "h", nil)},
			want:   []string{"missing [1]", "extra [2]", `diff [4] name="d"/"D"`, "extra [5]", "extra [6]", "extra [8]"},
			counts: verify.Counts{Checked: 8, OK: 2, Missing: 1, Extra: 4, Diffs: 1},
		},
		{
			name:   "diff shows canonical values and NULL",
			e:      []verify.KeyedRow{exp(int64(1), "", decant.Decimal("1.5"))},
			a:      []decant.TargetRow{act(int64(1), nil, decant.Decimal("1.60"))},
			want:   []string{`diff [1] name=""/NULL amount="1.5"/"1.6"`},
			counts: verify.Counts{Checked: 1, Diffs: 1},
		},
		{
			name:   "duplicate expected",
			e:      []verify.KeyedRow{exp(int64(1), "a", nil), exp(int64(1), "b", nil), exp(int64(2), "c", nil)},
			a:      []decant.TargetRow{act(int64(1), "a", nil), act(int64(2), "c", nil)},
			want:   []string{"duplicate [1] 2/1"},
			counts: verify.Counts{Checked: 2, OK: 1, Duplicates: 1},
		},
		{
			name:   "duplicate actual, three times, last key",
			e:      []verify.KeyedRow{exp(int64(1), "a", nil), exp(int64(2), "b", nil)},
			a:      []decant.TargetRow{act(int64(1), "a", nil), act(int64(2), "b", nil), act(int64(2), "b", nil), act(int64(2), "x", nil)},
			want:   []string{"duplicate [2] 1/3"},
			counts: verify.Counts{Checked: 2, OK: 1, Duplicates: 1},
		},
		{
			name:   "duplicate on one side only, key missing on the other",
			e:      []verify.KeyedRow{exp(int64(1), "a", nil), exp(int64(1), "a", nil)},
			a:      []decant.TargetRow{act(int64(2), "b", nil), act(int64(2), "b", nil)},
			want:   []string{"duplicate [1] 2/0", "duplicate [2] 0/2"},
			counts: verify.Counts{Checked: 2, Duplicates: 2},
		},
		{
			// Numbers sort before text, an int equals a float of its
			// value, and text sorts bytewise: "B" < "a".
			name: "mixed int and text keys",
			e: []verify.KeyedRow{exp(int64(2), "x", nil), exp(float64(10), "x", nil), exp("10", "x", nil),
				exp("B", "x", nil), exp("a", "x", nil)},
			a: []decant.TargetRow{act(int64(2), "x", nil), act(int64(10), "x", nil), act("1", "x", nil),
				act("B", "x", nil), act("a", "x", nil)},
			want:   []string{`extra [1]`, `missing [10]`},
			counts: verify.Counts{Checked: 6, OK: 4, Missing: 1, Extra: 1},
		},
		{
			name: "composite keys",
			e: []verify.KeyedRow{exp([]any{int64(1), "a"}, "x", nil), exp([]any{int64(1), "b"}, "x", nil),
				exp([]any{int64(2), "a"}, "x", nil)},
			a: []decant.TargetRow{act([]any{int64(1), "b"}, "y", nil), act([]any{int64(2), "a"}, "x", nil),
				act([]any{int64(2), "b"}, "x", nil)},
			want:   []string{"missing [1 a]", `diff [1 b] name="x"/"y"`, "extra [2 b]"},
			counts: verify.Counts{Checked: 4, OK: 1, Missing: 1, Diffs: 1, Extra: 1},
		},
		{
			name:   "change: one rule accepts the difference",
			rules:  []verify.Rule{trim, cent},
			e:      []verify.KeyedRow{exp(int64(1), "a", decant.Decimal("1.5"))},
			a:      []decant.TargetRow{act(int64(1), " a ", decant.Decimal("1.51"))},
			want:   []string{`change [1] name="a"/" a " trim(legacy pads names) amount="1.5"/"1.51" tolerance(rounding)`},
			counts: verify.Counts{Checked: 1, Changes: 1},
		},
		{
			name:   "diff: a rule accepts one column, not the other",
			rules:  []verify.Rule{trim, cent},
			e:      []verify.KeyedRow{exp(int64(1), "a", decant.Decimal("1.5"))},
			a:      []decant.TargetRow{act(int64(1), " a ", decant.Decimal("1.52"))},
			want:   []string{`diff [1] name="a"/" a " trim(legacy pads names) amount="1.5"/"1.52"`},
			counts: verify.Counts{Checked: 1, Diffs: 1},
		},
		{
			name:   "change: the first rule that suffices alone",
			rules:  []verify.Rule{trim, empty},
			e:      []verify.KeyedRow{exp(int64(1), nil, nil)},
			a:      []decant.TargetRow{act(int64(1), "", nil)},
			want:   []string{`change [1] name=NULL/"" null_equals_empty(blank is unknown)`},
			counts: verify.Counts{Checked: 1, Changes: 1},
		},
		{
			name:   "change: only the column's rules together suffice",
			rules:  []verify.Rule{trim, empty},
			e:      []verify.KeyedRow{exp(int64(1), nil, nil)},
			a:      []decant.TargetRow{act(int64(1), "  ", nil)},
			want:   []string{`change [1] name=NULL/"  " trim(legacy pads names) null_equals_empty(blank is unknown)`},
			counts: verify.Counts{Checked: 1, Changes: 1},
		},
		{
			name:   "diff: no rule of the column accepts it",
			rules:  []verify.Rule{trim, empty},
			e:      []verify.KeyedRow{exp(int64(1), "a", nil)},
			a:      []decant.TargetRow{act(int64(1), "b", nil)},
			want:   []string{`diff [1] name="a"/"b"`},
			counts: verify.Counts{Checked: 1, Diffs: 1},
		},
		{
			name:   "ignore",
			rules:  []verify.Rule{{Column: "amount", Kind: verify.RuleIgnore, Reason: "recomputed by the target"}},
			e:      []verify.KeyedRow{exp(int64(1), "a", decant.Decimal("1"))},
			a:      []decant.TargetRow{act(int64(1), "a", decant.Decimal("2"))},
			want:   []string{`change [1] amount="1"/"2" ignore(recomputed by the target)`},
			counts: verify.Counts{Checked: 1, Changes: 1},
		},
		{
			name:   "normalize unicode",
			rules:  []verify.Rule{{Column: "name", Kind: verify.RuleNormalizeUnicode, Reason: "target composes"}},
			e:      []verify.KeyedRow{exp(int64(1), "cafe\u0301", nil), exp(int64(2), "cafe\u0301", nil)},
			a:      []decant.TargetRow{act(int64(1), "caf\u00e9", nil), act(int64(2), "cafe", nil)},
			want:   []string{"change [1] name=\"cafe\u0301\"/\"caf\u00e9\" normalize_unicode(target composes)", "diff [2] name=\"cafe\u0301\"/\"cafe\""},
			counts: verify.Counts{Checked: 2, Changes: 1, Diffs: 1},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, c, err := merge(t, table(tc.rules...), tc.e, tc.a)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings:\n got %q\nwant %q", got, tc.want)
			}
			if c != tc.counts {
				t.Errorf("counts = %+v, want %+v", c, tc.counts)
			}
		})
	}
}

// TestMergeFindingRows checks the row counts and the ok findings, which
// TestMerge does not render.
func TestMergeFindingRows(t *testing.T) {
	t.Parallel()
	m, err := verify.NewMerger(table())
	if err != nil {
		t.Fatal(err)
	}
	var got []verify.Finding
	e := &expectedSlice{rows: []verify.KeyedRow{exp(int64(1), "a", nil), exp(int64(2), "b", nil)}}
	a := &actualSlice{rows: []decant.TargetRow{act(int64(1), "a", nil), act(int64(3), "c", nil)}}
	_, err = m.Merge(context.Background(), e, a, func(f verify.Finding) error {
		got = append(got, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []verify.Finding{
		{Kind: verify.FindingOK, Key: []any{int64(1)}, Expected: 1, Actual: 1},
		{Kind: verify.FindingMissing, Key: []any{int64(2)}, Expected: 1},
		{Kind: verify.FindingExtra, Key: []any{int64(3)}, Actual: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings = %+v, want %+v", got, want)
	}
}

func TestMergeUnmapped(t *testing.T) {
	t.Parallel()
	m, err := verify.NewMerger(table())
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Unmapped(); !slices.Equal(got, []string{"extra"}) {
		t.Errorf("Unmapped() = %q, want [extra]", got)
	}
	if got := m.Columns(); !slices.Equal(got, []string{"id", "name", "amount"}) {
		t.Errorf("Columns() = %q", got)
	}
}

// TestNewMergerErrors checks that a table verify cannot compare is refused
// before any row is read, with a message naming the column.
func TestNewMergerErrors(t *testing.T) {
	t.Parallel()
	missing := table()
	missing.Mapped = append(missing.Mapped, "gone")
	cases := []struct {
		name string
		t    verify.Table
		want string
	}{
		{"mapped column absent from the target", missing, `column "gone" is mapped by the plan but the table has no such column`},
		{"rule on an unmapped column", table(verify.Rule{Column: "extra", Kind: verify.RuleTrim, Reason: "r"}), `rule trim on column "extra": the plan does not map that column`},
		{"unknown rule", table(verify.Rule{Column: "name", Kind: "fuzzy", Reason: "r"}), `rule "fuzzy" on column "name"`},
		{"rule without a reason", table(verify.Rule{Column: "name", Kind: verify.RuleTrim}), `rule trim on column "name": no reason`},
		{"tolerance without a bound", table(verify.Rule{Column: "amount", Kind: verify.RuleTolerance, Reason: "r"}), `rule tolerance on column "amount": no bound`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := verify.NewMerger(tc.t)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("NewMerger: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestMergeErrors checks the errors that stop a merge: each names the key
// or the side it met.
func TestMergeErrors(t *testing.T) {
	t.Parallel()
	type weird struct{}
	fail := errors.New("source went away")
	cases := []struct {
		name   string
		e      *expectedSlice
		a      []decant.TargetRow
		want   string
		is     error
		checks int // findings given to the callback before the error
	}{
		{
			name:   "unsupported value",
			e:      &expectedSlice{rows: []verify.KeyedRow{exp(int64(1), "a", nil), exp(int64(2), weird{}, nil)}},
			a:      []decant.TargetRow{act(int64(1), "a", nil), act(int64(2), "a", nil)},
			want:   `table t: key (2): column "name": expected value:`,
			is:     verify.ErrUnsupported,
			checks: 1,
		},
		{
			name:   "expected rows out of order",
			e:      &expectedSlice{rows: []verify.KeyedRow{exp(int64(2), "a", nil), exp(int64(1), "a", nil)}},
			want:   "read expected rows: key (1) comes after key (2)",
			checks: 0,
		},
		{
			name:   "actual rows out of order",
			e:      &expectedSlice{},
			a:      []decant.TargetRow{act("b", "a", nil), act("a", "a", nil)},
			want:   `read actual rows: key ("a") comes after key ("b")`,
			checks: 0,
		},
		{
			name:   "expected row without a mapped column",
			e:      &expectedSlice{rows: []verify.KeyedRow{{Key: []any{int64(1)}, Values: map[string]any{"id": int64(1), "name": "a"}}}},
			a:      []decant.TargetRow{act(int64(1), "a", nil)},
			want:   `key (1): column "amount": the expected row has no value for it`,
			checks: 0,
		},
		{
			name:   "actual row with too few values",
			e:      &expectedSlice{rows: []verify.KeyedRow{exp(int64(1), "a", nil)}},
			a:      []decant.TargetRow{{Key: []any{int64(1)}, Values: []any{int64(1), "a"}}},
			want:   "key (1): the target row has 2 values for 3 mapped columns",
			checks: 0,
		},
		{
			name:   "source fails",
			e:      &expectedSlice{rows: []verify.KeyedRow{exp(int64(1), "a", nil)}, err: fail},
			a:      []decant.TargetRow{act(int64(1), "a", nil), act(int64(2), "a", nil)},
			want:   "read expected rows: source went away",
			is:     fail,
			checks: 0,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := verify.NewMerger(table())
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			c, err := m.Merge(context.Background(), tc.e, &actualSlice{rows: tc.a}, func(verify.Finding) error {
				n++
				return nil
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Merge: %v, want an error containing %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("Merge: %v, want it to wrap %v", err, tc.is)
			}
			if n != tc.checks || c.Checked != tc.checks {
				t.Errorf("findings before the error: %d, counted %d, want %d", n, c.Checked, tc.checks)
			}
		})
	}
}

// TestMergeCallbackError checks that an error of the callback stops the
// merge and comes back as it was.
func TestMergeCallbackError(t *testing.T) {
	t.Parallel()
	m, err := verify.NewMerger(table())
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	e := &expectedSlice{rows: []verify.KeyedRow{exp(int64(1), "a", nil), exp(int64(2), "b", nil)}}
	_, err = m.Merge(context.Background(), e, &actualSlice{}, func(verify.Finding) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("Merge: %v after %d findings, want stop after 1", err, n)
	}
}

// TestMergeSQLite writes rows with decant's SQLite store, alters some
// behind its back, and checks that merging the expected rows with the rows
// the store's TargetReader reads finds exactly the alterations.
func TestMergeSQLite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, testenv.SQLite(t), sqlite.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	_, err = s.DB().ExecContext(ctx, `CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, note TEXT,
		amount NUMERIC(12,2), born DATE, seen TIMESTAMP, unmapped TEXT)`)
	if err != nil {
		t.Fatal(err)
	}
	mapped := []string{"id", "name", "note", "amount", "born", "seen"}
	var rows [][]any
	var expected []verify.KeyedRow
	for id := int64(1); id <= 20; id++ {
		born := time.Date(1980, 1, int(id), 0, 0, 0, 0, time.UTC)
		seen := time.Date(2024, 3, 1, 16, 0, int(id), 0, time.FixedZone("IST", 19800))
		row := []any{id, fmt.Sprintf("name %d", id), "note", decant.Decimal(fmt.Sprintf("%d.50", id)), born, seen}
		rows = append(rows, row)
		values := map[string]any{}
		for i, c := range mapped {
			values[c] = row[i]
		}
		expected = append(expected, verify.KeyedRow{Key: []any{id}, Values: values})
	}
	// The mapper gives rows in source order; verify sorts them.
	slices.Reverse(expected)
	slices.SortStableFunc(expected, func(a, b verify.KeyedRow) int { return decant.CompareKeys(a.Key, b.Key) })
	write := func() {
		tx, err := s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		b := &decant.Batch{Scope: "s", Step: "people", Tables: []decant.TableRows{
			{Table: "people", Columns: mapped, Key: []string{"id"}, Rows: rows},
		}}
		if err := s.WriteBatch(ctx, tx, b); err != nil {
			tx.Rollback(ctx)
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	write()
	cols, err := s.Columns(ctx, "people")
	if err != nil {
		t.Fatal(err)
	}
	tb := verify.Table{Name: "people", Key: []string{"id"}, Mapped: mapped, Columns: map[string]verify.Column{},
		Rules: []verify.Rule{{Column: "note", Kind: verify.RuleTrim, Reason: "the old system pads notes"}}}
	for _, c := range cols {
		tb.Columns[c.Name] = verify.SQLiteColumn(c)
	}
	m, err := verify.NewMerger(tb)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Unmapped(); !slices.Equal(got, []string{"unmapped"}) {
		t.Errorf("Unmapped() = %q, want [unmapped]", got)
	}
	run := func() ([]string, verify.Counts) {
		t.Helper()
		rs, err := s.ReadRows(ctx, decant.RowQuery{Table: "people", Key: []string{"id"}, Columns: m.Columns()})
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		var got []string
		c, err := m.Merge(ctx, &expectedSlice{rows: expected}, rs, func(f verify.Finding) error {
			if f.Kind != verify.FindingOK {
				got = append(got, render(f))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got, c
	}
	if got, c := run(); len(got) != 0 || c != (verify.Counts{Checked: 20, OK: 20}) {
		t.Fatalf("unaltered table: findings %q, counts %+v, want none and 20 ok", got, c)
	}
	for _, q := range []string{
		`UPDATE people SET unmapped = 'not compared'`,
		`UPDATE people SET amount = 3.75 WHERE id = 3`,
		`DELETE FROM people WHERE id = 5`,
		`INSERT INTO people (id, name, note, amount) VALUES (21, 'intruder', 'note', 1)`,
		`INSERT INTO people (id, name, note, amount) VALUES (0, 'first', 'note', 1)`,
		`UPDATE people SET name = name || ' ' WHERE id = 7`,
		`UPDATE people SET note = ' note ' WHERE id = 9`,
		`UPDATE people SET seen = '2024-03-01 10:30:11' WHERE id = 11`, // the same instant, written as naive UTC text
		`UPDATE people SET born = NULL WHERE id = 13`,
	} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	want := []string{
		"extra [0]",
		`diff [3] amount="3.5"/"3.75"`,
		"missing [5]",
		`diff [7] name="name 7"/"name 7 "`,
		`change [9] note="note"/" note " trim(the old system pads notes)`,
		`diff [13] born="1980-01-13"/NULL`,
		"extra [21]",
	}
	got, c := run()
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n got %q\nwant %q", got, want)
	}
	if want := (verify.Counts{Checked: 22, OK: 15, Missing: 1, Extra: 2, Diffs: 3, Changes: 1}); c != want {
		t.Errorf("counts = %+v, want %+v", c, want)
	}
}

// The real streams plug into a merge as they are.
var (
	_ verify.ExpectedRows = (*verify.Sorter)(nil)
	_ verify.ActualRows   = decant.TargetRows(nil)
)
