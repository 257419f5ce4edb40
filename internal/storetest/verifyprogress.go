package storetest

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

func order(key ...any) string { return decant.FindingOrder(key) }

// dropVersion6 takes the state tables back to version 5.
func (e *env) dropVersion6() {
	e.dropVersion7()
	e.exec("DROP TABLE decant_verify_runs")
	e.exec("DROP TABLE decant_verify_progress")
	e.exec("DROP INDEX decant_diffs_order")
	e.exec("ALTER TABLE decant_diffs DROP COLUMN sort_key")
}

// Ensure a range replacement of one table goes by key order, not by the
// key's text: integer keys 9 and 10 sit in two ranges, replacing the range
// of 10 leaves 9's finding (bytewise "10" < "9", so a text range would
// not), and other tables' findings stay.
func testFindingsOrderRange(t *testing.T, e *env) {
	run := func(after, until any, fs ...decant.Finding) decant.FindingRun {
		r := decant.FindingRun{Scope: "s", Step: "a", Run: "r", Table: "t"}
		if after != nil {
			r.After = order(after)
		}
		if until != nil {
			r.Until = order(until)
		}
		e.replace(r, fs...)
		return r
	}
	e.replace(decant.FindingRun{Scope: "s", Step: "a", Run: "r", Table: "u"}, decant.Finding{Table: "u", Key: "10", Kind: "diff", Order: order(int64(10))})
	run(nil, int64(9), intFinding("t", 8, "diff"), intFinding("t", 9, "missing"))
	run(int64(9), nil, intFinding("t", 10, "extra"), intFinding("t", 100, "diff"))
	if got, want := findingLines(e.findings(decant.FindingFilter{})), "s/a t 8:diff\ns/a t 9:missing\ns/a t 10:extra\ns/a t 100:diff\ns/a u 10:diff\n"; got != want {
		t.Fatalf("findings of two ranges:\n%s\nwant\n%s", got, want)
	}
	run(int64(9), int64(10)) // 10 is ok now: 9 and 100 stay
	if got, want := findingLines(e.findings(decant.FindingFilter{})), "s/a t 8:diff\ns/a t 9:missing\ns/a t 100:diff\ns/a u 10:diff\n"; got != want {
		t.Errorf("findings after (9, 10] clean:\n%s\nwant\n%s", got, want)
	}
	run(int64(8), int64(9), intFinding("t", 9, "diff")) // 8 is outside, 9 is replaced
	if got, want := findingLines(e.findings(decant.FindingFilter{})), "s/a t 8:diff\ns/a t 9:diff\ns/a t 100:diff\ns/a u 10:diff\n"; got != want {
		t.Errorf("findings after (8, 9] again:\n%s\nwant\n%s", got, want)
	}
	run(nil, nil)
	if got, want := findingLines(e.findings(decant.FindingFilter{})), "s/a u 10:diff\n"; got != want {
		t.Errorf("findings after the whole table clean:\n%s\nwant\n%s", got, want)
	}
}

func intFinding(table string, key int64, kind string) decant.Finding {
	return decant.Finding{Table: table, Key: strconv.FormatInt(key, 10), Kind: kind, Order: order(key)}
}

