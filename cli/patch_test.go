package cli_test

import (
	"strconv"
	"strings"
	"testing"
)

// The patch workflow from the command line: a dry run lists and writes
// nothing; patch --all repairs the diff and the missing row but leaves the
// extra row (exit 0, verify after says not clean); --kinds extra deletes
// it; patch list and show print the patches; revert puts a row back and a
// second revert is refused.
func TestPatchCommands(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	execSQL(t, s.db, "UPDATE orders SET total = 999 WHERE id = 2")
	execSQL(t, s.db, "DELETE FROM orders WHERE id = 3")
	execSQL(t, s.db, "INSERT INTO orders (id, total) VALUES (7, 700)")

	r := mustRun(t, "patch", "--all", "--dry-run", "-c", s.plan)
	for _, want := range []string{"would patch", "orders: write", "total=", "would patch 2 record(s)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run lacks %q:\n%s", want, r)
		}
	}
	if got := queryRows(t, s.db, "SELECT total FROM orders WHERE id = 2"); got != "999" {
		t.Errorf("a dry run wrote: total %s", got)
	}

	// A key is taken whole, commas and quotes included: a composite key is
	// its JSON array, as decant diffs prints it.
	r = mustRun(t, "patch", "--key", `["eu","A,1"]`, "--dry-run", "-c", s.plan)
	if !strings.Contains(r.stdout, `skipped any step, key ["eu","A,1"]: verify finds nothing`) {
		t.Errorf("a composite key given to --key:\n%s", r)
	}
	if r := run(t, "patch", "--all", "-c", s.plan); r.code != 2 || !strings.Contains(r.stderr, "--reason is required") {
		t.Errorf("patch without --reason: want exit 2 asking for it:\n%s", r)
	}
	r = mustRun(t, "patch", "--all", "--reason", "restore from source", "-c", s.plan)
	if !strings.Contains(r.stdout, "patched 2 record(s)") || !strings.Contains(r.stdout, "not clean") {
		t.Errorf("patch --all:\n%s", r)
	}
	if got := queryRows(t, s.db, "SELECT count(*) FROM orders WHERE id IN (2, 3, 7)"); got != "3" {
		t.Errorf("after patch --all, orders 2, 3 and 7: %s rows, want 3 (7 is extra, kept)", got)
	}
	mustRun(t, "patch", "--all", "--kinds", "extra", "--reason", "stray test row", "-c", s.plan)
	mustRun(t, "verify", "-c", s.plan) // exit 0: clean

	var list []struct {
		ID       int64  `json:"id"`
		Key      string `json:"key"`
		Reason   string `json:"reason"`
		Findings []struct {
			Kind string `json:"kind"`
		} `json:"findings"`
		RevertedAt *string `json:"reverted_at"`
	}
	decodeJSON(t, mustRun(t, "patch", "list", "--json", "-c", s.plan), &list)
	if len(list) != 3 || list[0].Key != "7" || list[0].Reason != "stray test row" || list[0].Findings[0].Kind != "extra" {
		t.Fatalf("patch list --json = %+v", list)
	}
	var two int64
	for _, p := range list {
		if p.Key == "2" {
			two = p.ID
		}
	}
	id := strconv.FormatInt(two, 10)
	r = mustRun(t, "patch", "show", id, "-c", s.plan)
	for _, want := range []string{"patch " + id, "reason:  restore from source", "before:", `"total":999`, "after:"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("patch show lacks %q:\n%s", want, r)
		}
	}
	mustRun(t, "patch", "revert", id, "--reason", "check", "-c", s.plan)
	if got := queryRows(t, s.db, "SELECT total FROM orders WHERE id = 2"); got != "999" {
		t.Errorf("after revert: total %s, want 999 back", got)
	}
	if r := run(t, "patch", "revert", id, "-c", s.plan); r.code == 0 || !strings.Contains(r.stderr, "reverted already") {
		t.Errorf("second revert: want refused:\n%s", r)
	}
	if r := mustRun(t, "patch", "list", "-c", s.plan); !strings.Contains(r.stdout, "reverted") {
		t.Errorf("patch list does not show the revert:\n%s", r)
	}
}

// A revert of a row changed since its patch is refused, naming --force,
// and --force puts the row before the patch back.
func TestPatchRevertChanged(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	execSQL(t, s.db, "UPDATE orders SET total = 999 WHERE id = 2")
	mustRun(t, "patch", "--key", "2", "--reason", "fix", "-c", s.plan)
	execSQL(t, s.db, "UPDATE orders SET total = 5 WHERE id = 2")
	r := run(t, "patch", "revert", "1", "-c", s.plan)
	if r.code == 0 || !strings.Contains(r.stderr, "changed since the patch") || !strings.Contains(r.stderr, "--force") {
		t.Fatalf("revert of a changed row: want refused naming --force:\n%s", r)
	}
	if got := queryRows(t, s.db, "SELECT total FROM orders WHERE id = 2"); got != "5" {
		t.Errorf("a refused revert wrote: total %s", got)
	}
	mustRun(t, "patch", "revert", "1", "--force", "-c", s.plan)
	if got := queryRows(t, s.db, "SELECT total FROM orders WHERE id = 2"); got != "999" {
		t.Errorf("after a forced revert: total %s, want 999", got)
	}
}
