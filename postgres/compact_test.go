package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/postgres"
)

// Ensure a batch open while the step's ledger is compacted keeps its
// place as the last attempt: the compaction waits for it to commit, and
// the batch's entry, not the compacted copy of the key's older one, is
// the key's fate. (A block's id is taken when it is inserted: without the
// step's lock the open batch's block was older than the compacted ones.)
func TestCompactWaitsForABatchInFlight(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, postgres.Config{})
	if err := s.Init(ctx); err != nil {
		t.Fatal(err)
	}
	entries := func(hash string, keys []string, status string) []decant.LedgerEntry {
		out := make([]decant.LedgerEntry, len(keys))
		for i, k := range keys {
			out[i] = decant.LedgerEntry{Key: k, SourceHash: hash, TargetHash: hash, Status: status}
		}
		return out
	}
	var keys []string
	for i := range 12000 {
		keys = append(keys, fmt.Sprintf("k%05d", i))
	}
	for _, round := range []string{"first", "second"} {
		for lo := 0; lo < len(keys); lo += 5000 {
			part := keys[lo:min(lo+5000, len(keys))]
			if err := write(ctx, s, &decant.Batch{Scope: "s", Step: "a", Ledger: entries(round, part, decant.StatusOK)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteBatch(ctx, tx, &decant.Batch{Scope: "s", Step: "a", Ledger: entries("late", keys[:1], decant.StatusFailed)}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	var res decant.LedgerCompaction
	go func() {
		var err error
		res, err = s.CompactLedger(ctx, "s", "a")
		done <- err
	}()
	select {
	case err := <-done:
		_ = tx.Rollback(ctx) // or the store's cleanup waits for it
		t.Fatalf("CompactLedger returned (%+v, %v) while a batch of the step was open", res, err)
	case <-time.After(500 * time.Millisecond):
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil || !res.Rewrote {
		t.Fatalf("CompactLedger = %+v, %v; want a rewrite", res, err)
	}
	rows, err := s.Ledger(ctx, "s", "a", keys[:2])
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]decant.LedgerRow{}
	for _, r := range rows {
		got[r.Key] = r
	}
	if r := got[keys[0]]; r.Status != decant.StatusFailed || r.SourceHash != "late" {
		t.Errorf("Ledger(%s) = %+v; want the open batch's failed entry, its last attempt", keys[0], r)
	}
	if r := got[keys[1]]; r.Status != decant.StatusOK || r.SourceHash != "second" {
		t.Errorf("Ledger(%s) = %+v; want the second round's entry", keys[1], r)
	}
}
