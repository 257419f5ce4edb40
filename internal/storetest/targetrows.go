package storetest

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
)

func (e *env) targetReader() decant.TargetReader { return role[decant.TargetReader](e) }

// readRows reads every row q selects, failing the test on an error.
func (e *env) readRows(q decant.RowQuery) []decant.TargetRow {
	e.t.Helper()
	rows, err := e.tryReadRows(q)
	if err != nil {
		e.t.Fatalf("ReadRows(%+v): %v", q, err)
	}
	return rows
}

func (e *env) tryReadRows(q decant.RowQuery) ([]decant.TargetRow, error) {
	rows, err := e.targetReader().ReadRows(e.ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []decant.TargetRow
	for rows.Next(e.ctx) {
		out = append(out, rows.Row())
	}
	return out, rows.Err()
}

// trickyText are text keys whose bytewise order differs from most
// collations' order: case, accents, combining marks, digits, punctuation,
// prefixes. PostgreSQL text cannot hold NUL, so "a\x00" is not among them.
var trickyText = []string{"", " ", "a", "A", "b", "B", "aa", "a a", "a-b", "ab", "Ab", "z", "Z", "é", "e\u0301",
	"e", "ä", "ß", "ss", "日本", "日", "~", "1", "10", "9", "-1", "\u00a0", "\U0001F600", "\t", "a\x01"}

// trickyInts are integer keys: negatives, both ends of int64, neighbours
// that a float would round together.
var trickyInts = []int64{0, -1, 1, math.MinInt64, math.MaxInt64, math.MinInt64 + 1, math.MaxInt64 - 1,
	1 << 53, 1<<53 + 1, -(1 << 53) - 1, 10, 9, 100, -100}

// keysOf returns the rows' keys.
func keysOf(rows []decant.TargetRow) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = r.Key
	}
	return out
}

// checkOrder fails unless got is want sorted by decant.CompareKeys.
func checkOrder(t *testing.T, got [][]any, want [][]any) {
	t.Helper()
	want = slices.Clone(want)
	slices.SortFunc(want, decant.CompareKeys)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("keys not in CompareKeys order (-want +got):\n%s", d)
	}
}

func testReadRowsOrder(t *testing.T, e *env) {
	e.exec("CREATE TABLE tt (k {text} PRIMARY KEY, v {text})")
	e.exec("CREATE TABLE ti (k {bigint} PRIMARY KEY, v {text})")
	e.exec("CREATE TABLE tc (a {bigint} NOT NULL, b {text} NOT NULL, v {text}, PRIMARY KEY (a, b))")
	var text, ints, comp [][]any
	for i, s := range trickyText {
		text = append(text, []any{s, fmt.Sprint(i)})
		comp = append(comp, []any{int64(1000 + i%3), s, "v"}, []any{trickyInts[i%len(trickyInts)], s, "w"})
	}
	for _, n := range trickyInts {
		ints = append(ints, []any{n, fmt.Sprint(n)})
	}
	e.write(&decant.Batch{Scope: "s", Step: "t", Tables: []decant.TableRows{
		{Table: "tt", Columns: []string{"k", "v"}, Key: []string{"k"}, Rows: text},
		{Table: "ti", Columns: []string{"k", "v"}, Key: []string{"k"}, Rows: ints},
		{Table: "tc", Columns: []string{"a", "b", "v"}, Key: []string{"a", "b"}, Rows: comp},
	}})
	for _, c := range []struct {
		table string
		key   []string
		rows  [][]any
	}{{"tt", []string{"k"}, text}, {"ti", []string{"k"}, ints}, {"tc", []string{"a", "b"}, comp}} {
		t.Run(c.table, func(t *testing.T) {
			got := e.readRows(decant.RowQuery{Table: c.table, Key: c.key, Columns: []string{"v"}})
			want := make([][]any, len(c.rows))
			for i, r := range c.rows {
				want[i] = r[:len(c.key)]
			}
			checkOrder(t, keysOf(got), want)
			for _, r := range got {
				if len(r.Values) != 1 {
					t.Fatalf("row %v has %d values, want 1", r.Key, len(r.Values))
				}
			}
		})
	}
}

