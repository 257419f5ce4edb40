package cli_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/testenv"
)

// targetPlan writes, in a new directory, a plan of one step "people" from
// data.jsonl (records ann, bob, and ann again) to table people of target,
// with the extra plan keys given, and the files name -> text; it returns
// the plan's path.
func targetPlan(t *testing.T, target, extra string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["data.jsonl"] = `{"id": 1, "name": "ann"}` + "\n" + `{"id": 2, "name": "bob"}` + "\n" + `{"id": 1, "name": "ann"}` + "\n"
	files["decant.yaml"] = fmt.Sprintf(`version: 1
connections:
  people: file:data.jsonl
  target: '%s'
%s
steps:
  - name: people
    from: {connection: people, key: id}
    key: id
    to: {table: people}
    map: {id: record.id, name: record.name}
`, target, extra)
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "decant.yaml")
}

// Ensure a mistyped SQLite path is not taken for an empty database: every
// command that only reads (check, status, errors, db status, snapshot
// save) refuses it with "no such database file: PATH" and leaves no file
// behind, while migrate and db up create it. Preview and a dry run, which
// predict the first run, read it as empty (TestPredictBeforeFirstRun).
func TestMissingSQLiteFile(t *testing.T) {
	t.Parallel()
	plan := targetPlan(t, "sqlite:typo.db", "migrations: schema", map[string]string{
		"schema/0001_people.sql": "CREATE TABLE people (id integer PRIMARY KEY, name text);\n",
	})
	path := filepath.Join(filepath.Dir(plan), "typo.db")
	want := "no such database file: " + path
	for _, args := range [][]string{
		{"check"}, {"check", "--json"}, {"status"}, {"status", "--json"}, {"errors", "list"}, {"errors", "show", "1"},
		{"db", "status"},
		{"snapshot", "save", "s1", "--release", "1.0.0", "--dir", t.TempDir()},
	} {
		r := run(t, append(args, "-c", plan)...)
		if r.code == 0 || !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("decant %s: want a failure naming %q:\n%s", strings.Join(args, " "), want, r)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("decant %s created %s (stat: %v)", strings.Join(args, " "), path, err)
		}
	}
	// A dry run predicts the first run, which creates the file: it reads a
	// missing file as an empty database, says so, and creates nothing.
	dry := mustRun(t, "migrate", "--dry-run", "--json", "-c", plan)
	var res struct {
		Steps []struct{ Read, Written int64 } `json:"steps"`
	}
	decodeJSON(t, dry, &res)
	if len(res.Steps) != 1 || res.Steps[0].Read != 3 || res.Steps[0].Written != 3 || !strings.Contains(dry.stderr, "does not exist yet") {
		t.Errorf("dry run on a missing file: %+v\n%s", res, dry)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the dry run created %s (stat: %v)", path, err)
	}
	mustRun(t, "db", "up", "-c", plan)
	if got := queryRows(t, "sqlite:"+path, "SELECT count(*) FROM people"); got != "0" {
		t.Errorf("db up -c took the plan's target and migrations: people has %q rows, want an empty table", got)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "migrate", "-c", plan)
	if got := queryRows(t, "sqlite:"+path, "SELECT count(*) FROM people"); got != "2" {
		t.Errorf("migrate created the database: people has %q rows, want 2", got)
	}
	// snapshot load writes, so it may create its database.
	snaps := t.TempDir()
	mustRun(t, "snapshot", "save", "s1", "-c", plan, "--release", "1.0.0", "--dir", snaps)
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	mustRun(t, "snapshot", "load", "s1", "--database", "sqlite:"+fresh, "--release", "1.0.0", "--dir", snaps, "--migrations", filepath.Join(filepath.Dir(plan), "schema"))
	if got := queryRows(t, "sqlite:"+fresh, "SELECT count(*) FROM people"); got != "2" {
		t.Errorf("snapshot load into a new file: people has %q rows, want 2", got)
	}
}

