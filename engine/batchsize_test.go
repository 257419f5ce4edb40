package engine_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/plan"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// bsSchema has a CHECK the target enforces and decant cannot foresee, so
// some rows are refused by the database itself, and a child table.
const bsSchema = `
CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, n INTEGER CHECK (n >= 0), label TEXT);
CREATE TABLE IF NOT EXISTS parts (item_id TEXT NOT NULL, part TEXT NOT NULL);
`

// bsInput mixes every case where a key meets itself again: valid then
// invalid (mapping and target refusal), invalid then valid, the same
// keyless record twice, a key longer than any index takes, and a key sent
// three times with different values, between plain records.
func bsInput() string {
	// Hex of a hash chain: text that does not compress, so PostgreSQL's
	// index cannot squeeze it under its 2704-byte limit.
	var lb strings.Builder
	sum := sha256.Sum256([]byte("long"))
	for lb.Len() < 3000 {
		lb.WriteString(hex.EncodeToString(sum[:]))
		sum = sha256.Sum256(sum[:])
	}
	long := lb.String()
	var lines []string
	add := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	for i := range 40 {
		switch i {
		case 3:
			add(`{"id":"dupA","n":1,"label":"good","parts":["a","b"]}`)
		case 5:
			add(`{"id":"dupA","n":"x","label":"bad","parts":["c"]}`) // fails to map
		case 6:
			add(`{"id":"dupB","n":"y","label":"bad"}`)
		case 7:
			add(`{"id":"dupB","n":2,"label":"good","parts":["d"]}`)
		case 9:
			add(`{"id":"dupC","n":3,"label":"good","parts":["e"]}`)
		case 10:
			add(`{"id":"dupC","n":-3,"label":"refused","parts":["f"],"note":"refused"}`) // CHECK refuses it
		case 12:
			add(`{"id":"dupD","n":-4,"label":"refused"}`)
		case 13:
			add(`{"id":"dupD","n":4,"label":"good","parts":["g","h"]}`)
		case 15, 21:
			add(`{"n":5,"label":"no key"}`)
		case 17:
			add(`{"id":%q,"n":6,"label":"long"}`, long)
		case 20, 24, 31:
			add(`{"id":"dupE","n":%d,"label":"v%d","parts":["p%d"],"note":null}`, i, i, i)
		case 0, 4, 8, 16, 28, 32, 36: // a field no column takes
			add(`{"id":"k%02d","n":%d,"label":"plain","parts":["x%d"],"note":"n%d"}`, i, i, i, i)
		default:
			add(`{"id":"k%02d","n":%d,"label":"plain","parts":["x%d"]}`, i, i, i)
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// outcome is everything a run leaves that must not depend on batch_size.
type outcome struct {
	Read, Written, Failed int64
	Items, Parts          []string
	Ledger, Errors        []string
	// Unmapped is what the state tables keep of fields that reached no
	// column, RunUnmapped what the run said of them.
	Unmapped    []string
	RunUnmapped []decant.UnmappedField
}

func runWithBatchSize(t *testing.T, target func(t *testing.T, dir string) (url string, db *sql.DB), size int) outcome {
	t.Helper()
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte(bsInput()), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(bsSchema), 0o644))
	url, db := target(t, dir)
	p := fmt.Sprintf(`version: 1
connections:
  in: file:in.jsonl
  target: %s
setup: [schema.sql]
batch_size: %d
steps:
  - name: items
    from: {connection: in, key: id}
    key: id
    to: {table: items}
    map: {id: record.id, n: record.n, label: record.label}
    children:
      - from: record.parts
        parent_key: item_id
        to: {table: parts}
        map: {part: item}
`, url, size)
	s := migratePlan(t, dir, p).Steps[0]
	q := func(query string) []string { return testenv.Rows(t, db, query) }
	return outcome{
		Read: s.Read, Written: s.Written, Failed: s.Failed,
		Items:       q("SELECT id, n, label FROM items ORDER BY id"),
		Parts:       q("SELECT item_id, part FROM parts ORDER BY item_id, part"),
		Ledger:      q("SELECT key, source_hash, target_hash, status FROM decant_ledger ORDER BY key"),
		Errors:      q("SELECT key, source_key, message, attempts, resolved, payload FROM decant_errors ORDER BY key"),
		Unmapped:    q("SELECT tbl, path, records, example FROM decant_unmapped ORDER BY tbl, path"),
		RunUnmapped: s.Unmapped,
	}
}

// bothTargets make an empty target of each store in dir, giving its plan
// URL and a connection to it.
var bothTargets = map[string]func(t *testing.T, dir string) (string, *sql.DB){
	"sqlite": func(t *testing.T, dir string) (string, *sql.DB) {
		path := filepath.Join(dir, "t.db")
		db, err := sql.Open("sqlite", path)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		return "sqlite:t.db", db
	},
	"postgres": func(t *testing.T, dir string) (string, *sql.DB) {
		url := testenv.Postgres(t)
		db, err := sql.Open("pgx", url)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		return url, db
	},
}

// Ensure a batch's effect on the target, the ledger and the errors equals
// applying its records one at a time in source order: the same input with
// batch sizes 1, 7 and 1000 leaves identical tables, ledger, errors and
// counts, on both stores.
func TestBatchSizeDoesNotChangeData(t *testing.T) {
	t.Parallel()
	for name, target := range bothTargets {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			one := runWithBatchSize(t, target, 1)
			// One at a time, by hand: 40 records, of which these fail:
			// dupA's second (unmapped), dupB's first, dupC's second and
			// dupD's first (refused), both keyless ones, and on PostgreSQL
			// the long key, whose row the target's own index refuses.
			failed := int64(6)
			if name == "postgres" {
				failed++
			}
			if one.Read != 40 || one.Failed != failed || one.Written != 40-failed {
				t.Errorf("batch 1: read %d, written %d, failed %d; want 40, %d, %d", one.Read, one.Written, one.Failed, 40-failed, failed)
			}
			for _, want := range []string{"dupA 1 good", "dupB 2 good", "dupC 3 good", "dupD 4 good", "dupE 31 v31"} {
				if !contains(one.Items, want) {
					t.Errorf("batch 1: items lack %q", want)
				}
			}
			for _, want := range []string{"dupA a", "dupA b", "dupC e", "dupE p31"} {
				if !contains(one.Parts, want) {
					t.Errorf("batch 1: parts lack %q", want)
				}
			}
			// The seven notes; dupE's three are null, which carries
			// nothing, and dupC's refused row's note is not counted.
			if !cmp.Equal(one.Unmapped, []string{`items record.note 7 "n0"`}) {
				t.Errorf("batch 1: unmapped fields kept = %q", one.Unmapped)
			}
			if want := []decant.UnmappedField{{Table: "items", Path: "record.note", Records: 7, Example: `"n0"`}}; !cmp.Equal(one.RunUnmapped, want) {
				t.Errorf("batch 1: the run's unmapped fields = %+v, want %+v", one.RunUnmapped, want)
			}
			for _, size := range []int{7, 1000} {
				got := runWithBatchSize(t, target, size)
				if d := cmp.Diff(one, got); d != "" {
					t.Errorf("batch_size %d differs from batch_size 1 (-1 +%d):\n%s", size, size, d)
				}
			}
		})
	}
}