// testReadRowsRanges reads a table in key ranges, each resuming after the
// last key the one before read, as a resumed verify does: together they
// must give every row once, in order.
func testReadRowsRanges(t *testing.T, e *env) {
	e.exec("CREATE TABLE tc (a {bigint} NOT NULL, b {text} NOT NULL, v {text}, PRIMARY KEY (a, b))")
	var rows [][]any
	for _, n := range []int64{-5, 0, 1, 2, math.MaxInt64} {
		for _, s := range []string{"", "a", "B", "é", "aa"} {
			rows = append(rows, []any{n, s, fmt.Sprint(n, s)})
		}
	}
	e.write(&decant.Batch{Scope: "s", Step: "t", Tables: []decant.TableRows{
		{Table: "tc", Columns: []string{"a", "b", "v"}, Key: []string{"a", "b"}, Rows: rows}}})
	q := decant.RowQuery{Table: "tc", Key: []string{"a", "b"}, Columns: []string{"v"}}
	all := e.readRows(q)
	if len(all) != len(rows) {
		t.Fatalf("read %d rows, want %d", len(all), len(rows))
	}
	for _, size := range []int{1, 3, 7} {
		var got []decant.TargetRow
		var after []any
		for i := size - 1; ; i += size {
			q.After, q.Until = after, nil
			if i < len(all) {
				q.Until = all[i].Key
			}
			chunk := e.readRows(q)
			got = append(got, chunk...)
			if q.Until == nil {
				break
			}
			after = chunk[len(chunk)-1].Key
		}
		if d := cmp.Diff(keysOf(all), keysOf(got)); d != "" {
			t.Errorf("ranges of %d rows (-whole table +ranges):\n%s", size, d)
		}
	}
	// A bound need not be a key the table holds.
	q.After, q.Until = []any{int64(0), "b"}, []any{int64(2), ""}
	got := e.readRows(q)
	want := [][]any{{int64(0), "é"}, {int64(1), ""}, {int64(1), "B"}, {int64(1), "a"}, {int64(1), "aa"}, {int64(1), "é"}, {int64(2), ""}}
	if d := cmp.Diff(want, keysOf(got)); d != "" {
		t.Errorf("range (0 b, 2 ''] (-want +got):\n%s", d)
	}
}

