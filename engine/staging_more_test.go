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
	"github.com/decanthq/decant/mysql"
	"github.com/decanthq/decant/plan"
)

// stagedConfig writes plan text p into dir and returns a Config of it, and
// the function that closes its store.
func stagedConfig(t *testing.T, dir, p string) (engine.Config, func()) {
	t.Helper()
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(p), 0o644))
	pl, err := plan.Load(path, plan.Options{})
	must(t, err)
	st, err := connect.Store(context.Background(), pl)
	must(t, err)
	return engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}, func() { st.Close() }
}

const peoplePlan = `version: 1
staging: true
connections: {target: "%TARGET%", people: "file:people.csv"}
setup: [schema.sql]
steps:
  - name: %STEP%
    from: {connection: people, key: id}
    key: id
    to: {table: people}
    map: {id: record.id, name: record.name}
`

func peopleStaged(target, step string) string {
	return strings.NewReplacer("%TARGET%", target, "%STEP%", step).Replace(peoplePlan)
}

// Ensure a dry run without --phase after a staged run maps from the
// sources, from where the next extract reads them, instead of taking the
// load's checkpoint for a source's.
func TestStagingDryRunAfterLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writePeople(t, dir, "id,name\n1,ann\n2,bob\n3,cy\n")
	p := peopleStaged("sqlite:t.db", "people")
	_, err := stagedRun(t, dir, p, "")
	must(t, err)
	cfg, done := stagedConfig(t, dir, p)
	defer done()
	cfg.DryRun = true
	_, err = engine.Run(context.Background(), cfg, nil)
	if err != nil {
		t.Errorf("migrate --dry-run on a staged plan after a migrate: %v", err)
	}
}

// Ensure a step's staging table cannot meet another step's index: steps
// "a" and "a_by_seq" both stage.
func TestStagingIndexNamesSQLite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, name TEXT);\nCREATE TABLE IF NOT EXISTS others (id TEXT PRIMARY KEY, name TEXT);\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "people.csv"), []byte("id,name\n1,ann\n"), 0o644))
	p := `version: 1
staging: true
connections: {target: "sqlite:t.db", people: "file:people.csv"}
setup: [schema.sql]
steps:
  - name: a
    from: {connection: people, key: id}
    key: id
    to: {table: people}
    map: {id: record.id, name: record.name}
  - name: a_by_seq
    from: {connection: people, key: id}
    key: id
    to: {table: others}
    map: {id: record.id, name: record.name}
`
	_, err := stagedRun(t, dir, p, "")
	if err != nil {
		t.Errorf("steps a and a_by_seq: %v", err)
	}
}

// Ensure typed MariaDB values (blob, datetime(6), unsigned 64-bit, bit,
// json, wide decimal, time, enum, timestamp) land alike staged and direct:
// the staged payload maps as the source's typed row does.
func TestStagingTypedValuesMariaDB(t *testing.T) {
	t.Parallel()
	url := testenv.MySQL(t)
	cfg, err := mysqlConfig(url)
	must(t, err)
	ldb, err := sql.Open("mysql", cfg)
	must(t, err)
	defer ldb.Close()
	_, err = ldb.Exec(`CREATE TABLE things (id INT PRIMARY KEY, b BLOB, dt DATETIME(6), u BIGINT UNSIGNED, f BIT(1), j JSON, d DECIMAL(30,10), tm TIME, e ENUM('x','y'), ts TIMESTAMP(3) NULL)`)
	must(t, err)
	_, err = ldb.Exec(`INSERT INTO things VALUES (1, X'00FF10', '2021-02-03 04:05:06.789012', 18446744073709551615, b'1', '{"a":[1,2.50,"x"]}', 12345678901234567890.0123456789, '-12:34:56', 'y', '2021-01-01 00:00:00.123'),
	(2, NULL, NULL, 0, b'0', NULL, NULL, NULL, NULL, NULL)`)
	must(t, err)
	schema := "CREATE TABLE IF NOT EXISTS things (id INTEGER PRIMARY KEY, b BYTEA, dt TIMESTAMP, u NUMERIC, f BOOLEAN, j JSONB, d NUMERIC, tm TEXT, e TEXT, ts TIMESTAMPTZ);\n"
	p := func(target string) string {
		return `version: 1
connections:
  legacy: '` + url + `'
  target: ` + target + `
setup: [schema.sql]
steps:
  - name: things
    from: {connection: legacy, key: id, table: things}
    key: id
    to: {table: things}
    map: {id: record.id, b: record.b, dt: record.dt, u: record.u, f: record.f, j: record.j, d: record.d, tm: record.tm, e: record.e, ts: record.ts}
`
	}
	direct, staged := t.TempDir(), t.TempDir()
	durl, surl := testenv.Postgres(t), testenv.Postgres(t)
	for _, dir := range []string{direct, staged} {
		must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(schema), 0o644))
	}
	migratePlan(t, direct, p(durl))
	_, err = stagedRun(t, staged, "staging: true\n"+p(surl), "")
	must(t, err)
	q := "SELECT id, encode(b,'hex'), CAST(dt AS TEXT), CAST(u AS TEXT), CAST(f AS TEXT), CAST(j AS TEXT), CAST(d AS TEXT), tm, e, CAST(ts AS TEXT) FROM things ORDER BY id"
	ddb, _ := sql.Open("pgx", durl)
	sdb, _ := sql.Open("pgx", surl)
	defer ddb.Close()
	defer sdb.Close()
	dr, sr := testenv.Rows(t, ddb, q), testenv.Rows(t, sdb, q)
	if strings.Join(dr, "\n") != strings.Join(sr, "\n") {
		t.Errorf("direct and staged rows differ:\ndirect: %v\nstaged: %v", dr, sr)
	}
	lq := "SELECT key, source_hash, target_hash, status FROM decant_ledger ORDER BY key"
	if a, b := testenv.Rows(t, ddb, lq), testenv.Rows(t, sdb, lq); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("ledgers differ:\n%v\n%v", a, b)
	}
}

