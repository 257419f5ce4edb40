package postgres_test

import (
	"context"
	"slices"
	"testing"

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
