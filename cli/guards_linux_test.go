//go:build linux

package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/decanthq/decant/cli"
)

// onTerminal runs decant as on a terminal: its stdin and stdout are a
// pseudo-terminal on which typed is typed, while what it prints (cli.Main
// writes to the writers it is given) is kept apart, as a person's shell
// would pipe it. It swaps os.Stdin and os.Stdout: callers do not run in
// parallel.
func onTerminal(t *testing.T, typed string, args ...string) result {
	t.Helper()
	master, slave := ptyPair(t)
	if _, err := master.WriteString(typed); err != nil {
		t.Fatal(err)
	}
	in, out := os.Stdin, os.Stdout
	os.Stdin, os.Stdout = slave, slave
	defer func() { os.Stdin, os.Stdout = in, out }()
	return run(t, args...)
}

// Ensure that on a terminal, in a protected environment, reset, db down
// and snapshot load under --json ask for the environment's name on
// stderr, so that stdout is their JSON alone.
func TestGuards_ProtectedPromptOnStderrUnderJSON(t *testing.T) {
	t.Setenv(allowVar, "true")
	t.Setenv(protectVar, "production")
	s := newICMS(t, "", guards)
	mustRun(t, "migrate", "-c", s.plan)
	snapshots := t.TempDir()
	mustRun(t, "snapshot", "save", "s1", "-c", s.plan, "--release", "1.0.0", "--dir", snapshots)
	for _, args := range [][]string{
		{"reset", "--group", "u"},
		{"snapshot", "load", "s1", "--release", "1.0.0", "--dir", snapshots},
		{"reset"},
		{"db", "down", "--to", "0"},
	} {
		r := onTerminal(t, "production\n", append(args, "-c", s.plan, "--yes", "--json")...)
		what := strings.Join(args[:1], " ")
		if args[0] != "reset" {
			what = strings.Join(args[:2], " ")
		}
		prompt := what + " in the protected environment production (" + protectVar + "): type production to go on"
		var v any
		if r.code != 0 || !strings.Contains(r.stderr, prompt) || strings.Contains(r.stdout, "protected") || json.Unmarshal([]byte(r.stdout), &v) != nil {
			t.Errorf("decant %s --yes --json on a terminal: want exit 0, the question %q on stderr, and JSON alone on stdout:\n%s", strings.Join(args, " "), prompt, r)
		}
	}
}

// Ensure reset --migrations on a terminal says, when it asks, that it
// will then revert the migrations (dropping the schema); told no, it does
// nothing.
func TestResetMigrations_AsksOnTerminal(t *testing.T) {
	s := newICMS(t, "", "")
	mustRun(t, "migrate", "-c", s.plan)
	r := onTerminal(t, "n\n", "reset", "-c", s.plan, "--migrations")
	want := "reset scope default: delete 21 rows of 21 records in tables app_goods, app_notes, apps, countries, tasks, units, users, " +
		"then revert 1 migration(s), dropping the schema they made? [y/N] "
	if r.code != 1 || !strings.Contains(r.stdout, want) {
		t.Errorf("reset --migrations on a terminal, answered n: want exit 1 and %q:\n%s", want, r)
	}
	if got := s.filled(t); got != "users,countries,units,apps,app_goods,app_notes,tasks" {
		t.Errorf("a declined reset deleted rows: filled %s", got)
	}
}

// Ensure commit on a terminal, refused by the plan's guards, is refused
// before it asks for the scope's name.
func TestCommit_GuardsBeforeTheQuestion(t *testing.T) {
	t.Parallel()
	s := newICMS(t, "", guards)
	master, slave := ptyPair(t)
	if _, err := master.WriteString("default\n"); err != nil { // what a commit asking first would read
		t.Fatal(err)
	}
	var out, errw bytes.Buffer
	o := cli.LifecycleOpts{Common: cli.Common{Config: s.plan, Scope: "default"}, In: slave}
	_, err := cli.RunCommit(context.Background(), o, &out, &errw)
	if err == nil || !strings.Contains(err.Error(), "commit refused by the plan's guards: "+allowVar) || errw.Len() > 0 {
		t.Errorf("commit on a terminal with %s unset = %v, want the guards' refusal and no question; stderr:\n%s", allowVar, err, errw.String())
	}
}
