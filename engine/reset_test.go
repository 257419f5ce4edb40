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

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
)

// resetFixture is a plan of two steps whose rows two scopes share tables
// for: people (with child tags) and pets, keys prefixed by the scope.
func resetFixture(t *testing.T, n int, keyExpr string) *fixture {
	t.Helper()
	dir := t.TempDir()
	var people, pets strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&people, `{"id":%d,"n":%d,"name":"p%d","tags":["a","b"]}`+"\n", i, i, i)
		fmt.Fprintf(&pets, `{"id":%d,"name":"pet%d"}`+"\n", i, i)
	}
	must(t, os.WriteFile(filepath.Join(dir, "people.jsonl"), []byte(people.String()), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "pets.jsonl"), []byte(pets.String()), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(`
CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, name TEXT);
CREATE TABLE IF NOT EXISTS tags (person_id TEXT NOT NULL, tag TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pets (id TEXT PRIMARY KEY, name TEXT);
`), 0o644))
	f := &fixture{dir: dir, planPath: filepath.Join(dir, "decant.yaml"), db: filepath.Join(dir, "t.db")}
	must(t, os.WriteFile(f.planPath, []byte(fmt.Sprintf(`version: 1
connections:
  people: file:people.jsonl
  pets: file:pets.jsonl
  target: sqlite:t.db
setup: [schema.sql]
batch_size: 7
steps:
  - name: people
    from: {connection: people, key: id}
    key: id
    to: {table: people}
    map: {id: %s, name: record.name}
    children:
      - from: record.tags
        parent_key: person_id
        to: {table: tags}
        map: {tag: item}
  - name: pets
    from: {connection: pets, key: id}
    key: id
    to: {table: pets}
    map: {id: 'scope + "-" + key', name: record.name}
`, keyExpr)), 0o644))
	return f
}

const scopedKey = `'scope + "-" + string(record.id)'`

// migrateScopes runs the plan for each scope.
func (f *fixture) migrateScopes(t *testing.T, scopes ...string) {
	t.Helper()
	for _, sc := range scopes {
		cfg := f.config(t)
		cfg.Scope = sc
		_, err := engine.Run(context.Background(), cfg, nil)
		must(t, err)
	}
}

// snapshot is the fixture's target and state as text, for comparisons.
func (f *fixture) snapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{"SELECT id, name FROM people ORDER BY id", "SELECT person_id, tag FROM tags ORDER BY person_id, tag",
		"SELECT id FROM pets ORDER BY id", "SELECT scope, step, key, status FROM decant_ledger ORDER BY scope, step, key",
		"SELECT scope, step FROM decant_checkpoints ORDER BY scope, step", "SELECT scope, step, count(*) FROM decant_batches GROUP BY scope, step ORDER BY scope, step"} {
		b.WriteString(f.query(t, q) + "\n--\n")
	}
	return b.String()
}

func resetConfig(t *testing.T, f *fixture, scope string) engine.Config {
	t.Helper()
	cfg := f.config(t)
	cfg.Scope = scope
	return cfg
}

// Ensure a reset deletes every row a scope wrote, children included, and
// its state, and leaves another scope that shares the tables untouched.
func TestReset_DeletesScopeRowsAndState(t *testing.T) {
	t.Parallel()
	f := resetFixture(t, 20, scopedKey)
	f.migrateScopes(t, "a", "b")
	before := f.query(t, "SELECT count(*) FROM people WHERE id LIKE 'b-%'")
	res, err := engine.Reset(context.Background(), resetConfig(t, f, "a"), engine.ResetOptions{ChunkSize: 6})
	must(t, err)
	if res.Records != 40 || res.Rows != 80 || res.Steps[1].Tables["tags"] != 40 || res.Steps[0].Tables["pets"] != 20 { // reverse plan order
		t.Errorf("result = %+v, want 40 records and 80 rows (20 people, 40 tags, 20 pets)", res)
	}
	for _, q := range []string{"SELECT count(*) FROM people WHERE id LIKE 'a-%'", "SELECT count(*) FROM tags WHERE person_id LIKE 'a-%'",
		"SELECT count(*) FROM pets WHERE id LIKE 'a-%'", "SELECT count(*) FROM decant_ledger WHERE scope = 'a'",
		"SELECT count(*) FROM decant_checkpoints WHERE scope = 'a'", "SELECT count(*) FROM decant_batches WHERE scope = 'a'"} {
		if got := f.query(t, q); got != "0" {
			t.Errorf("%s = %s after the reset, want 0", q, got)
		}
	}
	if got := f.query(t, "SELECT count(*) FROM people WHERE id LIKE 'b-%'"); got != before || got != "20" {
		t.Errorf("scope b has %s people after resetting a, want 20", got)
	}
	if got := f.query(t, "SELECT count(*) FROM decant_ledger WHERE scope = 'b'"); got != "40" {
		t.Errorf("scope b has %s ledger rows after resetting a, want 40", got)
	}
	// The scope migrates again from the start.
	f.migrateScopes(t, "a")
	if got := f.query(t, "SELECT count(*) FROM people WHERE id LIKE 'a-%'"); got != "20" {
		t.Errorf("scope a has %s people after migrating again, want 20", got)
	}
}

