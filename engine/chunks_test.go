package engine_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/mysql"
	"github.com/decanthq/decant/plan"
)

// chunkRows is how many rows the chunk tests' legacy table holds; row
// chunkBadRow has no name, which the target refuses. Every even row has a
// note, which no column takes (a field the report of unmapped fields
// counts).
const (
	chunkRows   = 60
	chunkBadRow = 17
)

// chunkSources make a legacy table items (id, name) of chunkRows rows in
// each relational source, returning its URL.
var chunkSources = map[string]func(t *testing.T) string{
	"sqlite": func(t *testing.T) string {
		path := filepath.Join(t.TempDir(), "legacy.db")
		db, err := sql.Open("sqlite", path)
		must(t, err)
		defer db.Close()
		fillItems(t, db, "?, ?, ?")
		return "sqlite:" + path
	},
	"postgres": func(t *testing.T) string {
		url := testenv.Postgres(t)
		db, err := sql.Open("pgx", url)
		must(t, err)
		defer db.Close()
		fillItems(t, db, "$1, $2, $3")
		return url
	},
	"mariadb": func(t *testing.T) string {
		url := testenv.MySQL(t)
		cfg, err := mysql.Config(url)
		must(t, err)
		db, err := sql.Open("mysql", cfg.FormatDSN())
		must(t, err)
		defer db.Close()
		fillItems(t, db, "?, ?, ?")
		return url
	},
}

func fillItems(t *testing.T, db *sql.DB, params string) {
	t.Helper()
	_, err := db.Exec("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20), note VARCHAR(20))")
	must(t, err)
	for i := 1; i <= chunkRows; i++ {
		var name any = fmt.Sprintf("item %d", i)
		if i == chunkBadRow {
			name = nil
		}
		var note any
		if i%2 == 0 {
			note = fmt.Sprintf("n%d", i) // no space: the version-7 test splits rows on spaces
		}
		_, err := db.Exec("INSERT INTO items (id, name, note) VALUES ("+params+")", i, name, note)
		must(t, err)
	}
}

// chunkPlan reads legacy's items with parallel readers and batch size.
func chunkPlan(legacy, target string, parallel, batch int) string {
	return fmt.Sprintf(`version: 1
connections:
  legacy: '%s'
  target: '%s'
setup: [schema.sql]
steps:
  - name: items
    from: {connection: legacy, key: id, table: items, page_size: 4, parallel: %d}
    key: id
    batch_size: %d
    to: {table: items}
    map: {id: record.id, name: record.name}
`, legacy, target, parallel, batch)
}

// chunkTarget is a fresh target of kind name in a new directory holding
// the plan's schema.sql.
func chunkTarget(t *testing.T, name string) (dir, url string, db *sql.DB) {
	dir = t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(
		"CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"), 0o644))
	url, db = bothTargets[name](t, dir)
	return dir, url, db
}

// uninterrupted is the outcome of one run by one reader of legacy into a
// fresh target of kind tgt: what every other way of reading must leave.
func uninterrupted(t *testing.T, legacy, tgt string) []string {
	t.Helper()
	dir, url, db := chunkTarget(t, tgt)
	migratePlan(t, dir, chunkPlan(legacy, url, 1, 60))
	return chunkOutcome(t, db)
}

// chunkOutcome is what a run leaves that must not depend on how it read:
// the target rows, the ledger, the stored errors and the counts of
// unmapped fields (their example is the first chunk's to commit).
func chunkOutcome(t *testing.T, db *sql.DB) []string {
	t.Helper()
	out := testenv.Rows(t, db, "SELECT id, name FROM items ORDER BY id")
	out = append(out, testenv.Rows(t, db, "SELECT key, status, source_hash, target_hash FROM decant_ledger ORDER BY key")...)
	out = append(out, testenv.Rows(t, db, "SELECT tbl, path, records FROM decant_unmapped ORDER BY tbl, path")...)
	return append(out, testenv.Rows(t, db, "SELECT key, message, attempts, resolved FROM decant_errors ORDER BY key")...)
}

