package icms_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	v1 "github.com/decanthq/decant/examples/icms/v1"
)

// storedError is one error of `decant errors list --json`.
type storedError struct {
	Step, Key, Message, Detail, Payload string
}

// lineCol is the parser's position in a malformed document's error.
var lineCol = regexp.MustCompile(`is not well-formed XML: line \d+, column \d+: `)

// Ensure a full migration, in ICMS's order and at ICMS's --batchsize,
// leaves V2's tables holding V1's rows: decimals exact, London wall-clock
// times in UTC, dates, the ENUM statuses, the flags as booleans, NULLs,
// and the XML details as columns and child rows (the goods; the
// namespaced checklist and its checks). The malformed documents are
// stored errors naming the parser's line and column, one per step that
// reads them, and verify finds nothing missing, extra or different.
func TestICMS_Migrate(t *testing.T) {
	s := newSite(t)
	s.env(t)
	sum := s.migrate(t, "--batch-size", "100")
	wantSteps := []string{"users", "countries", "units", "commodities", "case_files", "import_applications", "ia_checklists", "ia_licences"}
	if got := sum.stepNames(); !slices.Equal(got, wantSteps) {
		t.Errorf("migrate ran steps %q, want %q", got, wantSteps)
	}
	bad := v1.MalformedIDs(numApps)
	for _, st := range sum.Steps {
		if st.Step == "import_applications" {
			if st.Read != numApps || st.Failed != int64(len(bad)) || st.Batches < numApps/100 {
				t.Errorf("import_applications: read %d, failed %d in %d batches; want %d read, %d failed, at least %d batches of 100",
					st.Read, st.Failed, st.Batches, numApps, len(bad), numApps/100)
			}
		}
	}
	s.check(t)

	// The malformed documents: an error each in the two steps that read
	// the details, with the parser's position, and the payload kept.
	var errs []storedError
	decodeJSON(t, mustRun(t, "errors", "list", "--json", "--limit", "0"), &errs)
	var got, wantErrs []string
	for _, e := range errs {
		got = append(got, e.Step+" "+e.Key)
		if !lineCol.MatchString(e.Message + e.Detail) {
			t.Errorf("error of %s key %s does not name the line and column: %s\n%s", e.Step, e.Key, e.Message, e.Detail)
		}
		if !strings.Contains(e.Payload, `"xml_data":`) {
			t.Errorf("error of %s key %s has no payload with the XML: %q", e.Step, e.Key, e.Payload)
		}
	}
	for _, step := range []string{"import_applications", "ia_checklists"} {
		for _, id := range bad {
			wantErrs = append(wantErrs, fmt.Sprintf("%s %d", step, id))
		}
	}
	slices.Sort(got)
	slices.Sort(wantErrs)
	if !slices.Equal(got, wantErrs) {
		t.Errorf("stored errors %q, want %q", got, wantErrs)
	}

	// Verify reads V1 again and compares: clean, the malformed rows as
	// errors only.
	var v struct {
		Clean bool
		Steps []struct {
			Step                                        string
			Checked, OK, Missing, Extra, Diffs, Changes int
			Errors, Duplicates                          int
		}
	}
	r := decantRun(t, "verify", "--json")
	decodeJSON(t, r, &v)
	if r.code != 0 || !v.Clean {
		t.Errorf("verify is not clean: %s", r)
	}
	for _, st := range v.Steps {
		wantErrors := 0
		if st.Step == "import_applications" || st.Step == "ia_checklists" {
			wantErrors = len(bad)
		}
		if st.Missing+st.Extra+st.Diffs+st.Changes+st.Duplicates != 0 || st.Errors != wantErrors || st.OK == 0 {
			t.Errorf("verify of %s: %+v; want no missing, extra, diffs, changes or duplicates, %d errors", st.Step, st, wantErrors)
		}
	}
}
