package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
)

// ledgerBlockTests are the conformance tests of a ledger kept in blocks
// ([decant.LedgerCompactor]); Run runs them with the others.
var ledgerBlockTests = []struct {
	name string
	fn   func(*testing.T, *env)
}{
	{"LedgerFromVersion8", testLedgerFromVersion8},
	{"LedgerLastEntryWins", testLedgerLastEntryWins},
	{"CompactLedgerRewrites", testCompactLedgerRewrites},
	{"CompactLedgerMarksAFirstLoad", testCompactLedgerMarksAFirstLoad},
	{"CompactLedgerWaits", testCompactLedgerWaits},
	{"LedgerKeysPageOverForgotten", testLedgerKeysPageOverForgotten},
}

// latestVersion is the version of the state tables the stores write, as
// decant_schema reads back.
const latestVersion = "10\n"

// dropVersion9 takes the state tables back to version 8: the ledger as
// one row per key, holding what the blocks held.
func (e *env) dropVersion9() {
	e.dropVersion10()
	e.exec("CREATE TABLE decant_ledger_v8 AS SELECT scope, step, key, source_hash, target_hash, status, updated FROM decant_ledger")
	e.exec("DROP VIEW decant_ledger")
	e.exec("DROP TABLE decant_ledger_blocks")
	e.exec(`CREATE TABLE decant_ledger (scope {text} NOT NULL, step {text} NOT NULL, key {text} NOT NULL,
source_hash {text} NOT NULL DEFAULT '', target_hash {text} NOT NULL DEFAULT '', status {text} NOT NULL,
updated {timestamptz} NOT NULL, PRIMARY KEY (scope, step, key))`)
	e.exec("INSERT INTO decant_ledger SELECT * FROM decant_ledger_v8")
	e.exec("DROP TABLE decant_ledger_v8")
}

// ledgerView is every ledger row, in a fixed order, as text.
func (e *env) ledgerView() string {
	return e.rows("SELECT scope, step, key, source_hash, target_hash, status, updated FROM decant_ledger ORDER BY scope, step, key")
}

// ledgerAnswers is what the ledger's readers say of scope s, steps a and
// b, and scope o: status counts, some keys' rows, the keys in pages of
// two, the deleted keys, and the keys o holds.
func (e *env) ledgerAnswers() string {
	out := fmt.Sprintf("status s: %s\nstatus o: %s\n", ledgerCounts(e.status("s")), ledgerCounts(e.status("o")))
	for _, step := range []string{"a", "b"} {
		rows, err := e.reader().Ledger(e.ctx, "s", step, []string{"k1", "k2", "k3", "k4", "k5", "zz"})
		if err != nil {
			e.t.Fatalf("Ledger(s, %s): %v", step, err)
		}
		// The same keys among many that no step holds: a store may look
		// up a few keys and many keys in different ways.
		many := []string{"k1", "k2", "k3", "k4", "k5", "zz"}
		for i := range 20 {
			many = append(many, fmt.Sprintf("absent%02d", i))
		}
		rows2, err := e.reader().Ledger(e.ctx, "s", step, many)
		if err != nil {
			e.t.Fatalf("Ledger(s, %s) of %d keys: %v", step, len(many), err)
		}
		slices.SortFunc(rows, func(x, y decant.LedgerRow) int { return cmpStrings(x.Key, y.Key) })
		slices.SortFunc(rows2, func(x, y decant.LedgerRow) int { return cmpStrings(x.Key, y.Key) })
		if !cmp.Equal(rows, rows2) {
			e.t.Errorf("Ledger(s, %s) of 6 keys = %+v, of those among 26 = %+v", step, rows, rows2)
		}
		for _, r := range rows {
			out += fmt.Sprintf("ledger s/%s %s %s %s %s %s\n", step, r.Key, r.SourceHash, r.TargetHash, r.Status, r.Updated.UTC().Format(time.RFC3339Nano))
		}
		out += fmt.Sprintf("keys s/%s %v\n", step, e.allKeys("s", step, ""))
		out += fmt.Sprintf("deleted s/%s %v\n", step, e.allKeys("s", step, decant.StatusDeleted))
	}
	held, err := e.resetter().HeldElsewhere(e.ctx, "s", "a", []string{"k1", "k2", "k3", "k4", "k5"})
	if err != nil {
		e.t.Fatalf("HeldElsewhere: %v", err)
	}
	return out + fmt.Sprintf("held elsewhere %v\n", held)
}

func cmpStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func ledgerCounts(st []decant.StepStatus) string {
	var out string
	for _, s := range st {
		out += fmt.Sprintf("%s keys=%d written=%d deleted=%d; ", s.Step, s.Keys, s.Written, s.Deleted)
	}
	return out
}

// allKeys pages through a step's keys (of one status, when not empty) two
// at a time, or 997 when there are many.
func (e *env) allKeys(scope, step, status string) []string {
	e.t.Helper()
	var all []string
	after, page := "", 2
	for range 1000 {
		if len(all) > 50 {
			page = 997
		}
		var keys []string
		var err error
		if status == "" {
			keys, err = e.resetter().LedgerKeys(e.ctx, scope, step, after, page)
		} else {
			keys, err = role[decant.LedgerStatusLister](e).LedgerKeysByStatus(e.ctx, scope, step, status, after, page)
		}
		if err != nil {
			e.t.Fatalf("keys of %s/%s after %q: %v", scope, step, after, err)
		}
		if len(keys) > page || (len(keys) > 0 && keys[0] <= after) || !slices.IsSorted(keys) {
			e.t.Fatalf("keys of %s/%s after %q, limit %d = %v", scope, step, after, page, keys)
		}
		if len(keys) == 0 {
			return all
		}
		all, after = append(all, keys...), keys[len(keys)-1]
	}
	e.t.Fatalf("keys of %s/%s do not end", scope, step)
	return nil
}

// writeLedgerHistory writes keys of every status over several batches of
// two scopes and two steps, some keys written again, one forgotten.
func (e *env) writeLedgerHistory() {
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("k1:ok", "k2:failed", "k3:ok", "k4:ok")})
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("k2:ok", "k3:deleted", "k5:failed")})
	e.write(&decant.Batch{Scope: "s", Step: "a", Forget: []string{"k4"}})
	e.write(&decant.Batch{Scope: "s", Step: "b", Ledger: ledger("k1:deleted", "k2:ok")})
	e.write(&decant.Batch{Scope: "o", Step: "a", Ledger: ledger("k1:ok", "k3:ok", "k5:deleted")})
}

// Ensure a version-8 ledger (one row per key) reads the same through
// every reader once Init turns it into blocks, and that the view gives
// back its rows exactly, times included.
func testLedgerFromVersion8(t *testing.T, e *env) {
	e.writeLedgerHistory()
	before, view := e.ledgerAnswers(), e.ledgerView()
	e.dropVersion9()
	e.exec("UPDATE decant_schema SET version = 8")
	if got := e.rows("SELECT count(*) FROM decant_ledger"); got != "9\n" {
		t.Fatalf("version-8 ledger holds %q rows, want 9", got)
	}
	// Read commands read a version-8 ledger as it is, without upgrading it.
	// The store's connections may hold statements planned against the
	// view this test just replaced behind their back: PostgreSQL refuses
	// such a statement once ("cached plan must not change result type")
	// and pgx then forgets it. Init, which upgrades, starts new connections.
	_, _ = e.reader().Status(e.ctx, "s")
	if got, want := ledgerCounts(e.status("s")), "a keys=4 written=2 deleted=1; b keys=2 written=1 deleted=1; "; got != want {
		t.Errorf("Status(s) of a version-8 ledger = %q, want %q", got, want)
	}
	if err := e.initer().Init(e.ctx); err != nil {
		t.Fatalf("Init from version 8: %v", err)
	}
	if got := e.rows("SELECT version FROM decant_schema"); got != latestVersion {
		t.Errorf("decant_schema = %q after Init, want %q", got, latestVersion)
	}
	if got := e.ledgerView(); got != view {
		t.Errorf("ledger rows after the upgrade:\n%s\nwant:\n%s", got, view)
	}
	if got := e.ledgerAnswers(); got != before {
		t.Errorf("readers after the upgrade:\n%s\nwant:\n%s", got, before)
	}
	if got := e.rows("SELECT count(*) FROM decant_ledger_blocks WHERE NOT compacted"); got != "0\n" {
		t.Errorf("%q upgraded blocks are not marked compacted", got)
	}
	// A batch after the upgrade still wins over the converted entries.
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("k1:failed")})
	if rows, err := e.reader().Ledger(e.ctx, "s", "a", []string{"k1"}); err != nil || len(rows) != 1 || rows[0].Status != decant.StatusFailed {
		t.Errorf("Ledger(k1) after a batch that failed it = %+v, %v", rows, err)
	}
}

