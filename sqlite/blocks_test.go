package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/testenv"
)

// openAt opens a store whose state tables are at version v, built by the
// store's own migrations.
func openAt(t *testing.T, v int) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, testenv.SQLite(t), Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	err = s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error { return migrateTo(ctx, tx, v) })
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rowsOf returns the rows of query as lines of "|"-separated text.
func rowsOf(t *testing.T, s *Store, query string, args ...any) []string {
	t.Helper()
	rows, err := s.db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var line []string
		for _, v := range vals {
			line = append(line, v.String)
		}
		out = append(out, strings.Join(line, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// ledgerAnswers is what every ledger reader says of the given scopes and
// steps: Status, Ledger of keys and of a key never written, LedgerKeys and
// LedgerKeysByStatus paged by pageSize, and HeldElsewhere; and the rows of
// decant_ledger. With fromTable, the readers but Status are the version-8
// store's queries on decant_ledger (a table before the upgrade, the view
// after), which the store's own readers must agree with.
func ledgerAnswers(t *testing.T, s *Store, fromTable bool, scopes, steps, keys []string, pageSize int) map[string]any {
	t.Helper()
	ctx := context.Background()
	out := map[string]any{"view": rowsOf(t, s, "SELECT * FROM decant_ledger ORDER BY scope, step, key")}
	asked := strings.Join(quoted(keys), ", ")
	for _, scope := range scopes {
		var counts []string
		var err error
		if fromTable {
			counts = rowsOf(t, s, "SELECT step, count(*), count(*) FILTER (WHERE status = 'ok'), count(*) FILTER (WHERE status = 'deleted') FROM decant_ledger WHERE scope = ? GROUP BY step ORDER BY step", scope)
		} else {
			st, err := s.Status(ctx, scope)
			must(t, err)
			for _, c := range st {
				if c.Keys > 0 {
					counts = append(counts, fmt.Sprintf("%s|%d|%d|%d", c.Step, c.Keys, c.Written, c.Deleted))
				}
			}
		}
		out["status "+scope] = counts
		for _, step := range steps {
			var rows []decant.LedgerRow
			if fromTable {
				for _, l := range rowsOf(t, s, "SELECT key, source_hash, target_hash, status, updated FROM decant_ledger WHERE scope = ? AND step = ? AND key IN ("+asked+")", scope, step) {
					f := strings.Split(l, "|")
					rows = append(rows, decant.LedgerRow{LedgerEntry: decant.LedgerEntry{Key: f[0], SourceHash: f[1], TargetHash: f[2], Status: f[3]}, Updated: parseStamp(f[4])})
				}
			} else {
				rows, err = s.Ledger(ctx, scope, step, append(slices.Clone(keys), "never"))
				must(t, err)
			}
			slices.SortFunc(rows, func(a, b decant.LedgerRow) int { return strings.Compare(a.Key, b.Key) })
			out["ledger "+scope+"/"+step] = rows
			for _, status := range []string{"", decant.StatusOK, decant.StatusFailed, decant.StatusDeleted} {
				var all []string
				for after := ""; ; {
					var page []string
					switch {
					case fromTable:
						page = rowsOf(t, s, "SELECT key FROM decant_ledger WHERE scope = ? AND step = ? AND (? = '' OR status = ?) AND key > ? ORDER BY key LIMIT ?",
							scope, step, status, status, after, pageSize)
					case status == "":
						page, err = s.LedgerKeys(ctx, scope, step, after, pageSize)
					default:
						page, err = s.LedgerKeysByStatus(ctx, scope, step, status, after, pageSize)
					}
					must(t, err)
					all = append(all, page...)
					if len(page) < pageSize {
						break
					}
					after = page[len(page)-1]
				}
				out["keys "+status+" "+scope+"/"+step] = all
			}
			var held map[string][]string
			if fromTable {
				for _, l := range rowsOf(t, s, "SELECT key, scope FROM decant_ledger WHERE step = ? AND scope <> ? AND status <> 'deleted' AND key IN ("+asked+") ORDER BY key, scope", step, scope) {
					k, sc, _ := strings.Cut(l, "|")
					if held == nil {
						held = map[string][]string{}
					}
					held[k] = append(held[k], sc)
				}
			} else {
				held, err = s.HeldElsewhere(ctx, scope, step, keys)
				must(t, err)
				if len(held) == 0 {
					held = nil
				}
			}
			out["held "+scope+"/"+step] = held
		}
	}
	return out
}

// quoted returns keys as SQL string literals.
func quoted(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = "'" + strings.ReplaceAll(k, "'", "''") + "'"
	}
	return out
}

// sameAnswers fails t for each answer that differs between before and
// after.
func sameAnswers(t *testing.T, what string, before, after map[string]any) {
	t.Helper()
	for k, b := range before {
		if a := after[k]; !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %s = %v, was %v", what, k, short(a), short(b))
		}
	}
}

func short(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// Ensure Init upgrades a version-8 ledger table, with every status in
// several scopes and steps and more keys than one block holds, into
// compacted blocks in key order, and that every reader answers as it did
// from the table, decant_ledger's rows (times included) the same.
func TestLedgerUpgradeFromVersion8(t *testing.T) {
	t.Parallel()
	s := openAt(t, 8)
	statuses := []string{decant.StatusOK, decant.StatusFailed, decant.StatusDeleted}
	var keys []string
	for i := range 12000 {
		keys = append(keys, strconv.Itoa(i))
	}
	keys = append(keys, "ключ", "a'b", `q"uote`, "<&>", "tab\tkey", "")
	insert := func(scope, step string, keys []string, offset int) {
		tx, err := s.db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for i, k := range keys {
			_, err := tx.Exec("INSERT INTO decant_ledger (scope, step, key, source_hash, target_hash, status, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
				scope, step, k, "s-"+k, "t-"+k, statuses[(i+offset)%3], fmt.Sprintf("2026-01-%02dT10:00:00.%09dZ", 1+i%28, i))
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	insert("a", "pets", keys, 0)
	insert("a", "people", keys[:7], 1)
	insert("b", "pets", keys[5:40], 2)
	insert("b", "owners", keys[:3], 0)
	if _, err := s.db.Exec(`INSERT INTO decant_batches (scope, step, total, ok, failed, started, duration_ms)
		VALUES ('a', 'pets', 10, 10, 0, '2026-01-01T10:00:00.000000000Z', 5)`); err != nil {
		t.Fatal(err)
	}
	scopes, steps := []string{"a", "b", "c"}, []string{"pets", "people", "owners"}
	asked := append(slices.Clone(keys[:50]), keys[len(keys)-6:]...)
	before := ledgerAnswers(t, s, true, scopes, steps, asked, 1000)
	// The version-8 readers' own answers, read from the table.
	want := map[string][]string{
		"ledger": rowsOf(t, s, "SELECT key, source_hash, target_hash, status, updated FROM decant_ledger WHERE scope = 'a' AND step = 'pets' ORDER BY key"),
		"keys":   rowsOf(t, s, "SELECT key FROM decant_ledger WHERE scope = 'a' AND step = 'pets' AND key > '' ORDER BY key"),
		"failed": rowsOf(t, s, "SELECT key FROM decant_ledger WHERE scope = 'b' AND step = 'pets' AND status = 'failed' ORDER BY key"),
	}

	if err := s.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	after := ledgerAnswers(t, s, false, scopes, steps, asked, 1000)
	sameAnswers(t, "the readers after the upgrade", before, after)
	sameAnswers(t, "the view after the upgrade", before, ledgerAnswers(t, s, true, scopes, steps, asked, 1000))
	if n := len(after["view"].([]string)); n != len(keys)+7+35+3 {
		t.Errorf("decant_ledger has %d rows after the upgrade, want %d", n, len(keys)+7+35+3)
	}
	ctx := context.Background()
	rows, err := s.Ledger(ctx, "a", "pets", keys)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join([]string{r.Key, r.SourceHash, r.TargetHash, r.Status, stamp(r.Updated)}, "|"))
	}
	slices.Sort(got)
	slices.Sort(want["ledger"])
	if !slices.Equal(got, want["ledger"]) {
		t.Errorf("Ledger(a, pets) after the upgrade = %s, want the version-8 table's %s", short(got), short(want["ledger"]))
	}
	if got := after["keys  a/pets"].([]string); !slices.Equal(got, firstOf(want["keys"])) {
		t.Errorf("LedgerKeys(a, pets) after the upgrade = %s, want %s", short(got), short(want["keys"]))
	}
	if got := after["keys failed b/pets"].([]string); !slices.Equal(got, firstOf(want["failed"])) || len(got) == 0 {
		t.Errorf("LedgerKeysByStatus(b, pets, failed) after the upgrade = %v, want %v", got, want["failed"])
	}
	if got := after["held b/pets"].(map[string][]string); len(got["7"]) != 1 || got["7"][0] != "a" {
		t.Errorf("HeldElsewhere(b, pets) after the upgrade = %v, want key 7 held by a", got)
	}
	// Compacted blocks of at most 5000 entries, in key order, one per
	// 5000 keys of a step.
	blocks := rowsOf(t, s, "SELECT scope, step, n, compacted, min_key, max_key FROM decant_ledger_blocks ORDER BY id")
	sorted := slices.Sorted(slices.Values(keys))
	wantBlocks := []string{
		"a|people|7|1|0|6", "a|pets|5000|1||" + sorted[4999], "a|pets|5000|1|" + sorted[5000] + "|" + sorted[9999],
		"a|pets|2006|1|" + sorted[10000] + "|ключ", "b|owners|3|1|0|2", "b|pets|35|1|10|9",
	}
	if !slices.Equal(blocks, wantBlocks) {
		t.Errorf("blocks after the upgrade = %q, want %q", blocks, wantBlocks)
	}
	if c, err := s.CompactLedger(ctx, "a", "pets"); err != nil || c != (decant.LedgerCompaction{Entries: int64(len(keys)), Kept: int64(len(keys))}) {
		t.Errorf("CompactLedger right after the upgrade = %+v, %v; want nothing done", c, err)
	}
}

// firstOf returns the first field of each "|"-separated line.
func firstOf(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i], _, _ = strings.Cut(l, "|")
	}
	return out
}

