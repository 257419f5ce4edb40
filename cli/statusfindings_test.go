package cli_test

import (
	"strings"
	"testing"
)

// Ensure decant status shows, per step, the findings the last verify kept
// (DIFFS, MISSING, EXTRA columns and their --json counts), and none again
// after a clean verify.
func TestStatusFindings(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	c := []string{"-c", s.plan}
	mustRun(t, append([]string{"migrate"}, c...)...)
	execSQL(t, s.db, "UPDATE orders SET total = 999 WHERE id = 2")
	execSQL(t, s.db, "DELETE FROM orders WHERE id = 3")
	execSQL(t, s.db, "INSERT INTO orders (id, total) VALUES (77, 7700)")
	if r := run(t, append([]string{"verify"}, c...)...); r.code != 1 {
		t.Fatalf("verify of a corrupted target: exit %d, want 1:\n%s", r.code, r)
	}
	type counts struct {
		Step                                       string
		Read, Written, Failed                      int64
		Diffs, Changes, Missing, Extra, Duplicates int64
	}
	var ss []counts
	decodeJSON(t, mustRun(t, append([]string{"status", "--json"}, c...)...), &ss)
	got := map[string]counts{}
	for _, st := range ss {
		got[st.Step] = st
	}
	want := counts{Step: "orders", Read: 3, Written: 3, Diffs: 1, Missing: 1, Extra: 1}
	if got["orders"] != want {
		t.Errorf("status --json orders = %+v, want %+v", got["orders"], want)
	}
	if cu := got["customers"]; cu.Diffs+cu.Changes+cu.Missing+cu.Extra+cu.Duplicates != 0 {
		t.Errorf("status --json customers = %+v, want no findings", cu)
	}
	r := mustRun(t, append([]string{"status"}, c...)...)
	header, orders := statusLine(r.stdout, "STEP"), statusLine(r.stdout, "orders")
	if want := "STEP READ KEYS WRITTEN FAILED DIFFS CHANGES MISSING EXTRA PENDING BATCHES"; !strings.HasPrefix(header, want) {
		t.Errorf("status header = %q, want it to start %q", header, want)
	}
	if want := "orders 3 3 3 0 1 0 1 1 "; !strings.HasPrefix(orders, want) {
		t.Errorf("status orders line = %q, want it to start %q:\n%s", orders, want, r)
	}
	// Repaired: the next verify replaces the findings, and status shows none.
	execSQL(t, s.db, "UPDATE orders SET total = 200 WHERE id = 2")
	execSQL(t, s.db, "INSERT INTO orders (id, total) VALUES (3, 300)")
	execSQL(t, s.db, "DELETE FROM orders WHERE id = 77")
	mustRun(t, append([]string{"verify"}, c...)...)
	decodeJSON(t, mustRun(t, append([]string{"status", "--json"}, c...)...), &ss)
	for _, st := range ss {
		if st.Diffs+st.Changes+st.Missing+st.Extra+st.Duplicates != 0 {
			t.Errorf("status --json after a clean verify: %+v, want no findings", st)
		}
	}
}

// statusLine returns the line of text that starts with first, its fields
// joined by single spaces.
func statusLine(text, first string) string {
	for _, line := range strings.Split(text, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == first {
			return strings.Join(f, " ")
		}
	}
	return ""
}
