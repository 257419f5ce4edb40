package engine_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/mysql"
	"github.com/decanthq/decant/plan"
)

// legacyMariaDB is a throwaway MariaDB database holding a customers table,
// as a legacy system would.
func legacyMariaDB(t *testing.T) (string, *sql.DB) {
	t.Helper()
	url := testenv.MySQL(t)
	cfg, err := mysql.Config(url)
	must(t, err)
	db, err := sql.Open("mysql", cfg.FormatDSN())
	must(t, err)
	t.Cleanup(func() { db.Close() })
	_, err = db.Exec(`CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, balance DECIMAL(12,2), since DATE, tenant VARCHAR(20))`)
	must(t, err)
	for i := 1; i <= 5; i++ {
		_, err := db.Exec("INSERT INTO customers VALUES (?, ?, ?, ?, 'default')", i, fmt.Sprintf("c'%d", i), fmt.Sprintf("%d.25", i*100), fmt.Sprintf("2020-01-0%d", i))
		must(t, err)
	}
	_, err = db.Exec("INSERT INTO customers VALUES (6, 'not ours', 1, '2020-01-01', 'other')")
	must(t, err)
	return url, db
}

// relationalPlan reads legacy's customers of the run's scope into target.
func relationalPlan(legacy, target, from string) string {
	return fmt.Sprintf(`version: 1
connections:
  legacy: '%s'
  target: %s
setup: [schema.sql]
steps:
  - name: customers
    from: {connection: legacy, key: id, %s}
    key: id
    to: {table: customers}
    map: {id: record.id, name: record.name, balance: record.balance, since: record.since}
`, legacy, target, from)
}

// Ensure a plan reads a MariaDB table into each store end to end: typed
// values land in their columns, only the scope's rows are read, and a
// second run reads only the rows added since the first.
func TestMySQLSourceEndToEnd(t *testing.T) {
	for name, target := range bothTargets {
		t.Run(name, func(t *testing.T) {
			legacy, ldb := legacyMariaDB(t)
			dir := t.TempDir()
			must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(
				"CREATE TABLE IF NOT EXISTS customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, balance NUMERIC, since DATE);\n"), 0o644))
			url, db := target(t, dir)
			p := relationalPlan(legacy, url, "table: customers, where: 'tenant = ${scope}', page_size: 2")
			if s := migratePlan(t, dir, p).Steps[0]; s.Read != 5 || s.Written != 5 || s.Failed != 0 {
				t.Fatalf("first run: read %d, written %d, failed %d; want 5, 5, 0", s.Read, s.Written, s.Failed)
			}
			_, err := ldb.Exec("INSERT INTO customers VALUES (7, 'late', 7.5, '2021-02-03', 'default')")
			must(t, err)
			if s := migratePlan(t, dir, p).Steps[0]; s.Read != 1 || s.Written != 1 {
				t.Fatalf("second run: read %d, written %d; want only the new row", s.Read, s.Written)
			}
			got := testenv.Rows(t, db, "SELECT id, name, CAST(balance AS TEXT), CAST(since AS TEXT) FROM customers ORDER BY id")
			want := []string{"1 c'1 100.25 2020-01-01", "2 c'2 200.25 2020-01-02", "3 c'3 300.25 2020-01-03",
				"4 c'4 400.25 2020-01-04", "5 c'5 500.25 2020-01-05", "7 late 7.5 2021-02-03"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("target rows (-want +got):\n%s", diff)
			}
		})
	}
}

// Ensure a source query that fails at the server, or a key that is NULL
// in some row, stops the run before anything is written, with an error
// naming the step, what is wrong and how to fix it.
func TestMySQLSourceQueryFails(t *testing.T) {
	legacy, _ := legacyMariaDB(t)
	for _, tc := range []struct{ from, want string }{
		{`query: "SELECT id, name FROM custmers"`, "custmers"},
		{`query: "SELECT IF(id = 3, NULL, id) AS id, name FROM customers"`,
			"1 rows of the query have NULL in id, which a keyset read cannot place and would skip; filter them out (add id IS NOT NULL to the query's WHERE)"},
	} {
		dir := t.TempDir()
		must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(
			"CREATE TABLE IF NOT EXISTS customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, balance NUMERIC, since DATE);\n"), 0o644))
		path := filepath.Join(dir, "decant.yaml")
		must(t, os.WriteFile(path, []byte(relationalPlan(legacy, "sqlite:t.db", tc.from)), 0o644))
		pl, err := plan.Load(path, plan.Options{})
		must(t, err)
		st, err := connect.Store(context.Background(), pl)
		must(t, err)
		_, err = engine.Run(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}, nil)
		st.Close()
		if err == nil || !strings.Contains(err.Error(), "step customers") || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("%s: Run: %v, want an error naming the step and %q", tc.from, err, tc.want)
		}
		db, err := sql.Open("sqlite", filepath.Join(dir, "t.db"))
		must(t, err)
		for _, q := range []string{"SELECT COUNT(*) FROM customers", "SELECT COUNT(*) FROM decant_checkpoints", "SELECT COUNT(*) FROM decant_ledger"} {
			if got := testenv.Rows(t, db, q); len(got) != 1 || got[0] != "0" {
				t.Errorf("%s: %s = %v after a failed read, want 0", tc.from, q, got)
			}
		}
		db.Close()
	}
}