// Ensure the latest entry of a key is its fate: a key written again takes
// its new status, a forgotten key has no row and is not counted, and a
// key forgotten then written again is back.
func testLedgerLastEntryWins(t *testing.T, e *env) {
	e.writeLedgerHistory()
	want := "status s: a keys=4 written=2 deleted=1; b keys=2 written=1 deleted=1; \n"
	if got := e.ledgerAnswers(); got[:len(want)] != want {
		t.Errorf("status after the history = %q, want %q", got[:min(len(got), len(want))], want)
	}
	if keys := e.allKeys("s", "a", ""); !cmp.Equal(keys, []string{"k1", "k2", "k3", "k5"}) {
		t.Errorf("keys of s/a = %v, want k4 forgotten", keys)
	}
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("k4:ok")})
	if keys := e.allKeys("s", "a", ""); !cmp.Equal(keys, []string{"k1", "k2", "k3", "k4", "k5"}) {
		t.Errorf("keys of s/a after k4 came back = %v", keys)
	}
	// A batch that writes and forgets the same key leaves it forgotten,
	// as deleting its row after writing it did.
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("k9:ok"), Forget: []string{"k9"}})
	if rows, err := e.reader().Ledger(e.ctx, "s", "a", []string{"k9"}); err != nil || len(rows) != 0 {
		t.Errorf("Ledger(k9) written and forgotten in one batch = %+v, %v; want none", rows, err)
	}
}

// Ensure compaction of a step whose keys were written again and forgotten
// rewrites it to one entry per key and changes no reader's answer, times
// included; a second call finds too little written to look again.
func testCompactLedgerRewrites(t *testing.T, e *env) {
	c := role[decant.LedgerCompactor](e)
	var keys []string
	for i := range 12000 {
		keys = append(keys, fmt.Sprintf("k%05d:ok", i))
	}
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger(keys...)})
	e.writeLedgerHistory()
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger(keys[:3000]...)})
	before, view := e.ledgerAnswers(), e.ledgerView()
	res, err := c.CompactLedger(e.ctx, "s", "a")
	if err != nil {
		t.Fatal(err)
	}
	// 12000 + 3000 + the history's 8 entries of s/a; kept: 12000 + k1..k5 less k4.
	if want := (decant.LedgerCompaction{Entries: 15008, Kept: 12004, Checked: true, Rewrote: true}); res != want {
		t.Errorf("CompactLedger = %+v, want %+v", res, want)
	}
	if got := e.ledgerView(); got != view {
		t.Errorf("ledger rows changed by compaction")
	}
	if got := e.ledgerAnswers(); got != before {
		t.Errorf("readers after compaction:\n%s\nwant:\n%s", got, before)
	}
	if got := e.rows("SELECT count(*), sum(n) FROM decant_ledger_blocks WHERE scope = 's' AND step = 'a' AND compacted"); got != "3|12004\n" {
		t.Errorf("compacted blocks (count|entries) = %q, want 3|12004", got)
	}
	if res, err := c.CompactLedger(e.ctx, "s", "a"); err != nil || res.Checked || res.Entries != 12004 {
		t.Errorf("second CompactLedger = %+v, %v; want nothing checked", res, err)
	}
	if res, err := c.CompactLedger(e.ctx, "s", "b"); err != nil || res.Checked || res.Entries != 2 {
		t.Errorf("CompactLedger of a small step = %+v, %v; want nothing checked", res, err)
	}
}

