package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

func (e *env) lifecycler() decant.Lifecycler { return role[decant.Lifecycler](e) }

// dropVersion7 takes the state tables back to version 6: no lifecycle.
func (e *env) dropVersion7() {
	e.dropVersion8()
	e.exec("DROP TABLE decant_scope_history")
	for _, c := range []string{"state", "state_since", "state_note"} {
		e.exec("ALTER TABLE decant_scopes DROP COLUMN " + c)
	}
}

// Ensure a scope never seen is new, a transition moves it only from the
// states it names, a refusal names the current state and changes nothing,
// the history keeps each move with its command, and the lease's row keeps
// the state (taking or releasing a lease does not reset it).
func testLifecycle(t *testing.T, e *env) {
	lc := e.lifecycler()
	l, err := lc.Lifecycle(e.ctx, "s")
	if err != nil || l.State != decant.StateNew || !l.Since.IsZero() || l.Scope != "s" {
		t.Fatalf("Lifecycle of a scope never seen = %+v, %v; want new with a zero since", l, err)
	}
	before := time.Now().Add(-time.Second)
	ctx := decant.WithTransitionCommand(e.ctx, "migrate")
	l, err = lc.Transition(ctx, "s", []decant.ScopeState{decant.StateNew, decant.StateMigrating}, decant.StateMigrating, "bulk")
	if err != nil || l.State != decant.StateMigrating || l.Since.Before(before) {
		t.Fatalf("Transition new → migrating = %+v, %v", l, err)
	}
	_, err = lc.Transition(e.ctx, "s", []decant.ScopeState{decant.StateFinished}, decant.StateCommitted, "no")
	var te *decant.TransitionError
	if !errors.As(err, &te) || te.State != decant.StateMigrating || te.Scope != "s" {
		t.Fatalf("Transition from a state the scope is not in = %v, want a *TransitionError naming migrating", err)
	}
	if err := e.leaser().AcquireLease(e.ctx, "s", holder1, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := e.leaser().ReleaseLease(e.ctx, "s", holder1); err != nil {
		t.Fatal(err)
	}
	l, err = lc.Lifecycle(e.ctx, "s")
	if err != nil || l.State != decant.StateMigrating || l.Note != "bulk" || l.Since.Before(before) {
		t.Errorf("Lifecycle after a refusal and a lease = %+v, %v; want migrating, note bulk", l, err)
	}
	if _, err := lc.Transition(decant.WithTransitionCommand(e.ctx, "migrate --live"), "s",
		[]decant.ScopeState{decant.StateMigrating}, decant.StateLive, "drained"); err != nil {
		t.Fatal(err)
	}
	// A lease on another scope makes a row: that scope is new.
	if err := e.leaser().AcquireLease(e.ctx, "other", holder1, time.Minute); err != nil {
		t.Fatal(err)
	}
	all, err := lc.Lifecycles(e.ctx)
	if err != nil || len(all) != 2 || all[0].Scope != "other" || all[0].State != decant.StateNew ||
		all[1].Scope != "s" || all[1].State != decant.StateLive || all[1].Note != "drained" {
		t.Errorf("Lifecycles = %+v, %v; want other new, s live", all, err)
	}
	want := "s|new|migrating|migrate|bulk\ns|migrating|live|migrate --live|drained\n"
	if got := e.rows("SELECT scope, from_state, to_state, command, note FROM decant_scope_history ORDER BY id"); got != want {
		t.Errorf("decant_scope_history =\n%s\nwant\n%s", got, want)
	}
}

// Ensure two transitions from one state race with one winner: the
// others see the winner's state and are refused, and the history holds
// one move.
func testLifecycleRace(t *testing.T, e *env) {
	lc := e.lifecycler()
	if _, err := lc.Transition(e.ctx, "s", []decant.ScopeState{decant.StateNew}, decant.StateLive, ""); err != nil {
		t.Fatal(err)
	}
	const n = 6
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = lc.Transition(context.Background(), "s", []decant.ScopeState{decant.StateLive}, decant.StateFinishing, "")
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for _, err := range errs {
		var te *decant.TransitionError
		switch {
		case err == nil:
			won++
		case errors.As(err, &te) && te.State == decant.StateFinishing:
		default:
			t.Errorf("a losing transition failed with %v, want a *TransitionError naming finishing", err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d racing transitions live → finishing won, want exactly 1", won, n)
	}
	if got := e.rows("SELECT count(*) FROM decant_scope_history WHERE to_state = 'finishing'"); got != "1\n" {
		t.Errorf("history holds %q moves to finishing, want 1", got)
	}
}

// Ensure version 6 tables read as new scopes without failing (a read
// command writes nothing, not even an upgrade), and that Init upgrades
// them, keeping a lease held across the upgrade.
func testLifecycleFromVersion6(t *testing.T, e *env) {
	e.dropVersion7()
	e.exec("UPDATE decant_schema SET version = 6")
	if err := e.leaser().AcquireLease(e.ctx, "s", holder1, time.Minute); err != nil {
		t.Fatalf("AcquireLease on version 6 tables: %v", err)
	}
	lc := e.lifecycler()
	if l, err := lc.Lifecycle(e.ctx, "s"); err != nil || l.State != decant.StateNew {
		t.Errorf("Lifecycle on version 6 tables = %+v, %v; want new", l, err)
	}
	if all, err := lc.Lifecycles(e.ctx); err != nil || len(all) != 0 {
		t.Errorf("Lifecycles on version 6 tables = %+v, %v; want none", all, err)
	}
	if got := e.rows("SELECT version FROM decant_schema"); got != "6\n" {
		t.Errorf("reading the lifecycle changed the version to %q", got)
	}
	if err := e.initer().Init(e.ctx); err != nil {
		t.Fatalf("Init from version 6: %v", err)
	}
	if got := e.rows("SELECT version FROM decant_schema"); got != latestVersion {
		t.Errorf("decant_schema = %q after Init, want %q", got, latestVersion)
	}
	if err := e.leaser().AcquireLease(e.ctx, "s", holder2, time.Minute); !errors.Is(err, decant.ErrLeaseHeld) {
		t.Errorf("the lease taken before the upgrade no longer holds: %v", err)
	}
	if l, err := lc.Lifecycle(e.ctx, "s"); err != nil || l.State != decant.StateNew {
		t.Errorf("Lifecycle of a leased scope after the upgrade = %+v, %v; want new", l, err)
	}
	if _, err := lc.Transition(e.ctx, "s", []decant.ScopeState{decant.StateNew}, decant.StateMigrating, ""); err != nil {
		t.Errorf("Transition after the upgrade: %v", err)
	}
}
