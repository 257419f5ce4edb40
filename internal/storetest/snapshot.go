package storetest

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

// testStatusSnapshot checks that Status reads one consistent snapshot while
// batches commit: every batch adds 5 ledger rows, 5 target rows, 5 to the
// audit totals and moves the checkpoint in one transaction, so that at any
// instant READ = KEYS = WRITTEN = 5 x BATCHES and the checkpoint names the
// last batch. A Status whose reads each see the latest commit breaks that
// (seen during a run: READ 149000, KEYS 145000, WRITTEN 144997).
func testStatusSnapshot(t *testing.T, e *env) {
	e.exec(`CREATE TABLE snap (id {bigint} PRIMARY KEY)`)
	const per, batches = 5, 400
	done := make(chan error, 1)
	go func() {
		defer close(done)
		for b := range batches {
			entries := make([]decant.LedgerEntry, per)
			rows := make([][]any, per)
			for i := range per {
				entries[i] = decant.LedgerEntry{Key: strconv.Itoa(b*per + i), Status: decant.StatusOK}
				rows[i] = []any{int64(b*per + i)}
			}
			err := e.tryWrite(&decant.Batch{Scope: "s", Step: "snap", Ledger: entries, Audit: audit(per, per, "c"),
				Checkpoint: decant.Position(fmt.Sprintf(`{"n":%d}`, b+1)),
				Tables:     []decant.TableRows{{Table: "snap", Columns: []string{"id"}, Key: []string{"id"}, Rows: rows}}})
			if err != nil {
				done <- err
				return
			}
		}
	}()
	reads, deadline := 0, time.Now().Add(20*time.Second)
	for running := true; running && time.Now().Before(deadline); reads++ {
		select {
		case err, ok := <-done:
			if err != nil {
				t.Fatalf("write batch: %v", err)
			}
			running = ok
		default:
		}
		st, err := e.reader().Status(e.ctx, "s")
		if err != nil {
			t.Fatalf("Status: %v", err)
		}
		if len(st) == 0 {
			continue
		}
		s := st[0]
		n := s.Batches * per
		if s.Read != n || s.Keys != n || s.Written != n || string(s.Checkpoint) != fmt.Sprintf(`{"n":%d}`, s.Batches) {
			t.Fatalf("Status read %d times is not one snapshot: %d batches, read %d, keys %d, written %d, checkpoint %s; want %d each and {\"n\":%d}",
				reads+1, s.Batches, s.Read, s.Keys, s.Written, string(s.Checkpoint), n, s.Batches)
		}
	}
	if st := e.status("s"); len(st) != 1 || st[0].Batches != batches {
		t.Errorf("Status after the writes = %+v, want %d batches", st, batches)
	}
	t.Logf("%d consistent reads", reads)
}
