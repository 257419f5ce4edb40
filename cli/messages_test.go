package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Ensure status says when the scope has nothing, rather than print an
// empty table that hides a mistyped --scope; --json stays a list.
func TestStatusOfAnEmptyScope(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	mustRun(t, "migrate", "-c", s.plan)
	r := mustRun(t, "status", "--scope", "nope", "-c", s.plan)
	if r.stdout != "scope nope: nothing migrated yet\n" {
		t.Errorf("status --scope nope: want one line saying nothing was migrated:\n%s", r)
	}
	if r := mustRun(t, "status", "--scope", "nope", "--json", "-c", s.plan); strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("status --scope nope --json: want []:\n%s", r)
	}
	if r := mustRun(t, "status", "-c", s.plan); !strings.Contains(r.stdout, "STEP") || !strings.Contains(r.stdout, "orders") {
		t.Errorf("status of the migrated scope: want the table:\n%s", r)
	}
}

// Ensure the examples of docs/commands.md that show a command and what it
// prints are what decant prints: each "$ decant ..." line of a code block
// is run, and the lines after it, up to the block's end, are compared with
// its output. The typo example once listed "list, retry, show" without
// resolve.
func TestCommandsDocExamples(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("..", "docs", "commands.md"))
	if err != nil {
		t.Fatal(err)
	}
	example := regexp.MustCompile("(?m)^\\$ decant ([^\\n]*)\\n((?:[^`\\n][^\\n]*\\n)*)```")
	found := 0
	for _, m := range example.FindAllStringSubmatch(string(doc), -1) {
		found++
		args, want := strings.Fields(m[1]), m[2]
		r := run(t, args...)
		if got := r.stdout + r.stderr; got != want {
			t.Errorf("docs/commands.md shows `decant %s` printing:\n%s\nit prints:\n%s", m[1], want, r)
		}
	}
	if found == 0 {
		t.Fatal("docs/commands.md has no `$ decant ...` example; the pattern no longer matches it")
	}
}