// Ensure a table read by 1, 3 or 4 chunks, in batches of any size, leaves
// the same target, ledger and errors, on every source and target; that
// the chunks are stored; and that a run after the step is done reads
// nothing.
func TestChunks_SameOutcomeWhateverN(t *testing.T) {
	for srcName, source := range chunkSources {
		for tgtName := range bothTargets {
			t.Run(srcName+" to "+tgtName, func(t *testing.T) {
				legacy := source(t)
				var first []string
				for _, tc := range []struct{ parallel, batch int }{{1, 7}, {3, 4}, {4, 10}} {
					dir, url, db := chunkTarget(t, tgtName)
					res := migratePlan(t, dir, chunkPlan(legacy, url, tc.parallel, tc.batch))
					if s := res.Steps[0]; s.Read != chunkRows || s.Written != chunkRows-1 || s.Failed != 1 {
						t.Fatalf("parallel %d: read %d, written %d, failed %d; want %d, %d, 1", tc.parallel, s.Read, s.Written, s.Failed, chunkRows, chunkRows-1)
					}
					got := chunkOutcome(t, db)
					if !slices.Contains(got, "items record.note 30") {
						t.Errorf("parallel %d: the 30 notes are not counted as unmapped: %q", tc.parallel, got)
					}
					if first == nil {
						first = got
					} else if diff := cmp.Diff(first, got); diff != "" {
						t.Fatalf("parallel %d, batch %d differs from parallel 1 (-1 +%d):\n%s", tc.parallel, tc.batch, tc.parallel, diff)
					}
					want := []string{"0"}
					if tc.parallel > 1 {
						want = []string{fmt.Sprint(tc.parallel)}
					}
					if n := testenv.Rows(t, db, "SELECT count(*) FROM decant_chunks"); !cmp.Equal(n, want) {
						t.Errorf("parallel %d: %v chunk checkpoints, want %v", tc.parallel, n, want)
					}
					if s := migratePlan(t, dir, chunkPlan(legacy, url, tc.parallel, tc.batch)).Steps[0]; s.Read != 0 {
						t.Errorf("parallel %d: a run after the step was done read %d records, want 0", tc.parallel, s.Read)
					}
				}
			})
		}
	}
}

// Ensure a run killed while every chunk is partway (the context canceled
// inside a batch's transaction, once each of 3 chunks has committed two
// batches) resumes every chunk from its checkpoint, with the bounds
// planned by the first run, and the target, ledger and errors end as
// after an uninterrupted run.
func TestChunks_ResumeAfterKill(t *testing.T) {
	for srcName, source := range chunkSources {
		for tgtName := range bothTargets {
			t.Run(srcName+" to "+tgtName, func(t *testing.T) {
				legacy := source(t)
				want := uninterrupted(t, legacy, tgtName)
				dir, url, db := chunkTarget(t, tgtName)
				p := chunkPlan(legacy, url, 3, 3)
				// The run fails with the cancellation, or with the commit
				// of a transaction the cancellation rolled back.
				if err := runKilled(t, dir, p, 3, 2); err == nil {
					t.Fatal("the killed run ended without an error")
				}
				n := testenv.Rows(t, db, "SELECT count(*) FROM items")
				started := testenv.Rows(t, db, "SELECT count(*) FROM decant_chunks WHERE position NOT LIKE '{\"after\":null%'")
				if n[0] == fmt.Sprint(chunkRows-1) || !cmp.Equal(started, []string{"3"}) {
					t.Fatalf("the kill left %s rows and %v chunks moved on, want fewer than all and 3", n[0], started)
				}
				// The resumed run asks for 4 chunks: the stored 3 are read.
				res := migratePlan(t, dir, chunkPlan(legacy, url, 4, 5))
				if s := res.Steps[0]; s.Read >= chunkRows {
					t.Errorf("the resumed run read %d records, want only those after the chunks' checkpoints", s.Read)
				}
				if diff := cmp.Diff(want, chunkOutcome(t, db)); diff != "" {
					t.Errorf("after a kill and a resume (-uninterrupted +resumed):\n%s", diff)
				}
				if n := testenv.Rows(t, db, "SELECT count(*) FROM decant_chunks"); !cmp.Equal(n, []string{"3"}) {
					t.Errorf("%v chunk checkpoints after the resume, want the first run's 3", n)
				}
			})
		}
	}
}

