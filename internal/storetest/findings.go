package storetest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

func (e *env) findingStore() decant.FindingStore { return role[decant.FindingStore](e) }

// replace stores findings for run, failing the test on an error.
func (e *env) replace(run decant.FindingRun, findings ...decant.Finding) {
	e.t.Helper()
	if err := e.findingStore().ReplaceFindings(e.ctx, run, findings); err != nil {
		e.t.Fatalf("ReplaceFindings(%+v): %v", run, err)
	}
}

func (e *env) findings(f decant.FindingFilter) []decant.Finding {
	e.t.Helper()
	out, err := e.findingStore().Findings(e.ctx, f)
	if err != nil {
		e.t.Fatalf("Findings(%+v): %v", f, err)
	}
	return out
}

// found makes a finding of table t: "key:kind".
func found(table, keyKind string) decant.Finding {
	key, kind, _ := strings.Cut(keyKind, ":")
	return decant.Finding{Table: table, Key: key, Kind: kind}
}

// findingLines renders findings as "scope/step table key:kind" lines.
func findingLines(fs []decant.Finding) string {
	var sb strings.Builder
	for _, f := range fs {
		sb.WriteString(f.Scope + "/" + f.Step + " " + f.Table + " " + f.Key + ":" + f.Kind + "\n")
	}
	return sb.String()
}

func str(s string) *string { return &s }

// Ensure a second verify of a step replaces the step's findings: a key no
// longer found is gone, one found again keeps the new run, and another
// step's findings stay.
func testFindingsReplace(t *testing.T, e *env) {
	a, b := decant.FindingRun{Scope: "s", Step: "a", Run: "r1"}, decant.FindingRun{Scope: "s", Step: "b", Run: "r1"}
	e.replace(a, found("t", "1:diff"), found("t", "2:missing"), found("child", "1:extra"))
	e.replace(b, found("u", "9:missing"))
	a.Run = "r2"
	e.replace(a, found("t", "2:extra"))
	got := e.findings(decant.FindingFilter{Scope: "s"})
	if want := "s/a t 2:extra\ns/b u 9:missing\n"; findingLines(got) != want {
		t.Fatalf("findings after a second verify of step a:\n%s\nwant\n%s", findingLines(got), want)
	}
	if got[0].Run != "r2" || got[1].Run != "r1" || got[0].FoundAt.IsZero() || time.Since(got[0].FoundAt) > time.Hour {
		t.Errorf("runs and times = %q %v, %q: want r2 now, r1", got[0].Run, got[0].FoundAt, got[1].Run)
	}
	// A clean verify of a step leaves it none.
	e.replace(b)
	if got := e.findings(decant.FindingFilter{}); findingLines(got) != "s/a t 2:extra\n" {
		t.Errorf("findings after a clean verify of step b:\n%s", findingLines(got))
	}
}

// Ensure a verify of a key range replaces the findings in the range only,
// bounds included.
func testFindingsRange(t *testing.T, e *env) {
	all := decant.FindingRun{Scope: "s", Step: "a", Run: "r1"}
	e.replace(all, found("t", "a:diff"), found("t", "b:diff"), found("t", "c:diff"), found("t", "d:diff"))
	e.replace(decant.FindingRun{Scope: "s", Step: "a", Run: "r2", From: "b", To: "c"}, found("t", "bb:missing"))
	if got, want := findingLines(e.findings(decant.FindingFilter{})), "s/a t a:diff\ns/a t bb:missing\ns/a t d:diff\n"; got != want {
		t.Errorf("findings after verifying b..c:\n%s\nwant\n%s", got, want)
	}
	e.replace(decant.FindingRun{Scope: "s", Step: "a", Run: "r3", From: "c"})
	if got, want := findingLines(e.findings(decant.FindingFilter{})), "s/a t a:diff\ns/a t bb:missing\n"; got != want {
		t.Errorf("findings after verifying c.. clean:\n%s\nwant\n%s", got, want)
	}
}

