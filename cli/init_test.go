package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant"
)

// Ensure init is not a dead end: the commands it prints, run in order on
// the files it writes, all succeed, and the run loads the sample records.
//
// Failed before the fix: init printed "next: decant check", which failed
// on the fresh plan (its SQLite target did not exist), and check's advice,
// `decant migrate`, failed too: nothing created the table items, and
// data.jsonl did not exist.
func TestInit_NextStepsRun(t *testing.T) {
	t.Setenv("DECANT_TARGET", "") // the plan's default, a SQLite file beside it
	dir := t.TempDir()
	path := filepath.Join(dir, "decant.yaml")
	r := mustRun(t, "init", path)
	var next [][]string
	for _, line := range strings.Split(r.stdout, "\n") {
		if i := strings.Index(line, "decant "); i >= 0 {
			next = append(next, strings.Fields(line[i+len("decant "):]))
		}
	}
	if len(next) == 0 {
		t.Fatalf("init printed no command to run next:\n%s", r.stdout)
	}
	for _, args := range next {
		mustRun(t, args...)
	}
	var status []decant.StepStatus
	decodeJSON(t, mustRun(t, "status", "--json", "-c", path), &status)
	if len(status) != 1 || status[0].Step != "items" || status[0].Written != 3 || status[0].Failed != 0 {
		t.Errorf("status after init's steps = %+v, want 3 items written and none failed", status)
	}
	for _, f := range []string{"setup.sql", "sample.jsonl", "decant.db"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("after init's steps: %v", err)
		}
	}
}

// Ensure init writes nothing when one of its files exists (so it never
// leaves half a starter behind nor replaces the user's setup.sql), and
// --force writes them all; --json lists the files and every next step.
func TestInit_ExistingFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	setup := filepath.Join(dir, "setup.sql")
	if err := os.WriteFile(setup, []byte("-- mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "new.yaml")
	if r := run(t, "init", path); r.code != 1 || !strings.Contains(r.stderr, setup+" exists") {
		t.Errorf("init beside an existing setup.sql: want exit 1 and %q, got %s", setup+" exists", r)
	}
	for _, f := range []string{"new.yaml", "sample.jsonl"} {
		if _, err := os.Stat(filepath.Join(dir, f)); !os.IsNotExist(err) {
			t.Errorf("init that refused wrote %s (stat: %v)", f, err)
		}
	}
	var out struct {
		Path      string   `json:"path"`
		Files     []string `json:"files"`
		Next      string   `json:"next"`
		NextSteps []string `json:"next_steps"`
	}
	decodeJSON(t, mustRun(t, "init", "--force", "--json", path), &out)
	if out.Path != path || len(out.Files) != 3 || len(out.NextSteps) < 2 || out.Next != out.NextSteps[0] ||
		!strings.HasPrefix(out.Next, "decant migrate --dry-run -c ") {
		t.Errorf("init --json = %+v, want the path, 3 files and the next steps", out)
	}
	if b, _ := os.ReadFile(setup); !strings.Contains(string(b), "CREATE TABLE IF NOT EXISTS items") {
		t.Errorf("init --force left setup.sql as %q", b)
	}
}
