package storetest

import (
	"slices"
	"testing"

	"github.com/decanthq/decant"
)

// Ensure LedgerKeysByStatus pages through one (scope, step)'s keys of one
// status in byte order, and reads an unwritten database as empty.
func testLedgerKeysByStatus(t *testing.T, e *env) {
	l := role[decant.LedgerStatusLister](e)
	if keys, err := l.LedgerKeysByStatus(e.ctx, "s", "a", decant.StatusDeleted, "", 10); err != nil || len(keys) != 0 {
		t.Fatalf("LedgerKeysByStatus of nothing = %v, %v", keys, err)
	}
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("b:deleted", "a:ok", "B:deleted", "10:failed", "9:deleted", "c:deleted")})
	e.write(&decant.Batch{Scope: "s", Step: "other", Ledger: ledger("zz:deleted")})
	e.write(&decant.Batch{Scope: "t", Step: "a", Ledger: ledger("yy:deleted")})
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("c:ok")}) // written again
	var all []string
	after := ""
	for {
		keys, err := l.LedgerKeysByStatus(e.ctx, "s", "a", decant.StatusDeleted, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == 0 {
			break
		}
		if len(keys) > 2 {
			t.Fatalf("LedgerKeysByStatus(limit 2) gave %v", keys)
		}
		all = append(all, keys...)
		after = keys[len(keys)-1]
	}
	if want := []string{"9", "B", "b"}; !slices.Equal(all, want) {
		t.Errorf("deleted ledger keys = %v, want %v", all, want)
	}
}
