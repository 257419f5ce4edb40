package cli_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// A mistyped subcommand, anywhere in the tree, exits 2 with a suggestion
// and the list of commands; it once printed the help and exited 0. A bare
// group command prints its help and succeeds.
func TestUnknownCommand(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"errors", "lst"}, []string{`errors: unknown command "lst"`, "did you mean list?", "commands: list, ", "show"}},
		{[]string{"db", "stat"}, []string{`db: unknown command "stat"`, "did you mean status?"}},
		{[]string{"snapshot", "lsit"}, []string{`snapshot: unknown command "lsit"`, "did you mean list?"}},
		{[]string{"migrat"}, []string{`unknown command "migrat"`, "did you mean migrate?"}},
		{[]string{"migrate", "now"}, []string{`migrate: unknown command "now"`, "decant migrate --help"}},
		{[]string{"migrate", "--folow"}, []string{"migrate: unknown flag: --folow", "decant migrate --help"}},
		{[]string{"errors", "show"}, []string{"errors show: accepts 1 arg(s), received 0"}},
	} {
		r := run(t, tc.args...)
		if r.code != 2 || r.stdout != "" {
			t.Errorf("decant %s: want exit 2 and nothing on stdout:\n%s", strings.Join(tc.args, " "), r)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("decant %s: stderr lacks %q:\n%s", strings.Join(tc.args, " "), w, r)
			}
		}
	}
	for _, group := range []string{"errors", "db", "snapshot"} {
		if r := mustRun(t, group); !strings.Contains(r.stdout, "Available Commands:") {
			t.Errorf("decant %s: want its help:\n%s", group, r)
		}
	}
}

// A flag value that a command refuses is a usage error, exit 2 like an
// unknown flag, with the flag named; each of these once exited 1.
func TestFlagValuesAreUsageErrors(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"preview", "events", "-n", "0"}, "-n must be at least 1"},
		{[]string{"migrate", "--follow", "--interval=-1s"}, "--interval must be positive"},
		{[]string{"migrate", "--interval=1s"}, "--interval only applies with --follow"},
		{[]string{"errors", "show", "0"}, `errors show: "0" is not an error id`},
		{[]string{"errors", "resolve", "1"}, "--reason is required"},
		{[]string{"db", "down", "--database", s.db, "--dir", s.dir}, `db down: required flag(s) "to" not set`},
		{[]string{"db", "baseline", "zero", "--database", s.db, "--dir", s.dir}, `"zero" is not a migration number`},
		{[]string{"db", "up", "--database", s.db, "--dir", s.dir, "--lock", "nope"}, `--lock "nope"`},
		{[]string{"snapshot", "save", "s1", "--database", s.db, "--release", "1.x"}, `--release "1.x"`},
		{[]string{"snapshot", "redo"}, `unknown command "redo"`},
	} {
		r := run(t, append(tc.args, "-c", s.plan)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("decant %s: want exit 2 and %q:\n%s", strings.Join(tc.args, " "), tc.want, r)
		}
	}
}

// A step name that is not in the plan is refused before anything runs, by
// the flag the user typed, with the plan's real steps and groups.
func TestUnknownStep(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "--only", "orders,ordres"}, "--only ordres: the plan has no step or group of that name; its steps are orders, customers, events; its groups are sales"},
		{[]string{"check", "--only", "nope"}, "--only nope: the plan has no step or group"},
		{[]string{"errors", "retry", "--step", "nope"}, "--step nope: the plan has no step or group of that name; its steps are orders, customers, events"},
		{[]string{"preview", "evnts"}, "preview evnts: the plan has no step of that name; its steps are orders, customers, events"},
	} {
		r := run(t, append(tc.args, "-c", s.plan)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("decant %s: want exit 2 and %q:\n%s", strings.Join(tc.args, " "), tc.want, r)
		}
		if tc.args[0] != "migrate" && tc.args[0] != "check" && strings.Contains(r.stderr, "--only") {
			t.Errorf("decant %s names --only, a flag it does not have:\n%s", strings.Join(tc.args, " "), r)
		}
	}
	// migrate was refused before it connected: not even the SQLite file
	// was made.
	if _, err := os.Stat(s.db); !os.IsNotExist(err) {
		t.Errorf("a refused --only created the target: %v", err)
	}
	// errors list looks for the errors of a step gone from the plan first.
	if r := run(t, "db", "up", "-c", s.plan, "--dir", t.TempDir()); r.code != 0 {
		t.Fatalf("db up: %s", r)
	}
	r := run(t, "errors", "list", "--step", "nope", "-c", s.plan)
	if want := "--step nope: the plan has no step or group of that name; its steps are orders, customers, events; its groups are sales"; r.code != 2 || !strings.Contains(r.stderr, want) {
		t.Errorf("decant errors list --step nope: want exit 2 and %q:\n%s", want, r)
	}
}

