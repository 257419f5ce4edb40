package commcare_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

// TestLiveBulkNotHeldByRecentEdits: phones edit a case while the domain's
// first live round runs its bulk phase. The bulk is read in _id order, not
// in the order documents changed, so the lag window holds none of it: the
// case edited now is migrated as it is (its next edit comes through the
// changes), and every document is in the target when the scope goes live.
func TestLiveBulkNotHeldByRecentEdits(t *testing.T) {
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
	if res.Steps[0].HeldAt != "" || forms != len(d.Forms)+1 || cases != len(d.Cases) {
		t.Errorf("hotel is live with %d forms and %d cases (held at %q); want %d and %d: the bulk is never held",
			forms, cases, res.Steps[0].HeldAt, len(d.Forms)+1, len(d.Cases))
	}
}

// TestResolvedErrorLetsTheFinishBeClean: a document that routes nowhere
// is a record error, which blocks the finish while it is open; resolved
// with a reason (accepted as not migrated), it no longer does, though the
// document is still in the source and still fails to map.
func TestResolvedErrorLetsTheFinishBeClean(t *testing.T) {
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
	if r.code != 0 || !strings.Contains(r.stdout, "scope golf: live → finished (migrate --finish): clean") {
		t.Errorf("finish after resolving the only error:\n%s", r)
	}
}
