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
	"github.com/decanthq/decant/verify"
)

// verifyTarget is one store a verify test runs on.
type verifyTarget struct {
	name   string
	schema string
	open   func(t *testing.T, dir string) (url string, db *sql.DB)
	// catalog lists the tables of the target, to show verify adds none.
	catalog string
}

var verifyTargets = []verifyTarget{
	{
		name: "sqlite",
		schema: `CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER CHECK (n >= 0), label TEXT,
			code TEXT, amount NUMERIC, at TIMESTAMP);`,
		open: func(t *testing.T, dir string) (string, *sql.DB) {
			db, err := sql.Open("sqlite", filepath.Join(dir, "t.db"))
			must(t, err)
			t.Cleanup(func() { db.Close() })
			return "sqlite:t.db", db
		},
		catalog: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
	},
	{
		name: "postgres",
		schema: `CREATE TABLE items (id text PRIMARY KEY, n integer CHECK (n >= 0), label text,
			code char(5), amount numeric, at timestamptz);`,
		open: func(t *testing.T, dir string) (string, *sql.DB) {
			url := testenv.Postgres(t)
			db, err := sql.Open("pgx", url)
			must(t, err)
			t.Cleanup(func() { db.Close() })
			return url, db
		},
		catalog: "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
	},
}

// verifyInput is ten good records, one the target's CHECK refuses and
// one that does not map (n is not a number).
func verifyInput(extra ...string) string {
	var lines []string
	for i := 1; i <= 10; i++ {
		lines = append(lines, fmt.Sprintf(`{"id":"k%02d","n":%d,"label":"v%d","code":"ab","amount":"1.5","at":"2024-01-01T10:00:00Z"}`, i, i, i))
	}
	lines = append(lines, `{"id":"bad1","n":-1,"label":"refused"}`, `{"id":"bad2","n":"abc","label":"unmappable"}`)
	lines = append(lines, extra...)
	return strings.Join(lines, "\n") + "\n"
}

func verifyPlan(url, label string) string {
	return fmt.Sprintf(`version: 1
connections:
  in: file:in.jsonl
  target: %s
setup: [schema.sql]
steps:
  - name: items
    from: {connection: in, key: id}
    key: id
    to: {table: items}
    map: {id: record.id, n: record.n, label: %s, code: record.code, amount: record.amount, at: record.at}
`, url, label)
}

// verifyEnv is a migrated target.
type verifyEnv struct {
	dir, url string
	db       *sql.DB
	st       decant.Store
}

func migrateForVerify(t *testing.T, vt verifyTarget, extra ...string) verifyEnv {
	t.Helper()
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte(verifyInput(extra...)), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(vt.schema), 0o644))
	url, db := vt.open(t, dir)
	pl := loadVerifyPlan(t, dir, url, "record.label")
	st, err := connect.Store(context.Background(), pl)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	res, err := engine.Run(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}, nil)
	must(t, err)
	if s := res.Steps[0]; s.Written != int64(10+len(extra)) || s.Failed != 2 {
		t.Fatalf("migrate: written %d, failed %d; want %d, 2", s.Written, s.Failed, 10+len(extra))
	}
	return verifyEnv{dir: dir, url: url, db: db, st: st}
}

func loadVerifyPlan(t *testing.T, dir, url, label string) *plan.Plan {
	t.Helper()
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(verifyPlan(url, label)), 0o644))
	pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	return pl
}

// runVerify verifies with plan pl and returns the result and the
// findings, each as "kind key".
func runVerify(t *testing.T, pl *plan.Plan, st decant.Store) (*engine.VerifyResult, []string) {
	t.Helper()
	var found []string
	res, err := engine.Verify(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl)},
		engine.VerifyOptions{Finding: func(step, table string, f verify.Finding) error {
			found = append(found, fmt.Sprintf("%s %v", f.Kind, f.Key[0]))
			return nil
		}})
	must(t, err)
	slices.Sort(found)
	return res, found
}

// snapshot is everything in the target verify must not change: its tables
// and their row counts, decant's state included.
func snapshot(t *testing.T, db *sql.DB, catalog string) []string {
	t.Helper()
	var out []string
	for _, table := range testenv.Rows(t, db, catalog) {
		n := testenv.Rows(t, db, fmt.Sprintf(`SELECT count(*) FROM "%s"`, table))
		out = append(out, table+" "+strings.Join(n, ""))
	}
	return append(out, testenv.Rows(t, db, "SELECT id, n, label FROM items ORDER BY id")...)
}