// Ensure a range replacement refuses findings outside its range, without
// an order key, or of another table, and writes nothing then, not the
// progress row either.
func testFindingsOrderRefused(t *testing.T, e *env) {
	p := &decant.VerifyProgress{Scope: "s", Run: "r", Step: "a", Table: "t", LastKey: "[10]"}
	r := decant.FindingRun{Scope: "s", Step: "a", Run: "r", Table: "t", After: order(int64(9)), Until: order(int64(10)), Progress: p}
	for _, tt := range []struct {
		name string
		f    decant.Finding
		want string
	}{
		{"after the range", intFinding("t", 11, "diff"), "outside the re-examined range"},
		{"the bound after", intFinding("t", 9, "diff"), "outside the re-examined range"},
		{"no order key", decant.Finding{Table: "t", Key: "10", Kind: "diff"}, "decant.FindingOrder"},
		{"another table", intFinding("u", 10, "diff"), "not of the run's t"},
	} {
		err := e.findingStore().ReplaceFindings(e.ctx, r, []decant.Finding{tt.f})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: ReplaceFindings = %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
	err := e.findingStore().ReplaceFindings(e.ctx, decant.FindingRun{Scope: "s", Step: "a", After: order(int64(1))}, nil)
	if err == nil || !strings.Contains(err.Error(), "name the run's Table") {
		t.Errorf("a range without a table: ReplaceFindings = %v", err)
	}
	if got := e.findings(decant.FindingFilter{}); len(got) != 0 {
		t.Errorf("refused replaces stored %+v", got)
	}
	if got := e.progress("s", "r"); len(got) != 0 {
		t.Errorf("refused replaces saved progress %+v", got)
	}
}

func (e *env) progress(scope, run string) []decant.VerifyProgress {
	e.t.Helper()
	got, err := e.findingStore().VerifyProgress(e.ctx, scope, run)
	if err != nil {
		e.t.Fatalf("VerifyProgress: %v", err)
	}
	return got
}

func (e *env) runs(scope string) []decant.VerifyRun {
	e.t.Helper()
	got, err := e.findingStore().VerifyRuns(e.ctx, scope, 0)
	if err != nil {
		e.t.Fatalf("VerifyRuns: %v", err)
	}
	return got
}

// Ensure the progress row given with a range is saved with its findings,
// and replaced by the next range's.
func testVerifyProgressWithFindings(t *testing.T, e *env) {
	fs := e.findingStore()
	if err := fs.StartVerify(e.ctx, decant.VerifyRun{Scope: "s", Run: "r", Plan: "p1", Steps: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	p := decant.VerifyProgress{Scope: "s", Run: "r", Step: "a", Table: "t", LastKey: "[9]", Result: `{"checked":2}`}
	e.replace(decant.FindingRun{Scope: "s", Step: "a", Run: "r", Table: "t", Until: order(int64(9)), Progress: &p}, intFinding("t", 9, "diff"))
	got := e.progress("s", "r")
	if len(got) != 1 || got[0].LastKey != "[9]" || got[0].Done || got[0].Result != `{"checked":2}` || got[0].Table != "t" || got[0].Updated.IsZero() {
		t.Fatalf("progress after one range = %+v", got)
	}
	p.LastKey, p.Done, p.Result = "[12]", true, `{"checked":5}`
	e.replace(decant.FindingRun{Scope: "s", Step: "a", Run: "r", Table: "t", After: order(int64(9)), Progress: &p})
	if got := e.progress("s", "r"); len(got) != 1 || got[0].LastKey != "[12]" || !got[0].Done || got[0].Result != `{"checked":5}` {
		t.Errorf("progress after the last range = %+v", got)
	}
	bad := p
	bad.Step = "b"
	err := fs.ReplaceFindings(e.ctx, decant.FindingRun{Scope: "s", Step: "a", Run: "r", Table: "t", Progress: &bad}, nil)
	if err == nil || !strings.Contains(err.Error(), "progress row is of s/b") {
		t.Errorf("progress of another step: ReplaceFindings = %v", err)
	}
}

// Ensure runs are listed latest first with their status, that resuming a
// run keeps its progress, and that a new run abandons the unfinished ones
// and drops their progress.
func testVerifyRuns(t *testing.T, e *env) {
	fs := e.findingStore()
	start := func(run string) {
		t.Helper()
		if err := fs.StartVerify(e.ctx, decant.VerifyRun{Scope: "s", Run: run, Plan: "p-" + run, Steps: []string{"a", "b"}}); err != nil {
			t.Fatalf("StartVerify %s: %v", run, err)
		}
	}
	save := func(run string) {
		t.Helper()
		if err := fs.FinishVerifyStep(e.ctx, decant.VerifyProgress{Scope: "s", Run: run, Step: "a", Done: true}, []string{"t"}); err != nil {
			t.Fatal(err)
		}
	}
	start("r1")
	save("r1")
	if err := fs.EndVerify(e.ctx, "s", "r1", decant.VerifyDone, ""); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // runs are ordered by when they started
	start("r2")
	save("r2")
	if err := fs.EndVerify(e.ctx, "s", "r2", decant.VerifyFailed, "source failed at line 3"); err != nil {
		t.Fatal(err)
	}
	if err := fs.StartVerify(e.ctx, decant.VerifyRun{Scope: "o", Run: "x", Steps: []string{}}); err != nil {
		t.Fatal(err)
	}
	got := e.runs("s")
	if len(got) != 2 || got[0].Run != "r2" || got[0].Status != decant.VerifyFailed || got[0].Message != "source failed at line 3" ||
		got[0].Plan != "p-r2" || !slices.Equal(got[0].Steps, []string{"a", "b"}) || got[1].Run != "r1" || got[1].Status != decant.VerifyDone ||
		got[0].Started.IsZero() || time.Since(got[0].Started) > time.Hour {
		t.Fatalf("runs = %+v", got)
	}
	start("r2") // a resume: running again, progress kept
	if got := e.runs("s"); got[0].Status != decant.VerifyRunning || got[0].Message != "" {
		t.Errorf("resumed run = %+v, want running", got[0])
	}
	if got := e.progress("s", "r2"); len(got) != 1 || !got[0].Done {
		t.Errorf("progress of the resumed run = %+v, want kept", got)
	}
	time.Sleep(5 * time.Millisecond)
	start("r3") // starts over: r2 is abandoned, its progress dropped
	got = e.runs("s")
	if len(got) != 3 || got[0].Run != "r3" || got[1].Status != decant.VerifyAbandoned || got[2].Status != decant.VerifyDone {
		t.Errorf("runs after a new one = %+v", got)
	}
	if p := e.progress("s", "r2"); len(p) != 0 {
		t.Errorf("progress of the abandoned run = %+v", p)
	}
	if got := e.runs("o"); len(got) != 1 || got[0].Status != decant.VerifyRunning {
		t.Errorf("another scope's run = %+v, want untouched", got)
	}
	if got, err := fs.VerifyRuns(e.ctx, "s", 1); err != nil || len(got) != 1 || got[0].Run != "r3" {
		t.Errorf("VerifyRuns limit 1 = %+v, %v", got, err)
	}
}

// Ensure finishing a step drops its findings of tables it no longer
// writes, keeps those of its tables and of other steps, and saves the row.
func testFinishVerifyStep(t *testing.T, e *env) {
	e.replace(decant.FindingRun{Scope: "s", Step: "a", Run: "r"}, found("t", "1:diff"), found("gone", "1:diff"))
	e.replace(decant.FindingRun{Scope: "s", Step: "b", Run: "r"}, found("gone", "2:diff"))
	p := decant.VerifyProgress{Scope: "s", Run: "r", Step: "a", Done: true, Result: `{"ok":1}`}
	if err := e.findingStore().FinishVerifyStep(e.ctx, p, []string{"t", "child"}); err != nil {
		t.Fatal(err)
	}
	if got, want := findingLines(e.findings(decant.FindingFilter{})), "s/a t 1:diff\ns/b gone 2:diff\n"; got != want {
		t.Errorf("findings after finishing step a:\n%s\nwant\n%s", got, want)
	}
	if got := e.progress("s", "r"); len(got) != 1 || got[0].Step != "a" || got[0].Table != "" || !got[0].Done || got[0].Result != `{"ok":1}` {
		t.Errorf("progress = %+v", got)
	}
}

// Ensure Live gives the store's clock and the scope's lease, held while a
// run holds it and not after it is released.
func testVerifyLive(t *testing.T, e *env) {
	fs := e.findingStore()
	l, err := fs.Live(e.ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if l.Held() || l.Holder != "" || l.Now.Sub(time.Now()).Abs() > time.Minute {
		t.Errorf("Live of a scope no one holds = %+v", l)
	}
	h := decant.Holder{Host: "h", PID: 7, ID: "x"}
	if err := e.leaser().AcquireLease(e.ctx, "s", h, time.Minute); err != nil {
		t.Fatal(err)
	}
	if l, err = fs.Live(e.ctx, "s"); err != nil || !l.Held() || l.Holder != h.Key() {
		t.Errorf("Live while %s holds the lease = %+v, %v", h.Key(), l, err)
	}
	if l, err = fs.Live(e.ctx, "other"); err != nil || l.Held() {
		t.Errorf("Live of another scope = %+v, %v", l, err)
	}
	if err := e.leaser().ReleaseLease(e.ctx, "s", h); err != nil {
		t.Fatal(err)
	}
	if l, err = fs.Live(e.ctx, "s"); err != nil || l.Held() {
		t.Errorf("Live after the release = %+v, %v", l, err)
	}
}

// Ensure version 5 tables list no runs and no progress, and that Init
// upgrades them: the findings kept have no order key and the first range
// of their table replaces them.
func testVerifyProgressFromVersion5(t *testing.T, e *env) {
	e.replace(decant.FindingRun{Scope: "s", Step: "a", Run: "old"}, found("t", "10:diff"), found("t", "9:missing"), found("u", "1:extra"))
	e.dropVersion6()
	e.exec("UPDATE decant_schema SET version = 5")
	// A view of the user's on decant_diffs survives the upgrade.
	e.exec("CREATE VIEW open_diffs AS SELECT scope, key FROM decant_diffs")
	if got := e.runs("s"); len(got) != 0 {
		t.Errorf("VerifyRuns on version 5 tables = %+v", got)
	}
	if got := e.progress("s", "old"); len(got) != 0 {
		t.Errorf("VerifyProgress on version 5 tables = %+v", got)
	}
	if got := findingLines(e.findings(decant.FindingFilter{})); got != "s/a t 10:diff\ns/a t 9:missing\ns/a u 1:extra\n" {
		t.Errorf("findings of version 5 tables:\n%s", got)
	}
	if err := e.initer().Init(e.ctx); err != nil {
		t.Fatalf("Init from version 5: %v", err)
	}
	if got := e.rows("SELECT version FROM decant_schema"); got != latestVersion {
		t.Errorf("decant_schema = %q after Init, want %q", got, latestVersion)
	}
	if got := e.rows("SELECT count(*) FROM open_diffs"); got != "3\n" {
		t.Errorf("the user's view after the upgrade counts %q, want 3", got)
	}
	if got := findingLines(e.findings(decant.FindingFilter{})); got != "s/a t 10:diff\ns/a t 9:missing\ns/a u 1:extra\n" {
		t.Errorf("findings after the upgrade:\n%s", got)
	}
	// A range that stops before the table's end leaves the old findings
	// (they have no order key: whether they lie in it is unknown); the
	// range that runs to the end takes them; u's stay.
	e.replace(decant.FindingRun{Scope: "s", Step: "a", Run: "new", Table: "t", Until: order(int64(9))}, intFinding("t", 9, "diff"))
	if got, want := findingLines(e.findings(decant.FindingFilter{})), "s/a t 10:diff\ns/a t 9:diff\ns/a u 1:extra\n"; got != want {
		t.Errorf("findings after the first range of t:\n%s\nwant\n%s", got, want)
	}
	e.replace(decant.FindingRun{Scope: "s", Step: "a", Run: "new", Table: "t", After: order(int64(9))})
	if got, want := findingLines(e.findings(decant.FindingFilter{})), "s/a t 9:diff\ns/a u 1:extra\n"; got != want {
		t.Errorf("findings after the last range of t:\n%s\nwant\n%s", got, want)
	}
	if err := e.findingStore().StartVerify(e.ctx, decant.VerifyRun{Scope: "s", Run: "new"}); err != nil {
		t.Errorf("StartVerify after the upgrade: %v", err)
	}
}