// runKilled runs plan p in dir until each of chunks chunks has committed
// after batches, then cancels the run inside the next batch's
// transaction, as a kill would stop it, and returns the run's error.
func runKilled(t *testing.T, dir, p string, chunks, after int) error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := runPlan(ctx, t, dir, p, func(st decant.Store) decant.Store {
		return &chunkKiller{Store: st, chunks: chunks, after: after, kill: cancel, written: map[string]int{}}
	})
	return err
}

// chunkKiller cancels the run's context inside a batch's transaction,
// before its commit, once every chunk has written after batches.
type chunkKiller struct {
	decant.Store
	chunks, after int
	kill          func()
	mu            sync.Mutex
	written       map[string]int
}

func (k *chunkKiller) WriteBatch(ctx context.Context, tx decant.Tx, b *decant.Batch) error {
	if err := k.Store.WriteBatch(ctx, tx, b); err != nil || b.Audit == nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.written[b.Chunk]++
	done := 0
	for _, n := range k.written {
		if n > k.after {
			done++
		}
	}
	if done == k.chunks {
		k.kill()
	}
	return nil
}

// Unwrap lets the engine find the store's other roles.
func (k *chunkKiller) Unwrap() decant.Store { return k.Store }

// Ensure parallel is refused at load with a cursor, for a source that
// does not read in chunks, and when it is not 1 or more, each at the key.
func TestChunks_PlanRefusals(t *testing.T) {
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte("{\"id\":1}\n"), 0o644))
	for _, tc := range []struct{ from, want string }{
		{"connection: legacy, key: id, table: items, cursor: id, parallel: 2", "from.parallel cannot go with from.cursor"},
		{"connection: file, key: id, parallel: 2", "from.parallel does not apply to connection file"},
		{"connection: legacy, key: id, table: items, parallel: 0", "from.parallel must be 1 or more"},
	} {
		p := fmt.Sprintf(`version: 1
connections:
  legacy: 'sqlite:legacy.db'
  file: 'file:in.jsonl'
  target: 'sqlite:t.db'
steps:
  - name: items
    from: {%s}
    key: id
    to: {table: items}
    map: {id: record.id}
`, tc.from)
		path := filepath.Join(dir, "decant.yaml")
		must(t, os.WriteFile(path, []byte(p), 0o644))
		_, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "decant.yaml:8:") {
			t.Errorf("%s: load: %v, want %q at line 8", tc.from, err, tc.want)
		}
	}
}

// ledgerToVersion8 turns db's ledger blocks (version 9) back into the
// one-row-per-key table of version 8, holding each key's last entry.
func ledgerToVersion8(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, q := range []string{
		"CREATE TABLE decant_ledger_v8 AS SELECT scope, step, key, source_hash, target_hash, status, updated FROM decant_ledger",
		"DROP VIEW decant_ledger",
		"DROP TABLE decant_ledger_blocks",
		"ALTER TABLE decant_ledger_v8 RENAME TO decant_ledger",
	} {
		_, err := db.Exec(q)
		must(t, err)
	}
}

