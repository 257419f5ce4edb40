package engine_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/plan"
)

// Ensure on PostgreSQL that deleted records delete their rows and
// children (bigint keys), mark a boolean (text keys), and that a reset
// of one scope deletes its rows and state and none of the other's.
func TestDeleteAndReset_Postgres(t *testing.T) {
	t.Parallel()
	url := testenv.Postgres(t)
	dir := t.TempDir()
	write := func(name, text string) { must(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)) }
	write("schema.sql", `CREATE TABLE IF NOT EXISTS people (id bigint PRIMARY KEY, name text);
CREATE TABLE IF NOT EXISTS tags (person_id bigint NOT NULL, tag text NOT NULL);
CREATE TABLE IF NOT EXISTS pets (id text PRIMARY KEY, name text, gone boolean, gone_at timestamptz);`)
	write("people.jsonl", `{"id":1,"name":"a","tags":["x","y"]}
{"id":2,"name":"b","tags":["z"]}
{"id":3,"name":"c","tags":[]}
{"id":2,"_deleted":true}
`)
	write("pets.jsonl", `{"id":"p1","name":"rex"}
{"id":"p2","name":"tom"}
{"id":"p2","_deleted":true}
`)
	write("decant.yaml", `version: 1
connections:
  people: file:people.jsonl
  pets: file:pets.jsonl
  target: `+url+`
setup: [schema.sql]
steps:
  - name: people
    from: {connection: people, key: id}
    key: id
    to: {table: people}
    map: {id: 'int(key) + (scope == "s1" ? 0 : 100)', name: record.name}
    children:
      - from: record.tags
        parent_key: person_id
        to: {table: tags}
        map: {tag: item}
    on_delete: delete
  - name: pets
    from: {connection: pets, key: id}
    key: id
    to: {table: pets}
    map: {id: 'scope + "-" + key', name: record.name}
    on_delete: {mark: gone}
`)
	p, err := plan.Load(filepath.Join(dir, "decant.yaml"), plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	st, err := connect.Store(context.Background(), p)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	cfg := func(scope string) engine.Config {
		return engine.Config{Plan: p, Store: st, Sources: withTombstones(p), Scope: scope, LeaseTTL: 3 * time.Second}
	}
	for _, scope := range []string{"s1", "s2"} {
		_, err := engine.Run(context.Background(), cfg(scope), nil)
		must(t, err)
	}
	db, err := sql.Open("pgx", url)
	must(t, err)
	defer db.Close()
	q := func(query string) string { return strings.Join(testenv.Rows(t, db, query), "\n") }
	if got, want := q("SELECT id, name FROM people ORDER BY id"), "1 a\n3 c\n101 a\n103 c"; got != want {
		t.Errorf("people = %q, want %q", got, want)
	}
	if got, want := q("SELECT person_id, tag FROM tags ORDER BY person_id, tag"), "1 x\n1 y\n101 x\n101 y"; got != want {
		t.Errorf("tags = %q, want %q", got, want)
	}
	if got, want := q("SELECT id, name, coalesce(gone::text, '-') FROM pets ORDER BY id"), "s1-p1 rex false\ns1-p2 tom true\ns2-p1 rex false\ns2-p2 tom true"; got != want { // unmarked is false
		t.Errorf("pets = %q, want %q", got, want)
	}
	res, err := engine.Reset(context.Background(), cfg("s1"), engine.ResetOptions{ChunkSize: 1})
	must(t, err)
	if res.Records != 5 || res.Rows != 6 {
		t.Errorf("reset = %+v, want 5 records (3 people, 2 pets) and 6 rows (2 people, 2 tags, 2 pets)", res)
	}
	if got, want := q("SELECT id FROM people ORDER BY id")+"|"+q("SELECT DISTINCT person_id FROM tags")+"|"+q("SELECT id FROM pets ORDER BY id"), "101\n103|101|s2-p1\ns2-p2"; got != want {
		t.Errorf("after resetting s1: %q, want %q", got, want)
	}
	if got := q("SELECT scope, count(*) FROM decant_ledger GROUP BY scope"); got != "s2 5" {
		t.Errorf("ledger by scope = %q, want s2's 5 only", got)
	}
}

// Ensure a deletion the target refuses (a row of another table still
// references the record) is stored as an error with the database's
// message and the tombstone as payload, and the rest of the batch, other
// deletions included, is committed.
func TestDelete_RefusedIsAnError_Postgres(t *testing.T) {
	t.Parallel()
	url := testenv.Postgres(t)
	dir := t.TempDir()
	write := func(name, text string) { must(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)) }
	write("schema.sql", `CREATE TABLE IF NOT EXISTS people (id bigint PRIMARY KEY, name text);
CREATE TABLE IF NOT EXISTS visits (person_id bigint NOT NULL REFERENCES people (id));`)
	write("people.jsonl", `{"id":1,"name":"a"}
{"id":2,"name":"b"}
{"id":3,"name":"c"}
`)
	write("decant.yaml", `version: 1
connections:
  people: file:people.jsonl
  target: `+url+`
setup: [schema.sql]
steps:
  - name: people
    from: {connection: people, key: id}
    key: id
    to: {table: people}
    map: {id: record.id, name: record.name}
`)
	p, err := plan.Load(filepath.Join(dir, "decant.yaml"), plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	st, err := connect.Store(context.Background(), p)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	cfg := engine.Config{Plan: p, Store: st, Sources: withTombstones(p), LeaseTTL: 3 * time.Second}
	_, err = engine.Run(context.Background(), cfg, nil)
	must(t, err)
	db, err := sql.Open("pgx", url)
	must(t, err)
	defer db.Close()
	_, err = db.Exec("INSERT INTO visits VALUES (2)")
	must(t, err)
	f, err := os.OpenFile(filepath.Join(dir, "people.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	must(t, err)
	_, err = f.WriteString(`{"id":1,"_deleted":true}` + "\n" + `{"id":2,"_deleted":true}` + "\n" + `{"id":4,"name":"d"}` + "\n")
	must(t, err)
	f.Close()
	res, err := engine.Run(context.Background(), cfg, nil)
	must(t, err)
	if s := res.Steps[0]; s.Read != 3 || s.Failed != 1 {
		t.Errorf("run = %+v, want 3 read, 1 failed", s)
	}
	q := func(query string) string { return strings.Join(testenv.Rows(t, db, query), "\n") }
	if got, want := q("SELECT id FROM people ORDER BY id"), "2\n3\n4"; got != want {
		t.Errorf("people = %q, want %q (1 deleted, 2 refused, 4 written)", got, want)
	}
	got := q("SELECT key, message, detail, payload FROM decant_errors")
	if !strings.HasPrefix(got, "2 the target refused the row") || !strings.Contains(got, "visits") || !strings.Contains(got, `"_deleted":true`) {
		t.Errorf("errors = %q, want key 2 refused, naming the referencing table, with the tombstone", got)
	}
	if got := q("SELECT key, status FROM decant_ledger ORDER BY key"); got != "1 deleted\n2 failed\n3 ok\n4 ok" {
		t.Errorf("ledger = %q", got)
	}
}
