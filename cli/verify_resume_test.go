package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A verify whose source fails mid-run exits 2, says how to go on, and keeps
// what it verified; verify --resume then verifies only the rest, and its
// counts (text and --json) are those of the whole run.
func TestVerifyResumeAfterFailure(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	execSQL(t, s.db, "UPDATE orders SET total = 999 WHERE id = 2")
	events := filepath.Join(s.dir, "events.jsonl")
	if err := os.Rename(events, events+".away"); err != nil {
		t.Fatal(err)
	}
	r := run(t, "verify", "-c", s.plan, "--chunk-keys", "1")
	if r.code != 2 || !strings.Contains(r.stderr, "decant verify --resume continues run") || !strings.Contains(r.stderr, "events") {
		t.Fatalf("verify with a source gone: want exit 2 saying to resume:\n%s", r)
	}
	if d := mustRun(t, "diffs", "-c", s.plan); !strings.Contains(d.stdout, "orders") {
		t.Errorf("decant diffs after the failed verify lacks the orders diff it found:\n%s", d)
	}
	if err := os.Rename(events+".away", events); err != nil {
		t.Fatal(err)
	}
	r = run(t, "verify", "-c", s.plan, "--resume")
	if r.code != 1 || !strings.Contains(r.stdout, "resumed verify run") || strings.Contains(r.stdout, "diff\tstep orders") {
		t.Fatalf("verify --resume: want exit 1, resumed, orders not compared again:\n%s", r)
	}
	if got := rowFields(r.stdout, "orders"); got != "orders orders 3 2 0 0 1 0 0 0 0" {
		t.Errorf("verify --resume: the orders row is %q, want the first attempt's counts:\n%s", got, r)
	}
	// Nothing is left to resume: --resume verifies from the start, says so.
	r = run(t, "verify", "-c", s.plan, "--resume", "--json")
	if r.code != 1 || !strings.Contains(r.stderr, "no unfinished verify to resume") || !strings.Contains(r.stdout, `"diffs": 1`) {
		t.Errorf("verify --resume with nothing to resume:\n%s", r)
	}
	if r := run(t, "verify", "-c", s.plan, "--resume", "--missing-only"); r.code != 2 || !strings.Contains(r.stderr, "--missing-only") {
		t.Errorf("--resume --missing-only: want exit 2 naming both flags:\n%s", r)
	}
}

// While another run holds the scope's lease but writes nothing of the
// step (its checkpoint does not move), an order the source gives and the
// target lacks is missing, not pending: a lease alone hides nothing. The
// text still has its PENDING column.
func TestVerifyLeaseAloneIsNotPending(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	s.orders(t, 4, 4)
	stamp := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }
	execSQL(t, s.db, "UPDATE decant_scopes SET holder = 'elsewhere pid 42', holder_id = 'elsewhere/42/live', expires = '"+
		stamp(time.Now().Add(time.Hour))+"' WHERE scope = 'default'")
	r := run(t, "verify", "-c", s.plan, "--json")
	if r.code != 1 || !strings.Contains(r.stdout, `"pending": 0`) || !strings.Contains(r.stdout, `"missing": 1`) {
		t.Fatalf("verify --json while leased: want exit 1, order 4 missing, nothing pending:\n%s", r)
	}
	r = run(t, "verify", "-c", s.plan)
	if r.code != 1 || !strings.Contains(r.stdout, "PENDING") || !strings.Contains(r.stdout, "missing\tstep orders\ttable orders\tkey 4") {
		t.Errorf("verify while leased: want order 4 missing:\n%s", r)
	}
}

// rowFields returns the fields of the first line of out whose first field
// is first, joined by single spaces.
func rowFields(out, first string) string {
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == first {
			return strings.Join(f, " ")
		}
	}
	return ""
}
