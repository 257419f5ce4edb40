package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/postgres"
)

// readKeys reads every key of table in the store's order.
func readKeys(t *testing.T, s *postgres.Store, table string, key ...string) [][]any {
	t.Helper()
	ctx := context.Background()
	rows, err := s.ReadRows(ctx, decant.RowQuery{Table: table, Key: key})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next(ctx) {
		out = append(out, rows.Row().Key)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReadRowsCollation checks that text keys come bytewise even when the
// column's collation orders them otherwise (the suite's databases use
// C.UTF-8, which is bytewise already), and that char(n) and uuid keys come
// as text in the order of that text.
func TestReadRowsCollation(t *testing.T) {
	t.Parallel()
	s := open(t, postgres.Config{})
	exec(t, s, `CREATE TABLE icu (k text COLLATE "und-x-icu" PRIMARY KEY);
		INSERT INTO icu VALUES ('b'), ('B'), ('a'), ('A'), ('é'), ('e'), ('a b'), ('ab');
		CREATE TABLE padded (k char(4) PRIMARY KEY);
		INSERT INTO padded VALUES ('ab'), ('ab!'), ('a'), ('Ab');
		CREATE TABLE ids (k uuid PRIMARY KEY);
		INSERT INTO ids VALUES ('ffffffff-0000-0000-0000-000000000000'), ('0000000a-0000-0000-0000-000000000000'),
			('a0000000-0000-0000-0000-000000000000')`)
	for _, c := range []struct {
		table string
		want  [][]any
	}{
		{"icu", [][]any{{"A"}, {"B"}, {"a"}, {"a b"}, {"ab"}, {"b"}, {"e"}, {"é"}}},
		{"padded", [][]any{{"Ab"}, {"a"}, {"ab"}, {"ab!"}}}, // the padding is not data
		{"ids", [][]any{{"0000000a-0000-0000-0000-000000000000"}, {"a0000000-0000-0000-0000-000000000000"},
			{"ffffffff-0000-0000-0000-000000000000"}}},
	} {
		got := readKeys(t, s, c.table, "k")
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", c.table, d)
		}
		if !slices.IsSortedFunc(got, decant.CompareKeys) {
			t.Errorf("%s: keys not in CompareKeys order: %v", c.table, got)
		}
	}
}

// TestReadRowsValueText checks the values PostgreSQL prints for ReadRows:
// numeric keeps its scale, json its text, jsonb PostgreSQL's spelling,
// char(n) loses its padding, a naive timestamp is its wall clock in UTC,
// and an infinite timestamp stops the read naming the column.
func TestReadRowsValueText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, postgres.Config{})
	exec(t, s, `CREATE TABLE v (id int PRIMARY KEY, n numeric(8,3), j json, jb jsonb, c char(5), ts timestamp, u uuid, sm smallint, r real);
		INSERT INTO v VALUES (1, 1.5, '{"b": 1,  "a": 2}', '{"b": 1,  "a": 2}', 'ab', '2024-01-02 03:04:05.5',
			'A0000000-0000-0000-0000-00000000000B', 7, 0.5);
		INSERT INTO v (id, ts) VALUES (2, 'infinity')`)
	cols := []string{"n", "j", "jb", "c", "ts", "u", "sm", "r"}
	rows, err := s.ReadRows(ctx, decant.RowQuery{Table: "v", Key: []string{"id"}, Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next(ctx) {
		t.Fatalf("no row: %v", rows.Err())
	}
	want := []any{decant.Decimal("1.500"), decant.JSON(`{"b": 1,  "a": 2}`), decant.JSON(`{"a": 2, "b": 1}`), "ab",
		time.Date(2024, 1, 2, 3, 4, 5, 500_000_000, time.UTC), "a0000000-0000-0000-0000-00000000000b", int64(7), float64(0.5)}
	if d := cmp.Diff(want, rows.Row().Values); d != "" {
		t.Errorf("values (-want +got):\n%s", d)
	}
	if key := rows.Row().Key; !cmp.Equal(key, []any{int64(1)}) {
		t.Errorf("key = %#v, want int64(1)", key)
	}
	if rows.Next(ctx) || !strings.Contains(fmt.Sprint(rows.Err()), "column ts") {
		t.Errorf("an infinite timestamp: err = %v, want an error naming column ts", rows.Err())
	}
}

// TestReadRowsValuesOwnTheirBytes checks that the text, decimal and json
// values of a row stay as read after the next rows are read: the reader
// makes them from the driver's buffer, which the driver reuses for later
// rows, so a value that shared it would change under the caller. The rows
// are many, so that the driver's buffer is refilled. A row's values share
// a block of text, so an append to its json value must not write over the
// text after it.
func TestReadRowsValuesOwnTheirBytes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, postgres.Config{})
	const n = 3000
	exec(t, s, fmt.Sprintf(`CREATE TABLE o (id int PRIMARY KEY, name text, n numeric(8,2), j jsonb, note varchar(20));
		INSERT INTO o SELECT i, CASE WHEN i %% 11 = 0 THEN '' ELSE 'name ' || i END, i / 100.0, jsonb_build_object('k', i), CASE WHEN i %% 7 = 0 THEN NULL ELSE 'n' || i END
			FROM generate_series(1, %d) AS i`, n))
	rows, err := s.ReadRows(ctx, decant.RowQuery{Table: "o", Key: []string{"id"}, Columns: []string{"name", "n", "j", "note"}})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got [][]any
	for rows.Next(ctx) {
		row := append(rows.Row().Key, rows.Row().Values...)
		_ = append(row[3].(decant.JSON), 'X')
		got = append(got, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var want [][]any
	for i := 1; i <= n; i++ {
		var note any = fmt.Sprintf("n%d", i)
		if i%7 == 0 {
			note = nil
		}
		name := fmt.Sprintf("name %d", i)
		if i%11 == 0 {
			name = ""
		}
		want = append(want, []any{int64(i), name, decant.Decimal(fmt.Sprintf("%d.%02d", i/100, i%100)),
			decant.JSON(fmt.Sprintf(`{"k": %d}`, i)), note})
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
}

// TestReadRowsBinaryValues checks the bigints and timestamptz values the
// reader decodes from the driver's binary form itself, from blocks shared
// by the rows: each is what pgx decodes (a time in UTC, as the reader
// gives times), still after the later rows are read; a time outside
// years 1 to 9999 is left to pgx and comes alike.
func TestReadRowsBinaryValues(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, postgres.Config{})
	const n = 3000
	exec(t, s, fmt.Sprintf(`SET TIME ZONE 'Asia/Kolkata';
		CREATE TABLE b (id bigint PRIMARY KEY, big bigint, at timestamptz);
		INSERT INTO b SELECT i, CASE WHEN i %% 5 = 0 THEN NULL ELSE (i::bigint - 1500) * 6700417 * (CASE WHEN i %% 3 = 0 THEN 1000000 ELSE 1 END) END,
			CASE WHEN i %% 13 = 0 THEN NULL
			     WHEN i = 7 THEN '0044-03-15 12:00:00.5+00 BC'
			     WHEN i = 8 THEN '10000-01-01 00:00:00+00'
			     ELSE timestamptz '1960-01-01 00:00:00.123456+00' + (i * 9) * interval '1 day 0.000123 sec' END
			FROM generate_series(1, %d) AS i`, n))
	rows, err := s.ReadRows(ctx, decant.RowQuery{Table: "b", Key: []string{"id"}, Columns: []string{"big", "at"}})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got [][]any
	for rows.Next(ctx) {
		got = append(got, append(rows.Row().Key, rows.Row().Values...))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	base := time.Date(1960, 1, 1, 0, 0, 0, 123456000, time.UTC)
	var want [][]any
	for i := int64(1); i <= n; i++ {
		var big, at any
		if i%5 != 0 {
			v := (i - 1500) * 6700417
			if i%3 == 0 {
				v *= 1000000
			}
			big = v
		}
		switch {
		case i%13 == 0:
		case i == 7:
			at = time.Date(-43, 3, 15, 12, 0, 0, 500000000, time.UTC)
		case i == 8:
			at = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
		default:
			at = base.Add(time.Duration(i*9) * (86400*time.Second + 123*time.Microsecond))
		}
		want = append(want, []any{i, big, at})
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	for _, row := range got {
		if at, ok := row[2].(time.Time); ok && at.Location() != time.UTC {
			t.Fatalf("key %v: time %v in %v, want UTC", row[0], at, at.Location())
		}
	}
}