// ledgerBatch returns a batch of (scope s, step a) with an entry for each
// of keys: status ok but every seventh failed and every eleventh deleted,
// hashes naming the round.
func ledgerBatch(round string, keys []string) *decant.Batch {
	b := &decant.Batch{Scope: "s", Step: "a"}
	for i, k := range keys {
		status := decant.StatusOK
		switch {
		case i%11 == 0:
			status = decant.StatusDeleted
		case i%7 == 0:
			status = decant.StatusFailed
		}
		b.Ledger = append(b.Ledger, decant.LedgerEntry{Key: k, SourceHash: round + "-s" + k, TargetHash: round + "-t" + k, Status: status})
	}
	return b
}

// Ensure a step whose keys were written three times and some of them
// forgotten compacts to one entry per key left, in key order, and that
// every reader answers as before, times included; then that too little
// written since does nothing.
func TestCompactLedgerRewrites(t *testing.T) {
	t.Parallel()
	s := openAt(t, len(migrations))
	ctx := context.Background()
	var keys []string
	for i := range 4500 {
		keys = append(keys, strconv.Itoa(i*7919%100000))
	}
	// Three rounds of 4500 keys in batches of 1000, each key once per
	// round (13500 entries, enough to be looked at), and 300 keys forgotten.
	for r, round := range []string{"r1", "r2", "r3"} {
		for lo := 0; lo < len(keys); lo += 1000 {
			part := keys[lo:min(lo+1000, len(keys))]
			if r == 1 && lo == 0 {
				part = part[:500] // a key not rewritten by round 2 keeps round 1's entry
			}
			must(t, writeInternal(ctx, s, ledgerBatch(round, part)))
		}
	}
	must(t, writeInternal(ctx, s, &decant.Batch{Scope: "s", Step: "a", Forget: keys[1000:1300]}))
	must(t, writeInternal(ctx, s, &decant.Batch{Scope: "s", Step: "b", Ledger: ledgerBatch("other", keys[:5]).Ledger}))
	asked := append(slices.Clone(keys[:40]), keys[990:1310]...)
	before := ledgerAnswers(t, s, false, []string{"s"}, []string{"a", "b"}, asked, 700)
	sameAnswers(t, "the readers and the view before compacting", before, ledgerAnswers(t, s, true, []string{"s"}, []string{"a", "b"}, asked, 700))
	entries := int64(3*len(keys) - 500 + 300)
	if st := before["status s"].([]string); len(st) != 2 || !strings.HasPrefix(st[0], fmt.Sprintf("a|%d|", len(keys)-300)) {
		t.Fatalf("Status before compacting = %v, want %d keys of step a", st, len(keys)-300)
	}

	c, err := s.CompactLedger(ctx, "s", "a")
	if want := (decant.LedgerCompaction{Entries: entries, Kept: int64(len(keys) - 300), Checked: true, Rewrote: true}); err != nil || c != want {
		t.Fatalf("CompactLedger = %+v, %v; want %+v", c, err, want)
	}
	after := ledgerAnswers(t, s, false, []string{"s"}, []string{"a", "b"}, asked, 700)
	sameAnswers(t, "after compacting", before, after)
	blocks := rowsOf(t, s, "SELECT n, compacted, min_key, max_key FROM decant_ledger_blocks WHERE scope = 's' AND step = 'a' ORDER BY id")
	sorted := slices.Sorted(slices.Values(slices.Concat(keys[:1000], keys[1300:])))
	want := []string{"4200|1|" + sorted[0] + "|" + sorted[4199]}
	if !slices.Equal(blocks, want) {
		t.Errorf("blocks of s/a after compacting = %v, want %v", blocks, want)
	}
	if got := rowsOf(t, s, "SELECT n, compacted FROM decant_ledger_blocks WHERE scope = 's' AND step = 'b'"); !slices.Equal(got, []string{"5|0"}) {
		t.Errorf("blocks of s/b after compacting s/a = %v, want its one block untouched", got)
	}

	// Too little written since: nothing is looked at or changed.
	must(t, writeInternal(ctx, s, ledgerBatch("r4", keys[:20])))
	c, err = s.CompactLedger(ctx, "s", "a")
	if want := (decant.LedgerCompaction{Entries: int64(len(keys) - 300 + 20), Kept: int64(len(keys) - 300 + 20)}); err != nil || c != want {
		t.Errorf("CompactLedger after 20 entries = %+v, %v; want %+v", c, err, want)
	}
	if n := len(rowsOf(t, s, "SELECT id FROM decant_ledger_blocks WHERE scope = 's' AND step = 'a'")); n != 2 {
		t.Errorf("%d blocks after a compaction that did nothing, want 2", n)
	}
	// Compacted blocks and later ones: the readers agree with the view,
	// which reads every block alike, through forgotten and rewritten keys.
	must(t, writeInternal(ctx, s, &decant.Batch{Scope: "s", Step: "a", Forget: sorted[:30]}))
	must(t, writeInternal(ctx, s, ledgerBatch("r5", sorted[40:60])))
	sameAnswers(t, "compacted blocks and later ones", ledgerAnswers(t, s, true, []string{"s"}, []string{"a"}, asked, 25),
		ledgerAnswers(t, s, false, []string{"s"}, []string{"a"}, asked, 25))
}

