package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
)

// loadExprPlan loads verifyPlan with the given verify rules.
func loadExprPlan(t *testing.T, e verifyEnv, rules string) *plan.Plan {
	t.Helper()
	path := filepath.Join(e.dir, "expr.yaml")
	must(t, os.WriteFile(path, []byte(verifyPlan(e.url, "record.label")+"    verify:\n      rules:\n"+rules), 0o644))
	pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	return pl
}

// Ensure a plan's expression rules turn into changes exactly the
// differences their expressions accept (a trigger's upper-casing, a
// suffix, a timestamp shifted by a known offset, amounts in cents, a
// prefix on the canonical text), on
// both stores, and leave any other change of the same columns a diff.
func TestVerify_ExprRules(t *testing.T) {
	t.Parallel()
	rules := `        - {column: label, expr: "actual == upper(expected)", reason: "a trigger upper-cases labels"}
        - {column: label, expr: 'actual == expected + " (legacy)"', reason: "the old app marks labels"}
        - {column: at, expr: 'actual == expected + duration("5h30m")', reason: "the old app wrote IST as UTC"}
        - {column: amount, expr: "actual == expected * 100", reason: "the new app keeps cents"}
        - {column: label, expr: 'actual_text == "legacy:" + expected_text', reason: "the old app prefixed labels"}
`
	shifts := map[string]map[string]string{
		"sqlite": {
			"k03": "UPDATE items SET at = '2024-01-01T15:30:00.000000000Z' WHERE id = 'k03'",
			"k05": "UPDATE items SET at = '2024-01-01T11:00:00.000000000Z' WHERE id = 'k05'",
		},
		"postgres": {
			"k03": "UPDATE items SET at = at + interval '5 hours 30 minutes' WHERE id = 'k03'",
			"k05": "UPDATE items SET at = at + interval '1 hour' WHERE id = 'k05'",
		},
	}
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForVerify(t, vt)
			for _, q := range []string{
				"UPDATE items SET label = upper(label) WHERE id = 'k01'",
				"UPDATE items SET label = label || ' (legacy)' WHERE id = 'k02'",
				shifts[vt.name]["k03"],
				"UPDATE items SET label = 'other' WHERE id = 'k04'",
				shifts[vt.name]["k05"],
				"UPDATE items SET amount = 150 WHERE id = 'k06'",
				"UPDATE items SET amount = 151 WHERE id = 'k07'",
				"UPDATE items SET label = 'V8 (legacy)' WHERE id = 'k08'",
				"UPDATE items SET label = 'legacy:' || label WHERE id = 'k09'",
			} {
				if _, err := e.db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			res, found := runVerify(t, loadExprPlan(t, e, rules), e.st)
			want := []string{"change k01", "change k02", "change k03", "diff k04", "diff k05", "change k06", "diff k07", "diff k08", "change k09"}
			slices.Sort(want)
			if !slices.Equal(found, want) {
				t.Errorf("findings %v; want %v", found, want)
			}
			if s := res.Steps[0]; res.Clean || s.Changes != 5 || s.Diffs != 4 {
				t.Errorf("clean %v, counts %+v; want 5 changes, 4 diffs", res.Clean, s.VerifyCounts)
			}
		})
	}
}

// Ensure an expression that fails on the values, or gives no boolean,
// stops verify with an error naming the table, the key and the column,
// rather than accepting the difference or crashing.
func TestVerify_ExprRuleErrors(t *testing.T) {
	t.Parallel()
	e := migrateForVerify(t, verifyTargets[0])
	if _, err := e.db.Exec("UPDATE items SET label = 'x' WHERE id = 'k02'"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, rule, want string }{
		{"Fails", `{column: label, expr: "actual == expected + 1", reason: r}`,
			`table items: key ("k02"): column "label": rule expr: expression "actual == expected + 1" failed: invalid operation: string + int`},
		{"NotBoolean", `{column: label, expr: "actual", reason: r}`,
			`table items: key ("k02"): column "label": rule expr: expression "actual" gave string x, not true or false`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pl := loadExprPlan(t, e, "        - "+tt.rule+"\n")
			_, err := engine.Verify(context.Background(), engine.Config{Plan: pl, Store: e.st, Sources: connect.Sources(pl)}, engine.VerifyOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("verify: %v; want an error containing %q", err, tt.want)
			}
		})
	}
}

// Ensure an expression sees a date as a time and a boolean as true or
// false on both stores, although SQLite keeps them as text and 0 or 1: a
// date moved one day with its flag inverted is a change, a date moved two
// days a diff.
func TestVerify_ExprRuleKinds(t *testing.T) {
	t.Parallel()
	updates := map[string][]string{
		"sqlite": {"UPDATE visits SET due = '2024-03-02', flag = 1 - flag WHERE id = 'v1'",
			"UPDATE visits SET due = '2024-03-03' WHERE id = 'v2'"},
		"postgres": {"UPDATE visits SET due = due + 1, flag = NOT flag WHERE id = 'v1'",
			"UPDATE visits SET due = due + 2 WHERE id = 'v2'"},
	}
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte(`{"id":"v1","due":"2024-03-01","flag":true}
{"id":"v2","due":"2024-03-01","flag":false}
{"id":"v3","due":"2024-03-01","flag":false}
`), 0o644))
			must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE visits (id TEXT PRIMARY KEY, due DATE, flag BOOLEAN);"), 0o644))
			url, db := vt.open(t, dir)
			must(t, os.WriteFile(filepath.Join(dir, "decant.yaml"), []byte(`version: 1
connections:
  in: file:in.jsonl
  target: `+url+`
setup: [schema.sql]
steps:
  - name: visits
    from: {connection: in, key: id}
    key: id
    to: {table: visits}
    map: {id: record.id, due: record.due, flag: record.flag}
    verify:
      rules:
        - {column: due, expr: "actual == expected.AddDate(0, 0, 1)", reason: "the old app stored the next day"}
        - {column: flag, expr: "actual == !expected", reason: "the old app inverted the flag"}
`), 0o644))
			pl, err := plan.Load(filepath.Join(dir, "decant.yaml"), plan.Options{Sources: connect.DefaultSources()})
			must(t, err)
			st, err := connect.Store(context.Background(), pl)
			must(t, err)
			t.Cleanup(func() { st.Close() })
			_, err = engine.Run(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}, nil)
			must(t, err)
			for _, q := range updates[vt.name] {
				if _, err := db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			res, found := runVerify(t, pl, st)
			if want := []string{"change v1", "diff v2"}; !slices.Equal(found, want) {
				t.Errorf("findings %v; want %v", found, want)
			}
			if s := res.Steps[0]; s.OK != 1 || s.Changes != 1 || s.Diffs != 1 {
				t.Errorf("counts %+v; want 1 ok, 1 change, 1 diff", s.VerifyCounts)
			}
		})
	}
}