// Ensure a first load, where no key supersedes another, is marked
// compacted without a rewrite, and that a later rewrite of the same keys
// is compacted once it is as large.
func testCompactLedgerMarksAFirstLoad(t *testing.T, e *env) {
	c := role[decant.LedgerCompactor](e)
	var keys []string
	for i := range 10000 {
		keys = append(keys, fmt.Sprintf("%d:ok", i))
	}
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger(keys[:5000]...)})
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger(keys[5000:]...)})
	res, err := c.CompactLedger(e.ctx, "s", "a")
	if want := (decant.LedgerCompaction{Entries: 10000, Kept: 10000, Checked: true}); err != nil || res != want {
		t.Errorf("CompactLedger of a first load = %+v, %v; want %+v", res, err, want)
	}
	if got := e.rows("SELECT count(*) FROM decant_ledger_blocks WHERE NOT compacted"); got != "0\n" {
		t.Errorf("%q blocks of a first load left unmarked", got)
	}
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger(keys[:5000]...)})
	if res, err := c.CompactLedger(e.ctx, "s", "a"); err != nil || res.Checked {
		t.Errorf("CompactLedger after half the keys again = %+v, %v; want nothing checked", res, err)
	}
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger(keys[5000:]...)})
	res, err = c.CompactLedger(e.ctx, "s", "a")
	if want := (decant.LedgerCompaction{Entries: 20000, Kept: 10000, Checked: true, Rewrote: true}); err != nil || res != want {
		t.Errorf("CompactLedger after every key again = %+v, %v; want %+v", res, err, want)
	}
	if st := e.status("s"); len(st) != 1 || st[0].Keys != 10000 || st[0].Written != 10000 {
		t.Errorf("Status after compaction = %+v", st)
	}
}

// Ensure compaction leaves a step alone while little was written: a
// live run's few rewrites wait for more.
func testCompactLedgerWaits(t *testing.T, e *env) {
	c := role[decant.LedgerCompactor](e)
	e.writeLedgerHistory()
	res, err := c.CompactLedger(e.ctx, "s", "a")
	if want := (decant.LedgerCompaction{Entries: 8, Kept: 8}); err != nil || res != want {
		t.Errorf("CompactLedger of 8 entries = %+v, %v; want %+v", res, err, want)
	}
	if res, err := c.CompactLedger(e.ctx, "nope", "a"); err != nil || res != (decant.LedgerCompaction{}) {
		t.Errorf("CompactLedger of a scope without a ledger = %+v, %v", res, err)
	}
}

// Ensure paging through keys goes past a window whose keys are all
// forgotten or of another status, rather than stopping there.
func testLedgerKeysPageOverForgotten(t *testing.T, e *env) {
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("a1:ok", "a2:ok", "a3:ok", "a4:ok", "b1:deleted", "b2:ok", "c1:deleted")})
	e.write(&decant.Batch{Scope: "s", Step: "a", Forget: []string{"a1", "a2", "a3", "a4"}})
	if keys := e.allKeys("s", "a", ""); !cmp.Equal(keys, []string{"b1", "b2", "c1"}) {
		t.Errorf("keys after four forgotten = %v, want [b1 b2 c1]", keys)
	}
	e.write(&decant.Batch{Scope: "s", Step: "a", Ledger: ledger("b1:ok")})
	if keys := e.allKeys("s", "a", decant.StatusDeleted); !cmp.Equal(keys, []string{"c1"}) {
		t.Errorf("deleted keys after b1 was written again = %v, want [c1]", keys)
	}
}