// Ensure a step written once, each key in one batch, is marked compacted
// without being rewritten, and that a step with too little written is left
// alone.
func TestCompactLedgerMarks(t *testing.T) {
	t.Parallel()
	s := openAt(t, len(migrations))
	ctx := context.Background()
	for b := range 3 {
		var keys []string
		for i := range 4000 {
			keys = append(keys, strconv.Itoa(b*4000+i))
		}
		must(t, writeInternal(ctx, s, ledgerBatch("r", keys)))
	}
	must(t, writeInternal(ctx, s, ledgerBatch("small", []string{"x", "y"})))
	// Another step, its keys written twice and none forgotten: Status
	// must not add up its blocks' counts.
	must(t, writeInternal(ctx, s, &decant.Batch{Scope: "s", Step: "dup", Ledger: ledgerBatch("r", []string{"1", "2", "3"}).Ledger}))
	must(t, writeInternal(ctx, s, &decant.Batch{Scope: "s", Step: "dup", Ledger: ledgerBatch("r", []string{"3", "4"}).Ledger}))
	ids := rowsOf(t, s, "SELECT id, n, entries FROM decant_ledger_blocks WHERE step = 'a' ORDER BY id")
	before := ledgerAnswers(t, s, false, []string{"s"}, []string{"a", "dup"}, []string{"1", "4001", "x", "z"}, 5000)
	sameAnswers(t, "the readers and the view of steps not compacted", before,
		ledgerAnswers(t, s, true, []string{"s"}, []string{"a", "dup"}, []string{"1", "4001", "x", "z"}, 5000))
	if got := before["status s"].([]string); !slices.Equal(got, []string{"a|12002|9349|1093", "dup|4|2|2"}) {
		t.Errorf("Status before compacting = %v", got)
	}
	c, err := s.CompactLedger(ctx, "s", "a")
	if want := (decant.LedgerCompaction{Entries: 12002, Kept: 12002, Checked: true}); err != nil || c != want {
		t.Fatalf("CompactLedger of a step written once = %+v, %v; want %+v", c, err, want)
	}
	if got := rowsOf(t, s, "SELECT id, n, entries FROM decant_ledger_blocks WHERE step = 'a' ORDER BY id"); !slices.Equal(got, ids) {
		t.Error("CompactLedger of a step written once rewrote its blocks")
	}
	if got := rowsOf(t, s, "SELECT DISTINCT compacted FROM decant_ledger_blocks WHERE step = 'a'"); !slices.Equal(got, []string{"1"}) {
		t.Errorf("compacted of the step's blocks = %v, want all 1", got)
	}
	sameAnswers(t, "after marking the blocks compacted", before, ledgerAnswers(t, s, false, []string{"s"}, []string{"a", "dup"}, []string{"1", "4001", "x", "z"}, 5000))

	// Too little written: 2 entries in a step of its own.
	must(t, writeInternal(ctx, s, &decant.Batch{Scope: "s", Step: "few", Ledger: ledgerBatch("r", []string{"1", "2"}).Ledger}))
	c, err = s.CompactLedger(ctx, "s", "few")
	if want := (decant.LedgerCompaction{Entries: 2, Kept: 2}); err != nil || c != want {
		t.Errorf("CompactLedger of 2 entries = %+v, %v; want %+v", c, err, want)
	}
	if got := rowsOf(t, s, "SELECT compacted FROM decant_ledger_blocks WHERE step = 'few'"); !slices.Equal(got, []string{"0"}) {
		t.Errorf("compacted of a step too small to look at = %v, want 0", got)
	}
	if c, err := s.CompactLedger(ctx, "s", "none"); err != nil || c != (decant.LedgerCompaction{}) {
		t.Errorf("CompactLedger of a step without blocks = %+v, %v; want nothing", c, err)
	}
}

