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