func contains(rows []string, want string) bool {
	for _, r := range rows {
		if r == want {
			return true
		}
	}
	return false
}

// commitCounter is a real store whose commits are counted, to show how
// many transactions a batch took.
type commitCounter struct {
	decant.Store
	commits int
}

func (c *commitCounter) Begin(ctx context.Context) (decant.Tx, error) {
	tx, err := c.Store.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return &countedTx{Tx: tx, c: c}, nil
}

type countedTx struct {
	decant.Tx
	c *commitCounter
}

func (t *countedTx) Commit(ctx context.Context) error {
	t.c.commits++
	return t.Tx.Commit(ctx)
}

func (t *countedTx) Savepoint(ctx context.Context, name string) error {
	return t.Tx.(decant.Savepointer).Savepoint(ctx, name)
}

func (t *countedTx) RollbackTo(ctx context.Context, name string) error {
	return t.Tx.(decant.Savepointer).RollbackTo(ctx, name)
}

func (t *countedTx) Release(ctx context.Context, name string) error {
	return t.Tx.(decant.Savepointer).Release(ctx, name)
}

func (c *commitCounter) WriteBatch(ctx context.Context, tx decant.Tx, b *decant.Batch) error {
	return c.Store.WriteBatch(ctx, tx.(*countedTx).Tx, b)
}

// Ensure a batch in which the target refuses rows still commits in one
// transaction, with its audit row and checkpoint: a kill can never leave
// half a batch behind.
func TestRefusedRowsCommitWithTheirBatch(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 30, "people: [person]", func(i int) string {
		if i == 4 || i == 15 || i == 25 {
			return fmt.Sprintf(`{"id":%d,"name":"p%d","kind":"person","score":"-1","tags":[]}`, i, i) // CHECK (score >= 0)
		}
		return ""
	})
	cfg := f.config(t)
	cc := &commitCounter{Store: cfg.Store}
	cfg.Store = cc
	res, err := engine.Run(context.Background(), cfg, nil)
	must(t, err)
	if s := res.Steps[0]; s.Failed != 3 || s.Written != 27 || s.Batches != 3 {
		t.Fatalf("result = %+v, want 27 written, 3 failed in 3 batches", s)
	}
	if cc.commits != 3 {
		t.Errorf("3 batches took %d commits, want 3 (one each, refused rows included)", cc.commits)
	}
	if got := f.query(t, "SELECT total, ok, failed FROM decant_batches ORDER BY id"); got != "10 9 1\n10 9 1\n10 9 1" {
		t.Errorf("audit rows:\n%s\nwant 10 9 1 three times", got)
	}
	if got := f.query(t, "SELECT count(*) FROM decant_errors WHERE message = 'the target refused the row'"); got != "3" {
		t.Errorf("refused rows stored as errors: %s, want 3", got)
	}
}

// Unwrap lets the engine find the store's other roles (state tables,
// leases, columns, setup scripts) through the counter.
func (c *commitCounter) Unwrap() decant.Store { return c.Store }

// migratePlan writes plan text p into dir, runs it once and returns the result.
func migratePlan(t *testing.T, dir, p string) *engine.Result {
	t.Helper()
	res, err := runPlan(context.Background(), t, dir, p, nil)
	must(t, err)
	return res
}

// runPlan writes plan text p into dir and runs it once in ctx, through
// the store wrap returns when wrap is not nil.
func runPlan(ctx context.Context, t *testing.T, dir, p string, wrap func(decant.Store) decant.Store) (*engine.Result, error) {
	t.Helper()
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(p), 0o644))
	pl, err := plan.Load(path, plan.Options{})
	must(t, err)
	st, err := connect.Store(context.Background(), pl)
	must(t, err)
	defer st.Close()
	var run decant.Store = st
	if wrap != nil {
		run = wrap(st)
	}
	return engine.Run(ctx, engine.Config{Plan: pl, Store: run, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}, nil)
}
