package testenv

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { Main(m) }

func TestPostgres(t *testing.T) {
	var first string
	t.Run("fresh", func(t *testing.T) {
		first = Postgres(t)
		second := Postgres(t)
		if first == second {
			t.Fatalf("two calls gave the same database %s", first)
		}
		for _, u := range []string{first, second} {
			if n := pgCount(t, u, "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"); n != 0 {
				t.Errorf("%s has %d tables, want an empty database", u, n)
			}
		}
		pgDo(t, first, "CREATE TABLE t (id int)")
		if n := pgCount(t, second, "SELECT count(*) FROM pg_tables WHERE tablename = 't'"); n != 0 {
			t.Errorf("a table created in one database shows in the other")
		}
	})
	if first == "" {
		t.Skip("no PostgreSQL")
	}
	name := first[strings.LastIndex(first, "/")+1 : strings.Index(first, "?")]
	if n := pgCount(t, pgAdmin, "SELECT count(*) FROM pg_database WHERE datname = '"+name+"'"); n != 0 {
		t.Errorf("database %s still exists after its test ended", name)
	}
}

func TestMySQL(t *testing.T) {
	var first string
	t.Run("fresh", func(t *testing.T) {
		first = MySQL(t)
		second := MySQL(t)
		if first == second {
			t.Fatalf("two calls gave the same database %s", first)
		}
		myDo(t, first, "CREATE TABLE t (id int)")
		for u, want := range map[string]int{first: 1, second: 0} {
			if n := myCount(t, u, "SELECT count(*) FROM information_schema.tables WHERE table_schema = database()"); n != want {
				t.Errorf("%s has %d tables, want %d", u, n, want)
			}
		}
	})
	if first == "" {
		t.Skip("no MariaDB")
	}
	name := first[strings.LastIndex(first, "/")+1:]
	if n := myCount(t, myAdmin, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '"+name+"'"); n != 0 {
		t.Errorf("database %s still exists after its test ended", name)
	}
}

func TestSQLite(t *testing.T) {
	u := SQLite(t)
	if !strings.HasPrefix(u, "sqlite:/") || !strings.HasSuffix(u, "/test.db") {
		t.Fatalf("SQLite() = %q, want sqlite:<dir>/test.db", u)
	}
	if _, err := os.Stat(strings.TrimSuffix(strings.TrimPrefix(u, "sqlite:"), "test.db")); err != nil {
		t.Fatalf("directory of %s: %v", u, err)
	}
}

// TestThrowawayPostgres starts a cluster of its own, whatever server the
// other tests use, so that the last-resort path is always exercised.
func TestThrowawayPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	if _, err := pgBinDir(); err != nil {
		unavailable(t, "PostgreSQL binaries", err)
	}
	start := time.Now()
	u, stop, err := startPostgresCluster()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("throwaway PostgreSQL at %s in %v", u, time.Since(start).Round(time.Millisecond))
	if n := pgCount(t, u, "SELECT count(*) FROM pg_settings WHERE name = 'fsync' AND setting = 'off'"); n != 1 {
		t.Errorf("fsync is not off")
	}
	dir := pgDataDir(t, u)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("data directory %s remains after stop: %v", dir, err)
	}
	if answers(strings.TrimSuffix(strings.TrimPrefix(u, "postgres://postgres@"), "/postgres?sslmode=disable")) {
		t.Errorf("server still answers after stop")
	}
}

func TestThrowawayMariaDB(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	if _, err := lookPath("mariadbd"); err != nil {
		unavailable(t, "MariaDB binaries", err)
	}
	start := time.Now()
	u, stop, err := startMariaDBServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("throwaway MariaDB at %s in %v", u, time.Since(start).Round(time.Millisecond))
	if n := myCount(t, u, "SELECT 1"); n != 1 {
		t.Errorf("SELECT 1 = %d", n)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if answers(strings.TrimSuffix(strings.TrimPrefix(u, "mysql://root@"), "/")) {
		t.Errorf("server still answers after stop")
	}
}

func pgConn(t *testing.T, u string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	return conn
}

func pgDo(t *testing.T, u, query string) {
	t.Helper()
	if _, err := pgConn(t, u).Exec(context.Background(), query); err != nil {
		t.Fatal(err)
	}
}

func pgCount(t *testing.T, u, query string) int {
	t.Helper()
	var n int
	if err := pgConn(t, u).QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func pgDataDir(t *testing.T, u string) string {
	t.Helper()
	var dir string
	if err := pgConn(t, u).QueryRow(context.Background(), "SHOW data_directory").Scan(&dir); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(dir, "/data")
}

func myDB(t *testing.T, u string) *sql.DB {
	t.Helper()
	d, err := dsn(u)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("mysql", d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func myDo(t *testing.T, u, query string) {
	t.Helper()
	if _, err := myDB(t, u).Exec(query); err != nil {
		t.Fatal(err)
	}
}

func myCount(t *testing.T, u, query string) int {
	t.Helper()
	var n int
	if err := myDB(t, u).QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