func mysqlConfig(url string) (string, error) {
	c, err := mysql.Config(url)
	if err != nil {
		return "", err
	}
	return c.FormatDSN(), nil
}

// Ensure odd step names (a dot, quotes, a semicolon, Unicode) stage and
// load on both stores.
func TestStagingOddStepNames(t *testing.T) {
	for name, target := range bothTargets {
		for _, step := range []string{"a.b", `o"q`, "it's", "Ünï cödé", "x; DROP TABLE people"} {
			t.Run(name+"/"+step, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				url, db := target(t, dir)
				must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, name TEXT);\n"), 0o644))
				must(t, os.WriteFile(filepath.Join(dir, "people.csv"), []byte("id,name\n1,ann\n2,bob\n"), 0o644))
				p := peopleStaged(url, `"`+strings.ReplaceAll(step, `"`, `\"`)+`"`)
				for range 2 {
					if _, err := stagedRun(t, dir, p, ""); err != nil {
						t.Fatalf("step %q: %v", step, err)
					}
				}
				if got := testenv.Rows(t, db, "SELECT count(*) FROM people"); got[0] != "2" {
					t.Errorf("people: %v", got)
				}
				cfg, done := stagedConfig(t, dir, p)
				defer done()
				res, err := engine.Reset(context.Background(), cfg, engine.ResetOptions{})
				if err != nil || res.Staged != 2 {
					t.Errorf("reset: %+v %v", res, err)
				}
			})
		}
	}
}

// Ensure a step whose source has no record for the scope does not stop a
// staged run: its extract ran, found nothing, and its load loads nothing.
func TestStagingEmptySource(t *testing.T) {
	for name, target := range bothTargets {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			url, _ := target(t, dir)
			must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, name TEXT);\n"), 0o644))
			must(t, os.WriteFile(filepath.Join(dir, "people.csv"), []byte("id,name\n"), 0o644))
			if _, err := stagedRun(t, dir, peopleStaged(url, "people"), ""); err != nil {
				t.Errorf("staged run of an empty source: %v", err)
			}
		})
	}
}

// Ensure the same for a MariaDB table with no row of the scope.
func TestStagingEmptyRelationalScope(t *testing.T) {
	t.Parallel()
	legacy, _ := legacyMariaDB(t)
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(customersTable), 0o644))
	p := "staging: true\n" + relationalPlan(legacy, "sqlite:t.db", "table: customers, where: 'tenant = ${scope}'")
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(p), 0o644))
	pl, err := plan.Load(path, plan.Options{})
	must(t, err)
	st, err := connect.Store(context.Background(), pl)
	must(t, err)
	defer st.Close()
	_, err = engine.Run(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), Scope: "nobody", LeaseTTL: 3 * time.Second}, nil)
	if err != nil {
		t.Errorf("staged run of a scope with no rows: %v", err)
	}
}

// Ensure reset --phase extract, after which the records staged again
// may take lower seqs than the one the load stopped at, is followed by a
// load of every record staged again, a changed one included.
func TestStagingResetExtractReloads(t *testing.T) {
	for name, target := range bothTargets {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			url, db := target(t, dir)
			must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, name TEXT);\n"), 0o644))
			must(t, os.WriteFile(filepath.Join(dir, "people.csv"), []byte("id,name\n1,ann\n2,bob\n3,cy\n"), 0o644))
			p := peopleStaged(url, "people")
			_, err := stagedRun(t, dir, p, "")
			must(t, err)
			cfg, done := stagedConfig(t, dir, p)
			_, err = engine.Reset(context.Background(), cfg, engine.ResetOptions{Phase: engine.PhaseExtract})
			done()
			must(t, err)
			must(t, os.WriteFile(filepath.Join(dir, "people.csv"), []byte("id,name\n1,ANN\n2,bob\n3,cy\n"), 0o644))
			_, err = stagedRun(t, dir, p, "")
			must(t, err)
			if got := testenv.Rows(t, db, "SELECT name FROM people WHERE id = '1'"); got[0] != "ANN" {
				t.Errorf("name %v, want ANN", got)
			}
		})
	}
}