// Ensure `decant db` and `decant snapshot` take the database and the
// migrations directory from the plan -c names when --database is not
// given, with a relative SQLite path read from the plan's directory.
func TestDBAndSnapshotFromPlan(t *testing.T) {
	t.Parallel()
	plan := targetPlan(t, "sqlite:data/app.db", "migrations: schema", map[string]string{
		"schema/0001_people.sql": "-- decant:release 1.0.0\nCREATE TABLE people (id integer PRIMARY KEY, name text);\n",
		"data/.keep":             "",
	})
	elsewhere := t.TempDir() // the plan's paths must not depend on the working directory
	mustRun(t, "db", "up", "-c", plan)
	r := mustRun(t, "db", "status", "-c", plan)
	if !strings.Contains(r.stdout, "people") || !strings.Contains(r.stdout, "applied") {
		t.Errorf("db status -c:\n%s", r)
	}
	snaps := filepath.Join(elsewhere, "snaps")
	r = mustRun(t, "snapshot", "save", "s1", "-c", plan, "--release", "1.0.0", "--dir", snaps)
	if !strings.Contains(r.stdout, "saved snapshot s1") {
		t.Errorf("snapshot save -c:\n%s", r)
	}
	// --database still wins over the plan.
	other := testenv.SQLite(t)
	r = run(t, "db", "status", "-c", plan, "--database", other)
	if r.code == 0 || !strings.Contains(r.stderr, "no such database file: "+strings.TrimPrefix(other, "sqlite:")) {
		t.Errorf("db status with --database and -c:\n%s", r)
	}
}

