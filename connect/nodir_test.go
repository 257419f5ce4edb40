package connect_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/sqlite"
)

// Ensure a SQLite target in a directory that does not exist is refused by
// the read commands' opener (check) and by migrate's with the directory to
// create, and that neither advises `decant migrate`, which cannot help.
//
// Failed before the fix: check said "run `decant migrate` to create the
// database", and migrate then failed with "sqlite: ping: unable to open
// database file (14)".
func TestStore_MissingDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "connections:\n  target: sqlite:nope/x.db\n  data: file:data.jsonl\nsteps:\n  - name: a\n    from: {connection: data, key: id}\n    key: id\n    to: {table: a}\n    map: {id: record.id}\n"
	p, err := plan.Parse(filepath.Join(dir, "decant.yaml"), []byte(src), plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "directory " + filepath.Join(dir, "nope") + " does not exist"
	for name, open := range map[string]func(context.Context, *plan.Plan) (any, error){
		"ExistingStore": func(ctx context.Context, p *plan.Plan) (any, error) { return connect.ExistingStore(ctx, p) },
		"Store":         func(ctx context.Context, p *plan.Plan) (any, error) { return connect.Store(ctx, p) },
	} {
		_, err := open(context.Background(), p)
		if !errors.Is(err, sqlite.ErrNoDir) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "create it first") {
			t.Errorf("%s = %v, want %q and advice to create it", name, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "decant migrate") {
			t.Errorf("%s advises migrate, which does not create directories: %v", name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "nope")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the directory was created (stat: %v)", err)
	}
}
