package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// planWithMigrations writes a plan whose target tables come from a
// migrations directory, with files name -> text, and returns its path.
func planWithMigrations(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("data.jsonl", `{"id": 1, "name": "ann"}`+"\n"+`{"id": 2, "name": "bob"}`+"\n")
	write("decant.yaml", `version: 1
connections:
  people: file:data.jsonl
  target: sqlite:target.db
migrations: schema
setup: [views.sql]
steps:
  - name: people
    from: {connection: people, key: id}
    key: id
    to: {table: people}
    map: {id: record.id, name: record.name}
`)
	write("views.sql", "CREATE VIEW IF NOT EXISTS batch_count AS SELECT count(*) AS n FROM decant_batches;\n")
	for name, text := range files {
		write(filepath.Join("schema", name), text)
	}
	return filepath.Join(dir, "decant.yaml")
}

// Ensure the plan key migrations: check reports what is pending, migrate
// applies it after decant's tables exist and before setup and the steps,
// once; a failing migration stops migrate before it reads anything; a
// missing directory is named.
func TestPlanMigrations(t *testing.T) {
	plan := planWithMigrations(t, map[string]string{
		"0001_people.sql": "CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL);\n",
	})
	db := "sqlite:" + filepath.Join(filepath.Dir(plan), "target.db")
	queryRows(t, db, "SELECT 1") // an empty database: dry run and check refuse a missing file
	// The dry run and check read the pending migration's CREATE TABLE, and
	// map against it, without applying it.
	r := mustRun(t, "migrate", "--dry-run", "-c", plan)
	if !strings.Contains(r.stdout, "people  2     2") {
		t.Errorf("dry run before the migrations:\n%s", r)
	}
	r = mustRun(t, "check", "-c", plan)
	if !strings.Contains(r.stdout, "note migrations schema: 1 to apply") || !strings.Contains(r.stdout, "ok   step people -> [people]") ||
		!strings.Contains(r.stdout, "note: table people will be created by migration 0001_people.sql") {
		t.Errorf("check before migrate:\n%s", r)
	}
	r = mustRun(t, "migrate", "-c", plan)
	if !strings.Contains(r.stderr, "applied migration 0001_people.sql") {
		t.Errorf("migrate did not report the migration:\n%s", r)
	}
	if got := queryRows(t, db, "SELECT id, name FROM people ORDER BY id"); got != "1 ann\n2 bob" {
		t.Errorf("people after migrate:\n%s", got)
	}
	if got := queryRows(t, db, "SELECT n FROM batch_count"); got != "1" {
		t.Errorf("the setup view over decant_batches: %q", got)
	}
	if r := mustRun(t, "check", "-c", plan); !strings.Contains(r.stdout, "ok   migrations schema: all applied") {
		t.Errorf("check after migrate:\n%s", r)
	}
	if r := mustRun(t, "migrate", "-c", plan); strings.Contains(r.stderr, "applied migration") {
		t.Errorf("second migrate applied a migration again:\n%s", r)
	}

	// A migration that fails stops migrate before the steps: the new
	// record is not read.
	dir := filepath.Dir(plan)
	appendFile(t, filepath.Join(dir, "data.jsonl"), `{"id": 3, "name": "cy"}`+"\n")
	if err := os.WriteFile(filepath.Join(dir, "schema", "0002_bad.sql"), []byte("ALTER TABLE nosuch ADD COLUMN x text;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run(t, "migrate", "-c", plan)
	if r.code != 1 || !strings.Contains(r.stderr, "migrations schema: migration 0002_bad.sql failed at line 1") {
		t.Errorf("migrate with a failing migration:\n%s", r)
	}
	if got := queryRows(t, db, "SELECT count(*) FROM people"); got != "2" {
		t.Errorf("a migrate stopped by its migration wrote people: %s rows, want 2", got)
	}

	// An applied migration edited: check fails, as migrate would.
	if err := os.Remove(filepath.Join(dir, "schema", "0002_bad.sql")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "schema", "0001_people.sql"), []byte("CREATE TABLE people (id integer PRIMARY KEY);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "check", "-c", plan); r.code != 2 || !strings.Contains(r.stdout, "FAIL migrations schema: applied migrations were edited since they ran: 0001_people.sql") {
		t.Errorf("check with an edited applied migration:\n%s", r)
	}

	missing := planWithMigrations(t, nil)
	r = run(t, "migrate", "-c", missing)
	if r.code != 1 || !strings.Contains(r.stderr, "decant.yaml: plan key migrations: stat") || !strings.Contains(r.stderr, "no such file or directory") {
		t.Errorf("migrate with a missing migrations directory:\n%s", r)
	}
	if r := run(t, "check", "-c", missing); r.code != 2 || !strings.Contains(r.stdout, "FAIL migrations schema: ") || !strings.Contains(r.stdout, "plan key migrations: stat") {
		t.Errorf("check with a missing migrations directory:\n%s", r)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(missing), "schema"), []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "migrate", "-c", missing); r.code != 1 || !strings.Contains(r.stderr, "is not a directory of migrations") {
		t.Errorf("migrate with a file as its migrations directory:\n%s", r)
	}
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}
