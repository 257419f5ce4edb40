package storetest

import (
	"testing"

	"github.com/decanthq/decant"
)

// Ensure Status counts a step's stored findings by kind, in the same read
// as its other counts, and that a verify replacing them changes the counts.
func testStatusFindings(t *testing.T, e *env) {
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("1:ok", "2:ok", "3:ok")})
	e.write(&decant.Batch{Scope: "s", Step: "b", Ledger: ledger("1:ok")})
	e.replace(decant.FindingRun{Scope: "s", Step: "a", Run: "r1"},
		found("t", "1:diff"), found("t", "2:diff"), found("t", "3:change"), found("t", "4:missing"),
		found("child", "1:extra"), found("child", "2:duplicate"), found("child", "3:missing"), found("child", "4:pending"))
	e.replace(decant.FindingRun{Scope: "other", Step: "a", Run: "r1"}, found("t", "9:diff"))
	got := map[string]decant.StepStatus{}
	for _, st := range e.status("s") {
		got[st.Step] = st
	}
	a := got["a"]
	if a.Diffs != 2 || a.Changes != 1 || a.Missing != 2 || a.Extra != 1 || a.Duplicates != 1 || a.Pending != 1 || a.Keys != 3 || a.Written != 3 {
		t.Errorf("Status of step a = %+v, want 2 diffs, 1 change, 2 missing, 1 extra, 1 duplicate, 1 pending, 3 keys written", a)
	}
	if b := got["b"]; b.Diffs+b.Changes+b.Missing+b.Extra+b.Duplicates != 0 || b.Keys != 1 {
		t.Errorf("Status of step b = %+v, want no findings (none were stored for it)", b)
	}
	// A clean verify of step a leaves it none.
	e.replace(decant.FindingRun{Scope: "s", Step: "a", Run: "r2"})
	for _, st := range e.status("s") {
		if st.Diffs+st.Changes+st.Missing+st.Extra+st.Duplicates != 0 {
			t.Errorf("Status of step %s after a clean verify = %+v, want no findings", st.Step, st)
		}
	}
}

// Ensure Status reads state tables at version 3, which have no
// decant_diffs, as having no findings, and creates nothing.
func testStatusFindingsFromVersion3(t *testing.T, e *env) {
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("1:ok", "2:failed")})
	e.dropVersion4()
	e.exec("UPDATE decant_schema SET version = 3")
	st := e.status("s")
	if len(st) != 1 || st[0].Keys != 2 || st[0].Written != 1 || st[0].Diffs+st[0].Missing+st[0].Extra+st[0].Changes+st[0].Duplicates != 0 {
		t.Errorf("Status of version 3 tables = %+v, want step a with 2 keys, 1 written, no findings", st)
	}
	e.exec("CREATE TABLE decant_diffs (x int)") // Status created nothing
	if got := e.rows("SELECT version FROM decant_schema"); got != "3\n" {
		t.Errorf("decant_schema version after Status = %q, want 3 kept", got)
	}
}
