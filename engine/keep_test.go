package engine_test

import (
	"context"
	"slices"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
)

// Ensure a verify that keeps its findings stores exactly what it found,
// with the columns of a diff, and that a later verify of the step replaces
// them: after part of the target is repaired, only the rest is left.
func TestVerify_KeepsFindings(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForVerify(t, vt)
			for _, q := range []string{
				"UPDATE items SET n = 99 WHERE id = 'k01'",
				"DELETE FROM items WHERE id = 'k02'",
				"INSERT INTO items (id, n, label) VALUES ('zz', 1, 'x')",
			} {
				if _, err := e.db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			pl := loadVerifyPlan(t, e.dir, e.url, "record.label")
			cfg := engine.Config{Plan: pl, Store: e.st, Sources: connect.Sources(pl)}
			verifyKeep := func() []decant.Finding {
				t.Helper()
				_, err := engine.Verify(context.Background(), cfg, engine.VerifyOptions{Keep: true})
				must(t, err)
				fs, err := decant.Require[decant.FindingStore](e.st, "list findings")
				must(t, err)
				found, err := fs.Findings(context.Background(), decant.FindingFilter{Scope: decant.DefaultScope})
				must(t, err)
				return found
			}
			found := verifyKeep()
			var got []string
			for _, f := range found {
				got = append(got, f.Kind+" "+f.Key)
			}
			slices.Sort(got)
			if want := []string{"diff k01", "extra zz", "missing k02"}; !slices.Equal(got, want) {
				t.Fatalf("kept findings %v; want %v", got, want)
			}
			for _, f := range found {
				if f.Key == "k01" && (len(f.Columns) != 1 || f.Columns[0].Column != "n" ||
					f.Columns[0].Actual == nil || *f.Columns[0].Actual != "99" || f.Table != "items" || f.Run == "") {
					t.Errorf("the diff of k01 as kept: %+v", f)
				}
			}
			// Repair two of the three: the next verify replaces the step's
			// findings, so only the missing row is left.
			for _, q := range []string{"UPDATE items SET n = 1 WHERE id = 'k01'", "DELETE FROM items WHERE id = 'zz'"} {
				if _, err := e.db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if again := verifyKeep(); len(again) != 1 || again[0].Kind != "missing" || again[0].Key != "k02" {
				t.Errorf("kept findings after the repair: %+v; want only missing k02", again)
			}
		})
	}
}
