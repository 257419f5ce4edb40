package engine_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/plan"
)

// Ensure a run compacts its step's ledger at its end: a first load's
// blocks are marked compacted without a rewrite, and a run that writes
// every key again leaves one entry per key, with the status, the rows and
// each key's last hashes what they were before the compaction. Both
// stores.
func TestRunCompactsTheLedger(t *testing.T) {
	t.Parallel()
	const n = 12000
	records := func(label string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `{"id":"k%05d","label":"%s %d"}`+"\n", i, label, i)
		}
		return b.String()
	}
	for name, target := range bothTargets {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			in := filepath.Join(dir, "in.jsonl")
			must(t, os.WriteFile(in, []byte(records("first")), 0o644))
			must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(`CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, label TEXT);`), 0o644))
			url, db := target(t, dir)
			p := fmt.Sprintf(`version: 1
connections:
  in: file:in.jsonl
  target: %s
setup: [schema.sql]
batch_size: 5000
steps:
  - name: items
    from: {connection: in, key: id}
    key: id
    to: {table: items}
    map: {id: record.id, label: record.label}
`, url)
			q := func(query string) []string { return testenv.Rows(t, db, query) }
			blocks := "SELECT count(*), sum(n), sum(CASE WHEN compacted THEN 1 ELSE 0 END) FROM decant_ledger_blocks"
			migratePlan(t, dir, p)
			first := q("SELECT key, source_hash FROM decant_ledger ORDER BY key")
			if got := q(blocks); !cmp.Equal(got, []string{"3 12000 3"}) {
				t.Errorf("blocks after a first load (count, entries, compacted) = %v, want three batches, marked", got)
			}
			// The same keys again, later in the file, with new values.
			f, err := os.OpenFile(in, os.O_APPEND|os.O_WRONLY, 0)
			must(t, err)
			_, err = f.WriteString(records("second"))
			must(t, err)
			must(t, f.Close())
			before := "SELECT key, source_hash, target_hash, status FROM decant_ledger ORDER BY key"
			s := migratePlan(t, dir, p).Steps[0]
			if s.Read != n || s.Written != n {
				t.Fatalf("second run read %d, wrote %d; want %d each", s.Read, s.Written, n)
			}
			if got := q(blocks); !cmp.Equal(got, []string{"3 12000 3"}) {
				t.Errorf("blocks after every key was written again = %v, want one entry per key in three compacted blocks", got)
			}
			ledger := q(before)
			if len(ledger) != n || !strings.HasSuffix(ledger[0], " ok") {
				t.Fatalf("ledger after compaction holds %d keys (first %q), want %d ok", len(ledger), ledger[0], n)
			}
			// Each key's entry is the second run's, whose record differs.
			second := q("SELECT key, source_hash FROM decant_ledger ORDER BY key")
			for i := range second {
				if second[i] == first[i] {
					t.Fatalf("ledger entry %q after compaction is the first run's", second[i])
				}
			}
			// A third run of the second run's records changes no hash.
			want := q(before)
			if got := q("SELECT label FROM items WHERE id = 'k00007'"); !cmp.Equal(got, []string{"second 7"}) {
				t.Errorf("k00007's row = %v, want the second run's", got)
			}
			must(t, os.WriteFile(in, []byte(records("first")+records("second")+records("second")), 0o644))
			migratePlan(t, dir, p)
			if diff := cmp.Diff(want, q(before)); diff != "" {
				t.Errorf("ledger changed by a run of the same records (-before +after):\n%s", diff)
			}
		})
	}
}

// failingCompactor is a store whose ledger compaction always fails.
type failingCompactor struct{ decant.Store }

func (failingCompactor) CompactLedger(context.Context, string, string) (decant.LedgerCompaction, error) {
	return decant.LedgerCompaction{}, errors.New("compaction refused")
}

func (f failingCompactor) Unwrap() decant.Store { return f.Store }

// roundErrors records the errors a run reports and survives, and
// discards the other events.
type roundErrors struct{ errs []error }

func (r *roundErrors) StepStarted(string, int64)       {}
func (r *roundErrors) Batch(string, decant.BatchAudit) {}
func (r *roundErrors) StepDone(engine.StepResult)      {}
func (r *roundErrors) RoundError(err error)            { r.errs = append(r.errs, err) }

// Ensure a failed compaction does not fail the step whose rows and ledger
// it follows: the run succeeds, with every record written, and reports
// the failure as one it survives.
func TestFailedCompactionIsReported(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte(`{"id":"a","label":"x"}`+"\n"+`{"id":"b","label":"y"}`+"\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(`CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, label TEXT);`), 0o644))
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(`version: 1
connections:
  in: file:in.jsonl
  target: sqlite:t.db
setup: [schema.sql]
steps:
  - name: items
    from: {connection: in, key: id}
    key: id
    to: {table: items}
    map: {id: record.id, label: record.label}
`), 0o644))
	pl, err := plan.Load(path, plan.Options{})
	must(t, err)
	st, err := connect.Store(context.Background(), pl)
	must(t, err)
	defer st.Close()
	rec := &roundErrors{}
	res, err := engine.Run(context.Background(), engine.Config{Plan: pl, Store: failingCompactor{st}, Sources: connect.Sources(pl),
		LeaseTTL: 3 * time.Second, Progress: rec}, nil)
	if err != nil {
		t.Fatalf("a run whose compaction failed = %v, want it to succeed", err)
	}
	if s := res.Steps[0]; s.Written != 2 {
		t.Errorf("written %d, want 2", s.Written)
	}
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0].Error(), "step items: compact the ledger: compaction refused") {
		t.Errorf("reported %v, want the compaction's failure once, naming the step", rec.errs)
	}
}
