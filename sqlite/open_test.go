package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant/sqlite"
)

// Ensure Open with MustExist refuses a missing file without creating it,
// naming the path, and opens an existing one, whatever characters a file:
// URI would read otherwise ('%', '#', spaces) its path holds.
func TestOpenMustExist(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, name := range []string{"plain.db", "with space.db", "per%41cent.db", "hash#tag.db"} {
		path := filepath.Join(t.TempDir(), name)
		_, err := sqlite.Open(ctx, "sqlite:"+path, sqlite.Config{MustExist: true})
		if !errors.Is(err, sqlite.ErrNoFile) || !strings.Contains(err.Error(), "no such database file: "+path) {
			t.Errorf("%s: open of a missing file: %v", name, err)
		}
		if _, serr := os.Stat(path); !errors.Is(serr, os.ErrNotExist) {
			t.Fatalf("%s: open with MustExist created the file (stat: %v)", name, serr)
		}
		s, err := sqlite.Open(ctx, path, sqlite.Config{})
		if err != nil {
			t.Fatalf("%s: create: %v", name, err)
		}
		if _, err := s.DB().Exec("CREATE TABLE t (x int); INSERT INTO t VALUES (7)"); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s, err = sqlite.Open(ctx, path, sqlite.Config{MustExist: true})
		if err != nil {
			t.Fatalf("%s: open of an existing file: %v", name, err)
		}
		var x int
		if err := s.DB().QueryRow("SELECT x FROM t").Scan(&x); err != nil || x != 7 {
			t.Errorf("%s: read back %d, %v; want 7 from the same file", name, x, err)
		}
		s.Close()
	}
	dir := t.TempDir()
	if _, err := sqlite.Open(ctx, dir, sqlite.Config{MustExist: true}); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("open of a directory: %v", err)
	}
}

// Ensure OpenDB gives a handle the settings the store's own handle has:
// WAL, foreign keys, synchronous FULL (NORMAL when the URL says so), the
// busy timeout, and transactions that take the write lock at BEGIN.
//
// Before OpenDB, migrations.Open opened SQLite with pragmas of its own,
// without synchronous NORMAL: `decant db` and snapshots wrote the same file
// under other settings than migrate.
func TestOpenDBSettings(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "a.db")
	db, err := sqlite.OpenDB("sqlite:"+path, sqlite.Config{BusyTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for pragma, want := range map[string]string{
		"journal_mode": "wal", "foreign_keys": "1", "synchronous": "2", "busy_timeout": "50",
	} {
		var got string
		if err := db.QueryRow("PRAGMA " + pragma).Scan(&got); err != nil || got != want {
			t.Errorf("PRAGMA %s = %q, %v; want %q", pragma, got, err, want)
		}
	}
	for url, want := range map[string]string{"sqlite:" + path + "?synchronous=normal": "1", path + "?synchronous=FULL": "2"} {
		db, err := sqlite.OpenDB(url, sqlite.Config{})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if err := db.QueryRow("PRAGMA synchronous").Scan(&got); err != nil || got != want {
			t.Errorf("%s: PRAGMA synchronous = %q, %v; want %q", url, got, err, want)
		}
		db.Close()
	}
	// BEGIN IMMEDIATE: a second writer waits at BEGIN, and gives up there
	// after the busy timeout, not at its first write.
	other, err := sqlite.OpenDB(path, sqlite.Config{BusyTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if tx2, err := other.Begin(); err == nil {
		tx2.Rollback()
		t.Error("a second transaction began while the first held the write lock: want BEGIN IMMEDIATE")
	}
}

// Ensure OpenDB reads the path forms of decant's URLs, refuses what is not
// a database file, and with MustExist creates nothing.
func TestOpenDBPaths(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, p := range []string{dir + "/plain.db", "sqlite:" + dir + "/url.db", "sqlite://" + dir + "/slashes.db"} {
		db, err := sqlite.OpenDB(p, sqlite.Config{})
		if err != nil {
			t.Fatalf("OpenDB(%s): %v", p, err)
		}
		if err := db.Ping(); err != nil {
			t.Errorf("OpenDB(%s): ping: %v", p, err)
		}
		db.Close()
	}
	for _, name := range []string{"plain.db", "url.db", "slashes.db"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s not created: %v", name, err)
		}
	}
	db, err := sqlite.OpenDB("sqlite:"+dir+"/opt.db?synchronous=normal", sqlite.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(); err != nil {
		t.Errorf("OpenDB with synchronous=normal: ping: %v", err)
	}
	db.Close()
	if _, err := os.Stat(filepath.Join(dir, "opt.db")); err != nil {
		t.Errorf("opt.db not created: %v", err)
	}
	for _, p := range []string{"", "sqlite:", "sqlite:a.db?mode=ro", ":memory:", "sqlite:a.db?", "sqlite:a.db?synchronous=off",
		"sqlite:a.db?synchronous=full&synchronous=normal", "sqlite:a.db?synchronous=normal&x=1", "sqlite:a?b.db?synchronous=full"} {
		if db, err := sqlite.OpenDB(p, sqlite.Config{}); err == nil {
			db.Close()
			t.Errorf("OpenDB(%q) succeeded, want a refusal", p)
		}
	}
	_, err = sqlite.OpenDB("sqlite:"+dir+"/missing.db", sqlite.Config{MustExist: true})
	if !errors.Is(err, sqlite.ErrNoFile) {
		t.Errorf("OpenDB of a missing file with MustExist: %v, want ErrNoFile", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenDB with MustExist created the file (stat: %v)", err)
	}
}

// Ensure IsDB and TableExists tell a SQLite handle and its tables without
// creating anything.
func TestTableExists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.OpenDB(filepath.Join(t.TempDir(), "t.db"), sqlite.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if !sqlite.IsDB(db) {
		t.Error("IsDB of an OpenDB handle = false")
	}
	if ok, err := sqlite.TableExists(ctx, db, "decant_schema"); ok || err != nil {
		t.Errorf("TableExists in an empty database = %t, %v", ok, err)
	}
	if _, err := db.Exec("CREATE TABLE decant_schema (version INTEGER)"); err != nil {
		t.Fatal(err)
	}
	if ok, err := sqlite.TableExists(ctx, db, "decant_schema"); !ok || err != nil {
		t.Errorf("TableExists after CREATE TABLE = %t, %v", ok, err)
	}
}
