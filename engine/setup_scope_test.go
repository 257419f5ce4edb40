package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant/engine"
)

// Ensure a setup script that puts ${scope} in a quoted name is refused,
// naming the file, before it runs: a bound scope cannot name a table, and
// the name would have been the same nonsense for every scope.
func TestSetupScopeInAName(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1, "people: [person]", nil)
	must(t, os.WriteFile(filepath.Join(f.dir, "schema.sql"), []byte(`CREATE TABLE IF NOT EXISTS "t_${scope}" (id INTEGER);`), 0o644))
	_, err := engine.Run(context.Background(), f.config(t), nil)
	if err == nil || !strings.Contains(err.Error(), `setup schema.sql: ${scope} in the quoted name "t_${scope}"`) {
		t.Fatalf("err = %v, want the setup script refused", err)
	}
	if got := f.query(t, `SELECT count(*) FROM sqlite_master WHERE name LIKE 't_%'`); got != "0" {
		t.Errorf("%s tables named t_..., want none", got)
	}
}
