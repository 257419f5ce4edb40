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

// groupedTarget is a plan of three steps in two groups whose later
// step's table references an earlier one's (pets.owner_id -> owners.id),
// on the target at url (a SQLite file in dir when url is ""), migrated
// for scope a; it returns the run's config and a query function.
func groupedTarget(t *testing.T, url string) (engine.Config, func(string) string) {
	t.Helper()
	dir := t.TempDir()
	if url == "" {
		url = "sqlite:" + filepath.Join(dir, "t.db")
	}
	write := func(name, text string) { must(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)) }
	write("schema.sql", `CREATE TABLE IF NOT EXISTS owners (id TEXT PRIMARY KEY, name TEXT);
CREATE TABLE IF NOT EXISTS vets (id TEXT PRIMARY KEY, name TEXT);
CREATE TABLE IF NOT EXISTS pets (id TEXT PRIMARY KEY, owner_id TEXT NOT NULL REFERENCES owners (id), name TEXT);`)
	write("owners.jsonl", `{"id":"o1","name":"ann"}`+"\n"+`{"id":"o2","name":"bob"}`+"\n")
	write("vets.jsonl", `{"id":"v1","name":"vic"}`+"\n")
	write("pets.jsonl", `{"id":"p1","owner":"o1","name":"rex"}`+"\n"+`{"id":"p2","owner":"o2","name":"tom"}`+"\n")
	write("decant.yaml", `version: 1
connections:
  owners: file:owners.jsonl
  vets: file:vets.jsonl
  pets: file:pets.jsonl
  target: `+url+`
setup: [schema.sql]
groups:
  - {name: people, aliases: [p]}
  - {name: animals, aliases: [a]}
steps:
  - name: owners
    group: people
    from: {connection: owners, key: id}
    key: id
    to: {table: owners}
    map: {id: key, name: record.name}
  - name: vets
    group: people
    from: {connection: vets, key: id}
    key: id
    to: {table: vets}
    map: {id: key, name: record.name}
  - name: pets
    group: animals
    from: {connection: pets, key: id}
    key: id
    to: {table: pets}
    map: {id: key, owner_id: record.owner, name: record.name}
`)
	p, err := plan.Load(filepath.Join(dir, "decant.yaml"), plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	st, err := connect.Store(context.Background(), p)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	cfg := engine.Config{Plan: p, Store: st, Sources: connect.Sources(p), Scope: "a", LeaseTTL: 3 * time.Second}
	_, err = engine.Run(context.Background(), cfg, nil)
	must(t, err)
	driver, dsn := "pgx", url
	if rest, ok := strings.CutPrefix(url, "sqlite:"); ok {
		driver, dsn = "sqlite", rest
	}
	db, err := sql.Open(driver, dsn)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	return cfg, func(q string) string { return strings.Join(testenv.Rows(t, db, q), "\n") }
}

// testResetGroups checks, on one target: a reset of a group (by alias)
// deletes only its steps' rows and state, and keeps the scope's
// lifecycle; a reset of every step deletes them in reverse plan order, so
// that the rows that reference others go first (in plan order the
// foreign key would refuse deleting owners).
func testResetGroups(t *testing.T, url string) {
	cfg, q := groupedTarget(t, url)
	res, err := engine.Reset(context.Background(), cfg, engine.ResetOptions{Groups: []string{"a"}})
	must(t, err)
	if res.Records != 2 || res.Rows != 2 || res.State != "" || strings.Join(res.Groups, ",") != "a" {
		t.Errorf("reset --group a = %+v, want 2 records and rows, groups [a], no lifecycle change", res)
	}
	if got, want := q("SELECT count(*) FROM pets")+"|"+q("SELECT count(*) FROM owners")+"|"+q("SELECT count(*) FROM vets"), "0|2|1"; got != want {
		t.Errorf("pets|owners|vets after reset --group a = %s, want %s", got, want)
	}
	if got := q("SELECT step FROM decant_checkpoints ORDER BY step"); got != "owners\nvets" {
		t.Errorf("checkpoints = %q, want the people group's only", got)
	}
	// Back, then everything: pets before vets before owners.
	_, err = engine.Run(context.Background(), cfg, nil)
	must(t, err)
	var order []string
	res, err = engine.Reset(context.Background(), cfg, engine.ResetOptions{Chunked: func(step string, _ int) { order = append(order, step) }})
	must(t, err)
	if got := strings.Join(order, ","); got != "pets,vets,owners" {
		t.Errorf("reset order = %s, want pets,vets,owners (reverse plan order)", got)
	}
	if res.Records != 5 || q("SELECT count(*) FROM owners") != "0" || q("SELECT count(*) FROM pets") != "0" {
		t.Errorf("full reset = %+v, owners %s, pets %s; want everything gone", res, q("SELECT count(*) FROM owners"), q("SELECT count(*) FROM pets"))
	}
}

func TestResetGroups_SQLite(t *testing.T) {
	t.Parallel()
	testResetGroups(t, "")
}

func TestResetGroups_Postgres(t *testing.T) {
	t.Parallel()
	testResetGroups(t, testenv.Postgres(t))
}

// Ensure a reset whose chunk the database refuses (pets still reference
// the owners of group p) counts only the chunks that committed (vets'),
// not the one that rolled back, and suggests adding the later groups.
func testResetCountsCommittedChunks(t *testing.T, url string) {
	cfg, q := groupedTarget(t, url)
	res, err := engine.Reset(context.Background(), cfg, engine.ResetOptions{Groups: []string{"p"}})
	if err == nil {
		t.Fatal("reset --group p succeeded although pets reference owners")
	}
	if want := "include the groups of the later steps that may refer to them in --group (animals)"; !strings.Contains(err.Error(), want) {
		t.Errorf("the error does not suggest the later groups (%q): %v", want, err)
	}
	left := q("SELECT count(*) FROM owners") + "," + q("SELECT count(*) FROM vets")
	if left != "2,0" || res.Rows != 1 || res.Records != 1 {
		t.Errorf("owners,vets left = %s; reported %d rows of %d records deleted, want 1 of 1 (vets only; owners' chunk rolled back)", left, res.Rows, res.Records)
	}
	for _, s := range res.Steps {
		if s.Step == "owners" && (s.Rows != 0 || s.Records != 0 || s.Tables["owners"] != 0) {
			t.Errorf("step owners reported %+v, want nothing deleted", s)
		}
	}
}

func TestResetCountsCommittedChunks(t *testing.T) {
	t.Parallel()
	for _, target := range []string{"sqlite", "postgres"} {
		t.Run(target, func(t *testing.T) {
			t.Parallel()
			url := ""
			if target == "postgres" {
				url = testenv.Postgres(t)
			}
			testResetCountsCommittedChunks(t, url)
		})
	}
}
