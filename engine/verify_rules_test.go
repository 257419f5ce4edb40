package engine_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/plan"
)

// verifyRulesPlan is verifyPlan with a verify: section accepting known
// differences and limiting the key space to the ids that start with k.
func verifyRulesPlan(url string) string {
	return verifyPlan(url, "record.label") + `    verify:
      where: "id LIKE 'k%'"
      rules:
        - {column: label, trim: true, reason: "legacy pads labels"}
        - {column: n, ignore: true, reason: "the app recounts n"}
        - {column: amount, tolerance: 0.01, reason: "float rounding in the old system"}
`
}

// Ensure the plan's verify rules turn the differences they explain into
// changes (the verify stays clean) and its where keeps a target row
// outside the step's key space from being extra; the same target without
// the verify section has diffs and an extra row.
func TestVerify_PlanRulesAndWhere(t *testing.T) {
	t.Parallel()
	e := migrateForVerify(t, verifyTargets[0])
	for _, q := range []string{
		"UPDATE items SET label = label || '  ' WHERE id = 'k01'",
		"UPDATE items SET n = 99 WHERE id = 'k02'",
		"UPDATE items SET amount = 1.505 WHERE id = 'k03'",
		"INSERT INTO items (id, n, label) VALUES ('zz', 1, 'other tenant')",
	} {
		if _, err := e.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	path := filepath.Join(e.dir, "rules.yaml")
	must(t, os.WriteFile(path, []byte(verifyRulesPlan(e.url)), 0o644))
	pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	res, found := runVerify(t, pl, e.st)
	if want := []string{"change k01", "change k02", "change k03"}; !slices.Equal(found, want) {
		t.Errorf("with rules: findings %v; want %v", found, want)
	}
	if s := res.Steps[0]; !res.Clean || s.Changes != 3 || s.Diffs != 0 || s.Extra != 0 {
		t.Errorf("with rules: clean %v, counts %+v; want clean, 3 changes, no diff, no extra", res.Clean, s)
	}

	res, found = runVerify(t, loadVerifyPlan(t, e.dir, e.url, "record.label"), e.st)
	if want := []string{"diff k01", "diff k02", "diff k03", "extra zz"}; !slices.Equal(found, want) {
		t.Errorf("without rules: findings %v; want %v", found, want)
	}
	if res.Clean {
		t.Error("without rules: verify is clean; want diffs and an extra row")
	}
}
