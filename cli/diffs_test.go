package cli_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// Ensure decant diffs lists what the last verify kept, in the documented
// JSON shape, filters by kind, and is empty again after a clean verify.
func TestDiffs(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	s.orders(t, 4, 6)
	c := []string{"-c", s.plan}
	mustRun(t, append([]string{"migrate"}, c...)...)
	if r := mustRun(t, append([]string{"diffs"}, c...)...); !strings.Contains(r.stdout, "no findings") {
		t.Errorf("diffs before any verify:\n%s", r)
	}
	execSQL(t, s.db, "UPDATE orders SET total = 999 WHERE id = 2")
	execSQL(t, s.db, "DELETE FROM orders WHERE id = 3")
	if r := run(t, append([]string{"verify"}, c...)...); r.code != 1 {
		t.Fatalf("verify of a corrupted target: exit %d, want 1:\n%s", r.code, r)
	}
	var found []map[string]any
	decodeJSON(t, mustRun(t, append([]string{"diffs", "--json"}, c...)...), &found)
	var got []string
	for _, f := range found {
		var keys []string
		for k := range f {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, want := range []string{"columns", "key", "kind", "reason", "rule", "scope", "step", "table"} {
			if !slices.Contains(keys, want) {
				t.Errorf("a finding lacks %q: %v", want, keys)
			}
		}
		got = append(got, f["kind"].(string)+" "+f["key"].(string))
	}
	slices.Sort(got)
	if want := []string{"diff 2", "missing 3"}; !slices.Equal(got, want) {
		t.Errorf("diffs --json = %v, want %v", got, want)
	}
	r := mustRun(t, append([]string{"diffs", "--kind", "diff"}, c...)...)
	if !strings.Contains(r.stdout, `total: expected "200", actual "999"`) || strings.Contains(r.stdout, "missing") {
		t.Errorf("diffs --kind diff:\n%s", r)
	}
	if r := run(t, append([]string{"diffs", "--kind", "nope"}, c...)...); r.code != 2 {
		t.Errorf("diffs --kind nope: exit %d, want 2:\n%s", r.code, r)
	}
	// Repaired: the next verify replaces the step's findings.
	execSQL(t, s.db, "UPDATE orders SET total = 200 WHERE id = 2")
	execSQL(t, s.db, "INSERT INTO orders (id, total) VALUES (3, 300)")
	mustRun(t, append([]string{"verify"}, c...)...)
	var after []json.RawMessage
	decodeJSON(t, mustRun(t, append([]string{"diffs", "--json"}, c...)...), &after)
	if len(after) != 0 {
		t.Errorf("findings after a clean verify: %d, want none", len(after))
	}
}
