package engine_test

import (
	"context"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
)

// Ensure another scope's tombstone leaves no trace in this scope even
// when it fails to map (no on_delete, and a key column not computable
// from the source key), or when on_delete: ignore maps it to nothing: it
// is not this scope's record, so not its error nor its ledger's.
func TestDelete_ForeignTombstoneThatFailsLeavesNoTrace(t *testing.T) {
	t.Parallel()
	for _, onDelete := range []string{"", "    on_delete: ignore\n"} {
		foreignTombstone(t, onDelete)
	}
}

func foreignTombstone(t *testing.T, onDelete string) {
	f := markFixture(t, onDelete, "record.n")
	f.appendLines(t, `{"id":9,"n":9,"name":"b","tags":[],"owner":"b"}`,
		`{"id":1,"n":1,"name":"a","tags":[],"owner":"a"}`, `{"id":9,"_deleted":true}`)
	cfg := f.config(t)
	cfg.Scope = "a"
	open := connect.Sources(cfg.Plan)
	cfg.Sources = func(ctx context.Context, s *plan.Step) (decant.Source, error) {
		src, err := open(ctx, s)
		return ownedSource{src}, err
	}
	_, err := engine.Run(context.Background(), cfg, nil)
	must(t, err)
	if got := f.query(t, "SELECT scope || ' ' || key FROM decant_errors"); got != "" {
		t.Errorf("%q: scope a stores scope b's tombstone as its error: %q", onDelete, got)
	}
	if got := f.query(t, "SELECT scope || ' ' || key FROM decant_ledger WHERE key = '9'"); got != "" {
		t.Errorf("%q: scope a keeps scope b's tombstone in its ledger: %q", onDelete, got)
	}
}

// Ensure a record that fails to map and then its tombstone end the same
// whatever the batch size: the failed record is this scope's key (it gets
// a ledger row in the same transaction), so its deletion is too.
func TestDelete_FailedThenDeletedSameOutcomeAnyBatchSize(t *testing.T) {
	t.Parallel()
	results := map[int]string{}
	for _, size := range []int{1, 10} {
		f := newFixture(t, 3, "people: [person]", nil)
		f.appendLines(t, `{"id":7,"name":"x","kind":"alien","score":"1","tags":[]}`, `{"id":7,"_deleted":true}`)
		_, err := f.deleteRun(t, size)
		must(t, err)
		results[size] = f.query(t, "SELECT key, status FROM decant_ledger WHERE key = '7'") + " | errors open: " +
			f.query(t, "SELECT count(*) FROM decant_errors WHERE resolved = 0")
	}
	if results[1] != results[10] {
		t.Errorf("batch size changes the outcome:\nsize 1:  %s\nsize 10: %s", results[1], results[10])
	}
	if want := "7 deleted | errors open: 0"; results[1] != want {
		t.Errorf("failed then deleted = %q, want %q", results[1], want)
	}
}

// Ensure a record marked deleted (on_delete: mark) and then written again
// ends with its new rows, unmarked, as a bool or a timestamp mark column;
// and verify finds marked and unmarked rows clean.
func TestDelete_MarkThenRecreateUnmarks(t *testing.T) {
	t.Parallel()
	for mark, marked := range map[string]string{"gone": "coalesce(gone, 0) <> 0", "deleted_at": "deleted_at IS NOT NULL"} {
		f := markFixture(t, "    on_delete: {mark: "+mark+"}\n", "record.id")
		f.appendLines(t, `{"id":2,"_deleted":true}`, `{"id":3,"_deleted":true}`)
		_, err := f.deleteRun(t, 10)
		must(t, err)
		f.appendLines(t, `{"id":2,"name":"back","tags":[]}`)
		_, err = f.deleteRun(t, 10)
		must(t, err)
		q := "SELECT id, name, " + marked + " FROM people ORDER BY id"
		if got, want := f.query(t, q), "1 p1 0\n2 back 0\n3 p3 1\n4 p4 0"; got != want {
			t.Errorf("%s: people =\n%s\nwant\n%s (2 written again is no longer marked; 3 stays marked)", mark, got, want)
		}
		people, _ := f.verifyDeleted(t, false)
		// The re-read gives key 2's tombstone too, so verify leaves 2 out
		// with the marked 3 (a kept marker drops its key's rows).
		if people.Extra != 0 || people.Missing != 0 || people.Diffs != 0 || people.OK != 2 {
			t.Errorf("%s: verify people = %+v, want 1 and 4 ok and the deleted keys 2 and 3 left out", mark, people)
		}
	}
}
