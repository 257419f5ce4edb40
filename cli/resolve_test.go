package cli_test

import (
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/decanthq/decant/internal/testenv"
)

// Ensure errors that can never clear by retry (a record without a key, one
// fixed at the source and re-sent under its real key) can be closed by
// hand with a reason kept in their history, so status stops saying FAILED.
func TestErrorsResolve(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	f, err := os.OpenFile(filepath.Join(s.dir, "orders.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"total":5}` + "\n") // no key
	f.Close()
	s.orders(t, 4, 10) // order 10 fails
	c := []string{"-c", s.plan}
	mustRun(t, append([]string{"migrate"}, c...)...)

	var errs []struct {
		ID        int64    `json:"id"`
		Key       string   `json:"key"`
		SourceKey string   `json:"source_key"`
		Resolved  bool     `json:"resolved"`
		History   []string `json:"history"`
	}
	decodeJSON(t, mustRun(t, append([]string{"errors", "list", "--json"}, c...)...), &errs)
	if len(errs) != 2 || !strings.HasPrefix(errs[0].Key, "(no key) sha256:") || errs[1].SourceKey != "10" {
		t.Fatalf("errors = %+v, want the keyless record and order 10", errs)
	}
	keyless := errs[0].ID

	// Usage mistakes exit 2 and close nothing.
	for _, args := range [][]string{
		{"errors", "resolve", "1"},                      // no reason
		{"errors", "resolve", "--reason", "x"},          // nothing named
		{"errors", "resolve", "--all", "--reason", "x"}, // --all without --step
		{"errors", "resolve", "abc", "--reason", "x"},   // not an id
	} {
		if r := run(t, append(args, c...)...); r.code != 2 {
			t.Errorf("decant %s: exit %d, want 2:\n%s", strings.Join(args, " "), r.code, r)
		}
	}
	if r := run(t, append([]string{"errors", "resolve", "999", "--reason", "typo"}, c...)...); r.code == 0 || !strings.Contains(r.stderr, "999") {
		t.Errorf("resolving an unknown id: %s", r)
	}

	id := strconv.FormatInt(keyless, 10)
	r := mustRun(t, append([]string{"errors", "resolve", "--reason", "the source sends no id for these", id}, c...)...)
	if !strings.Contains(r.stdout, "1 error(s) resolved") {
		t.Errorf("resolve printed:\n%s", r)
	}
	show := mustRun(t, append([]string{"errors", "show", id}, c...)...)
	if !strings.Contains(show.stdout, "resolved by hand: the source sends no id for these") {
		t.Errorf("errors show lacks the history:\n%s", show)
	}
	mustRun(t, append([]string{"errors", "resolve", "--step", "orders", "--all", "--reason", "re-sent as ORD-10"}, c...)...)
	st := mustRun(t, append([]string{"status"}, c...)...)
	for _, line := range strings.Split(st.stdout, "\n") {
		if f := strings.Fields(line); len(f) > 4 && f[0] == "orders" && f[4] != "0" { // STEP READ KEYS WRITTEN FAILED
			t.Errorf("status still counts failed orders after resolving every error:\n%s", st)
		}
	}
	// A retry leaves resolved errors alone.
	retry := mustRun(t, append([]string{"errors", "retry"}, c...)...)
	if !strings.Contains(retry.stdout, "retried 0") {
		t.Errorf("retry after resolving:\n%s", retry)
	}
}

// Ensure --step takes a group in errors list and errors resolve, as it
// does in errors retry: the errors of the group's steps, in id order. It
// was refused as "no step of that name".
func TestErrorsOfAGroup(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	s.orders(t, 4, 20)                                       // orders 10 and 20 fail
	s.write(t, "customers.csv", "id,name\n1,ann\n2,bob,x\n") // customer 2 has a field too many
	s.write(t, "events.jsonl", `{"id":1}`+"\n")              // no kind: the events error is outside the group
	c := []string{"-c", s.plan}
	run(t, append([]string{"migrate"}, c...)...)

	var errs []struct {
		ID   int64  `json:"id"`
		Step string `json:"step"`
	}
	decodeJSON(t, mustRun(t, append([]string{"errors", "list", "--step", "sales", "--json"}, c...)...), &errs)
	steps := map[string]int{}
	for i, e := range errs {
		steps[e.Step]++
		if i > 0 && errs[i-1].ID >= e.ID {
			t.Errorf("errors list --step sales is not in id order: %+v", errs)
		}
	}
	if len(errs) != 3 || steps["orders"] != 2 || steps["customers"] != 1 {
		t.Fatalf("errors list --step sales = %+v, want the 2 orders and the customer", errs)
	}
	r := mustRun(t, append([]string{"errors", "list", "--step", "sales", "--limit", "2"}, c...)...)
	if !strings.Contains(r.stdout, "showing 2 of 3 errors") {
		t.Errorf("errors list --step sales --limit 2 does not count the group's errors:\n%s", r)
	}
	r = mustRun(t, append([]string{"errors", "resolve", "--step", "sales", "--all", "--reason", "fixed at the source"}, c...)...)
	if !strings.Contains(r.stdout, "3 error(s) resolved") {
		t.Errorf("errors resolve --step sales --all:\n%s", r)
	}
	decodeJSON(t, mustRun(t, append([]string{"errors", "list", "--json"}, c...)...), &errs)
	if len(errs) != 1 || errs[0].Step != "events" {
		t.Errorf("after resolving the group, open errors = %+v, want the events error alone", errs)
	}
	events := strconv.FormatInt(errs[0].ID, 10)
	r = run(t, append([]string{"errors", "resolve", events, "--step", "sales", "--reason", "x"}, c...)...)
	if r.code != 1 || !strings.Contains(r.stderr, "error "+events+" is of step events, not of --step sales") {
		t.Errorf("resolving an error outside the group named by --step:\n%s", r)
	}
}

// Ensure an error id that names nothing is said in one plain sentence, on
// both stores: it once read "postgres: error 99: not found" and
// "... (see decant errors list): not found".
func TestErrorNotFoundMessages(t *testing.T) {
	t.Parallel()
	schema := map[string]string{"schema.sql": "CREATE TABLE IF NOT EXISTS people (id integer PRIMARY KEY, name text NOT NULL);\n"}
	for name, target := range map[string]string{"sqlite": "sqlite:target.db", "postgres": testenv.Postgres(t)} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			plan := targetPlan(t, target, "setup: [schema.sql]", maps.Clone(schema))
			mustRun(t, "migrate", "-c", plan)
			mustRun(t, "errors", "resolve", "--step", "people", "--all", "--reason", "none to close", "-c", plan)
			for _, tc := range []struct {
				args []string
				want string
			}{
				{[]string{"errors", "show", "99"}, "decant: errors show 99: no error 99 in scope default; see decant errors list\n"},
				{[]string{"errors", "resolve", "999", "--reason", "typo"}, "decant: errors resolve: nothing resolved, because in scope default there is no error 999; see decant errors list\n"},
				{[]string{"errors", "show", "99", "--scope", "other"}, "decant: errors show 99: no error 99 in scope other; see decant errors list\n"},
			} {
				r := run(t, append(tc.args, "-c", plan)...)
				if r.code != 1 || r.stderr != tc.want {
					t.Errorf("decant %s: want exit 1 and %q:\n%s", strings.Join(tc.args, " "), tc.want, r)
				}
			}
		})
	}
}

