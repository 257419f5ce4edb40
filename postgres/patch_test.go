package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/postgres"
)

// withParams adds runtime parameters to a connection URL.
func withParams(url, params string) string {
	if strings.Contains(url, "?") {
		return url + "&" + params
	}
	return url + "?" + params
}

// Ensure a patch taken in one session reverts from a session with another
// time zone and float setting: the images compare equal, and the values
// come back exactly.
func TestPatch_SessionSettingsDoNotMatter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testenv.Postgres(t)
	a, err := postgres.Open(ctx, url, postgres.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Init(ctx); err != nil {
		t.Fatal(err)
	}
	exec := func(q string) {
		t.Helper()
		if _, err := a.Pool().Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("CREATE TABLE s_vals (id bigint PRIMARY KEY, at timestamptz, f float8, d interval, name text)")
	exec("INSERT INTO s_vals VALUES (1, '2024-03-01 10:00:00.123456+00', 0.30000000000000004, '1 day 02:03:04', 'ann')")
	want := rowsText(t, a, "SELECT id, at AT TIME ZONE 'UTC', f::text, d::text, name FROM s_vals")
	p := &decant.Patch{Scope: "s", Step: "v", Key: "1", Reason: "r", Tables: []decant.PatchTable{{Table: "s_vals",
		By: []string{"id"}, Key: []any{int64(1)}, Columns: []string{"id", "name"}, Rows: [][]any{{int64(1), "ANN"}}}}}
	if err := a.ApplyPatch(ctx, p); err != nil {
		t.Fatal(err)
	}
	b, err := postgres.Open(ctx, withParams(url, "timezone=America/New_York&extra_float_digits=0&intervalstyle=iso_8601"), postgres.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.RevertPatch(ctx, p.ID, decant.RevertOptions{}); err != nil {
		t.Fatalf("revert from a session in another time zone: %v", err)
	}
	if got := rowsText(t, a, "SELECT id, at AT TIME ZONE 'UTC', f::text, d::text, name FROM s_vals"); got != want {
		t.Errorf("after the revert:\n%s\nwant\n%s", got, want)
	}
}

// Ensure a record keyed by a column of a NOT NULL domain can be patched
// and reverted: its key is not built as a whole row of the table.
func TestPatch_NotNullDomainKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, postgres.Config{})
	if err := s.Init(ctx); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE DOMAIN code_t AS text NOT NULL CHECK (VALUE <> '')",
		"CREATE TABLE d_items (code code_t PRIMARY KEY, label code_t, n int)",
		"INSERT INTO d_items VALUES ('a', 'x', 1)",
	} {
		if _, err := s.Pool().Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	p := &decant.Patch{Scope: "s", Step: "d", Key: "a", Reason: "r", Tables: []decant.PatchTable{{Table: "d_items",
		By: []string{"code"}, Key: []any{"a"}, Columns: []string{"code", "label", "n"}, Rows: [][]any{{"a", "y", int64(2)}}}}}
	if err := s.ApplyPatch(ctx, p); err != nil {
		t.Fatalf("patch keyed by a NOT NULL domain: %v", err)
	}
	if _, err := s.RevertPatch(ctx, p.ID, decant.RevertOptions{}); err != nil {
		t.Fatalf("revert: %v", err)
	}
	if got := rowsText(t, s, "SELECT code, label, n FROM d_items"); got != "a|x|1\n" {
		t.Errorf("after the revert: %q", got)
	}
}

func rowsText(t *testing.T, s *postgres.Store, sql string) string {
	t.Helper()
	var sb strings.Builder
	for _, r := range query(t, s, sql) {
		for i, v := range r {
			if i > 0 {
				sb.WriteByte('|')
			}
			if v == nil {
				sb.WriteString("NULL")
			} else {
				sb.WriteString(v.(string))
			}
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}
