package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant/sqlite"
)

// Ensure a database path in a directory that does not exist is refused up
// front, naming the directory and the path and saying to create it, by
// Open and OpenDB, whether or not the file must exist, and never as
// ErrNoFile (whose advice, to run migrate, cannot help: migrate does not
// create directories).
//
// Failed before the fix: Open returned a store whose first use failed
// with the driver's "sqlite: ping: unable to open database file (14)",
// which names neither the path nor the fix.
func TestOpenMissingDirectory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "nope")
	path := filepath.Join(dir, "x.db")
	want := "sqlite: directory " + dir + " does not exist (for database " + path + "); create it first"
	for _, cfg := range []sqlite.Config{{}, {MustExist: true}} {
		s, err := sqlite.Open(ctx, "sqlite:"+path, cfg)
		if err == nil {
			s.Close()
		}
		if !errors.Is(err, sqlite.ErrNoDir) || errors.Is(err, sqlite.ErrNoFile) || err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Open (MustExist %v) = %v, want ErrNoDir with %q", cfg.MustExist, err, want)
		}
		db, err := sqlite.OpenDB(path, cfg)
		if err == nil {
			db.Close()
		}
		if !errors.Is(err, sqlite.ErrNoDir) {
			t.Errorf("OpenDB (MustExist %v) = %v, want ErrNoDir", cfg.MustExist, err)
		}
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the directory was created (stat: %v)", err)
	}

	// A file where the directory should be is named as such.
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := sqlite.Open(ctx, filepath.Join(file, "x.db"), sqlite.Config{})
	if err == nil || !strings.Contains(err.Error(), file+" is not a directory") {
		t.Errorf("Open under a file = %v, want %q", err, file+" is not a directory")
	}

	// A path in a directory that exists opens.
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ok.db"), sqlite.Config{})
	if err != nil {
		t.Fatalf("Open in an existing directory: %v", err)
	}
	s.Close()
}