func testReadRowsWhere(t *testing.T, e *env) {
	e.exec("CREATE TABLE shared (id {bigint} PRIMARY KEY, scope {text}, v {text})")
	e.write(&decant.Batch{Scope: "s", Step: "t", Tables: []decant.TableRows{{Table: "shared",
		Columns: []string{"id", "scope", "v"}, Key: []string{"id"}, Rows: [][]any{
			{int64(1), "x", "a"}, {int64(2), "y", "b"}, {int64(3), "x", "c"}, {int64(4), "x", "d"}, {int64(5), nil, "e"}}}}})
	got := e.readRows(decant.RowQuery{Table: "shared", Key: []string{"id"}, Columns: []string{"v"},
		Where: "scope = 'x' OR v = 'e'", After: []any{int64(1)}})
	want := []decant.TargetRow{{Key: []any{int64(3)}, Values: []any{"c"}}, {Key: []any{int64(4)}, Values: []any{"d"}},
		{Key: []any{int64(5)}, Values: []any{"e"}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Where with After (-want +got):\n%s", d)
	}
	// ${scope} is a parameter bound to the scope, after the range's own
	// parameters, bare or quoted; a scope that tries to widen the
	// condition is compared as text and matches nothing.
	for _, c := range []struct {
		where, scope string
		want         []any
	}{
		{"scope = ${scope}", "x", []any{int64(3), int64(4)}},
		{"scope = '${scope}' OR v = 'e'", "y", []any{int64(2), int64(5)}},
		{"scope = ${scope}", "x' OR '1'='1", nil},
		{"scope = '${scope}'", "x' OR '1'='1", nil},
		{"scope = ${scope}", "x OR 1=1", nil},
		// Inside a literal with other text, the scope is concatenated.
		{"scope LIKE '${scope}%' -- the scope's ${scope}", "x", []any{int64(3), int64(4)}},
		{"v || scope = 'c${scope}'", "x", []any{int64(3)}},
	} {
		got := e.readRows(decant.RowQuery{Table: "shared", Key: []string{"id"}, Columns: []string{"v"},
			Where: c.where, Scope: c.scope, After: []any{int64(1)}, Until: []any{int64(5)}})
		var keys []any
		for _, r := range got {
			keys = append(keys, r.Key[0])
		}
		if d := cmp.Diff(c.want, keys); d != "" {
			t.Errorf("Where %q with scope %q (-want +got):\n%s", c.where, c.scope, d)
		}
	}
}

// testReadRowsWhereParents reads a child table's rows of one scope: the
// Where selects parent rows, in either of two parent tables, and a child
// row is kept when its parent key names one of them.
func testReadRowsWhereParents(t *testing.T, e *env) {
	e.exec("CREATE TABLE forms (id {text} PRIMARY KEY, domain {text})")
	e.exec("CREATE TABLE cases (id {text} PRIMARY KEY, domain {text})")
	e.exec("CREATE TABLE actions (case_id {text}, n {bigint})")
	e.write(&decant.Batch{Scope: "s", Step: "t", Tables: []decant.TableRows{
		{Table: "forms", Columns: []string{"id", "domain"}, Key: []string{"id"}, Rows: [][]any{{"f1", "a"}, {"f2", "b"}}},
		{Table: "cases", Columns: []string{"id", "domain"}, Key: []string{"id"}, Rows: [][]any{{"c1", "a"}, {"c2", "b"}, {"c3", "a"}}},
		{Table: "actions", Columns: []string{"case_id", "n"}, Rows: [][]any{
			{"c1", int64(1)}, {"c1", int64(2)}, {"c2", int64(3)}, {"c3", int64(4)}, {"f1", int64(5)}, {"f2", int64(6)}, {"zz", int64(7)}}},
	}})
	for _, c := range []struct {
		scope string
		want  []any
	}{
		{"a", []any{int64(1), int64(2), int64(4), int64(5)}},
		{"b", []any{int64(3), int64(6)}},
		{"x' OR '1'='1", nil},
	} {
		got := e.readRows(decant.RowQuery{Table: "actions", Key: []string{"case_id"}, Columns: []string{"n"},
			Where: "domain = ${scope} -- the scope's rows", Scope: c.scope,
			WhereParents: &decant.ParentTables{Tables: []string{"forms", "cases"}, Column: "id"}})
		var ns []any
		for _, r := range got {
			ns = append(ns, r.Values[0])
		}
		slices.SortFunc(ns, func(x, y any) int { return int(x.(int64) - y.(int64)) })
		if d := cmp.Diff(c.want, ns); d != "" {
			t.Errorf("actions of scope %q (-want +got):\n%s", c.scope, d)
		}
	}
}

func testReadRowsNotFound(t *testing.T, e *env) {
	e.exec("CREATE TABLE people (id {bigint} PRIMARY KEY, name {text}, born {date})")
	for _, c := range []struct {
		q    decant.RowQuery
		want error
		name string
	}{
		{decant.RowQuery{Table: "no_such_table", Key: []string{"id"}}, decant.ErrNotFound, "no_such_table"},
		{decant.RowQuery{Table: "people", Key: []string{"id"}, Columns: []string{"name", "nope"}}, decant.ErrNotFound, "nope"},
		{decant.RowQuery{Table: "people", Key: []string{"nokey"}}, decant.ErrNotFound, "nokey"},
		{decant.RowQuery{Table: "people", Key: []string{"born"}}, nil, "born"},
		{decant.RowQuery{Table: "people"}, nil, "no key columns"},
		{decant.RowQuery{Table: "people", Key: []string{"id"}, After: []any{int64(1), "x"}}, nil, "After has 2 values for 1 key"},
		{decant.RowQuery{Table: "people", Key: []string{"id"}, Until: []any{nil}}, nil, "Until: key column id is nil"},
	} {
		_, err := e.tryReadRows(c.q)
		if err == nil || !strings.Contains(err.Error(), c.name) || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("ReadRows(%+v) = %v, want an error naming %q (wrapping %v)", c.q, err, c.name, c.want)
		}
	}
}