// Ensure a verify after a clean migrate finds nothing and checks every
// written record, counts the refused and the unmappable record as errors
// (not missing), and writes nothing to the target or decant's state.
func TestVerify_CleanMigrate(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForVerify(t, vt)
			before := snapshot(t, e.db, vt.catalog)
			pl := loadVerifyPlan(t, e.dir, e.url, "record.label")
			res, found := runVerify(t, pl, e.st)
			if len(found) != 0 {
				t.Errorf("findings after a clean migrate: %v", found)
			}
			if !res.Clean || len(res.Steps) != 1 {
				t.Fatalf("result %+v; want clean, one step", res)
			}
			s := res.Steps[0]
			if s.Checked != 10 || s.OK != 10 || s.Errors != 2 || s.Missing != 0 || s.Extra != 0 || s.Diffs != 0 {
				t.Errorf("counts %+v; want checked 10, ok 10, errors 2, nothing else", s)
			}
			if after := snapshot(t, e.db, vt.catalog); !slices.Equal(before, after) {
				t.Errorf("verify changed the target:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}

// Ensure verify reports exactly the corruptions made behind decant's back
// (a changed value, a deleted row, an inserted row, a padded text) and
// none of the changes that keep the value (a decimal's scale, on
// PostgreSQL a char(n) padding and a timestamptz written in another zone).
func TestVerify_FindsInjectedCorruption(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForVerify(t, vt)
			stmts := []string{
				"UPDATE items SET n = 99 WHERE id = 'k01'",
				"DELETE FROM items WHERE id = 'k02'",
				"INSERT INTO items (id, n, label) VALUES ('zz', 1, 'x')",
				"UPDATE items SET label = label || ' ' WHERE id = 'k03'",
			}
			if vt.name == "postgres" {
				stmts = append(stmts,
					"UPDATE items SET amount = '1.50' WHERE id = 'k04'",
					"UPDATE items SET code = 'ab   ' WHERE id = 'k05'",
					"UPDATE items SET at = '2024-01-01 12:00:00+02' WHERE id = 'k06'")
			}
			for _, q := range stmts {
				if _, err := e.db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			pl := loadVerifyPlan(t, e.dir, e.url, "record.label")
			res, found := runVerify(t, pl, e.st)
			want := []string{"diff k01", "diff k03", "extra zz", "missing k02"}
			if !slices.Equal(found, want) {
				t.Errorf("findings %v; want %v", found, want)
			}
			s := res.Steps[0]
			if res.Clean || s.Diffs != 2 || s.Missing != 1 || s.Extra != 1 || s.Errors != 2 || s.Checked != 11 {
				t.Errorf("clean %v, counts %+v; want 2 diffs, 1 missing, 1 extra, 2 errors, 11 checked", res.Clean, s)
			}
		})
	}
}

// Ensure a plan whose mapping changed after the migration gives diffs,
// one per record, not a failure.
func TestVerify_PlanChangedGivesDiffs(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForVerify(t, vt)
			pl := loadVerifyPlan(t, e.dir, e.url, "record.code")
			res, found := runVerify(t, pl, e.st)
			s := res.Steps[0]
			if s.Diffs != 10 || s.OK != 0 || len(found) != 10 {
				t.Errorf("counts %+v, findings %v; want 10 diffs", s, found)
			}
		})
	}
}

// Ensure a target without the step's table is an error naming it.
func TestVerify_MissingTable(t *testing.T) {
	t.Parallel()
	vt := verifyTargets[0]
	e := migrateForVerify(t, vt)
	if _, err := e.db.Exec("DROP TABLE items"); err != nil {
		t.Fatal(err)
	}
	pl := loadVerifyPlan(t, e.dir, e.url, "record.label")
	_, err := engine.Verify(context.Background(), engine.Config{Plan: pl, Store: e.st, Sources: connect.Sources(pl)}, engine.VerifyOptions{})
	if err == nil || !strings.Contains(err.Error(), "table items does not exist") {
		t.Errorf("err = %v; want one naming table items", err)
	}
}

// Ensure a key the source gives twice (an updated record) is compared
// with its last version, which its upsert left in the target, and is not
// reported as a duplicate.
func TestVerify_SourceKeyTwiceLastWins(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForVerify(t, vt, `{"id":"k01","n":50,"label":"updated","code":"ab","amount":"1.5","at":"2024-01-01T10:00:00Z"}`)
			if got := testenv.Rows(t, e.db, "SELECT label FROM items WHERE id = 'k01'"); !slices.Equal(got, []string{"updated"}) {
				t.Fatalf("k01 label %v; want the last version's", got)
			}
			pl := loadVerifyPlan(t, e.dir, e.url, "record.label")
			res, found := runVerify(t, pl, e.st)
			if s := res.Steps[0]; len(found) != 0 || s.Checked != 10 || s.OK != 10 || s.Duplicates != 0 {
				t.Errorf("counts %+v, findings %v; want 10 ok and nothing else", s, found)
			}
		})
	}
}