// Ensure state tables written by an earlier version (7, without
// decant_chunks, with the ledger one row per key) still resume: a step read to key 30 by one reader goes
// on from its checkpoint, with one reader or in chunks planned after it,
// and the state tables are upgraded; the outcome is an uninterrupted
// run's.
func TestChunks_ResumeStateFromVersion7(t *testing.T) {
	for tgtName := range bothTargets {
		for _, parallel := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s parallel %d", tgtName, parallel), func(t *testing.T) {
				legacy := chunkSources["sqlite"](t)
				want := uninterrupted(t, legacy, tgtName)
				ldb, err := sql.Open("sqlite", strings.TrimPrefix(legacy, "sqlite:"))
				must(t, err)
				defer ldb.Close()
				rest := testenv.Rows(t, ldb, "SELECT id, coalesce(note, '-'), coalesce(name, '-') FROM items WHERE id > 30 ORDER BY id")
				_, err = ldb.Exec("DELETE FROM items WHERE id > 30")
				must(t, err)
				dir, url, db := chunkTarget(t, tgtName)
				migratePlan(t, dir, chunkPlan(legacy, url, 1, 7))
				ledgerToVersion8(t, db)
				_, err = db.Exec("DROP TABLE decant_chunks")
				must(t, err)
				_, err = db.Exec("DROP TABLE decant_unmapped")
				must(t, err)
				_, err = db.Exec("UPDATE decant_schema SET version = 7")
				must(t, err)
				for _, r := range rest {
					f := strings.SplitN(r, " ", 3) // id, note, name
					vals := []any{f[0], f[1], f[2]}
					for i, v := range vals {
						if v == "-" {
							vals[i] = nil
						}
					}
					_, err := ldb.Exec("INSERT INTO items (id, note, name) VALUES (?, ?, ?)", vals...)
					must(t, err)
				}
				if s := migratePlan(t, dir, chunkPlan(legacy, url, parallel, 7)).Steps[0]; s.Read != 30 {
					t.Errorf("the run on version 7 state read %d records, want the 30 after its checkpoint", s.Read)
				}
				// State of version 7 kept no count of unmapped fields: the
				// upgraded run counts the notes of the rows it read.
				got := chunkOutcome(t, db)
				if !slices.Contains(got, "items record.note 15") {
					t.Errorf("after resuming version 7 state: the 15 notes read since are not counted: %q", got)
				}
				notCounts := func(s string) bool { return strings.HasPrefix(s, "items record.note ") }
				if diff := cmp.Diff(slices.DeleteFunc(slices.Clone(want), notCounts), slices.DeleteFunc(got, notCounts)); diff != "" {
					t.Errorf("after resuming version 7 state (-uninterrupted +resumed):\n%s", diff)
				}
				if v := testenv.Rows(t, db, "SELECT version FROM decant_schema"); !cmp.Equal(v, []string{"10"}) {
					t.Errorf("state version %v after the run, want 10", v)
				}
			})
		}
	}
}

// Ensure a chunk that fails stops the step with its error, naming the
// chunk, while the other chunks stop cleanly with what they read
// committed, and that the next run completes as an uninterrupted one.
func TestChunks_FailingChunkStopsTheOthers(t *testing.T) {
	for tgtName := range bothTargets {
		t.Run(tgtName, func(t *testing.T) {
			legacy := chunkSources["sqlite"](t)
			want := uninterrupted(t, legacy, tgtName)
			dir, url, db := chunkTarget(t, tgtName)
			p := chunkPlan(legacy, url, 3, 2)
			_, err := runPlan(context.Background(), t, dir, p, func(st decant.Store) decant.Store { return &chunkFailer{Store: st} })
			if err == nil || !strings.Contains(err.Error(), "chunk 2: ") || !strings.Contains(err.Error(), "the disk is full") {
				t.Fatalf("run with a failing chunk: %v, want the error of chunk 2", err)
			}
			if strings.Count(err.Error(), "chunk ") != 1 {
				t.Errorf("the error names more than the failing chunk: %v", err)
			}
			moved := testenv.Rows(t, db, `SELECT chunk FROM decant_chunks WHERE position LIKE '{"after":[%' ORDER BY chunk`)
			if !slices.Contains(moved, "1") || !slices.Contains(moved, "3") {
				t.Errorf("chunks that moved on before the failure: %v, want 1 and 3 (their batches committed)", moved)
			}
			migratePlan(t, dir, p)
			if diff := cmp.Diff(want, chunkOutcome(t, db)); diff != "" {
				t.Errorf("after a failed chunk and a rerun (-uninterrupted +rerun):\n%s", diff)
			}
		})
	}
}

// chunkFailer fails chunk 2's first batch after chunks 1 and 3 have each
// written one, with an error a store could return.
type chunkFailer struct {
	decant.Store
	mu      sync.Mutex
	written map[string]int
	failed  bool
}

func (f *chunkFailer) WriteBatch(ctx context.Context, tx decant.Tx, b *decant.Batch) error {
	if b.Audit == nil {
		return f.Store.WriteBatch(ctx, tx, b)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.written == nil {
		f.written = map[string]int{}
	}
	if b.Chunk == "2" && f.written["1"] > 0 && f.written["3"] > 0 && !f.failed {
		f.failed = true
		return errors.New("the disk is full")
	}
	err := f.Store.WriteBatch(ctx, tx, b)
	f.written[b.Chunk]++
	return err
}

// Unwrap lets the engine find the store's other roles.
func (f *chunkFailer) Unwrap() decant.Store { return f.Store }