// testReadRowsNullKey checks that a row with a NULL key stops the read
// with ErrNullKey instead of being dropped, also when a verify reads the
// table in two ranges split at a bound next to the NULL: where the row
// sorts depends on the database (SQLite puts NULL first, PostgreSQL last),
// but one of the two ranges must meet it.
func testReadRowsNullKey(t *testing.T, e *env) {
	e.exec("CREATE TABLE loose (k {text}, v {text})")
	e.exec("INSERT INTO loose (k, v) VALUES ('a', '1'), (NULL, '2'), ('b', '3')")
	e.exec("CREATE TABLE loose2 (a {bigint}, b {text}, v {text})")
	e.exec("INSERT INTO loose2 (a, b, v) VALUES (1, 'a', '1'), (1, NULL, '2'), (1, 'x', '3'), (2, 'a', '4')")
	for _, c := range []struct {
		table string
		key   []string
		split []any
	}{{"loose", []string{"k"}, []any{"a"}}, {"loose2", []string{"a", "b"}, []any{int64(1), "a"}}} {
		q := decant.RowQuery{Table: c.table, Key: c.key, Columns: []string{"v"}}
		if _, err := e.tryReadRows(q); !errors.Is(err, decant.ErrNullKey) || !strings.Contains(err.Error(), c.table) {
			t.Errorf("ReadRows(%+v) over a NULL key = %v, want ErrNullKey naming the table", q, err)
		}
		met := 0
		for _, r := range [][2][]any{{nil, c.split}, {c.split, nil}} {
			q.After, q.Until = r[0], r[1]
			_, err := e.tryReadRows(q)
			if errors.Is(err, decant.ErrNullKey) {
				met++
			} else if err != nil {
				t.Errorf("ReadRows(%+v) = %v", q, err)
			}
		}
		if met == 0 {
			t.Errorf("%s read in two ranges split at %v: no range met the NULL key", c.table, c.split)
		}
	}
}

// testReadRowsValues writes a value of every kind and reads it back as the
// type decant.TargetRow promises, equal to what was written.
func testReadRowsValues(t *testing.T, e *env) {
	e.exec(`CREATE TABLE vals (id {bigint} PRIMARY KEY, i {bigint}, f {float}, b {bool}, ts {timestamp},
		tstz {timestamptz}, d {date}, dec {decimal}, j {json}, s {text})`)
	cols := []string{"i", "f", "b", "ts", "tstz", "d", "dec", "j", "s"}
	in := [][]any{
		{int64(1), nil, nil, nil, nil, nil, nil, nil, nil, nil},
		{int64(2), int64(math.MinInt64), 0.1, true, valueTime, valueTime,
			time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), decant.Decimal("12.30"), decant.JSON(valueJSON), valueText},
		{int64(3), int64(math.MaxInt64), -1.5e300, false, valueTime, valueTime,
			time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), decant.Decimal("-0.05"), decant.JSON(`[]`), ""},
	}
	e.write(&decant.Batch{Scope: "s", Step: "vals", Tables: []decant.TableRows{{
		Table: "vals", Columns: append([]string{"id"}, cols...), Key: []string{"id"}, Rows: in}}})
	got := e.readRows(decant.RowQuery{Table: "vals", Key: []string{"id"}, Columns: cols})
	if len(got) != len(in) {
		t.Fatalf("read %d rows, want %d", len(got), len(in))
	}
	for r, row := range got {
		if row.Key[0] != in[r][0] {
			t.Errorf("row %d: key %#v, want %#v", r, row.Key[0], in[r][0])
		}
		for c, v := range row.Values {
			if want := in[r][c+1]; !sameValue(v, want) {
				t.Errorf("key %v: column %s = %#v (%T), want %#v (%T)", row.Key, cols[c], v, v, want, want)
			}
		}
	}
}

// sameValue compares a value read back with the one written: same type,
// equal; times the same instant in UTC; decimals the same number (SQLite
// keeps 12.30 as 12.3); JSON the same document.
func sameValue(got, want any) bool {
	switch w := want.(type) {
	case time.Time:
		g, ok := got.(time.Time)
		return ok && g.Equal(w) && g.Location() == time.UTC
	case decant.Decimal:
		g, ok := got.(decant.Decimal)
		x, okx := new(big.Rat).SetString(string(g))
		y, oky := new(big.Rat).SetString(string(w))
		return ok && okx && oky && x.Cmp(y) == 0
	case decant.JSON:
		g, ok := got.(decant.JSON)
		return ok && sameJSON(string(g), string(w))
	}
	return got == want
}

// testReadRowsWrapped reads through a wrapper, as verify reads through
// connect.PlannedStore.
func testReadRowsWrapped(t *testing.T, e *env) {
	e.createPeople()
	e.write(&decant.Batch{Scope: "s", Step: "people", Tables: []decant.TableRows{people([]any{int64(1), "ann", nil})}})
	r, err := decant.Require[decant.TargetReader](wrapped{e.s}, "read target rows to verify them")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := r.ReadRows(e.ctx, decant.RowQuery{Table: "people", Key: []string{"id"}, Columns: []string{"name"}})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next(e.ctx) || rows.Row().Values[0] != "ann" || rows.Next(e.ctx) || rows.Err() != nil {
		t.Errorf("reading through a wrapper: want one row (1, ann); err %v", rows.Err())
	}
	if err := rows.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
