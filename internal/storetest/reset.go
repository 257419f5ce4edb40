package storetest

import (
	"slices"
	"testing"

	"github.com/decanthq/decant"
)

// resetTests are the conformance tests of what the ScopeResetter role
// does before a reset's first chunk and within each chunk; Run runs
// them with the others.
var resetTests = []struct {
	name string
	fn   func(*testing.T, *env)
}{
	{"ResetForgetCheckpoints", testResetForgetCheckpoints},
	{"ResetHeldElsewhere", testResetHeldElsewhere},
}

// Ensure ForgetCheckpoints deletes the checkpoints of the steps given,
// and only of the scope given: a migrate after a stopped reset then
// reads those steps from the start.
func testResetForgetCheckpoints(t *testing.T, e *env) {
	for _, scope := range []string{"s", "other"} {
		for _, step := range []string{"a", "b", "c"} {
			e.write(&decant.Batch{Scope: scope, Step: step, Ledger: ledger("1:ok"), Checkpoint: decant.Position(`{"p":1}`)})
			e.write(&decant.Batch{Scope: scope, Step: step, Chunk: "1", Checkpoint: decant.Position(`{"after":[1]}`)})
		}
	}
	if err := e.resetter().ForgetCheckpoints(e.ctx, "s", []string{"a", "b", "gone"}); err != nil {
		t.Fatal(err)
	}
	if got, want := e.rows("SELECT scope, step FROM decant_checkpoints ORDER BY scope, step"), "other|a\nother|b\nother|c\ns|c\n"; got != want {
		t.Errorf("checkpoints after ForgetCheckpoints(s, a b gone):\n%s\nwant:\n%s", got, want)
	}
	if got, want := e.rows("SELECT scope, step FROM decant_chunks ORDER BY scope, step"), "other|a\nother|b\nother|c\ns|c\n"; got != want {
		t.Errorf("chunk checkpoints after ForgetCheckpoints(s, a b gone):\n%s\nwant:\n%s", got, want)
	}
	if got := e.count("decant_ledger"); got != 6 {
		t.Errorf("ledger has %d rows after ForgetCheckpoints, want 6: it forgets checkpoints only", got)
	}
}

// Ensure HeldElsewhere returns the keys another scope's ledger of the
// same step holds, each with those scopes sorted, not a key only this
// scope has, not one held by another step, and not one the other scope
// holds as deleted.
func testResetHeldElsewhere(t *testing.T, e *env) {
	e.write(&decant.Batch{Scope: "a", Step: "orders", Ledger: ledger("1:ok", "2:ok", "3:ok", "4:ok", "5:ok")})
	e.write(&decant.Batch{Scope: "b", Step: "orders", Ledger: ledger("3:ok", "1:failed", "4:deleted")})
	e.write(&decant.Batch{Scope: "c", Step: "lines", Ledger: ledger("2:ok")})
	e.write(&decant.Batch{Scope: "d", Step: "orders", Ledger: ledger("3:ok", "9:ok")})
	got, err := e.resetter().HeldElsewhere(e.ctx, "a", "orders", []string{"1", "2", "3", "4", "5"})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string][]string{"1": {"b"}, "3": {"b", "d"}}; !heldEqual(got, want) {
		t.Errorf("HeldElsewhere(a, orders) = %q, want %q", got, want)
	}
	got, err = e.resetter().HeldElsewhere(e.ctx, "b", "orders", []string{"1", "3", "4"})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string][]string{"1": {"a"}, "3": {"a", "d"}, "4": {"a"}}; !heldEqual(got, want) {
		t.Errorf("HeldElsewhere(b, orders) = %q, want %q", got, want)
	}
	if got, err := e.resetter().HeldElsewhere(e.ctx, "a", "orders", nil); err != nil || len(got) != 0 {
		t.Errorf("HeldElsewhere of no keys = %q, %v; want none", got, err)
	}
}

func heldEqual(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(b[k], v) {
			return false
		}
	}
	return true
}