// Ensure check, preview and a dry run read the plan's pending migrations
// and setup files without applying them: a table a migration creates and a
// column a later one adds are notes, not problems; a column that no
// script makes is still a problem; nothing is applied.
func TestPlannedTarget(t *testing.T) {
	t.Parallel()
	plan := targetPlan(t, "sqlite:app.db", "migrations: schema\nsetup: [setup.sql]", map[string]string{
		"schema/0001_people.sql": "CREATE TABLE people (id integer PRIMARY KEY);\n-- decant:down\nDROP TABLE people;\n",
		"schema/0002_name.sql":   "ALTER TABLE people ADD COLUMN name text;\n",
		"setup.sql":              "CREATE TABLE IF NOT EXISTS audit_log (at text);\n",
	})
	db := "sqlite:" + filepath.Join(filepath.Dir(plan), "app.db")
	queryRows(t, db, "SELECT 1") // an empty database
	r := mustRun(t, "check", "-c", plan)
	for _, want := range []string{
		"ok   step people -> [people]",
		"note: table people will be created by migration 0001_people.sql",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check lacks %q:\n%s", want, r)
		}
	}
	var res struct {
		Steps []struct {
			Problems []string `json:"problems"`
			Notes    []string `json:"notes"`
		} `json:"steps"`
	}
	decodeJSON(t, mustRun(t, "check", "--json", "-c", plan), &res)
	if len(res.Steps) != 1 || len(res.Steps[0].Problems) != 0 || len(res.Steps[0].Notes) != 1 {
		t.Errorf("check --json: %+v", res)
	}
	r = mustRun(t, "preview", "people", "-n", "1", "-c", plan)
	if !strings.Contains(r.stdout, "-> people") || !strings.Contains(r.stdout, "name = ann") {
		t.Errorf("preview against the planned table:\n%s", r)
	}
	r = mustRun(t, "migrate", "--dry-run", "-c", plan)
	if !strings.Contains(r.stdout, "dry run") {
		t.Errorf("dry run:\n%s", r)
	}
	if got := queryRows(t, db, "SELECT count(*) FROM sqlite_master WHERE name IN ('people', 'audit_log', 'decant_migrations')"); got != "0" {
		t.Errorf("check, preview or the dry run applied a script: %s of its tables exist", got)
	}

	// Once 0001 is applied, the column 0002 adds is the note.
	mustRun(t, "db", "up", "-c", plan, "--to", "1")
	r = mustRun(t, "check", "-c", plan)
	if !strings.Contains(r.stdout, "note: column people.name will be added or changed by migration 0002_name.sql") {
		t.Errorf("check with 0002 pending:\n%s", r)
	}
	// A column no script makes is still reported.
	if err := os.WriteFile(filepath.Join(filepath.Dir(plan), "schema", "0002_name.sql"), []byte("ALTER TABLE people ADD COLUMN nom text;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run(t, "check", "-c", plan)
	if r.code != 2 || !strings.Contains(r.stdout, "table people has no column name (mapped)") ||
		!strings.Contains(r.stdout, "no pending migration creates it, as far as decant can read their SQL") {
		t.Errorf("check with a column no migration adds:\n%s", r)
	}
	r = run(t, "migrate", "--dry-run", "-c", plan)
	if r.code != 1 || !strings.Contains(r.stderr, "table people has no column name") {
		t.Errorf("dry run with a column no migration adds:\n%s", r)
	}
}

// catalog describes what a database holds: on PostgreSQL every relation,
// schema and their oids outside the system schemas (so that any DDL shows),
// on SQLite sqlite_master.
func catalog(t *testing.T, url string) string {
	t.Helper()
	if strings.HasPrefix(url, "sqlite:") {
		return queryRows(t, url, "SELECT type, name FROM sqlite_master ORDER BY name")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var out string
	err = conn.QueryRow(ctx, `
SELECT coalesce(string_agg(n.nspname || '.' || c.relname || ':' || c.relkind::text || ':' || c.oid, ',' ORDER BY c.oid), '')
    || '|' || (SELECT string_agg(nspname || ':' || oid, ',' ORDER BY oid) FROM pg_namespace)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`).Scan(&out)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Ensure the read commands write nothing to a database decant has not
// written to: status, errors list and show, preview and check create no
// table (on PostgreSQL, run no DDL at all), and read it as "nothing
// migrated yet".
func TestReadCommandsWriteNothing(t *testing.T) {
	t.Parallel()
	for name, url := range map[string]string{"postgres": testenv.Postgres(t), "sqlite": testenv.SQLite(t)} {
		t.Run(name, func(t *testing.T) {
			if strings.HasPrefix(url, "sqlite:") {
				queryRows(t, url, "CREATE TABLE people (id integer PRIMARY KEY, name text)")
			} else {
				pgExec(t, url, "CREATE TABLE people (id integer PRIMARY KEY, name text)")
			}
			plan := targetPlan(t, url, "", map[string]string{})
			before := catalog(t, url)
			if r := mustRun(t, "status", "-c", plan, "--json"); strings.TrimSpace(r.stdout) != "[]" {
				t.Errorf("status --json of a fresh database:\n%s", r)
			}
			mustRun(t, "status", "-c", plan)
			if r := mustRun(t, "errors", "list", "-c", plan, "--json"); strings.TrimSpace(r.stdout) != "[]" {
				t.Errorf("errors list --json of a fresh database:\n%s", r)
			}
			if r := run(t, "errors", "show", "1", "-c", plan); r.code != 1 || !strings.Contains(r.stderr, "no error 1 in scope default") {
				t.Errorf("errors show 1 of a fresh database:\n%s", r)
			}
			if r := mustRun(t, "preview", "people", "-c", plan); !strings.Contains(r.stdout, "name = ann") {
				t.Errorf("preview of a fresh database:\n%s", r)
			}
			mustRun(t, "check", "-c", plan)
			if after := catalog(t, url); after != before {
				t.Errorf("the read commands changed the database:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func pgExec(t *testing.T, url, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// Ensure the words of status are honest and its rate is not 0 for a fast
// step: READ counts records (the duplicate of ann too), KEYS distinct
// keys, as --json's read and keys do; and preview past the last record
// says so, with [] in JSON.
func TestStatusWordsAndPreviewPastTheEnd(t *testing.T) {
	t.Parallel()
	plan := targetPlan(t, "sqlite:app.db", "setup: [schema.sql]", map[string]string{
		"schema.sql": "CREATE TABLE IF NOT EXISTS people (id integer PRIMARY KEY, name text);\n",
	})
	mustRun(t, "migrate", "-c", plan)
	r := mustRun(t, "status", "-c", plan)
	lines := strings.Split(r.stdout, "\n")
	if len(lines) < 3 || strings.Join(strings.Fields(lines[1])[:11], " ") != "STEP READ KEYS WRITTEN FAILED DIFFS CHANGES MISSING EXTRA PENDING BATCHES" {
		t.Fatalf("status header:\n%s", r)
	}
	f := strings.Fields(lines[2])
	if strings.Join(f[:11], " ") != "people 3 2 2 0 0 0 0 0 0 1" || f[len(f)-1] == "0/s" {
		t.Errorf("status: want 3 read, 2 keys, 2 written, 0 failed, no findings, 1 batch and a rate:\n%s", r)
	}
	var ss []decant.StepStatus
	decodeJSON(t, mustRun(t, "status", "--json", "-c", plan), &ss)
	if len(ss) != 1 || ss[0].Read != 3 || ss[0].Keys != 2 || ss[0].Written != 2 || ss[0].Rate <= 0 {
		t.Errorf("status --json: %+v", ss)
	}
	r = mustRun(t, "preview", "people", "-c", plan)
	if !strings.Contains(r.stdout, "no records after position ") || !strings.Contains(r.stdout, "where step people stopped") {
		t.Errorf("preview past the end:\n%s", r)
	}
	if r := mustRun(t, "preview", "people", "--json", "-c", plan); strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("preview --json past the end:\n%s", r)
	}
}

// Ensure check reports every connection, the target's failure included,
// rather than stopping at the first that does not answer, and then fails.
func TestCheckEveryConnection(t *testing.T) {
	t.Parallel()
	plan := writePlan(t, `version: 1
connections:
  a: file:missing-a.jsonl
  b: http://127.0.0.1:1/feed
  c: file:missing-c.jsonl
  target: 'postgres://app:pw@127.0.0.1:1/shop?connect_timeout=5'
steps:
  - {name: a, from: {connection: a, key: id}, key: id, to: {table: t}, map: {id: record.id}}
  - {name: b, from: {connection: b, key: id, cursor: v, retries: 0}, key: id, to: {table: t}, map: {id: record.id}}
  - {name: c, from: {connection: c, key: id}, key: id, to: {table: t}, map: {id: record.id}}
`)
	r := run(t, "check", "-c", plan)
	if r.code != 2 {
		t.Errorf("exit %d, want 2", r.code)
	}
	for _, want := range []string{"FAIL connection target", "FAIL connection a", "FAIL connection b", "FAIL connection c",
		"FAIL step a:", "FAIL step c:", "not compared with the target"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check lacks %q:\n%s", want, r)
		}
	}
}

// Ensure that with -c, `decant db` and `decant snapshot` read their
// default directories beside the plan, as every path of the plan is read,
// not in the working directory: migrations (when the plan has no
// migrations key) and snapshots. A missing directory says so, and where
// the default came from. These once failed "not a directory of migrations"
// and wrote snapshots into the working directory.
func TestDirsBesideThePlan(t *testing.T) {
	t.Parallel()
	plan := targetPlan(t, "sqlite:app.db", "", map[string]string{
		"migrations/0001_people.sql": "-- decant:release 1.0.0\nCREATE TABLE people (id integer PRIMARY KEY, name text);\n",
	})
	dir := filepath.Dir(plan)
	mustRun(t, "db", "up", "-c", plan)
	if r := mustRun(t, "db", "status", "-c", plan); !strings.Contains(r.stdout, "people") || !strings.Contains(r.stdout, "applied") {
		t.Errorf("db status -c: want people applied:\n%s", r)
	}
	mustRun(t, "snapshot", "save", "s1", "-c", plan, "--release", "1.0.0")
	if _, err := os.Stat(filepath.Join(dir, "snapshots", "s1", "info.json")); err != nil {
		t.Errorf("snapshot save -c did not save beside the plan: %v", err)
	}
	if _, err := os.Stat("snapshots"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("snapshot save -c wrote into the working directory (stat: %v)", err)
	}
	if r := mustRun(t, "snapshot", "list", "-c", plan); !strings.Contains(r.stdout, "s1") {
		t.Errorf("snapshot list -c does not find the snapshot beside the plan:\n%s", r)
	}
	mustRun(t, "snapshot", "verify", "s1", "-c", plan)
	r := mustRun(t, "snapshot", "load", "s1", "-c", plan, "--release", "1.0.0")
	if !strings.Contains(r.stdout, "applying the migrations of release 1.0.0 from "+filepath.Join(dir, "migrations")) {
		t.Errorf("snapshot load -c does not take the migrations beside the plan:\n%s", r)
	}

	bare := targetPlan(t, "sqlite:app.db", "", map[string]string{})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"db", "status", "-c", bare}, "--dir " + filepath.Join(filepath.Dir(bare), "migrations") + ": no such directory; the plan has no migrations key, give --dir"},
		{[]string{"db", "status", "-c", plan, "--dir", "nope"}, "--dir nope: no such directory"},
		{[]string{"db", "up", "-c", targetPlan(t, "sqlite:app.db", "migrations: schema", map[string]string{})}, "no such directory (the plan's migrations key)"},
		{[]string{"db", "status", "--database", "sqlite:x.db"}, "--dir migrations: no such directory; give --dir, or name a plan with -c"},
	} {
		r := run(t, tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("decant %s: want exit 2 and %q:\n%s", strings.Join(tc.args, " "), tc.want, r)
		}
	}
}

// Ensure preview, like a dry run, predicts the first run on a SQLite target
// that does not exist yet: it reads the missing file as an empty database
// on which the plan's setup files or migrations would make the tables, says
// so on stderr, and creates nothing; check still refuses the missing file.
// Preview once failed "no such database file ... run decant migrate".
func TestPredictBeforeFirstRun(t *testing.T) {
	t.Parallel()
	schema := "CREATE TABLE people (id integer PRIMARY KEY, name text);\n"
	for name, plan := range map[string]string{
		"setup":      targetPlan(t, "sqlite:p2.db", "setup: [schema.sql]", map[string]string{"schema.sql": schema}),
		"migrations": targetPlan(t, "sqlite:p2.db", "migrations: schema", map[string]string{"schema/0001_people.sql": schema}),
	} {
		path := filepath.Join(filepath.Dir(plan), "p2.db")
		r := mustRun(t, "preview", "people", "-n", "3", "-c", plan)
		if strings.Count(r.stdout, "-> people") != 3 || !strings.Contains(r.stdout, "name = bob") {
			t.Errorf("%s: preview before the first run: want 3 records and their rows:\n%s", name, r)
		}
		if !strings.Contains(r.stderr, "does not exist yet; preview reads it as an empty database (a real run creates it)") {
			t.Errorf("%s: preview does not say it read a missing target as empty:\n%s", name, r)
		}
		var items []map[string]any
		decodeJSON(t, mustRun(t, "preview", "people", "-n", "2", "--json", "-c", plan), &items)
		if len(items) != 2 {
			t.Errorf("%s: preview --json: %d items, want 2", name, len(items))
		}
		if r := run(t, "check", "-c", plan); r.code == 0 || !strings.Contains(r.stdout+r.stderr, "no such database file: "+path) {
			t.Errorf("%s: check must still refuse the missing file:\n%s", name, r)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: preview or check created %s (stat: %v)", name, path, err)
		}
	}
}
