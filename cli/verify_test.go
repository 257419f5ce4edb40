package cli_test

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// After a migrate, verify finds the target as the source says: exit 0,
// "clean", and every key checked ok. Orders 10 fails to map, so it counts
// as an error, not as missing.
func TestVerifyCleanAfterMigrate(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	s.orders(t, 4, 12)
	run(t, "migrate", "-c", s.plan) // order 10 fails: exit 1 is expected
	r := mustRun(t, "verify", "-c", s.plan)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if lines[len(lines)-1] != "clean" {
		t.Errorf("last line %q, want clean:\n%s", lines[len(lines)-1], r)
	}
	var doc struct {
		Clean bool `json:"clean"`
		Steps []struct {
			Step                                string
			Checked, OK, Missing, Errors, Diffs int
		} `json:"steps"`
	}
	decodeJSON(t, mustRun(t, "verify", "--json", "-c", s.plan), &doc)
	if !doc.Clean || len(doc.Steps) != 3 {
		t.Fatalf("want clean with 3 steps: %+v", doc)
	}
	o := doc.Steps[0]
	if o.Step != "orders" || o.Checked != 11 || o.OK != 11 || o.Missing != 0 || o.Errors != 1 {
		t.Errorf("orders: %+v; want 11 checked, 11 ok, 1 error (order 10)", o)
	}
}

// A target changed after the migrate: an updated, a deleted and an
// inserted row are a diff, a missing and an extra, with exit code 1, and
// the text lists each with the column's expected and actual values.
func TestVerifyCorruptedTarget(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	execSQL(t, s.db, "UPDATE orders SET total = 999 WHERE id = 2")
	execSQL(t, s.db, "DELETE FROM orders WHERE id = 3")
	execSQL(t, s.db, "INSERT INTO orders (id, total) VALUES (7, 700)")
	r := run(t, "verify", "-c", s.plan)
	if r.code != 1 {
		t.Fatalf("want exit 1:\n%s", r)
	}
	for _, want := range []string{
		"diff\tstep orders\ttable orders\tkey 2",
		`total: expected "200", actual "999"`,
		"missing\tstep orders\ttable orders\tkey 3",
		"extra\tstep orders\ttable orders\tkey 7",
		"\nnot clean\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r)
		}
	}
	if !strings.Contains(r.stderr, "verify found differences") {
		t.Errorf("stderr does not say why it exits 1:\n%s", r)
	}

	// --limit cuts the list, not the counts, and says so.
	r = run(t, "verify", "--limit", "1", "-c", s.plan)
	if r.code != 1 || !strings.Contains(r.stdout, "showing 1 of 3 findings; use --limit") || strings.Contains(r.stdout, "missing\t") {
		t.Errorf("--limit 1: want one finding and a note:\n%s", r)
	}

	// --step selects a step as --only does; customers is untouched.
	r = run(t, "verify", "--step", "customers", "-c", s.plan)
	if r.code != 0 || strings.Contains(r.stdout, "orders") {
		t.Errorf("--step customers: want exit 0 without orders:\n%s", r)
	}

	var doc struct {
		Clean bool `json:"clean"`
		Steps []struct {
			Step                           string
			Missing, Extra, Diffs, Checked int
		} `json:"steps"`
	}
	r = run(t, "verify", "--json", "--only", "sales", "-c", s.plan)
	if r.code != 1 {
		t.Fatalf("--json: want exit 1:\n%s", r)
	}
	decodeJSON(t, r, &doc)
	if doc.Clean || len(doc.Steps) != 2 || doc.Steps[0].Step != "orders" {
		t.Fatalf("want the 2 steps of sales, not clean: %+v", doc)
	}
	if o := doc.Steps[0]; o.Missing != 1 || o.Extra != 1 || o.Diffs != 1 || o.Checked != 4 {
		t.Errorf("orders: %+v; want 1 missing, 1 extra, 1 diff of 4 keys", o)
	}
}

// Verification that cannot run exits 2 and says why: a step the plan does
// not have (naming the real ones), a target file that does not exist, a
// target without the step's table.
func TestVerifyCannotRun(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"bad --only", []string{"--only", "ordres"}, []string{"--only ordres", "its steps are orders, customers, events"}},
		{"bad --step", []string{"--step", "ordres"}, []string{"--step ordres", "its steps are orders, customers, events"}},
		{"no database file", nil, []string{"no such database file"}},
	} {
		r := run(t, append([]string{"verify", "-c", s.plan}, tc.args...)...)
		if r.code != 2 {
			t.Errorf("%s: want exit 2:\n%s", tc.name, r)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", tc.name, w, r)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(s.dir, "target.db")); !os.IsNotExist(err) {
		t.Errorf("verify created the target file (err %v); it writes nothing", err)
	}
	mustRun(t, "migrate", "-c", s.plan)
	execSQL(t, s.db, "DROP TABLE events")
	r := run(t, "verify", "-c", s.plan, "--json")
	if r.code != 2 || !strings.Contains(r.stderr, "events") {
		t.Errorf("dropped table: want exit 2 naming events:\n%s", r)
	}
}

// The JSON of verify is the contract of docs/commands.md: the object has
// clean and steps, each step the contract keys with integer counts, and
// nothing beyond the documented extras.
func TestVerifyJSONContract(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	r := mustRun(t, "verify", "--json", "-c", s.plan)
	var doc map[string]json.RawMessage
	decodeJSON(t, r, &doc)
	if got := slices.Sorted(maps.Keys(doc)); !slices.Equal(got, []string{"clean", "resumed", "run", "steps"}) {
		t.Errorf("top-level keys %v, want [clean resumed run steps]", got)
	}
	var run string
	if err := json.Unmarshal(doc["run"], &run); err != nil || run == "" || string(doc["resumed"]) != "false" {
		t.Errorf("run = %s, resumed = %s; want the run's name and false", doc["run"], doc["resumed"])
	}
	var clean bool
	if err := json.Unmarshal(doc["clean"], &clean); err != nil || !clean {
		t.Errorf("clean = %s, want true", doc["clean"])
	}
	var steps []map[string]any
	if err := json.Unmarshal(doc["steps"], &steps); err != nil || len(steps) != 3 {
		t.Fatalf("steps = %s (%v), want 3", doc["steps"], err)
	}
	contract := []string{"scope", "step", "checked", "ok", "missing", "extra", "diffs", "changes", "errors"}
	extras := []string{"duplicates", "pending", "tables", "not_verified"}
	for _, st := range steps {
		for _, k := range contract {
			if _, ok := st[k]; !ok {
				t.Errorf("step %v lacks key %s", st["step"], k)
			}
		}
		for k, v := range st {
			if !slices.Contains(contract, k) && !slices.Contains(extras, k) {
				t.Errorf("step %v has key %s, not in the contract nor its documented extras", st["step"], k)
			}
			if k == "scope" || k == "step" || k == "tables" || k == "not_verified" {
				continue
			}
			if n, ok := v.(float64); !ok || n != float64(int(n)) {
				t.Errorf("step %v: %s = %v, want an integer", st["step"], k, v)
			}
		}
		if st["scope"] != "default" {
			t.Errorf("step %v: scope %v, want default", st["step"], st["scope"])
		}
	}
}
