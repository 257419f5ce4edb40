package storetest

import (
	"errors"
	"strings"
	"testing"

	"github.com/decanthq/decant"
)

// Ensure an error keeps its source key and a history of how it was
// resolved and reopened.
func testErrorHistory(t *testing.T, e *env) {
	b := failure("a", "k1", "first")
	b.Errors[0].SourceKey = "K 1"
	e.write(b)
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("k1:ok")})
	e.write(failure("a", "k1", "again"))
	errs := e.errors(decant.ErrorFilter{Scope: "s"})
	if len(errs) != 1 {
		t.Fatalf("errors: %+v, want k1 open", errs)
	}
	got := errs[0]
	if got.SourceKey != "" {
		// The second failure came without a source key: it is the latest word.
		t.Errorf("source key after a failure without one = %q, want empty", got.SourceKey)
	}
	lines := strings.Split(strings.TrimSpace(got.History), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], decant.ResolvedWritten) || !strings.Contains(lines[1], "reopened") {
		t.Errorf("history = %q, want resolved-by-write then reopened", got.History)
	}
	b = failure("a", "k2", "first")
	b.Errors[0].SourceKey = "K 2"
	e.write(b)
	if got := e.errors(decant.ErrorFilter{Scope: "s", Step: "a"}); len(got) != 2 || got[1].SourceKey != "K 2" || got[1].History != "" {
		t.Errorf("new error: %+v, want source key %q and no history", got, "K 2")
	}
}

// Ensure errors can be closed by hand, by id or by step, with the reason in
// their history, and that a wrong id closes nothing.
func testResolveErrors(t *testing.T, e *env) {
	r := role[decant.ErrorResolver](e)
	for _, k := range []string{"k1", "k2", "k3"} {
		e.write(failure("a", k, "bad "+k))
	}
	e.write(failure("b", "k9", "bad k9"))
	open := e.errors(decant.ErrorFilter{Scope: "s"})
	id1, id2 := open[0].ID, open[1].ID

	_, err := r.ResolveErrors(e.ctx, decant.ResolveRequest{Scope: "s", IDs: []int64{id1, 999999}, Reason: "typo"})
	if !errors.Is(err, decant.ErrNotFound) || !strings.Contains(err.Error(), "999999") {
		t.Errorf("resolve with an unknown id: %v, want ErrNotFound naming 999999", err)
	}
	if n := len(e.errors(decant.ErrorFilter{Scope: "s"})); n != 4 {
		t.Errorf("a refused resolve closed errors: %d open, want 4", n)
	}
	if _, err := r.ResolveErrors(e.ctx, decant.ResolveRequest{Scope: "s", IDs: []int64{id1}}); err == nil {
		t.Errorf("resolve without a reason succeeded")
	}

	done, err := r.ResolveErrors(e.ctx, decant.ResolveRequest{Scope: "s", IDs: []int64{id1, id2}, Reason: "re-sent as ORD-7"})
	if err != nil || len(done) != 2 || !done[0].Resolved {
		t.Fatalf("resolve by id: %+v, %v", done, err)
	}
	if h := done[0].History; !strings.Contains(h, decant.ResolvedByHand+" re-sent as ORD-7") {
		t.Errorf("history = %q, want the reason", h)
	}
	// Already resolved: a second request names an id that is not open.
	if _, err := r.ResolveErrors(e.ctx, decant.ResolveRequest{Scope: "s", IDs: []int64{id1}, Reason: "again"}); !errors.Is(err, decant.ErrNotFound) {
		t.Errorf("resolving a resolved error: %v, want ErrNotFound", err)
	}

	done, err = r.ResolveErrors(e.ctx, decant.ResolveRequest{Scope: "s", Step: "a", Reason: "source gone"})
	if err != nil || len(done) != 1 || done[0].Key != "k3" {
		t.Fatalf("resolve step a: %+v, %v; want k3 only", done, err)
	}
	if open := e.errors(decant.ErrorFilter{Scope: "s"}); len(open) != 1 || open[0].Step != "b" {
		t.Errorf("open after resolving step a: %+v, want step b's only", open)
	}
	if st := e.status("s"); len(st) != 2 || st[0].Failed != 0 {
		t.Errorf("status after resolving: %+v, want step a with 0 failed", st)
	}
}

