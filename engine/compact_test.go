package engine_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/internal/testenv"
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