// Ensure Findings filters by scope, step and kind, caps the count and
// orders by scope, step, table and key (bytewise).
func testFindingsFilter(t *testing.T, e *env) {
	e.replace(decant.FindingRun{Scope: "s", Step: "b", Run: "r"}, found("t", "k:diff"), found("t", "K:missing"), found("a", "z:diff"))
	e.replace(decant.FindingRun{Scope: "s", Step: "a", Run: "r"}, found("t", "k:extra"))
	e.replace(decant.FindingRun{Scope: "o", Step: "a", Run: "r"}, found("t", "k:diff"))
	for _, tt := range []struct {
		f    decant.FindingFilter
		want string
	}{
		{decant.FindingFilter{Scope: "s"}, "s/a t k:extra\ns/b a z:diff\ns/b t K:missing\ns/b t k:diff\n"},
		{decant.FindingFilter{Scope: "s", Step: "b", Kind: decant.FindingDiff}, "s/b a z:diff\ns/b t k:diff\n"},
		{decant.FindingFilter{Kind: decant.FindingDiff}, "o/a t k:diff\ns/b a z:diff\ns/b t k:diff\n"},
		{decant.FindingFilter{Scope: "s", Limit: 2}, "s/a t k:extra\ns/b a z:diff\n"},
		{decant.FindingFilter{Kind: decant.FindingChange}, ""},
	} {
		if got := findingLines(e.findings(tt.f)); got != tt.want {
			t.Errorf("Findings(%+v):\n%s\nwant\n%s", tt.f, got, tt.want)
		}
	}
}

// Ensure the columns of a finding come back as stored, NULLs as nil, and
// print as `decant diffs --json` documents.
func testFindingsColumns(t *testing.T, e *env) {
	cols := []decant.ColumnFinding{
		{Column: "name", Expected: str("Ann "), Actual: str("Ann")},
		{Column: "note", Expected: nil, Actual: str("")},
		{Column: "n", Expected: str("1.5"), Actual: nil, Rule: "tolerance", Reason: "rounded by the old system"},
		{Column: "doc", Expected: str("{\"a\":\"\\u0000\\n\"}"), Actual: str("é\t\"x\"")},
	}
	change := decant.Finding{Table: "t", Key: "1", Kind: decant.FindingChange, Columns: cols, Rule: "trim", Reason: "padded"}
	e.replace(decant.FindingRun{Scope: "s", Step: "a", Run: "r"}, change, found("t", "2:missing"))
	got := e.findings(decant.FindingFilter{})
	if len(got) != 2 {
		t.Fatalf("findings = %+v, want 2", got)
	}
	if g := got[0]; !slices.EqualFunc(g.Columns, cols, columnEqual) || g.Rule != "trim" || g.Reason != "padded" || g.Kind != decant.FindingChange {
		t.Errorf("change read back = %+v, want %+v", g, change)
	}
	if got[1].Columns == nil || len(got[1].Columns) != 0 {
		t.Errorf("columns of a missing key = %#v, want empty, not nil", got[1].Columns)
	}
	b, err := json.Marshal(got[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"scope", "step", "table", "key", "kind", "columns", "rule", "reason"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON of a finding %s lacks %q", b, k)
		}
	}
	if !strings.Contains(string(b), `"columns":[]`) {
		t.Errorf("JSON of a finding without columns = %s, want \"columns\":[]", b)
	}
	b, _ = json.Marshal(got[0].Columns[1])
	if string(b) != `{"column":"note","expected":null,"actual":""}` {
		t.Errorf("JSON of a column with a NULL expected = %s", b)
	}
}

func columnEqual(a, b decant.ColumnFinding) bool {
	return a.Column == b.Column && a.Rule == b.Rule && a.Reason == b.Reason &&
		ptrEqual(a.Expected, b.Expected) && ptrEqual(a.Actual, b.Actual)
}

func ptrEqual(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// Ensure keys with odd bytes, as decant.LedgerKey makes them, are stored
// and replaced exactly, and that a key that is not text is refused rather
// than stored altered.
func testFindingsOddKeys(t *testing.T, e *env) {
	keys := []string{"a b", "tab\there", "new\nline", `back\slash`, "'q'", "é", "😀", "%_", decant.LedgerKey("bad\xffbyte", nil), decant.LedgerKey("nul\x00", nil)}
	var fs []decant.Finding
	for _, k := range keys {
		fs = append(fs, decant.Finding{Table: "t", Key: k, Kind: decant.FindingMissing})
	}
	run := decant.FindingRun{Scope: "s", Step: "a", Run: "r"}
	e.replace(run, fs...)
	var got []string
	for _, f := range e.findings(decant.FindingFilter{}) {
		got = append(got, f.Key)
	}
	want := slices.Clone(keys)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("keys read back = %q, want %q", got, want)
	}
	err := e.findingStore().ReplaceFindings(e.ctx, run, []decant.Finding{{Table: "t", Key: "bad\xff", Kind: decant.FindingDiff}})
	if err == nil || !strings.Contains(err.Error(), "LedgerKey") {
		t.Errorf("ReplaceFindings with a key that is not UTF-8 = %v, want an error naming decant.LedgerKey", err)
	}
	if n := len(e.findings(decant.FindingFilter{})); n != len(keys) {
		t.Errorf("a refused replace changed the findings: %d, want %d", n, len(keys))
	}
}

