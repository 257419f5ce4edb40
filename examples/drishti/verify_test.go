package drishti_test

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/examples/drishti/drishtifeed"
	"github.com/decanthq/decant/internal/testenv"
)

// TestDrishti_Verify migrates the example and verifies it: clean, every
// form table and the sub-form table compared, the unknown forms counted as
// errors. Then a field of one submission and a sub-form instance of another
// are changed behind decant's back, and verify finds exactly those two.
func TestDrishti_Verify(t *testing.T) {
	ctx := context.Background()
	dbURL := testenv.Postgres(t)
	db := connect(t, dbURL)
	subs := drishtifeed.NewGenerator(drishtifeed.Config{Seed: 1}).Next(400)
	hs := httptest.NewServer(drishtifeed.NewServer(subs))
	t.Cleanup(hs.Close)
	t.Setenv("DRISHTI_FEED_URL", hs.URL+drishtifeed.Path)
	t.Setenv("DRISHTI_FEED_USER", "")
	t.Setenv("DRISHTI_FEED_PASSWORD", "")
	t.Setenv("DECANT_TARGET", dbURL)
	migrate(t)

	res, out := verifyExample(t, 0)
	known, unknown := split(subs)
	s := res.Steps[0]
	if !res.Clean || s.Missing+s.Extra+s.Diffs+s.Changes+s.Duplicates != 0 || s.Errors != len(unknown) {
		t.Fatalf("verify after the migration: want clean, %d errors (the unknown forms):\n%s", len(unknown), out)
	}
	checked := map[string]int{}
	for _, tr := range s.Tables {
		checked[tr.Table] = tr.Checked
	}
	want := map[string]int{}
	for _, sub := range known {
		def, _ := drishtifeed.Form(sub.FormName)
		want[def.Name]++
	}
	want["delivery_outcome_child_registration"] = len(known) // counted by parent key, none included
	for table, n := range want {
		if checked[table] != n {
			t.Errorf("%s: %d keys checked, want %d:\n%s", table, checked[table], n, out)
		}
	}

	// One field of a tt submission, one child of a delivery outcome.
	tt := queryStrings(t, db, "SELECT instance_id FROM tt ORDER BY instance_id LIMIT 1")[0]
	child := queryStrings(t, db, `SELECT parent_instance_id || ' ' || child_id FROM delivery_outcome_child_registration
		ORDER BY parent_instance_id, child_id LIMIT 1`)[0]
	parent, childID, _ := strings.Cut(child, " ")
	if _, err := db.Exec(ctx, "UPDATE tt SET tt_dose = 'tampered' WHERE instance_id = $1", tt); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "UPDATE delivery_outcome_child_registration SET gender = 'tampered' WHERE parent_instance_id = $1 AND child_id = $2",
		parent, childID); err != nil {
		t.Fatal(err)
	}
	res, out = verifyExample(t, 1)
	var found []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "diff\t") || strings.HasPrefix(line, "missing\t") || strings.HasPrefix(line, "extra\t") ||
			strings.HasPrefix(line, "duplicate\t") || strings.HasPrefix(line, "change\t") {
			found = append(found, line)
		}
	}
	slices.Sort(found)
	wantFound := []string{
		"diff\tstep forms\ttable delivery_outcome_child_registration\tkey " + parent,
		"diff\tstep forms\ttable tt\tkey " + tt,
	}
	if !slices.Equal(found, wantFound) || !strings.Contains(out, `tt_dose: expected "`) || !strings.Contains(out, `actual "tampered"`) ||
		strings.Count(out, "  row: ") != 2 || !strings.Contains(out, `gender=\"tampered\"`) {
		t.Errorf("verify after the corruption: want exactly %q, the tt_dose column and the child row before and after:\n%s", wantFound, out)
	}
	if s := res.Steps[0]; res.Clean || s.Diffs != 2 || s.Missing+s.Extra+s.Changes+s.Duplicates != 0 {
		t.Errorf("counts %+v; want 2 diffs and nothing else", s.VerifyCounts)
	}
}

// verifyExample runs decant verify on the example, listing every finding,
// and requires exit code code (0 clean, 1 differences).
func verifyExample(t *testing.T, code int) (*engine.VerifyResult, string) {
	t.Helper()
	var out bytes.Buffer
	res, err := cli.RunVerify(context.Background(), cli.VerifyOpts{Common: common()}, &out)
	got := 0
	var ee *cli.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.Code
	case err != nil:
		t.Fatalf("decant verify: %v", err)
	}
	if got != code {
		t.Fatalf("decant verify: exit %d (%v), want %d:\n%s", got, err, code, out.String())
	}
	return res, out.String()
}
