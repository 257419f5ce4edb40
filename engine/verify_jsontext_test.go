package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
)

// A JSON member written into a text column (columns: {attrs: {type: json}}),
// migrated and verified at once: verify finds nothing. The column holds the
// text migrate wrote, which verify compares as text: the expected value
// must be that text, not the source's spelling nor a respelling of it
// (1e2 is written 100; U+2028 is escaped).
func TestVerifyJSONIntoATextColumn(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := `{"id":"a","attrs":{"price": 1e2}}` + "\n" + `{"id":"b","attrs":{"s":"line\u2028sep"}}` + "\n" + `{"id":"c","attrs":{"b":1,"a":2}}` + "\n"
	must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte(in), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(`CREATE TABLE docs (id TEXT PRIMARY KEY, attrs TEXT);`), 0o644))
	yaml := `version: 1
connections:
  in: file:in.jsonl
  target: sqlite:t.db
setup: [schema.sql]
steps:
  - name: docs
    from: {connection: in, key: id}
    key: id
    to: {table: docs}
    map: {id: record.id, attrs: record.attrs}
    columns: {attrs: {type: json}}
`
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(yaml), 0o644))
	pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	st, err := connect.Store(context.Background(), pl)
	must(t, err)
	defer st.Close()
	res, err := engine.Run(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}, nil)
	must(t, err)
	if s := res.Steps[0]; s.Written != 3 || s.Failed != 0 {
		t.Fatalf("migrate: written %d, failed %d", s.Written, s.Failed)
	}
	_, found := runVerify(t, pl, st)
	if len(found) != 0 {
		t.Errorf("verify right after migrate finds %v; want nothing", found)
	}
}
