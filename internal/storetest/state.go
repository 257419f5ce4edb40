package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/decanthq/decant"
)

func testInitTwice(t *testing.T, e *env) {
	e.createPeople()
	e.write(&decant.Batch{Scope: "s", Step: "people", Ledger: ledger("1:ok"),
		Checkpoint: decant.Position(`{"p":1}`),
		Tables:     []decant.TableRows{people([]any{int64(1), "ann", nil})}})
	if err := e.initer().Init(e.ctx); err != nil {
		t.Fatalf("second Init: %v", err)
	}
	if n := e.count("decant_ledger"); n != 1 {
		t.Errorf("ledger has %d rows after a second Init, want 1", n)
	}
	if got := e.rows("SELECT version FROM decant_schema"); got == "" || len(e.query("SELECT version FROM decant_schema")) != 1 {
		t.Errorf("decant_schema = %q, want one version row", got)
	}
}

func testInitConcurrent(t *testing.T, e *env) {
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = e.initer().Init(e.ctx) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent Init: %v", err)
	}
}

func testRollback(t *testing.T, e *env) {
	e.createPeople()
	tx, err := e.s.Begin(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = e.s.WriteBatch(e.ctx, tx, &decant.Batch{Scope: "s", Step: "people",
		Tables:     []decant.TableRows{people([]any{int64(1), "ann", nil})},
		Ledger:     ledger("1:ok", "2:failed"),
		Errors:     []decant.RecordError{{Key: "2", Message: "bad", Detail: "very bad"}},
		Unmapped:   []decant.UnmappedField{{Table: "people", Path: "record.x", Records: 1, Example: "1"}},
		Audit:      audit(2, 1, "c2"),
		Checkpoint: decant.Position(`{"p":2}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(e.ctx); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"people", "decant_ledger", "decant_errors", "decant_batches", "decant_checkpoints", "decant_unmapped"} {
		if n := e.count(table); n != 0 {
			t.Errorf("%s has %d rows after Rollback, want none", table, n)
		}
	}
	if pos, err := e.s.Checkpoint(e.ctx, "s", "people"); err != nil || pos != nil {
		t.Errorf("Checkpoint after Rollback = %s, %v; want nil", pos, err)
	}
	if st := e.status("s"); len(st) != 0 {
		t.Errorf("Status after Rollback = %+v, want nothing", st)
	}
}

// failure is the batch of one record that failed.
func failure(step, key, msg string) *decant.Batch {
	return &decant.Batch{Scope: "s", Step: step, Ledger: ledger(key + ":failed"),
		Errors: []decant.RecordError{{Key: key, Message: msg, Detail: "detail of " + msg, Payload: []byte(`{"k":"` + key + `"}`)}}}
}

func testErrorLifecycle(t *testing.T, e *env) {
	e.write(failure("a", "k1", "first"))
	errs := e.errors(decant.ErrorFilter{Scope: "s"})
	if len(errs) != 1 || errs[0].Attempts != 1 || errs[0].Resolved || errs[0].ID == 0 {
		t.Fatalf("after one failure: %+v", errs)
	}
	id, created := errs[0].ID, errs[0].Created
	e.write(failure("a", "k1", "second"))
	errs = e.errors(decant.ErrorFilter{Scope: "s"})
	want := decant.RecordError{ID: id, Scope: "s", Step: "a", Key: "k1", Message: "second",
		Detail: "detail of second", Payload: []byte(`{"k":"k1"}`), Attempts: 2}
	if len(errs) != 1 {
		t.Fatalf("after two failures of one key: %d errors, want 1", len(errs))
	}
	if d := cmp.Diff(want, errs[0], cmpopts.IgnoreFields(decant.RecordError{}, "Created", "Updated")); d != "" {
		t.Errorf("after two failures (-want +got):\n%s", d)
	}
	if !errs[0].Created.Equal(created) || errs[0].Created.IsZero() || errs[0].Updated.Before(created) {
		t.Errorf("created %v -> %v, updated %v: created must stay, updated must move", created, errs[0].Created, errs[0].Updated)
	}
	// The key now succeeds: its error resolves itself.
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("k1:ok")})
	if errs := e.errors(decant.ErrorFilter{Scope: "s"}); len(errs) != 0 {
		t.Errorf("unresolved errors after the key succeeded: %+v", errs)
	}
	errs = e.errors(decant.ErrorFilter{Scope: "s", Resolved: true})
	if len(errs) != 1 || !errs[0].Resolved || errs[0].Attempts != 2 {
		t.Errorf("resolved errors: %+v, want k1 resolved after 2 attempts", errs)
	}
	// And fails again: open once more, one more attempt.
	e.write(failure("a", "k1", "third"))
	errs = e.errors(decant.ErrorFilter{Scope: "s"})
	if len(errs) != 1 || errs[0].Resolved || errs[0].Attempts != 3 || errs[0].ID != id {
		t.Errorf("after failing again: %+v, want error %d open with 3 attempts", errs, id)
	}
	// A success in another step does not resolve it.
	e.write(&decant.Batch{Scope: "s", Step: "b", Ledger: ledger("k1:ok")})
	if errs := e.errors(decant.ErrorFilter{Scope: "s"}); len(errs) != 1 {
		t.Errorf("a success in step b resolved step a's error: %+v", errs)
	}
}

func testErrorRetryByID(t *testing.T, e *env) {
	e.write(failure("a", "k1", "first"))
	e.write(failure("a", "k2", "first"))
	id := e.errors(decant.ErrorFilter{Scope: "s"})[0].ID
	// A retry of a stored error, failing again: updated by id.
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("k1:failed"),
		Errors: []decant.RecordError{{ID: id, Scope: "s", Step: "a", Key: "k1", Message: "retried", Detail: "d"}}})
	got := e.errors(decant.ErrorFilter{ID: id})
	if len(got) != 1 || got[0].Attempts != 2 || got[0].Message != "retried" {
		t.Errorf("after a failed retry: %+v, want 2 attempts and the new message", got)
	}
	// A retry that succeeds names the error in Resolved.
	e.write(&decant.Batch{Scope: "s", Step: "a", Resolved: []int64{id}})
	got = e.errors(decant.ErrorFilter{ID: id})
	if len(got) != 1 || !got[0].Resolved {
		t.Errorf("after Resolved: %+v, want resolved", got)
	}
	if open := e.errors(decant.ErrorFilter{Scope: "s"}); len(open) != 1 || open[0].Key != "k2" {
		t.Errorf("open errors: %+v, want only k2", open)
	}
}

func testErrorFilter(t *testing.T, e *env) {
	e.write(failure("a", "k1", "m"))
	e.write(failure("a", "k2", "m"))
	e.write(failure("b", "k3", "m"))
	e.write(&decant.Batch{Scope: "other", Step: "a", Ledger: ledger("k9:failed"),
		Errors: []decant.RecordError{{Key: "k9", Message: "m"}}})
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("k2:ok")}) // resolves k2
	keys := func(f decant.ErrorFilter) []string {
		var out []string
		for _, r := range e.errors(f) {
			out = append(out, r.Scope+"/"+r.Step+"/"+r.Key)
		}
		return out
	}
	all := keys(decant.ErrorFilter{Scope: "s", Resolved: true})
	cases := []struct {
		f    decant.ErrorFilter
		want []string
	}{
		{decant.ErrorFilter{Scope: "s"}, []string{"s/a/k1", "s/b/k3"}},
		{decant.ErrorFilter{Scope: "s", Resolved: true}, []string{"s/a/k1", "s/a/k2", "s/b/k3"}},
		{decant.ErrorFilter{Scope: "s", Step: "a"}, []string{"s/a/k1"}},
		{decant.ErrorFilter{Scope: "s", Step: "a", Resolved: true}, []string{"s/a/k1", "s/a/k2"}},
		{decant.ErrorFilter{Scope: "other"}, []string{"other/a/k9"}},
		{decant.ErrorFilter{Scope: "s", Resolved: true, Limit: 2}, all[:2]},
	}
	for _, c := range cases {
		if d := cmp.Diff(c.want, keys(c.f)); d != "" {
			t.Errorf("Errors(%+v) (-want +got):\n%s", c.f, d)
		}
	}
	k2 := e.errors(decant.ErrorFilter{Scope: "s", Step: "a", Resolved: true})[1]
	if got := keys(decant.ErrorFilter{ID: k2.ID}); len(got) != 1 || got[0] != "s/a/k2" {
		t.Errorf("Errors by the id of resolved k2 = %v", got)
	}
	if _, err := e.reader().Errors(e.ctx, decant.ErrorFilter{ID: k2.ID + 1000}); !errors.Is(err, decant.ErrNotFound) {
		t.Errorf("Errors by a missing id: %v, want ErrNotFound", err)
	}
}

func testCheckpoint(t *testing.T, e *env) {
	if pos, err := e.s.Checkpoint(e.ctx, "s", "a"); err != nil || pos != nil {
		t.Fatalf("Checkpoint before any batch = %s, %v; want nil, nil", pos, err)
	}
	pos := decant.Position(`{"since":"2024-01-01T00:00:00Z","keys":["a","b"]}`)
	e.write(&decant.Batch{Scope: "s", Step: "a", Checkpoint: pos, Audit: audit(0, 0, "v1")})
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("x:ok")}) // no checkpoint: unchanged
	got, err := e.s.Checkpoint(e.ctx, "s", "a")
	if err != nil || string(got) != string(pos) {
		t.Errorf("Checkpoint = %s, %v; want %s", got, err, pos)
	}
	if got, _ := e.s.Checkpoint(e.ctx, "s", "b"); got != nil {
		t.Errorf("Checkpoint of another step = %s, want nil", got)
	}
	if got, _ := e.s.Checkpoint(e.ctx, "other", "a"); got != nil {
		t.Errorf("Checkpoint of another scope = %s, want nil", got)
	}
	if got := e.rows("SELECT cursor FROM decant_checkpoints"); got != "v1\n" {
		t.Errorf("checkpoint cursor = %q, want the audit's CursorTo v1", got)
	}
}

var (
	holder1 = decant.Holder{Host: "h1", PID: 1, ID: "run1"}
	holder2 = decant.Holder{Host: "h2", PID: 2, ID: "run2"}
)

func testLease(t *testing.T, e *env) {
	if err := e.leaser().AcquireLease(e.ctx, "s", holder1, time.Minute); err != nil {
		t.Fatalf("first AcquireLease: %v", err)
	}
	err := e.leaser().AcquireLease(e.ctx, "s", holder2, time.Minute)
	var le *decant.LeaseError
	if !errors.As(err, &le) || !errors.Is(err, decant.ErrLeaseHeld) {
		t.Fatalf("second holder: %v, want a *LeaseError", err)
	}
	if le.Scope != "s" || le.Holder != holder1.String() || le.Since.IsZero() || !le.Expires.After(le.Since) {
		t.Errorf("LeaseError = %+v, want scope s held by %q", le, holder1.String())
	}
	since := le.Since
	if err := e.leaser().AcquireLease(e.ctx, "s", holder1, time.Minute); err != nil {
		t.Errorf("renewal by the holder: %v", err)
	}
	if err := e.leaser().AcquireLease(e.ctx, "other", holder2, time.Minute); err != nil {
		t.Errorf("another scope is free: %v", err)
	}
	_ = errors.As(e.leaser().AcquireLease(e.ctx, "s", holder2, time.Minute), &le)
	if !le.Since.Equal(since) {
		t.Errorf("a renewal moved since from %v to %v", since, le.Since)
	}
	if err := e.leaser().ReleaseLease(e.ctx, "s", holder2); err != nil {
		t.Errorf("ReleaseLease by a non-holder: %v", err)
	}
	if err := e.leaser().AcquireLease(e.ctx, "s", holder2, time.Minute); !errors.Is(err, decant.ErrLeaseHeld) {
		t.Errorf("a non-holder's release freed the lease: %v", err)
	}
	if err := e.leaser().ReleaseLease(e.ctx, "s", holder1); err != nil {
		t.Fatalf("ReleaseLease: %v", err)
	}
	if err := e.leaser().AcquireLease(e.ctx, "s", holder2, time.Minute); err != nil {
		t.Errorf("AcquireLease after release: %v", err)
	}
}

func testLeaseExpiry(t *testing.T, e *env) {
	if err := e.leaser().AcquireLease(e.ctx, "s", holder1, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if err := e.leaser().AcquireLease(e.ctx, "s", holder2, time.Minute); err != nil {
		t.Fatalf("taking over an expired lease: %v", err)
	}
	var le *decant.LeaseError
	if err := e.leaser().AcquireLease(e.ctx, "s", holder1, time.Minute); !errors.As(err, &le) || le.Holder != holder2.String() {
		t.Errorf("the old holder after a takeover: %v, want held by %s", err, holder2)
	}
}

func testStatus(t *testing.T, e *env) {
	if st := e.status("s"); len(st) != 0 {
		t.Fatalf("Status of an empty store = %+v", st)
	}
	b := failure("b", "k3", "bad")
	b.Ledger = ledger("k1:ok", "k2:ok", "k3:failed")
	b.Audit = audit(3, 2, "c3")
	b.Checkpoint = decant.Position(`{"p":3}`)
	e.write(b)
	e.write(&decant.Batch{Scope: "s", Step: "a", Checkpoint: decant.Position(`{"p":0}`)})
	e.write(&decant.Batch{Scope: "other", Step: "z", Ledger: ledger("k1:ok")})
	started := audit(0, 0, "").Started
	want := []decant.StepStatus{
		{Scope: "s", Step: "a", Checkpoint: decant.Position(`{"p":0}`)},
		{Scope: "s", Step: "b", Read: 3, Keys: 3, Written: 2, Failed: 1, Batches: 1, Checkpoint: decant.Position(`{"p":3}`),
			LastCursor: "c3", LastBatch: started, Rate: 3},
	}
	if d := cmp.Diff(want, e.status("s"), timeEqual); d != "" {
		t.Errorf("Status (-want +got):\n%s", d)
	}
	// k3 now succeeds: it is written and its error resolved.
	b = &decant.Batch{Scope: "s", Step: "b", Ledger: ledger("k3:ok"), Audit: audit(1, 1, "c4")}
	b.Audit.Duration = 3 * time.Second
	e.write(b)
	// Both batches started at the same time, so they are one run: 4 records
	// from its start to the second batch's end, 3 s later (status.go).
	// READ counts records over both runs (k3 twice); KEYS, distinct keys.
	want[1].Read, want[1].Written, want[1].Failed, want[1].Batches, want[1].LastCursor, want[1].Rate = 4, 3, 0, 2, "c4", 4.0/3
	if d := cmp.Diff(want, e.status("s"), timeEqual); d != "" {
		t.Errorf("Status after the retry (-want +got):\n%s", d)
	}
}

var timeEqual = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })
