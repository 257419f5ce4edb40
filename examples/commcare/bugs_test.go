package commcare_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

// TestResolvedErrorStillBlocksFinish: a document that routes nowhere is
// a record error; docs/commands.md says a finish is clean with "no open
// error (a record that failed was not migrated: retry it, or resolve it
// with a reason)". Resolving it should therefore let the finish be clean.
//
// KNOWN BUG (engine/lifecycle.go, verified; engine/verify.go,
// addBatches): the finish's verify maps the source again, and a record
// that fails to map is counted in the step's errors whether or not its
// stored error was resolved, so the summary says "1 open error" and the
// scope stays finishing for as long as the document is in the source.
// The test skips, saying so, while the bug is there, and fails on any
// other outcome; once fixed, it checks the clean finish.
func TestResolvedErrorStillBlocksFinish(t *testing.T) {
	ctx := context.Background()
	s := newSite(t, "10m", "golf")
	if _, err := s.couch.Put(ctx, []any{stray("golf")}); err != nil {
		t.Fatal(err)
	}
	liveRound(t, "golf")
	r := mustRun(t, "errors", "list", "--scope", "golf")
	if !strings.Contains(r.stdout, "golf-user-doc") || !strings.Contains(r.stdout, "CommCareUser") {
		t.Fatalf("errors list does not show the stray document:\n%s", r)
	}
	mustRun(t, "errors", "resolve", "--step", "docs", "--all", "--reason", "mobile workers move with the users migration", "--scope", "golf")
	r = decantRun(t, "migrate", "--finish", "--scope", "golf")
	if r.code == 1 && strings.Contains(r.stderr, "scope golf is not clean (1 open error)") {
		t.Skipf("KNOWN BUG: a resolved record error still blocks the finish while its document is in the source:\n%s", r.stderr)
	}
	if r.code != 0 || !strings.Contains(r.stdout, "scope golf: live → finished (migrate --finish): clean") {
		t.Errorf("finish after resolving the only error:\n%s", r)
	}
}

// TestLagWindowStallsTheBulkPhase: phones edit a case while the domain's
// first live round runs its bulk phase. The round moves the scope to live
// ("the bulk is done"), so every document that did not change within the
// lag window should be in the target by then.
//
// KNOWN BUG (design: engine/lifecycle_lag.go with the couchdb source): the
// lag window ends a round's read at the first recent record in the
// source's order, and the CouchDB bulk phase is in _id order, not in time
// order. One case edited now holds back every document whose _id sorts
// after it (here every other case after it and every form), round after
// round while phones keep editing, yet the scope is declared live. A
// source whose order is not time order needs the window to apply to the
// changes phase only (a recent document read in the bulk phase is read
// again when it changes), or to set such records aside rather than stop.
// The test skips, saying so, while the bug is there.
func TestLagWindowStallsTheBulkPhase(t *testing.T) {
	ctx := context.Background()
	s := newSite(t, "10m", "hotel")
	busy := s.domain["hotel"].Cases[2].ID
	if _, err := s.app.Submit(ctx, "hotel", busy, time.Now()); err != nil {
		t.Fatal(err)
	}
	res, out := liveRound(t, "hotel")
	if res.Lifecycle == nil || res.Lifecycle.State != decant.StateLive {
		t.Fatalf("the first live round did not take hotel live:\n%s", out)
	}
	d := s.domain["hotel"]
	forms, cases := s.count(t, "SELECT count(*) FROM forms"), s.count(t, "SELECT count(*) FROM cases")
	if res.Steps[0].HeldAt == busy && forms == 0 && cases == 2 {
		t.Skipf("KNOWN BUG: the lag window held the bulk phase at %s: the scope is live with 2 of %d cases and none of %d forms migrated", busy, len(d.Cases), len(d.Forms))
	}
	if forms != len(d.Forms) || cases != len(d.Cases)-1 {
		t.Errorf("hotel is live with %d forms and %d cases; want %d and %d (all but the case edited now)", forms, cases, len(d.Forms), len(d.Cases)-1)
	}
}
