package engine_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
)

// stagedRun runs plan text p (written into dir) with phase.
func stagedRun(t *testing.T, dir, p string, phase engine.Phase) (*engine.Result, error) {
	t.Helper()
	cfg, done := stagedConfig(t, dir, p)
	defer done()
	cfg.Phase = phase
	return engine.Run(context.Background(), cfg, nil)
}

// peopleSchema is the target table of the people plans.
const peopleSchema = "CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, name TEXT);\n"

// writePeople writes the people plans' schema.sql and people.csv into dir.
func writePeople(t *testing.T, dir, csv string) {
	t.Helper()
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(peopleSchema), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "people.csv"), []byte(csv), 0o644))
}

// stepOf returns the result of step's phase in res.
func stepOf(t *testing.T, res *engine.Result, step, phase string) engine.StepResult {
	t.Helper()
	for _, s := range res.Steps {
		if s.Step == step && s.Phase == phase {
			return s
		}
	}
	t.Fatalf("no result for step %s phase %q in %+v", step, phase, res.Steps)
	return engine.StepResult{}
}

const customersTable = "CREATE TABLE IF NOT EXISTS customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, balance NUMERIC, since DATE);\n"

// Ensure a staged plan copies the source into the staging table with
// --phase extract (the target table untouched), loads from it with
// --phase load while the source is gone, and ends with the rows and the
// ledger hashes of a run without staging; a second extract stages only
// what the source added, and the load after it reads only that.
func TestStagingExtractThenLoad(t *testing.T) {
	for name, target := range bothTargets {
		t.Run(name, func(t *testing.T) {
			legacy, ldb := legacyMariaDB(t)
			direct, staged := t.TempDir(), t.TempDir()
			for _, dir := range []string{direct, staged} {
				must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(customersTable), 0o644))
			}
			durl, ddb := target(t, direct)
			surl, sdb := target(t, staged)
			from := "table: customers, where: 'tenant = ${scope}', page_size: 2"
			migratePlan(t, direct, relationalPlan(legacy, durl, from))
			p := "staging: true\n" + relationalPlan(legacy, surl, from)

			res, err := stagedRun(t, staged, p, engine.PhaseExtract)
			must(t, err)
			if s := stepOf(t, res, "customers", "extract"); s.Read != 5 || s.Written != 5 || len(res.Steps) != 1 {
				t.Fatalf("extract: %+v, want 5 records staged and no load", res.Steps)
			}
			if got := testenv.Rows(t, sdb, "SELECT count(*) FROM customers"); got[0] != "0" {
				t.Fatalf("after the extract the target holds %v rows, want none", got)
			}
			_, err = ldb.Exec("RENAME TABLE customers TO customers_away")
			must(t, err)
			res, err = stagedRun(t, staged, p, engine.PhaseLoad)
			must(t, err)
			if s := stepOf(t, res, "customers", "load"); s.Read != 5 || s.Written != 5 {
				t.Fatalf("load: %+v, want 5 records written from staging", s)
			}
			rows := "SELECT id, name, CAST(balance AS TEXT), CAST(since AS TEXT) FROM customers ORDER BY id"
			ledger := "SELECT key, source_hash, target_hash, status FROM decant_ledger ORDER BY key"
			for _, q := range []string{rows, ledger} {
				if diff := cmp.Diff(testenv.Rows(t, ddb, q), testenv.Rows(t, sdb, q)); diff != "" {
					t.Errorf("%s: a run without staging (-) and the staged one (+) differ:\n%s", q, diff)
				}
			}

			_, err = ldb.Exec("RENAME TABLE customers_away TO customers")
			must(t, err)
			_, err = ldb.Exec("INSERT INTO customers VALUES (7, 'late', 7.5, '2021-02-03', 'default')")
			must(t, err)
			res, err = stagedRun(t, staged, p, "")
			must(t, err)
			ex, ld := stepOf(t, res, "customers", "extract"), stepOf(t, res, "customers", "load")
			if ex.Read != 1 || ld.Read != 1 || ld.Written != 1 {
				t.Fatalf("second run: extract %+v, load %+v; want the one new row through both", ex, ld)
			}
			if got := testenv.Rows(t, sdb, "SELECT count(*) FROM customers"); got[0] != "6" {
				t.Errorf("target rows after the second run: %v, want 6", got)
			}
		})
	}
}

// Ensure a record its source could not read is staged as read and becomes
// a stored error at the load, with its payload and the source's message,
// never dropped.
func TestStagingKeepsUnreadableRecords(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writePeople(t, dir, "id,name\n1,ann\n2,bob,extra\n3,cy\n")
	p := `version: 1
staging: true
connections: {target: "sqlite:t.db", people: "file:people.csv"}
setup: [schema.sql]
steps:
  - name: people
    from: {connection: people, key: id}
    key: id
    to: {table: people}
    map: {id: record.id, name: record.name}
`
	_, err := stagedRun(t, dir, p, engine.PhaseExtract)
	must(t, err)
	res, err := stagedRun(t, dir, p, engine.PhaseLoad)
	must(t, err)
	if s := stepOf(t, res, "people", "load"); s.Read != 3 || s.Written != 2 || s.Failed != 1 {
		t.Fatalf("load: %+v, want 3 read, 2 written, 1 failed", s)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "t.db"))
	must(t, err)
	defer db.Close()
	got := testenv.Rows(t, db, "SELECT key, source_error, CAST(payload AS TEXT) FROM decant_errors")
	if len(got) != 1 || !strings.Contains(got[0], "2,bob,extra") || !strings.Contains(got[0], "fields") {
		t.Errorf("stored errors: %v, want the row with 3 fields, its text and the reader's message", got)
	}
}

// Ensure the mistakes a staged run can meet are refused with what to do:
// a phase for a plan without staging, a load before any extract, and a
// step loaded without staging, then with it.
func TestStagingRefusals(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writePeople(t, dir, "id,name\n1,ann\n")
	plain := `version: 1
connections: {target: "sqlite:t.db", people: "file:people.csv"}
setup: [schema.sql]
steps:
  - name: people
    from: {connection: people, key: id}
    key: id
    to: {table: people}
    map: {id: record.id, name: record.name}
`
	staged := "staging: true\n" + plain
	for _, tc := range []struct {
		name, plan string
		phase      engine.Phase
		want       string
	}{
		{"phase without staging", plain, engine.PhaseLoad, "add staging: true to the plan"},
		{"load before extract", staged, engine.PhaseLoad, "run decant migrate --phase extract first"},
	} {
		_, err := stagedRun(t, dir, tc.plan, tc.phase)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
	_, err := stagedRun(t, dir, plain, "")
	must(t, err)
	_, err = stagedRun(t, dir, staged, "")
	if err == nil || !strings.Contains(err.Error(), "loaded before the plan had staging: true; reset it (decant reset --step people)") {
		t.Fatalf("a step loaded without staging, then with it: %v, want it refused naming the reset", err)
	}
}