// Ensure check refuses a source key that is not unique, naming the step,
// the table and the key, and a key column the table lacks.
func TestCheckRelationalSourceKey(t *testing.T) {
	legacy, ldb := legacyMariaDB(t)
	_, err := ldb.Exec("CREATE TABLE dup (id INT, name VARCHAR(10)); ")
	must(t, err)
	_, err = ldb.Exec("INSERT INTO dup VALUES (1, 'a'), (1, 'b')")
	must(t, err)
	for from, want := range map[string]string{
		"table: dup":                        "source: the key id of table dup is not unique: 2 rows hold 1",
		"table: customers, columns: [name]": "columns: the columns read must include id",
	} {
		dir := t.TempDir()
		must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(
			"CREATE TABLE IF NOT EXISTS customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, balance NUMERIC, since DATE);\n"), 0o644))
		path := filepath.Join(dir, "decant.yaml")
		must(t, os.WriteFile(path, []byte(relationalPlan(legacy, "sqlite:t.db", from)), 0o644))
		pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
		if err != nil {
			if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "step customers") {
				t.Errorf("%s: load error %v, want %q", from, err, want)
			}
			continue
		}
		st, err := connect.Store(context.Background(), pl)
		must(t, err)
		res, err := engine.Check(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl)})
		st.Close()
		must(t, err)
		got := strings.Join(res.Steps[0].Problems, "\n")
		for _, c := range res.Connections {
			got += "\n" + c.Name + ": " + c.Error
		}
		if res.OK() || len(res.Steps) != 1 || res.Steps[0].Step != "customers" || !strings.Contains(got, want) {
			t.Errorf("%s: check = %+v %+v, want step customers refused with %q", from, res.Steps, res.Connections, want)
		}
	}
}

// Ensure a plan reads a SQLite file, named relative to the plan, into a
// SQLite target, and that a rerun reads nothing it already read.
func TestSQLiteSourceEndToEnd(t *testing.T) {
	dir := t.TempDir()
	ldb, err := sql.Open("sqlite", filepath.Join(dir, "legacy.db"))
	must(t, err)
	defer ldb.Close()
	_, err = ldb.Exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, balance NUMERIC, since DATE, tenant TEXT);
		INSERT INTO customers VALUES (1, 'a', 1.5, '2020-01-01', 'default'), (2, 'b', 2, '2020-01-02', 'default'), (3, 'c', 3, '2020-01-03', 'other')`)
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(
		"CREATE TABLE IF NOT EXISTS customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, balance NUMERIC, since DATE);\n"), 0o644))
	p := relationalPlan("sqlite:legacy.db", "sqlite:t.db", "table: customers, where: 'tenant = ${scope}'")
	if s := migratePlan(t, dir, p).Steps[0]; s.Read != 2 || s.Written != 2 {
		t.Fatalf("first run: read %d, written %d; want 2, 2", s.Read, s.Written)
	}
	if s := migratePlan(t, dir, p).Steps[0]; s.Read != 0 {
		t.Fatalf("second run: read %d, want 0", s.Read)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "t.db"))
	must(t, err)
	defer db.Close()
	got := testenv.Rows(t, db, "SELECT id, name, balance, CAST(since AS TEXT) FROM customers ORDER BY id")
	if diff := cmp.Diff([]string{"1 a 1.5 2020-01-01", "2 b 2 2020-01-02"}, got); diff != "" {
		t.Errorf("target rows (-want +got):\n%s", diff)
	}
}