// Ensure errors stored by state version 2 stay readable before the upgrade
// (read commands do not upgrade) and after it.
func testErrorsFromVersion2(t *testing.T, e *env) {
	e.write(failure("a", "k1", "old"))
	e.dropVersion3()
	e.exec("UPDATE decant_schema SET version = 2")
	errs := e.errors(decant.ErrorFilter{Scope: "s"})
	if len(errs) != 1 || errs[0].Key != "k1" || errs[0].Message != "old" {
		t.Fatalf("errors of version 2 tables: %+v", errs)
	}
	if err := e.initer().Init(e.ctx); err != nil {
		t.Fatalf("Init from version 2: %v", err)
	}
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("k1:ok")})
	errs = e.errors(decant.ErrorFilter{Scope: "s", Resolved: true})
	if len(errs) != 1 || !errs[0].Resolved || !strings.Contains(errs[0].History, decant.ResolvedWritten) {
		t.Errorf("the old error after the upgrade: %+v, want resolved with history", errs)
	}
}

// Ensure a savepoint undoes what followed it and keeps what came before,
// inside one transaction.
func testSavepoint(t *testing.T, e *env) {
	e.createPeople()
	tx, err := e.s.Begin(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	sp, ok := tx.(decant.Savepointer)
	if !ok {
		t.Fatalf("%T is not a decant.Savepointer", tx)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.s.WriteBatch(e.ctx, tx, &decant.Batch{Scope: "s", Step: "p", Tables: []decant.TableRows{people([]any{int64(1), "kept", nil})}, Ledger: ledger("1:ok")}))
	must(sp.Savepoint(e.ctx, "x"))
	must(e.s.WriteBatch(e.ctx, tx, &decant.Batch{Scope: "s", Step: "p", Tables: []decant.TableRows{people([]any{int64(2), "undone", nil})}, Ledger: ledger("2:ok")}))
	must(sp.RollbackTo(e.ctx, "x"))
	must(sp.Release(e.ctx, "x"))
	// A refused write inside a savepoint leaves the transaction usable.
	must(sp.Savepoint(e.ctx, "x"))
	if err := e.s.WriteBatch(e.ctx, tx, &decant.Batch{Scope: "s", Step: "p", Tables: []decant.TableRows{{Table: "no_such_table", Columns: []string{"id"}, Key: []string{"id"}, Rows: [][]any{{int64(1)}}}}}); err == nil {
		t.Fatalf("writing a missing table succeeded")
	}
	must(sp.RollbackTo(e.ctx, "x"))
	must(sp.Release(e.ctx, "x"))
	must(e.s.WriteBatch(e.ctx, tx, &decant.Batch{Scope: "s", Step: "p", Tables: []decant.TableRows{people([]any{int64(3), "after", nil})}, Ledger: ledger("3:ok")}))
	must(tx.Commit(e.ctx))
	if got := e.rows("SELECT id, name FROM people ORDER BY id"); got != "1|kept\n3|after\n" {
		t.Errorf("people = %q, want 1 and 3", got)
	}
	if got := e.rows("SELECT key FROM decant_ledger ORDER BY key"); got != "1\n3\n" {
		t.Errorf("ledger = %q, want 1 and 3", got)
	}
}

// dropVersion3 takes the state tables back to version 2: no decant_diffs
// (version 4), and decant_errors with its version 2 columns.
func (e *env) dropVersion3() {
	e.dropVersion4()
	for _, c := range []string{"source_key", "place", "source_error", "history"} {
		e.exec("ALTER TABLE decant_errors DROP COLUMN " + c)
	}
}

// Ensure the ledger can be read by key: the rows of the keys asked for
// that have one, with their status and when they were written.
func testLedgerByKey(t *testing.T, e *env) {
	sr := e.reader()
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("k1:ok", "k2:failed")})
	e.write(&decant.Batch{Scope: "s", Step: "b", Ledger: ledger("k3:ok")})
	rows, err := sr.Ledger(e.ctx, "s", "a", []string{"k1", "k3", "nope"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Key != "k1" || rows[0].Status != decant.StatusOK || rows[0].SourceHash != "s-k1" || rows[0].Updated.IsZero() {
		t.Errorf("Ledger(s, a, k1 k3 nope) = %+v, want k1 ok with its time", rows)
	}
}
