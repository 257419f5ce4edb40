package migrations_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
	"github.com/decanthq/decant/sqlite"
)

// Ensure Open opens SQLite as the store does (sqlite.OpenDB), and
// OpenExisting refuses a missing file without creating it.
//
// Failed before: Open had its own pragmas (no synchronous NORMAL) and
// nothing but the CLI refused a missing file.
func TestOpenSQLiteAsTheStore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	if _, err := migrations.OpenExisting("sqlite:" + missing); !errors.Is(err, sqlite.ErrNoFile) {
		t.Errorf("OpenExisting of a missing file: %v, want sqlite.ErrNoFile", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenExisting created the file (stat: %v)", err)
	}
	db, err := migrations.Open("sqlite:" + filepath.Join(dir, "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sync, journal string
	if err := db.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil || sync != "1" {
		t.Errorf("PRAGMA synchronous = %q, %v; want 1 (NORMAL), as the store has it", sync, err)
	}
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&journal); err != nil || journal != "wal" {
		t.Errorf("PRAGMA journal_mode = %q, %v; want wal", journal, err)
	}
	if d, err := migrations.DialectOf(db); d != migrations.SQLite || err != nil {
		t.Errorf("DialectOf = %q, %v; want sqlite", d, err)
	}
	existing, err := migrations.OpenExisting("sqlite:" + filepath.Join(dir, "a.db"))
	if err != nil {
		t.Fatalf("OpenExisting of a file that exists: %v", err)
	}
	existing.Close()
}

// Ensure DialectOf tells a PostgreSQL handle from Open.
func TestOpenPostgresDialect(t *testing.T) {
	t.Parallel()
	db, err := migrations.OpenExisting(testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if d, err := migrations.DialectOf(db); d != migrations.Postgres || err != nil {
		t.Errorf("DialectOf = %q, %v; want postgres", d, err)
	}
}
