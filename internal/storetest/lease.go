package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

// heldBy returns the LeaseError h gets on scope, failing if h is let in.
func (e *env) heldBy(scope string, h decant.Holder) *decant.LeaseError {
	e.t.Helper()
	err := e.leaser().AcquireLease(e.ctx, scope, h, time.Minute)
	var le *decant.LeaseError
	if !errors.As(err, &le) {
		e.t.Fatalf("AcquireLease(%s) by %s: %v, want a *LeaseError", scope, h, err)
	}
	return le
}

func testLeaseHolder(t *testing.T, e *env) {
	// Host and ID are free text for library callers: '/' in them must not
	// confuse the holder read back.
	for _, h := range []decant.Holder{
		holder1,
		{Host: "db-7.example.com", PID: 31337, ID: "db-7.example.com:31337:sx9k2"},
		{Host: "a/1/b", PID: 2, ID: "c/3/d"},
		{Host: "h", PID: 4, ID: ""},
	} {
		if err := e.leaser().AcquireLease(e.ctx, "s", h, time.Minute); err != nil {
			t.Fatalf("AcquireLease by %+v: %v", h, err)
		}
		le := e.heldBy("s", holder2)
		if le.HeldBy != h || le.Holder != h.String() {
			t.Errorf("LeaseError holder = %+v (%q), want %+v (%q)", le.HeldBy, le.Holder, h, h.String())
		}
		if err := e.leaser().ReleaseLease(e.ctx, "s", h); err != nil {
			t.Fatal(err)
		}
	}
}

func testLeaseBreak(t *testing.T, e *env) {
	if err := e.leaser().BreakLease(e.ctx, "s", holder1); err != nil {
		t.Fatalf("BreakLease on a scope never held: %v", err)
	}
	if err := e.leaser().AcquireLease(e.ctx, "s", holder1, time.Minute); err != nil {
		t.Fatal(err)
	}
	// Only the exact holder's lease breaks: same host and pid, another run
	// of it, is someone else.
	sibling := holder1
	sibling.ID = "run1-again"
	for _, h := range []decant.Holder{holder2, sibling} {
		if err := e.leaser().BreakLease(e.ctx, "s", h); err != nil {
			t.Fatalf("BreakLease(%+v): %v", h, err)
		}
		if le := e.heldBy("s", holder2); le.HeldBy != holder1 {
			t.Fatalf("after BreakLease(%+v) the scope is held by %+v, want %+v", h, le.HeldBy, holder1)
		}
	}
	// The holder as read back from the refusal breaks it, before expiry.
	dead := e.heldBy("s", holder2).HeldBy
	if err := e.leaser().BreakLease(e.ctx, "s", dead); err != nil {
		t.Fatalf("BreakLease: %v", err)
	}
	if err := e.leaser().AcquireLease(e.ctx, "s", holder2, time.Minute); err != nil {
		t.Fatalf("AcquireLease after BreakLease: %v", err)
	}
	// A second break of the same dead holder leaves its successor alone.
	if err := e.leaser().BreakLease(e.ctx, "s", dead); err != nil {
		t.Fatalf("BreakLease again: %v", err)
	}
	if le := e.heldBy("s", holder1); le.HeldBy != holder2 {
		t.Errorf("a stale BreakLease freed the successor's lease: held by %+v, want %+v", le.HeldBy, holder2)
	}
	// An expired lease breaks too, and other scopes are untouched.
	if err := e.leaser().AcquireLease(e.ctx, "other", holder1, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if err := e.leaser().BreakLease(e.ctx, "other", holder1); err != nil {
		t.Fatalf("BreakLease of an expired lease: %v", err)
	}
	if le := e.heldBy("s", holder1); le.HeldBy != holder2 {
		t.Errorf("BreakLease on another scope freed s: held by %+v", le.HeldBy)
	}
	if err := e.leaser().AcquireLease(e.ctx, "other", holder2, time.Minute); err != nil {
		t.Errorf("AcquireLease after breaking an expired lease: %v", err)
	}
}