// Ensure findings that do not belong to the run are refused, writing
// nothing.
func testFindingsRefused(t *testing.T, e *env) {
	run := decant.FindingRun{Scope: "s", Step: "a", Run: "r", From: "b", To: "d"}
	e.replace(run, found("t", "c:diff"))
	for _, tt := range []struct {
		name string
		f    decant.Finding
		want string
	}{
		{"another step", decant.Finding{Step: "x", Table: "t", Key: "c", Kind: "diff"}, "not of the run's s/a"},
		{"out of range", found("t", "e:diff"), "outside the re-examined range"},
		{"no table", decant.Finding{Key: "c", Kind: "diff"}, "names no table"},
	} {
		err := e.findingStore().ReplaceFindings(e.ctx, run, []decant.Finding{found("t", "b:extra"), tt.f})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: ReplaceFindings = %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
	err := e.findingStore().ReplaceFindings(e.ctx, run, []decant.Finding{found("t", "c:diff"), found("t", "c:extra")})
	if err == nil || !strings.Contains(err.Error(), "one finding per key") {
		t.Errorf("a key twice: ReplaceFindings = %v, want refused", err)
	}
	if got := findingLines(e.findings(decant.FindingFilter{})); got != "s/a t c:diff\n" {
		t.Errorf("findings after refused replaces:\n%s\nwant the first kept", got)
	}
}

// Ensure Findings reads a database without decant's tables, or with
// version 3 tables, as having none and creates nothing, and that Init
// upgrades version 3 tables to hold findings.
func testFindingsFromVersion3(t *testing.T, e *env) {
	fresh := e.h.Open(t)
	fsFresh, ok := decant.As[decant.FindingStore](fresh)
	if !ok {
		t.Fatalf("%T is not a decant.FindingStore", fresh)
	}
	if got, err := fsFresh.Findings(e.ctx, decant.FindingFilter{}); err != nil || len(got) != 0 {
		t.Errorf("Findings on a database decant never wrote = %v, %v; want none", got, err)
	}
	// Findings created neither table: creating them by hand still works.
	e.h.Exec(t, fresh, "CREATE TABLE decant_schema (x int)")
	e.h.Exec(t, fresh, "CREATE TABLE decant_diffs (x int)")

	e.write(failure("a", "k1", "old"))
	e.dropVersion4()
	e.exec("UPDATE decant_schema SET version = 3")
	if got := e.findings(decant.FindingFilter{Scope: "s"}); len(got) != 0 {
		t.Errorf("Findings on version 3 tables = %+v, want none", got)
	}
	e.exec("CREATE TABLE decant_diffs (x int)") // Findings created nothing
	e.exec("DROP TABLE decant_diffs")
	if err := e.initer().Init(e.ctx); err != nil {
		t.Fatalf("Init from version 3: %v", err)
	}
	if got := e.rows("SELECT version FROM decant_schema"); got == "3\n" {
		t.Errorf("decant_schema still at version 3 after Init")
	}
	e.replace(decant.FindingRun{Scope: "s", Step: "a", Run: "r"}, found("t", "k1:missing"))
	if got := findingLines(e.findings(decant.FindingFilter{})); got != "s/a t k1:missing\n" {
		t.Errorf("findings after the upgrade:\n%s", got)
	}
	if errs := e.errors(decant.ErrorFilter{Scope: "s"}); len(errs) != 1 || errs[0].Message != "old" {
		t.Errorf("errors after the upgrade = %+v, want the version 3 error kept", errs)
	}
}

// dropVersion4 takes the state tables back to version 3.
func (e *env) dropVersion4() {
	e.dropVersion7()
	e.exec("DROP TABLE IF EXISTS decant_diffs")
}
