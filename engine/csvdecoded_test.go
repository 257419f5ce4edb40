package engine_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
)

// csvDecodedInput is a CSV file whose attrs field holds a JSON document
// the plan decodes (bench/csv.yaml's json_decode(record.attrs)): objects
// and arrays whose canonical JSON differs from their text, scalars and
// null, which take the map path, and two that decoding refuses.
func csvDecodedInput() string {
	docs := []string{`{"b":2,"a":[1.0,1e3,-0]}`, `[{"y":1,"x":"\u00e9"}]`, `{}`, `5`, `"s"`, `null`,
		`{"a":`, `{"n":{"z":null,"k":true}}`, `[1,2]x`, ` {"sp" : 1} `}
	var sb strings.Builder
	sb.WriteString("id,name,attrs\n")
	for i := range 30 {
		fmt.Fprintf(&sb, "%d,name %d,\"%s\"\n", i+1, i, strings.ReplaceAll(docs[i%len(docs)], `"`, `""`))
	}
	return sb.String()
}

// csvDecodedRun is a target with csvDecodedInput and its plan in dir.
type csvDecodedRun struct {
	dir string
	db  *sql.DB
	pl  *plan.Plan
}

func newCSVDecodedRun(t *testing.T, name string, target func(t *testing.T, dir string) (string, *sql.DB), batch int) csvDecodedRun {
	t.Helper()
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "in.csv"), []byte(csvDecodedInput()), 0o644))
	jsonType := "JSON"
	if name == "postgres" {
		jsonType = "JSONB"
	}
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(
		"CREATE TABLE IF NOT EXISTS flat (id BIGINT PRIMARY KEY, name TEXT, attrs "+jsonType+");\n"), 0o644))
	url, db := target(t, dir)
	p := fmt.Sprintf(`version: 1
connections:
  in: file:in.csv
  target: %s
setup: [schema.sql]
steps:
  - name: flat
    from: {connection: in, key: id}
    key: id
    batch_size: %d
    to: {table: flat}
    map: {id: record.id, name: record.name, attrs: json_decode(record.attrs)}
`, url, batch)
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(p), 0o644))
	pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	return csvDecodedRun{dir: dir, db: db, pl: pl}
}

// run migrates once and returns what the target holds after.
func (r csvDecodedRun) run(t *testing.T) csvPinOutcome {
	t.Helper()
	st, err := connect.Store(context.Background(), r.pl)
	must(t, err)
	defer st.Close()
	res, err := engine.Run(context.Background(), engine.Config{Plan: r.pl, Store: st, Sources: connect.Sources(r.pl), LeaseTTL: 3 * time.Second}, nil)
	must(t, err)
	return outcomeOf(t, r.db, r.dir, res.Steps[0], "SELECT id, name, attrs FROM flat ORDER BY id",
		"SELECT key, message, payload FROM decant_errors ORDER BY key")
}

// Ensure a CSV load whose plan decodes a field keeps every promise on both
// stores: a record decoding refuses is stored as an error with its
// payload, never dropped; batch sizes 1, 7 and 1000 leave the same rows,
// ledger and errors; a rerun writes nothing and changes no ledger entry;
// and a verify of the load, which maps the rows again, finds the target
// as the load left it.
func TestCSVDecodedLoadKeepsPromises(t *testing.T) {
	t.Parallel()
	for name, target := range bothTargets {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			first := newCSVDecodedRun(t, name, target, 1000)
			want := first.run(t)
			if want.Read != 30 || want.Written != 24 || want.Failed != 6 || len(want.Errors) != 6 || len(want.Ledger) != 30 {
				t.Fatalf("load: read %d, written %d, failed %d, %d errors, %d ledger entries; want 30, 24, 6, 6, 30",
					want.Read, want.Written, want.Failed, len(want.Errors), len(want.Ledger))
			}
			if e := want.Errors[0]; !strings.Contains(e, "cannot compute column attrs") || !strings.Contains(e, `"attrs":"{\"a\":"`) {
				t.Errorf("stored error %q: want the decoding's failure and the row as its payload", e)
			}
			if got := want.Rows[0]; !strings.Contains(got, `{"a":[1,1000,0],"b":2}`) && !strings.Contains(got, `{"a": [1, 1000, 0], "b": 2}`) {
				t.Errorf("row 1 = %q, want its attrs' canonical document", got)
			}
			again := first.run(t)
			if again.Written != 0 || again.Failed != 0 {
				t.Errorf("rerun: written %d, failed %d; want nothing", again.Written, again.Failed)
			}
			if d := cmp.Diff(want.Ledger, again.Ledger); d != "" {
				t.Errorf("rerun changed the ledger (-first +rerun):\n%s", d)
			}
			if d := cmp.Diff(want.Rows, again.Rows); d != "" {
				t.Errorf("rerun changed the rows (-first +rerun):\n%s", d)
			}
			st, err := connect.Store(context.Background(), first.pl)
			must(t, err)
			defer st.Close()
			res, findings := runVerify(t, first.pl, st)
			if !res.Clean || len(findings) != 0 {
				t.Errorf("verify after the load: clean %v, findings %q", res.Clean, findings)
			}
			for _, size := range []int{1, 7} {
				got := newCSVDecodedRun(t, name, target, size).run(t)
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("batch_size %d differs from batch_size 1000 (-1000 +%d):\n%s", size, size, d)
				}
			}
		})
	}
}