// Ensure errors resolve works on state tables an earlier decant wrote
// (version 2, before errors had a history): it upgrades them first, as
// every command that writes does.
func TestErrorsResolveOnVersion2State(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	s.orders(t, 4, 10) // order 10 fails
	c := []string{"-c", s.plan}
	mustRun(t, append([]string{"migrate"}, c...)...)
	for _, col := range []string{"source_key", "place", "source_error", "history"} {
		execSQL(t, s.db, "ALTER TABLE decant_errors DROP COLUMN "+col)
	}
	for _, table := range []string{"decant_diffs", "decant_patches", "decant_verify_runs", "decant_verify_progress"} {
		execSQL(t, s.db, "DROP TABLE "+table) // added by versions 4 to 6
	}
	for _, col := range []string{"state", "state_since", "state_note"} {
		execSQL(t, s.db, "ALTER TABLE decant_scopes DROP COLUMN "+col) // added by version 7
	}
	execSQL(t, s.db, "DROP TABLE decant_scope_history")
	execSQL(t, s.db, "UPDATE decant_schema SET version = 2")
	id := queryRows(t, s.db, "SELECT id FROM decant_errors")
	mustRun(t, append([]string{"errors", "resolve", id, "--reason", "written off"}, c...)...)
	if got := queryRows(t, s.db, "SELECT resolved, history LIKE '%resolved by hand: written off%' FROM decant_errors"); got != "1 1" {
		t.Errorf("the error after resolve on version 2 tables: %q, want resolved with its reason", got)
	}
}

// Ensure a resolve that names nothing open writes nothing: a mistyped id
// against a database decant never wrote must not create its state tables.
func TestErrorsResolveWritesNothingWhenNothingMatches(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	execSQL(t, s.db, "CREATE TABLE other (x integer)")
	r := run(t, "errors", "resolve", "1", "--reason", "typo", "-c", s.plan)
	if r.code != 1 {
		t.Errorf("resolve of a missing id: exit %d, want 1:\n%s", r.code, r)
	}
	if got := queryRows(t, s.db, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'decant_%'"); got != "0" {
		t.Errorf("a resolve that matched nothing created %s decant_ tables", got)
	}
}
