package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stagedShop is the shop with staging: true.
func stagedShop(t *testing.T) *shop {
	t.Helper()
	s := newShop(t)
	text, err := os.ReadFile(s.plan)
	if err != nil {
		t.Fatal(err)
	}
	s.write(t, "decant.yaml", strings.Replace(string(text), "version: 1\n", "version: 1\nstaging: true\n", 1))
	return s
}

// stagedStatus is one line of decant status --json, as far as staging goes.
type stagedStatus struct {
	Step    string `json:"step"`
	Phase   string `json:"phase"`
	Staged  int64  `json:"staged"`
	Read    int64  `json:"read"`
	Written int64  `json:"written"`
}

func phaseLines(t *testing.T, s *shop) map[string]stagedStatus {
	t.Helper()
	var lines []stagedStatus
	decodeJSON(t, mustRun(t, "status", "--json", "-c", s.plan), &lines)
	out := map[string]stagedStatus{}
	for _, l := range lines {
		out[l.Step+" "+l.Phase] = l
	}
	return out
}

// Ensure the staged workflow from the command line: --phase extract
// stages every step and writes no target row; status shows both phases;
// --phase load maps from staging after the source files are gone; after a
// plan fix, reset --phase load keeps what is staged and a load writes the
// fixed rows, still without the sources; reset --phase extract empties the
// staging tables; a whole reset takes both.
func TestStagedWorkflow(t *testing.T) {
	t.Parallel()
	s := stagedShop(t)
	r := mustRun(t, "migrate", "--phase", "extract", "-c", s.plan)
	if !strings.Contains(r.stdout, "orders (extract)") || strings.Contains(r.stdout, "(load)") {
		t.Errorf("migrate --phase extract printed:\n%s\nwant extract lines and no load", r.stdout)
	}
	if n := s.count(t, "orders"); n != "0" {
		t.Fatalf("orders after the extract: %s rows, want 0", n)
	}
	if n := s.count(t, "staging_orders"); n != "3" {
		t.Fatalf("staging_orders after the extract: %s rows, want 3", n)
	}
	lines := phaseLines(t, s)
	if l := lines["orders extract"]; l.Staged != 3 || l.Read != 3 {
		t.Errorf("status of orders' extract: %+v, want 3 read and staged (all: %v)", l, lines)
	}
	if text := mustRun(t, "status", "-c", s.plan).stdout; !strings.Contains(text, "orders (extract: 3 staged)") {
		t.Errorf("status:\n%s\nwant the extract's line with its staged count", text)
	}

	for _, f := range []string{"orders.jsonl", "customers.csv", "events.jsonl"} {
		if err := os.Rename(filepath.Join(s.dir, f), filepath.Join(s.dir, f+".away")); err != nil {
			t.Fatal(err)
		}
	}
	r = mustRun(t, "migrate", "--phase", "load", "--json", "-c", s.plan)
	if !strings.Contains(r.stdout, `"phase": "load"`) && !strings.Contains(r.stdout, `"phase":"load"`) {
		t.Errorf("migrate --phase load --json:\n%s\nwant steps with phase load", r.stdout)
	}
	if n := s.count(t, "orders"); n != "3" {
		t.Fatalf("orders after the load: %s rows, want 3", n)
	}
	if l := phaseLines(t, s)["orders load"]; l.Written != 3 {
		t.Errorf("status of orders' load: %+v, want 3 written", l)
	}

	// A plan fix: totals are written tenfold. The load alone, again.
	text, err := os.ReadFile(s.plan)
	if err != nil {
		t.Fatal(err)
	}
	s.write(t, "decant.yaml", strings.Replace(string(text), "total: record.total}", "total: record.total * 10}", 1))
	mustRun(t, "reset", "--phase", "load", "--step", "orders", "--yes", "-c", s.plan)
	if n := s.count(t, "staging_orders"); n != "3" {
		t.Fatalf("staging_orders after reset --phase load: %s rows, want the 3 kept", n)
	}
	mustRun(t, "migrate", "--phase", "load", "-c", s.plan)
	if got := queryRows(t, s.db, "SELECT sum(total) FROM orders"); got != "6000" {
		t.Errorf("sum of totals after the fixed load: %s, want 6000 (100+200+300, tenfold)", got)
	}

	r = mustRun(t, "reset", "--phase", "extract", "--yes", "--json", "-c", s.plan)
	if !strings.Contains(r.stdout, `"staged": 6`) {
		t.Errorf("reset --phase extract --json:\n%s\nwant 6 staged records deleted (3 orders, 2 customers, 1 event)", r.stdout)
	}
	if n := s.count(t, "orders"); n != "3" {
		t.Errorf("orders after reset --phase extract: %s rows, want the 3 loaded kept", n)
	}
	if r := run(t, "migrate", "--phase", "load", "-c", s.plan); r.code == 0 || !strings.Contains(r.stderr, "--phase extract first") {
		t.Errorf("a load with nothing staged: %s\nwant it refused, saying to extract first", r)
	}
	for _, f := range []string{"orders.jsonl", "customers.csv", "events.jsonl"} {
		if err := os.Rename(filepath.Join(s.dir, f+".away"), filepath.Join(s.dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(t, "migrate", "-c", s.plan)
	mustRun(t, "reset", "--yes", "-c", s.plan)
	for _, table := range []string{"orders", "decant_checkpoints", "decant_batches"} {
		if n := s.count(t, table); n != "0" {
			t.Errorf("%s after a whole reset: %s rows, want 0", table, n)
		}
	}
	if got := queryRows(t, s.db, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'staging_%' AND type = 'table'"); got != "0" {
		t.Errorf("%s staging tables after a whole reset, want none", got)
	}
}

// Ensure --phase is refused for a plan without staging, and a bad phase
// names the two there are.
func TestPhaseRefused(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "--phase", "load"}, "add staging: true to the plan"},
		{[]string{"migrate", "--phase", "both"}, "give extract"},
		{[]string{"reset", "--phase", "load", "--yes"}, "the plan stages nothing"},
		{[]string{"reset", "--phase", "load", "--migrations", "--yes"}, "--migrations reverts the schema"},
	} {
		r := run(t, append(tc.args, "-c", s.plan)...)
		if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("decant %s: %s\nwant it refused saying %q", strings.Join(tc.args, " "), r, tc.want)
		}
	}
}