// Ensure a staging table gone (dropped by hand, or not in a snapshot
// loaded since) while the extract's state stays refuses the load, naming
// the reset that puts things right, rather than loading nothing.
func TestStagingTableGone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writePeople(t, dir, "id,name\n1,ann\n2,bob\n3,cy\n")
	p := peopleStaged("sqlite:t.db", "people")
	_, err := stagedRun(t, dir, p, engine.PhaseExtract)
	must(t, err)
	db, err := sql.Open("sqlite", filepath.Join(dir, "t.db"))
	must(t, err)
	defer db.Close()
	_, err = db.Exec("DROP TABLE staging_people")
	must(t, err)
	res, err := stagedRun(t, dir, p, engine.PhaseLoad)
	if err == nil {
		t.Errorf("load with the staging table gone: no error, %+v", res.Steps)
	}
}

// Ensure a whole reset while the plan has staging off deletes what an
// earlier staged plan staged: with staging back on, the load does not map
// records the source no longer has.
func TestStagingResetWithStagingOff(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writePeople(t, dir, "id,name\n1,ann\n2,bob\n3,cy\n")
	p := peopleStaged("sqlite:t.db", "people")
	_, err := stagedRun(t, dir, p, "")
	must(t, err)
	plain := strings.Replace(p, "staging: true\n", "", 1)
	cfg, done := stagedConfig(t, dir, plain)
	_, err = engine.Reset(context.Background(), cfg, engine.ResetOptions{})
	done()
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dir, "people.csv"), []byte("id,name\n1,ann\n2,bob\n"), 0o644))
	_, err = stagedRun(t, dir, p, "")
	must(t, err)
	db, err := sql.Open("sqlite", filepath.Join(dir, "t.db"))
	must(t, err)
	defer db.Close()
	if got := testenv.Rows(t, db, "SELECT id FROM people ORDER BY id"); len(got) != 2 {
		t.Errorf("people after reset and a staged run of a source of 2: %v", got)
	}
}

// Ensure a fix of from.key reaches records staged without a key: after
// reset --phase load, the load takes their key from the fixed path, as a
// retry of a stored error does.
func TestStagingKeyFixedAfterExtract(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, name TEXT);\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "people.jsonl"), []byte(`{"ident":"1","name":"ann"}`+"\n"+`{"ident":"2","name":"bob"}`+"\n"), 0o644))
	p := func(key string) string {
		return `version: 1
staging: true
connections: {target: "sqlite:t.db", people: "file:people.jsonl"}
setup: [schema.sql]
steps:
  - name: people
    from: {connection: people, key: ` + key + `}
    key: id
    to: {table: people}
    map: {id: record.ident, name: record.name}
`
	}
	res, err := stagedRun(t, dir, p("id"), "")
	must(t, err)
	if s := stepOf(t, res, "people", "load"); s.Failed != 2 {
		t.Fatalf("with the wrong key path: %+v, want both records failed for want of a key", s)
	}
	cfg, done := stagedConfig(t, dir, p("ident"))
	_, err = engine.Reset(context.Background(), cfg, engine.ResetOptions{Phase: engine.PhaseLoad})
	done()
	must(t, err)
	res, err = stagedRun(t, dir, p("ident"), engine.PhaseLoad)
	must(t, err)
	if s := stepOf(t, res, "people", "load"); s.Read != 2 || s.Written != 2 {
		t.Errorf("load with the fixed key path: %+v, want both written", s)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "t.db"))
	must(t, err)
	defer db.Close()
	if got := testenv.Rows(t, db, "SELECT key, status FROM decant_ledger ORDER BY key"); strings.Join(got, ",") != "1 ok,2 ok" {
		t.Errorf("ledger after the fixed load: %v, want keys 1 and 2 ok", got)
	}
}

// Ensure steps named like the indexes and sequences a database makes for
// a table (a_pkey, a_seq) stage beside step a on PostgreSQL.
func TestStagingIndexNamesPostgres(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	url := testenv.Postgres(t)
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, name TEXT);\nCREATE TABLE IF NOT EXISTS others (id TEXT PRIMARY KEY, name TEXT);\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "people.csv"), []byte("id,name\n1,ann\n"), 0o644))
	p := `version: 1
staging: true
connections: {target: "` + url + `", people: "file:people.csv"}
setup: [schema.sql]
steps:
  - name: a
    from: {connection: people, key: id}
    key: id
    to: {table: people}
    map: {id: record.id, name: record.name}
  - name: a_pkey
    from: {connection: people, key: id}
    key: id
    to: {table: others}
    map: {id: record.id, name: record.name}
`
	if _, err := stagedRun(t, dir, p, ""); err != nil {
		t.Errorf("steps a and a_pkey: %v", err)
	}
}