// errors list says when --limit cut the list, on stdout after the table,
// or on stderr with --json so stdout stays one JSON document.
func TestErrorsListSaysWhenCut(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	s.orders(t, 4, 120) // ids 10, 20, ... 120 fail: 12 errors
	run(t, "migrate", "--only", "orders", "-c", s.plan)

	r := mustRun(t, "errors", "list", "--limit", "5", "-c", s.plan)
	if got := strings.Count(r.stdout, "invalid value for total"); got != 5 {
		t.Errorf("errors list --limit 5 printed %d errors:\n%s", got, r)
	}
	if !strings.Contains(r.stdout, "showing 5 of 12 errors; use --limit N to see more, --limit 0 for all") {
		t.Errorf("errors list --limit 5 does not say it was cut:\n%s", r)
	}
	r = mustRun(t, "errors", "list", "--limit", "5", "--json", "-c", s.plan)
	var errs []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &errs); err != nil || len(errs) != 5 {
		t.Errorf("errors list --limit 5 --json: %d errors, %v:\n%s", len(errs), err, r)
	}
	if !strings.Contains(r.stderr, "showing 5 of 12 errors") {
		t.Errorf("errors list --json does not say on stderr that it was cut:\n%s", r)
	}
	for _, limit := range []string{"0", "12"} {
		r = mustRun(t, "errors", "list", "--limit", limit, "-c", s.plan)
		if strings.Count(r.stdout, "invalid value for total") != 12 || strings.Contains(r.stdout+r.stderr, "showing") {
			t.Errorf("errors list --limit %s: want all 12 and no note:\n%s", limit, r)
		}
	}
	r = mustRun(t, "errors", "list", "--all", "--limit", "3", "-c", s.plan)
	if !strings.Contains(r.stdout, "showing the first 3 errors of more than 3") {
		t.Errorf("errors list --all --limit 3 does not say it was cut:\n%s", r)
	}
}

// A step that fails says FAILED, in the progress and in the summary, and
// never "done"; --json gives its error.
func TestFailedStepSaysFailed(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	s.write(t, "decant.yaml", strings.Replace(mustRead(t, s.plan), "file:events.jsonl", "file:missing.jsonl", 1))
	r := run(t, "migrate", "-c", s.plan)
	if r.code != 1 || !strings.Contains(r.stderr, "step events: FAILED") || strings.Contains(r.stderr, "step events: done") {
		t.Errorf("migrate with a failing step: want exit 1 and FAILED, never done:\n%s", r)
	}
	if !strings.Contains(r.stdout, "(FAILED)") || !strings.Contains(r.stderr, "missing.jsonl") {
		t.Errorf("the summary does not mark the failed step, or the error is not named:\n%s", r)
	}
	r = run(t, "migrate", "--json", "-c", s.plan)
	var res struct {
		Steps []struct {
			Step  string `json:"step"`
			Error string `json:"error"`
		} `json:"steps"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("migrate --json: %v\n%s", err, r)
	}
	for _, st := range res.Steps {
		if (st.Step == "events") != (st.Error != "") {
			t.Errorf("migrate --json: step %s has error %q; want one for events only:\n%s", st.Step, st.Error, r)
		}
	}
}
