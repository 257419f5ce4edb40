package cli_test

import (
	"strings"
	"testing"
)

// Ensure stats shows a staged plan's steps once each, not their extracts
// as steps of their own, and a dry run (with and without --phase load)
// and preview work after a staged migrate.
func TestStagedStatsAndReads(t *testing.T) {
	t.Parallel()
	s := stagedShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	var lines []struct {
		Step     string `json:"step"`
		Migrated int64  `json:"migrated"`
	}
	decodeJSON(t, mustRun(t, "stats", "--json", "-c", s.plan), &lines)
	var steps []string
	for _, l := range lines {
		steps = append(steps, l.Step)
	}
	if strings.Join(steps, ",") != "orders,customers,events" || lines[0].Migrated != 3 {
		t.Errorf("stats --json: %+v, want the three steps once each, orders with 3 migrated", lines)
	}
	for _, args := range [][]string{{"migrate", "--dry-run"}, {"migrate", "--dry-run", "--phase", "load"}, {"preview", "orders"}} {
		if r := run(t, append(args, "-c", s.plan)...); r.code != 0 {
			t.Errorf("decant %s after a staged migrate: %s", strings.Join(args, " "), r)
		}
	}
}

// Ensure a staged scope can be finished and committed: --finish drains
// both phases and verifies; --live and --phase with --finish are refused,
// saying why.
func TestStagedFinish(t *testing.T) {
	t.Parallel()
	s := stagedShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "--live"}, "cannot run --live"},
		{[]string{"migrate", "--finish", "--phase", "load"}, "--finish and --phase load cannot be combined"},
	} {
		if r := run(t, append(tc.args, "-c", s.plan)...); r.code == 0 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("decant %s: %s\nwant it refused saying %q", strings.Join(tc.args, " "), r, tc.want)
		}
	}
	s.orders(t, 4, 5)
	r := run(t, "migrate", "--finish", "-c", s.plan)
	if r.code != 0 || !strings.Contains(r.stdout, "finished") {
		t.Fatalf("migrate --finish: %s\nwant it finished", r)
	}
	if n := s.count(t, "orders"); n != "5" {
		t.Errorf("orders after --finish: %s rows, want the 2 new ones extracted and loaded too (5)", n)
	}
	mustRun(t, "commit", "--yes", "-c", s.plan)
}

// Ensure a staged scope's refusals list what it allows: no migrate --live
// (refused for a staged plan), and migrate --finish from migrating.
func TestStagedRefusalListsItsCommands(t *testing.T) {
	t.Parallel()
	s := stagedShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	r := run(t, "commit", "--yes", "-c", s.plan)
	if r.code == 0 || !strings.Contains(r.stderr, "what it allows: migrate, reset, migrate --finish") {
		t.Errorf("commit of a migrating staged scope: %s\nwant the refusal to list migrate, reset, migrate --finish", r)
	}
}
