package storetest

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
)

// stagingTests are the conformance tests of a store's staging area
// ([decant.Stager]); Run runs them with the others.
var stagingTests = []struct {
	name string
	fn   func(*testing.T, *env)
}{
	{"StageAndRead", testStageAndRead},
	{"StageKeepsSeqWhenUnchanged", testStageKeepsSeq},
	{"StageRollsBack", testStageRollsBack},
	{"DropStaged", testDropStaged},
	{"StagingRefusesOtherTable", testStagingRefusesOtherTable},
	{"StagingOddNames", testStagingOddNames},
}

// stage writes recs for (scope, step) in one committed transaction.
func (e *env) stage(scope, step string, recs ...decant.StagedRecord) {
	e.t.Helper()
	stg := role[decant.Stager](e)
	tx, err := e.s.Begin(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := stg.Stage(e.ctx, tx, scope, step, recs); err != nil {
		tx.Rollback(e.ctx)
		e.t.Fatalf("Stage: %v", err)
	}
	if err := tx.Commit(e.ctx); err != nil {
		e.t.Fatal(err)
	}
}

// staged reads every staged record of (scope, step) after seq after.
func (e *env) staged(scope, step string, after int64) []decant.StagedRecord {
	e.t.Helper()
	got, err := role[decant.Stager](e).ReadStaged(e.ctx, scope, step, after, 1000)
	if err != nil {
		e.t.Fatalf("ReadStaged(%s, %s, %d): %v", scope, step, after, err)
	}
	return got
}

func (e *env) prepareStaging(step string) {
	e.t.Helper()
	if err := role[decant.Stager](e).PrepareStaging(e.ctx, step); err != nil {
		e.t.Fatalf("PrepareStaging(%s): %v", step, err)
	}
}

// withoutSeq drops the seqs, which only order records.
func withoutSeq(rs []decant.StagedRecord) []decant.StagedRecord {
	out := make([]decant.StagedRecord, len(rs))
	for i, r := range rs {
		r.Seq = 0
		out[i] = r
	}
	return out
}

// Ensure staged records come back exactly as staged (bytes that are not
// UTF-8, NUL, an empty payload, a deleted and an unreadable record), in
// the order they were staged, the last of a repeated key winning, each
// scope's apart.
func testStageAndRead(t *testing.T, e *env) {
	e.prepareStaging("orders")
	e.prepareStaging("orders") // twice is no error
	recs := []decant.StagedRecord{
		{Key: "1", SourceKey: "1", Cursor: "c1", Raw: []byte(`{"id":1}`), Where: "orders.csv:2"},
		{Key: "2", SourceKey: "2", Raw: []byte("\xff\x00odd"), Where: "orders.csv:3", Invalid: "row has 2 fields, the header has 3"},
		{Key: "1", SourceKey: "1", Cursor: "c2", Raw: []byte(`{"id":1,"v":2}`), Where: "orders.csv:4"},
		{Key: "(no key) sha256:ab", Raw: []byte{}, Where: "orders.csv:5"},
		{Key: "3", SourceKey: "3", Raw: []byte(`{"_id":"3"}`), Deleted: true},
	}
	e.stage("s", "orders", recs...)
	e.stage("other", "orders", decant.StagedRecord{Key: "9", SourceKey: "9", Raw: []byte(`{}`)})
	got := e.staged("s", "orders", 0)
	want := []decant.StagedRecord{recs[1], recs[2], recs[3], recs[4]}
	if diff := cmp.Diff(want, withoutSeq(got), cmp.Comparer(func(a, b []byte) bool { return string(a) == string(b) })); diff != "" {
		t.Fatalf("ReadStaged (-want +got):\n%s", diff)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Seq <= got[i-1].Seq {
			t.Errorf("seqs %d then %d: want them growing", got[i-1].Seq, got[i].Seq)
		}
	}
	if after := e.staged("s", "orders", got[1].Seq); len(after) != 2 || after[0].Key != "(no key) sha256:ab" {
		t.Errorf("ReadStaged after the second seq = %v, want the last two", after)
	}
	n, err := role[decant.Stager](e).CountStaged(e.ctx, "s", "orders", got[0].Seq)
	if err != nil || n != 3 {
		t.Errorf("CountStaged after the first = %d, %v; want 3", n, err)
	}
	if o := e.staged("other", "orders", 0); len(o) != 1 || o[0].Key != "9" {
		t.Errorf("scope other's staged records = %v, want its own one", o)
	}
	stg := role[decant.Stager](e)
	if none, err := stg.ReadStaged(e.ctx, "s", "never", 0, 10); !errors.Is(err, decant.ErrNotFound) {
		t.Errorf("ReadStaged of a step never staged = %v, %v; want an error wrapping ErrNotFound", none, err)
	}
	if _, err := stg.CountStaged(e.ctx, "s", "never", 0); !errors.Is(err, decant.ErrNotFound) {
		t.Errorf("CountStaged of a step never staged = %v; want an error wrapping ErrNotFound", err)
	}
}

// Ensure a record staged again unchanged keeps its seq, and one that
// changed (in any part) takes a seq after every other: a load after an
// incremental extract reads what changed and nothing else.
func testStageKeepsSeq(t *testing.T, e *env) {
	e.prepareStaging("a")
	base := []decant.StagedRecord{
		{Key: "1", SourceKey: "1", Raw: []byte(`{"id":1}`)},
		{Key: "2", SourceKey: "2", Raw: []byte(`{"id":2}`)},
		{Key: "3", SourceKey: "3", Raw: []byte(`{"id":3}`)},
	}
	e.stage("s", "a", base...)
	first := e.staged("s", "a", 0)
	last := first[len(first)-1].Seq
	e.stage("s", "a", base...)
	if again := e.staged("s", "a", last); len(again) != 0 {
		t.Fatalf("staged again unchanged, %d records have a new seq: %v", len(again), again)
	}
	changed := []decant.StagedRecord{base[0], base[1], base[2]}
	changed[0].Raw = []byte(`{"id":1,"x":1}`)
	changed[1].Deleted = true
	e.stage("s", "a", changed...)
	got := e.staged("s", "a", last)
	if len(got) != 2 || got[0].Key != "1" || got[1].Key != "2" || !got[1].Deleted {
		t.Fatalf("after changing 1 and 2: %v, want those two, in that order", got)
	}
	if all := e.staged("s", "a", 0); len(all) != 3 || all[0].Key != "3" {
		t.Errorf("every staged record = %v, want 3 first (unchanged), then 1 and 2", all)
	}
}

// Ensure records staged in a transaction that rolls back are not staged.
func testStageRollsBack(t *testing.T, e *env) {
	e.prepareStaging("a")
	stg := role[decant.Stager](e)
	tx, err := e.s.Begin(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := stg.Stage(e.ctx, tx, "s", "a", []decant.StagedRecord{{Key: "1", SourceKey: "1", Raw: []byte(`{}`)}}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(e.ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.staged("s", "a", 0); len(got) != 0 {
		t.Errorf("after a rollback: %v staged, want none", got)
	}
}

// Ensure DropStaged deletes one scope's staged records, leaves the other
// scopes', and drops the table with the last of them.
func testDropStaged(t *testing.T, e *env) {
	stg := role[decant.Stager](e)
	e.prepareStaging("a")
	e.stage("s", "a", decant.StagedRecord{Key: "1", SourceKey: "1", Raw: []byte(`{}`)}, decant.StagedRecord{Key: "2", SourceKey: "2", Raw: []byte(`{}`)})
	e.stage("t", "a", decant.StagedRecord{Key: "1", SourceKey: "1", Raw: []byte(`{}`)})
	if n, err := stg.DropStaged(e.ctx, "s", "a"); err != nil || n != 2 {
		t.Fatalf("DropStaged(s) = %d, %v; want 2", n, err)
	}
	if got := e.staged("t", "a", 0); len(got) != 1 {
		t.Fatalf("scope t's records after dropping s's: %v, want its one", got)
	}
	if n, err := stg.DropStaged(e.ctx, "t", "a"); err != nil || n != 1 {
		t.Fatalf("DropStaged(t) = %d, %v; want 1", n, err)
	}
	if _, err := stg.CountStaged(e.ctx, "t", "a", 0); !errors.Is(err, decant.ErrNotFound) {
		t.Errorf("%s is still there with no staged record left (CountStaged: %v)", stg.StagingTable("a"), err)
	}
	if n, err := stg.DropStaged(e.ctx, "t", "a"); err != nil || n != 0 {
		t.Errorf("DropStaged of a dropped table = %d, %v; want 0 and no error", n, err)
	}
	e.prepareStaging("a") // back again
	e.stage("s", "a", decant.StagedRecord{Key: "1", SourceKey: "1", Raw: []byte(`{}`)})
}

// Ensure a table of the staging table's name that is not one is refused,
// not written into.
func testStagingRefusesOtherTable(t *testing.T, e *env) {
	stg := role[decant.Stager](e)
	e.prepareStaging("a") // the schema, where the store has one
	e.exec("CREATE TABLE " + stg.StagingTable("mine") + " (id {bigint}, name {text})")
	err := stg.PrepareStaging(e.ctx, "mine")
	if err == nil || !strings.Contains(err.Error(), "not a decant staging table") {
		t.Fatalf("PrepareStaging over a table of its own = %v, want it refused", err)
	}
}

// Ensure steps whose names hold a dot, a quote, or end like the names a
// database gives a table's key or index, or are as long as a name may be,
// each get a staging table of their own.
func testStagingOddNames(t *testing.T, e *env) {
	names := []string{"a", "a.b", `q"uote`, "a_pkey", "a_seq", "a_by_seq", strings.Repeat("x", 63)}
	for _, n := range names {
		e.prepareStaging(n)
		e.stage("s", n, decant.StagedRecord{Key: n, SourceKey: n, Raw: []byte(`{}`)})
	}
	for _, n := range names {
		got := e.staged("s", n, 0)
		if len(got) != 1 || got[0].Key != n {
			t.Errorf("staged records of step %q: %v, want its one", n, got)
		}
	}
}
