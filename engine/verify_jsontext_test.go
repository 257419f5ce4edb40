package engine_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
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
	pl, st := migrateDocs(t, dir, in, `CREATE TABLE docs (id TEXT PRIMARY KEY, attrs TEXT);`, "sqlite:t.db",
		"    columns: {attrs: {type: json}}\n", 3)
	_, found := runVerify(t, pl, st)
	if len(found) != 0 {
		t.Errorf("verify right after migrate finds %v; want nothing", found)
	}
}

// A verify's map workers spell the jsonb documents into slabs of their
// own, one after the other, a slab giving way to a new one when full: a
// document must keep its spelling after the next ones are spelled, or
// later records would show as diffs of earlier ones. Thousands of
// documents of many sizes (some longer spelled than written, 1e300 being
// 301 digits, some longer than a slab takes), three changed behind
// decant's back: the verify finds those three and nothing else.
func TestVerifySpelledJSONKeepsItsText(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	url := testenv.Postgres(t)
	var in strings.Builder
	const n = 6000
	for i := range n {
		var doc string
		switch {
		case i%997 == 5:
			doc = fmt.Sprintf(`{"big":"%s","i":%d}`, strings.Repeat("x", 9000+i), i)
		case i%7 == 3:
			doc = fmt.Sprintf(`{"n":1e%d,"z":[%d, 2.50],"a":"é%d"}`, 100+i%200, i, i)
		default:
			doc = fmt.Sprintf(`{"tier":"t%d","score":%d,"tags":["a%d","b"],"active":true}`, i%5, i, i)
		}
		fmt.Fprintf(&in, `{"id":%d,"attrs":%s}`+"\n", i+1, doc)
	}
	pl, st := migrateDocs(t, dir, in.String(), `CREATE TABLE docs (id bigint PRIMARY KEY, attrs jsonb NOT NULL);`, url, "", n)
	db, err := sql.Open("pgx", url)
	must(t, err)
	defer db.Close()
	for _, id := range []int{11, 2999, 5998} {
		_, err := db.Exec(`UPDATE docs SET attrs = attrs || '{"changed":1}' WHERE id = $1`, id)
		must(t, err)
	}
	_, found := runVerify(t, pl, st)
	if want := []string{"diff 11", "diff 2999", "diff 5998"}; !slices.Equal(found, want) {
		t.Errorf("verify finds %v; want %v", found, want)
	}
}

// migrateDocs migrates the JSONL records in (each an id and attrs) into
// the table docs that schema makes in target, with the step's extra plan
// lines, checks that it wrote n records, and returns the plan and its open
// store.
func migrateDocs(t *testing.T, dir, in, schema, target, extra string, n int64) (*plan.Plan, decant.Store) {
	t.Helper()
	must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte(in), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(schema), 0o644))
	yaml := fmt.Sprintf(`version: 1
connections:
  in: file:in.jsonl
  target: %s
setup: [schema.sql]
steps:
  - name: docs
    from: {connection: in, key: id}
    key: id
    to: {table: docs}
    map: {id: record.id, attrs: record.attrs}
%s`, target, extra)
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(yaml), 0o644))
	pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	st, err := connect.Store(context.Background(), pl)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	res, err := engine.Run(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}, nil)
	must(t, err)
	if s := res.Steps[0]; s.Written != n || s.Failed != 0 {
		t.Fatalf("migrate: written %d, failed %d", s.Written, s.Failed)
	}
	return pl, st
}
