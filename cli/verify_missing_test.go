package cli_test

import (
	"strings"
	"testing"
)

// verify --missing-only reports the deleted and the inserted row, not the
// changed value, exits 1, gives diffs 0 in --json, and keeps no findings:
// decant diffs still lists the full verify's diff.
func TestVerifyMissingOnly(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	execSQL(t, s.db, "UPDATE orders SET total = 999 WHERE id = 2")
	execSQL(t, s.db, "DELETE FROM orders WHERE id = 3")
	execSQL(t, s.db, "INSERT INTO orders (id, total) VALUES (7, 700)")
	if r := run(t, "verify", "-c", s.plan); r.code != 1 {
		t.Fatalf("full verify: want exit 1:\n%s", r)
	}

	r := run(t, "verify", "--missing-only", "-c", s.plan)
	if r.code != 1 {
		t.Fatalf("want exit 1:\n%s", r)
	}
	for _, want := range []string{"missing\tstep orders\ttable orders\tkey 3", "extra\tstep orders\ttable orders\tkey 7", "\nnot clean\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(r.stdout, "diff\t") || strings.Contains(r.stdout, "columns not compared") {
		t.Errorf("missing-only reports a diff or unmapped columns:\n%s", r)
	}

	var doc struct {
		Steps []struct {
			Step                                        string
			Checked, OK, Missing, Extra, Diffs, Changes int
		} `json:"steps"`
	}
	r = run(t, "verify", "--missing-only", "--json", "--step", "orders", "-c", s.plan)
	if r.code != 1 {
		t.Fatalf("--json: want exit 1:\n%s", r)
	}
	decodeJSON(t, r, &doc)
	if len(doc.Steps) != 1 {
		t.Fatalf("want one step: %+v", doc)
	}
	if o := doc.Steps[0]; o.Checked != 4 || o.OK != 2 || o.Missing != 1 || o.Extra != 1 || o.Diffs != 0 || o.Changes != 0 {
		t.Errorf("orders: %+v; want 4 checked, 2 ok, 1 missing, 1 extra, 0 diffs", o)
	}

	var kept []struct{ Kind, Key string }
	decodeJSON(t, mustRun(t, "diffs", "--json", "--kind", "diff", "-c", s.plan), &kept)
	if len(kept) != 1 || kept[0].Key != "2" {
		t.Errorf("stored diffs after missing-only %+v; want the full verify's diff of key 2", kept)
	}
}
