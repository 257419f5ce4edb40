package sqlite_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
)

// TestReadRowsDynamicTypes checks SQLite's dynamic types in a key column:
// an INTEGER column may hold reals, text and blobs, and a column declared
// with another collation still reads bytewise. The store orders them as
// CompareKeys does, keys come as stored, and a range resumes across the
// storage classes.
func TestReadRowsDynamicTypes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t)
	harness.Exec(t, s, `CREATE TABLE dyn (k INTEGER PRIMARY KEY NOT NULL, v TEXT) WITHOUT ROWID;
		INSERT INTO dyn VALUES (2, 'two'), ('b', 'text b'), (1.5, 'real'), (X'00', 'blob'), (-3, 'minus'),
			('B', 'text B'), (9007199254740993, 'big'), ('10', 'ten as text becomes 10');
		CREATE TABLE nocase (k TEXT COLLATE NOCASE PRIMARY KEY, v TEXT);
		INSERT INTO nocase VALUES ('b', ''), ('A', ''), ('a!', ''), ('C', '')`)
	read := func(q decant.RowQuery) [][]any {
		t.Helper()
		rows, err := s.ReadRows(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var keys [][]any
		for rows.Next(ctx) {
			keys = append(keys, rows.Row().Key)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return keys
	}
	want := [][]any{{int64(-3)}, {1.5}, {int64(2)}, {int64(10)}, {int64(9007199254740993)}, {"B"}, {"b"}, {[]byte{0}}}
	got := read(decant.RowQuery{Table: "dyn", Key: []string{"k"}, Columns: []string{"v"}})
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("dyn (-want +got):\n%s", d)
	}
	if !slices.IsSortedFunc(got, decant.CompareKeys) {
		t.Errorf("dyn not in CompareKeys order: %v", got)
	}
	got = read(decant.RowQuery{Table: "dyn", Key: []string{"k"}, After: []any{int64(10)}, Until: []any{"b"}})
	if d := cmp.Diff(want[4:7], got); d != "" {
		t.Errorf("dyn range (10, b] (-want +got):\n%s", d)
	}
	got = read(decant.RowQuery{Table: "nocase", Key: []string{"k"}})
	if d := cmp.Diff([][]any{{"A"}, {"C"}, {"a!"}, {"b"}}, got); d != "" {
		t.Errorf("nocase (-want +got):\n%s", d)
	}
}

// TestReadRowsStoredValues checks values that do not fit their column's
// kind: they come as stored, so that verify sees them differ.
func TestReadRowsStoredValues(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t)
	harness.Exec(t, s, `CREATE TABLE odd (id INTEGER PRIMARY KEY, b BOOLEAN, d DATE, ts TIMESTAMP, n INTEGER);
		INSERT INTO odd VALUES (1, 2, 'soon', '2024-01-02 03:04:05', 'abc')`)
	rows, err := s.ReadRows(ctx, decant.RowQuery{Table: "odd", Key: []string{"id"}, Columns: []string{"b", "d", "ts", "n"}})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next(ctx) {
		t.Fatalf("no row: %v", rows.Err())
	}
	got := rows.Row().Values
	if got[0] != int64(2) || got[1] != "soon" || got[3] != "abc" {
		t.Errorf("values = %#v, want 2, soon and abc as stored", got)
	}
	want := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	if ts, ok := got[2].(time.Time); !ok || !ts.Equal(want) || ts.Location() != time.UTC {
		t.Errorf("ts = %#v, want %v: text without a zone is UTC", got[2], want)
	}
}
