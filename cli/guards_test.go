package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant/internal/testenv"
)

// The variables of these tests' guards are named for them, so that no
// environment sets them by chance: unset, a required one refuses.
const (
	allowVar   = "DECANT_TEST_GUARDS_ALLOW"
	protectVar = "DECANT_TEST_GUARDS_ENV"
	guards     = "guards:\n  require: {" + allowVar + ": \"true\"}\n  protect: {" + protectVar + ": [production]}\n"
)

// Ensure every command that writes is refused while a required variable
// is unset, naming it and its expected value, and before any connection
// opens: the target here answers nobody, and the error is the guard's.
func TestGuards_RefuseEveryWrite(t *testing.T) {
	t.Parallel()
	s := newICMS(t, "postgres://decant@127.0.0.1:1/none?connect_timeout=1", guards)
	snapshots := t.TempDir()
	for _, args := range [][]string{
		{"migrate"},
		{"migrate", "--start", "ia.2"},
		{"migrate", "--scopes", ":a:b"},
		{"reset", "--scopes", ":a:b", "--yes"},
		{"errors", "retry"},
		{"errors", "resolve", "1", "--reason", "x"},
		{"patch", "--all", "--reason", "x"},
		{"patch", "revert", "1", "--reason", "x"},
		{"unfinish"},
		{"commit", "--yes"},
		{"reset", "--yes"},
		{"reset", "--group", "ia", "--yes"},
		{"db", "up"},
		{"db", "down", "--to", "0", "--yes"},
		{"db", "baseline", "1"},
		{"db", "redo", "--since-release", "1.0.0"},
		{"db", "accept-checksum", "1", "--reason", "x"},
		{"snapshot", "load", "s1", "--release", "1.0.0", "--dir", snapshots, "--yes"},
	} {
		r := run(t, append(args, "-c", s.plan)...)
		want := "refused by the plan's guards: " + allowVar + ` must be "true", and it is not set`
		if r.code == 0 || strings.Count(r.stderr, want) != 1 || !strings.Contains(r.stderr, strings.Join(args[:1], " ")) {
			t.Errorf("decant %s: want it refused with %q:\n%s", strings.Join(args, " "), want, r)
		}
	}
}

