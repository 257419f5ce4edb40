package storetest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

// allRoles are the roles every store of decant has, as decant.Roles names
// them.
var allRoles = []string{"StateInitializer", "Leaser", "StateReader", "Cataloger", "ErrorResolver", "ScriptRunner", "ScopedScriptRunner", "Pinger", "TargetReader", "FindingStore", "Patcher", "Lifecycler", "ScopeResetter", "LedgerStatusLister", "LedgerCompactor", "ChunkCheckpointer", "UnmappedReader"}

// optionalRoles are roles a store may have or not: JSONSpeller, which
// only a store whose JSON columns respell documents needs (PostgreSQL's
// jsonb).
var optionalRoles = []string{"JSONSpeller"}

// required is roles without the optional ones.
func required(roles []string) []string {
	return slices.DeleteFunc(slices.Clone(roles), func(r string) bool { return slices.Contains(optionalRoles, r) })
}

// wrapped is a store wrapper as a caller writes one (connect.PlannedStore,
// a commit counter): it embeds the core and says what it wraps.
type wrapped struct{ decant.Store }

func (w wrapped) Unwrap() decant.Store { return w.Store }

// opaque embeds the core but does not say what it wraps, so it hides the
// store's roles.
type opaque struct{ decant.Store }

// testRoles checks that the store has every role, that a wrapper with
// Unwrap keeps them all, working, and that one without says what it lacks.
func testRoles(t *testing.T, e *env) {
	own := decant.Roles(e.s)
	if got := required(own); !slices.Equal(got, allRoles) {
		t.Errorf("Roles(%T) = %v, want %v (and any of %v)", e.s, own, allRoles, optionalRoles)
	}
	w := wrapped{e.s}
	if got := decant.Roles(w); !slices.Equal(got, own) {
		t.Errorf("Roles of a wrapper = %v, want the store's %v", got, own)
	}
	l, err := decant.Require[decant.Leaser](w, "hold the scope's lease")
	if err != nil {
		t.Fatal(err)
	}
	a, b := decant.Holder{Host: "h", PID: 1, ID: "a"}, decant.Holder{Host: "h", PID: 2, ID: "b"}
	if err := l.AcquireLease(e.ctx, "s", a, time.Minute); err != nil {
		t.Fatalf("AcquireLease through the wrapper: %v", err)
	}
	if err := e.leaser().AcquireLease(e.ctx, "s", b, time.Minute); !errors.Is(err, decant.ErrLeaseHeld) {
		t.Errorf("a lease taken through the wrapper is not held in the store: AcquireLease by another = %v", err)
	}
	_, err = decant.Require[decant.Leaser](opaque{e.s}, "hold the scope's lease")
	var re *decant.RoleError
	if !errors.As(err, &re) || !errors.Is(err, errors.ErrUnsupported) ||
		!strings.Contains(err.Error(), "cannot hold the scope's lease: it does not implement decant.Leaser") {
		t.Errorf("Require through a wrapper without Unwrap = %v, want a *decant.RoleError naming decant.Leaser", err)
	}
}
