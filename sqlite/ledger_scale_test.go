package sqlite

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/testenv"
)

// TestLedgerScale times the ledger's readers and CompactLedger on one step
// of DECANT_LEDGER_KEYS keys (ids 1..N as text) in a database file,
// written in batches of 5000 as a load writes them: in id order, where
// most batches' keys span a narrow range of the byte order, or with
// DECANT_LEDGER_ORDER=shuffled in a random order, where every batch spans
// all of it. Without the variable it runs on 50,000 keys, as a test of
// the readers' answers across compaction states at more than a few
// blocks; docs/benchmarks.md ("SQLite ledger in blocks") has its numbers
// at a million:
//
//	DECANT_LEDGER_KEYS=1000000 [DECANT_LEDGER_ORDER=shuffled] go test ./sqlite -run TestLedgerScale -v
func TestLedgerScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("DECANT_LEDGER_KEYS"))
	if n <= 0 {
		n = 50000
	}
	ctx := context.Background()
	s, err := Open(ctx, testenv.SQLite(t), Config{Synchronous: SyncNormal})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Init(ctx); err != nil {
		t.Fatal(err)
	}
	ids := make([]int, n)
	for i := range ids {
		ids[i] = i + 1
	}
	if os.Getenv("DECANT_LEDGER_ORDER") == "shuffled" {
		rand.New(rand.NewPCG(1, 2)).Shuffle(n, func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	}
	write := func(round string) {
		for lo := 0; lo < n; lo += 5000 {
			b := &decant.Batch{Scope: "s", Step: "a"}
			for _, id := range ids[lo:min(lo+5000, n)] {
				h := sha256.Sum256([]byte(round + strconv.Itoa(id)))
				b.Ledger = append(b.Ledger, decant.LedgerEntry{Key: strconv.Itoa(id), SourceHash: hex.EncodeToString(h[:]),
					TargetHash: hex.EncodeToString(h[:16]), Status: decant.StatusOK})
			}
			if err := writeInternal(ctx, s, b); err != nil {
				t.Fatal(err)
			}
		}
	}
	timed(t, "write the ledger of "+strconv.Itoa(n)+" keys in batches of 5000", func() { write("1") })
	readers := func(when string) {
		timed(t, "Status "+when, func() {
			st, err := s.Status(ctx, "s")
			if err != nil || len(st) != 1 || st[0].Keys < int64(n-20000) || st[0].Written != st[0].Keys {
				t.Fatalf("Status = %+v, %v", st, err)
			}
		})
		timed(t, "Ledger(3 keys) "+when, func() {
			rows, err := s.Ledger(ctx, "s", "a", []string{"7", strconv.Itoa(n / 2), strconv.Itoa(n)})
			if err != nil || len(rows) != 3 {
				t.Fatalf("Ledger = %+v, %v", rows, err)
			}
		})
		for _, after := range []string{"", "5"} {
			timed(t, "LedgerKeys(after "+strconv.Quote(after)+", 1000) "+when, func() {
				keys, err := s.LedgerKeys(ctx, "s", "a", after, 1000)
				if err != nil || len(keys) != 1000 {
					t.Fatalf("LedgerKeys = %d keys, %v", len(keys), err)
				}
			})
		}
		timed(t, "HeldElsewhere(3 keys) "+when, func() {
			if _, err := s.HeldElsewhere(ctx, "other", "a", []string{"7", "8", "9"}); err != nil {
				t.Fatal(err)
			}
		})
	}
	readers("(not compacted)")
	timed(t, "CompactLedger of a fresh step (checked, marked compacted)", func() {
		c, err := s.CompactLedger(ctx, "s", "a")
		if err != nil || !c.Checked || c.Rewrote {
			t.Fatalf("CompactLedger = %+v, %v", c, err)
		}
	})
	readers("(marked compacted)")
	page, err := s.LedgerKeys(ctx, "s", "a", "", 20000)
	if err != nil {
		t.Fatal(err)
	}
	must(t, writeInternal(ctx, s, &decant.Batch{Scope: "s", Step: "a", Forget: page}))
	timed(t, "LedgerKeys(after, 20000) past a page forgotten (a reset's next page)", func() {
		keys, err := s.LedgerKeys(ctx, "s", "a", page[len(page)-1], 20000)
		if err != nil || len(keys) != 20000 {
			t.Fatalf("LedgerKeys = %d keys, %v", len(keys), err)
		}
	})
	timed(t, "Status past a page forgotten", func() {
		if _, err := s.Status(ctx, "s"); err != nil {
			t.Fatal(err)
		}
	})
	timed(t, "write every key again", func() { write("2") })
	timed(t, "CompactLedger rewrite of 2 entries per key", func() {
		c, err := s.CompactLedger(ctx, "s", "a")
		if err != nil || !c.Rewrote || c.Kept != int64(n) {
			t.Fatalf("CompactLedger = %+v, %v", c, err)
		}
	})
	readers("(rewritten in key order)")
	var pages, size int64
	s.db.QueryRow("SELECT page_count, page_size FROM pragma_page_count, pragma_page_size").Scan(&pages, &size)
	t.Logf("database: %.1f MB", float64(pages*size)/1e6)
}

// timed runs fn and logs its wall time and the process's CPU time.
func timed(t *testing.T, what string, fn func()) {
	t.Helper()
	cpu0, wall0 := cpuTime(), time.Now()
	fn()
	t.Logf("%-70s wall %8.3f s  cpu %8.3f s", what, time.Since(wall0).Seconds(), (cpuTime() - cpu0).Seconds())
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