// Ensure reading commands ignore the guards: they run on a target that a
// plan without guards migrated, while the required variable is unset.
func TestGuards_ReadsIgnoreThem(t *testing.T) {
	t.Parallel()
	s := newICMS(t, "", guards)
	src, err := os.ReadFile(s.plan)
	if err != nil {
		t.Fatal(err)
	}
	open := filepath.Join(s.dir, "open.yaml")
	if err := os.WriteFile(open, []byte(strings.Replace(string(src), guards, "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "migrate", "-c", open)
	for _, args := range [][]string{
		{"status"}, {"stats"}, {"check"}, {"errors", "list"}, {"verify"}, {"verify", "--only", "ia"}, {"diffs"},
		{"db", "status"}, {"migrate", "--dry-run"},
	} {
		mustRun(t, append(args, "-c", s.plan)...)
	}
	// check tells which gates are up.
	r := mustRun(t, "check", "-c", s.plan)
	if want := "note guards: every command that writes is refused by the plan's guards: " + allowVar + ` must be "true", and it is not set`; !strings.Contains(r.stdout, want) {
		t.Errorf("check does not say the writes are refused (%q):\n%s", want, r)
	}
	var doc struct {
		Guards struct {
			Writes    string `json:"writes"`
			Protected string `json:"protected"`
		} `json:"guards"`
	}
	decodeJSON(t, mustRun(t, "check", "-c", s.plan, "--json"), &doc)
	if !strings.Contains(doc.Guards.Writes, allowVar) || doc.Guards.Protected != "" {
		t.Errorf("check --json guards = %+v, want writes refused naming %s and no protection", doc.Guards, allowVar)
	}
}

// Ensure that with the required variable set a command runs, and that a
// destructive one in a protected environment needs --yes: db down, db
// redo and snapshot load (reset needs --yes off a terminal anyway).
func TestGuards_ProtectedNeedsYes(t *testing.T) {
	t.Setenv(allowVar, "true")
	t.Setenv(protectVar, "Production")
	s := newICMS(t, "", guards)
	mustRun(t, "migrate", "-c", s.plan)
	if r := mustRun(t, "check", "-c", s.plan); !strings.Contains(r.stdout, "ok   guards: the commands that write may run here") ||
		!strings.Contains(r.stdout, "note guards: a protected environment ("+protectVar+"=Production)") {
		t.Errorf("check does not report the guards:\n%s", r)
	}
	snapshots := t.TempDir()
	mustRun(t, "snapshot", "save", "s1", "-c", s.plan, "--release", "1.0.0", "--dir", snapshots)
	for _, args := range [][]string{
		{"db", "down", "--to", "0"},
		{"db", "redo", "--since-release", "0.1.0"},
		{"snapshot", "load", "s1", "--release", "1.0.0", "--dir", snapshots},
	} {
		r := run(t, append(args, "-c", s.plan)...)
		want := " refused: this is a protected environment (" + protectVar + "=Production, plan key guards.protect): confirm with --yes"
		if r.code != 2 || !strings.Contains(r.stderr, strings.Join(args[:2], " ")+want) {
			t.Errorf("decant %s: want exit 2 and %q:\n%s", strings.Join(args, " "), want, r)
		}
	}
	if got := s.filled(t); got != "users,countries,units,apps,app_goods,app_notes,tasks" {
		t.Fatalf("a refused destructive command changed the target: filled %s", got)
	}
	mustRun(t, "snapshot", "load", "s1", "-c", s.plan, "--release", "1.0.0", "--dir", snapshots, "--yes")
	mustRun(t, "reset", "-c", s.plan, "--yes", "--group", "user")
	if got := s.filled(t); got != "countries,units,apps,app_goods,app_notes,tasks" {
		t.Errorf("reset --group user --yes in a protected environment: filled %s", got)
	}
	mustRun(t, "reset", "-c", s.plan, "--yes")
	mustRun(t, "db", "down", "--to", "0", "-c", s.plan, "--yes")
	if got := queryRows(t, s.db, "SELECT count(*) FROM sqlite_master WHERE name = 'users'"); got != "0" {
		t.Errorf("db down --to 0 --yes left table users")
	}
}

// Ensure that in a protected environment migrate is destructive when a
// table it writes holds rows decant did not write: refused without --yes,
// naming the table, before it writes; with --yes it runs. A table that
// holds decant's rows only needs nothing.
func testGuardsForeignRows(t *testing.T, target string) {
	t.Setenv(allowVar, "true")
	t.Setenv(protectVar, "production")
	s := newICMS(t, target, guards)
	mustRun(t, "migrate", "-c", s.plan, "--only", "u") // decant's rows only, so no question
	mustRun(t, "migrate", "-c", s.plan, "--only", "u")
	execSQL(t, s.db, "INSERT INTO countries (id) VALUES (99)")
	r := run(t, "migrate", "-c", s.plan)
	want := "migrate (table countries holds rows, and decant has written none to it) refused: this is a protected environment (" + protectVar + "=production"
	if r.code != 2 || !strings.Contains(r.stderr, want) {
		t.Fatalf("migrate into a table of foreign rows: want exit 2 and %q:\n%s", want, r)
	}
	if got := s.filled(t); got != "users,countries" {
		t.Errorf("the refused run wrote: filled %s", got)
	}
	mustRun(t, "migrate", "-c", s.plan, "--yes")
	r = run(t, "migrate", "-c", s.plan)
	if want := "table countries holds more rows than the 3 decant wrote to it"; r.code != 2 || !strings.Contains(r.stderr, want) {
		t.Errorf("migrate again, the foreign row still there: want exit 2 and %q:\n%s", want, r)
	}
	t.Setenv(protectVar, "staging")
	mustRun(t, "migrate", "-c", s.plan) // not protected: no question
}

func TestGuardsForeignRows_SQLite(t *testing.T) { testGuardsForeignRows(t, "") }

func TestGuardsForeignRows_Postgres(t *testing.T) { testGuardsForeignRows(t, testenv.Postgres(t)) }