// Ensure LedgerKeys, whose bound from the blocks' counts may hold fewer
// keys than asked when entries are superseded or forgotten, still returns
// the keys that follow, and that a batch after a compaction wins over the
// compacted entry of its key.
func TestLedgerKeysPastForgotten(t *testing.T) {
	t.Parallel()
	s := openAt(t, len(migrations))
	ctx := context.Background()
	var keys []string
	for i := range 12000 {
		keys = append(keys, fmt.Sprintf("k%05d", i))
	}
	for lo := 0; lo < len(keys); lo += 4000 {
		must(t, writeInternal(ctx, s, ledgerBatch("r", keys[lo:lo+4000])))
	}
	must(t, writeInternal(ctx, s, &decant.Batch{Scope: "s", Step: "a", Forget: keys[:3990]}))
	got, err := s.LedgerKeys(ctx, "s", "a", "", 20)
	if want := keys[3990:4010]; err != nil || !slices.Equal(got, want) {
		t.Errorf("LedgerKeys past 3990 forgotten keys = %v, %v; want %v", got, err, want)
	}
	// The same once compacted in key order, then a page forgotten as a
	// reset forgets it.
	if c, err := s.CompactLedger(ctx, "s", "a"); err != nil || !c.Rewrote {
		t.Fatalf("CompactLedger = %+v, %v; want a rewrite", c, err)
	}
	must(t, writeInternal(ctx, s, &decant.Batch{Scope: "s", Step: "a", Forget: keys[3990:6000]}))
	got, err = s.LedgerKeys(ctx, "s", "a", keys[3995], 20)
	if want := keys[6000:6020]; err != nil || !slices.Equal(got, want) {
		t.Errorf("LedgerKeys of compacted blocks past forgotten keys = %v, %v; want %v", got, err, want)
	}
	got, err = s.LedgerKeysByStatus(ctx, "s", "a", decant.StatusDeleted, "", 3)
	if want := []string{"k06002", "k06013", "k06024"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("LedgerKeysByStatus(deleted) of compacted blocks past forgotten keys = %v, %v; want %v", got, err, want)
	}
	// A batch after the compaction wins over the compacted entry of its key.
	must(t, writeInternal(ctx, s, &decant.Batch{Scope: "s", Step: "a",
		Ledger: []decant.LedgerEntry{{Key: "k07000", SourceHash: "new", TargetHash: "new", Status: decant.StatusFailed}}}))
	rows, err := s.Ledger(ctx, "s", "a", []string{"k07000", "k07001"})
	slices.SortFunc(rows, func(a, b decant.LedgerRow) int { return strings.Compare(a.Key, b.Key) })
	if err != nil || len(rows) != 2 || rows[0].Status != decant.StatusFailed || rows[0].SourceHash != "new" ||
		rows[1].SourceHash != "r-sk07001" {
		t.Errorf("Ledger after a batch that failed one compacted key = %+v, %v", rows, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Ensure a key is written into a block's JSON as SQLite's json_quote
// writes it, which Ledger and HeldElsewhere look for: every ASCII byte,
// and characters that other encoders escape.
func TestAppendJSONString(t *testing.T) {
	t.Parallel()
	s := openAt(t, 0)
	keys := []string{"", "plain", "a'b", `q"uote`, `back\slash`, "<&>", "\u2028\u2029", "ключ", "\U0001F600", "x\x7fy"}
	for c := 1; c < 0x80; c++ {
		keys = append(keys, "k"+string(rune(c)))
	}
	for _, k := range keys {
		var want string
		if err := s.db.QueryRow("SELECT json_quote(?)", k).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if got := string(appendJSONString(nil, k)); got != want {
			t.Errorf("appendJSONString(%q) = %s, json_quote gives %s", k, got, want)
		}
	}
}