// Ensure a reset stopped between chunks leaves whole chunks deleted (rows
// and ledger together) and, run again, ends as an uninterrupted reset.
func TestReset_ResumesAfterStop(t *testing.T) {
	t.Parallel()
	full := resetFixture(t, 25, scopedKey)
	full.migrateScopes(t, "a", "b")
	_, err := engine.Reset(context.Background(), resetConfig(t, full, "a"), engine.ResetOptions{ChunkSize: 10})
	must(t, err)

	f := resetFixture(t, 25, scopedKey)
	f.migrateScopes(t, "a", "b")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	chunks := 0
	_, err = engine.Reset(ctx, resetConfig(t, f, "a"), engine.ResetOptions{ChunkSize: 10, Chunked: func(string, int) {
		if chunks++; chunks == 2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "run decant reset again") {
		t.Fatalf("stopped reset = %v, want context.Canceled and what to do", err)
	}
	// Two chunks of 10 keys, in key order, of the last step first: the
	// pets and their ledger rows go together.
	if got := f.query(t, "SELECT count(*) FROM decant_ledger WHERE scope = 'a' AND step = 'pets'"); got != "5" {
		t.Errorf("ledger of a/pets after 2 chunks = %s, want 5", got)
	}
	if got := f.query(t, "SELECT count(*) FROM pets WHERE id LIKE 'a-%'"); got != "5" {
		t.Errorf("pets of a after 2 chunks = %s, want 5 (rows and ledger deleted together)", got)
	}
	_, err = engine.Reset(context.Background(), resetConfig(t, f, "a"), engine.ResetOptions{ChunkSize: 10})
	must(t, err)
	if got, want := f.snapshot(t), full.snapshot(t); got != want {
		t.Errorf("after a resumed reset:\n%s\nafter an uninterrupted one:\n%s", got, want)
	}
}

// Ensure --step resets one step's rows and state, and leaves the others'.
func TestReset_OneStep(t *testing.T) {
	t.Parallel()
	f := resetFixture(t, 5, scopedKey)
	f.migrateScopes(t, "a")
	res, err := engine.Reset(context.Background(), resetConfig(t, f, "a"), engine.ResetOptions{Step: "pets"})
	must(t, err)
	if res.Records != 5 || res.Rows != 5 || res.State != "" {
		t.Errorf("result = %+v, want 5 records, 5 rows, no lifecycle change", res)
	}
	if got := f.query(t, "SELECT count(*) FROM pets"); got != "0" {
		t.Errorf("pets = %s, want 0", got)
	}
	if got := f.query(t, "SELECT step, count(*) FROM decant_ledger GROUP BY step"); got != "people 5" {
		t.Errorf("ledger = %q, want the people step's only", got)
	}
	if got := f.query(t, "SELECT step FROM decant_checkpoints"); got != "people" {
		t.Errorf("checkpoints = %q, want the people step's only", got)
	}
}

// Ensure a reset asks before deleting, with the counts, and deletes
// nothing when told no.
func TestReset_ConfirmDeclined(t *testing.T) {
	t.Parallel()
	f := resetFixture(t, 5, scopedKey)
	f.migrateScopes(t, "a")
	before := f.snapshot(t)
	var asked *engine.ResetResult
	_, err := engine.Reset(context.Background(), resetConfig(t, f, "a"), engine.ResetOptions{Confirm: func(r *engine.ResetResult) bool {
		asked = r
		return false
	}})
	if !errors.Is(err, engine.ErrResetDeclined) {
		t.Fatalf("declined reset = %v, want ErrResetDeclined", err)
	}
	if asked == nil || asked.Records != 10 || asked.Rows != 20 || strings.Join(asked.TableNames(), ",") != "people,pets,tags" {
		t.Errorf("Confirm was asked about %+v, want 10 records, 20 rows in people, pets, tags", asked)
	}
	if got := f.snapshot(t); got != before {
		t.Errorf("a declined reset changed the database:\n%s\nwas:\n%s", got, before)
	}
}

// Ensure a reset refuses, before it deletes anything, a scope another run
// holds, and a step whose key cannot be found from the source key.
func TestReset_Refusals(t *testing.T) {
	t.Parallel()
	f := resetFixture(t, 5, scopedKey)
	f.migrateScopes(t, "a")
	before := f.snapshot(t)
	cfg := resetConfig(t, f, "a")
	other := decant.Holder{Host: "elsewhere", PID: 4242, ID: "migrate"}
	must(t, cfg.Store.(decant.Leaser).AcquireLease(context.Background(), "a", other, time.Minute))
	_, err := engine.Reset(context.Background(), cfg, engine.ResetOptions{})
	var le *decant.LeaseError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "elsewhere pid 4242") {
		t.Errorf("reset of a held scope = %v, want a *decant.LeaseError naming the holder", err)
	}
	if got := f.snapshot(t); got != before {
		t.Errorf("a refused reset changed the database")
	}

	g := resetFixture(t, 5, "record.n")
	g.migrateScopes(t, "a")
	before = g.snapshot(t)
	_, err = engine.Reset(context.Background(), resetConfig(t, g, "a"), engine.ResetOptions{})
	if err == nil || !strings.Contains(err.Error(), "step people: key column id = record.n reads the record beyond its key") || !strings.Contains(err.Error(), "nothing was deleted") {
		t.Errorf("reset of a step keyed by another field = %v, want the step named and nothing deleted", err)
	}
	if got := g.snapshot(t); got != before {
		t.Errorf("a refused reset changed the database")
	}
}
