package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// snake is the one style of every key decant's --json prints.
var snake = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// Every command that prints JSON, run with --json on a small SQLite plan,
// database and snapshot directory: each output is one JSON document, and
// every object key in it, at any depth, is snake_case. It once mixed
// "Message", "Applied" and "last_cursor".
func TestJSONStyle(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	s.orders(t, 4, 12) // order 10 fails: an error to list, show and retry
	mig := filepath.Join(s.dir, "migrations")
	if err := os.Mkdir(mig, 0o755); err != nil {
		t.Fatal(err)
	}
	s.write(t, "migrations/0001_notes.sql", "CREATE TABLE notes (id integer PRIMARY KEY, body text);\n-- decant:down\nDROP TABLE notes;\n")
	s.write(t, "migrations/0002_tags.sql", "CREATE TABLE tags (id integer PRIMARY KEY);\n-- decant:down\nDROP TABLE tags;\n")
	snaps := filepath.Join(s.dir, "snapshots")
	c := []string{"-c", s.plan}
	db := []string{"--database", s.db, "--dir", mig}
	snap := []string{"--database", s.db, "--dir", snaps, "--release", "1.0.0", "--migrations", mig}

	var errorID string
	for _, tc := range []struct {
		name string
		args []string
		// exit is the expected exit code (check finds problems: 2).
		exit int
	}{
		{name: "init", args: []string{"init", filepath.Join(s.dir, "new.yaml")}},
		{name: "migrate", args: append([]string{"migrate"}, c...)},
		{name: "migrate --dry-run", args: append([]string{"migrate", "--dry-run"}, c...)},
		{name: "status", args: append([]string{"status"}, c...)},
		{name: "errors list", args: append([]string{"errors", "list", "--all"}, c...)},
		{name: "errors show", args: append([]string{"errors", "show", "ID"}, c...)},
		{name: "errors retry", args: append([]string{"errors", "retry"}, c...)},
		{name: "errors resolve", args: append([]string{"errors", "resolve", "ID", "--reason", "fixed at the source"}, c...)},
		{name: "check", args: append([]string{"check"}, c...)},
		{name: "verify", args: append([]string{"verify"}, c...)},
		{name: "diffs", args: append([]string{"diffs"}, c...)},
		{name: "stats", args: append([]string{"stats"}, c...)},
		{name: "migrate --scopes", args: append([]string{"migrate", "--scopes", ":a:b", "--parallel", "2"}, c...)},
		{name: "verify --scopes", args: append([]string{"verify", "--scopes", ":a:b"}, c...)},
		{name: "status --scopes", args: append([]string{"status", "--scopes", ":a:b"}, c...)},
		{name: "stats --scopes", args: append([]string{"stats", "--scopes", ":a:b"}, c...)},
		// A scope without a checkpoint previews from the start; order 10 fails.
		{name: "preview", args: append([]string{"preview", "orders", "-n", "12", "--scope", "fresh"}, c...)},
		{name: "preview past the end", args: append([]string{"preview", "events", "-n", "2"}, c...)},
		{name: "db up", args: append([]string{"db", "up"}, db...)},
		{name: "db status", args: append([]string{"db", "status"}, db...)},
		{name: "db down", args: append([]string{"db", "down", "--to", "1"}, db...)},
		{name: "snapshot save", args: append([]string{"snapshot", "save", "one"}, snap[:len(snap)-2]...)},
		{name: "snapshot list", args: []string{"snapshot", "list", "--dir", snaps}},
		{name: "snapshot verify", args: []string{"snapshot", "verify", "one", "--dir", snaps}},
		{name: "snapshot load", args: append([]string{"snapshot", "load", "one"}, snap...)},
	} {
		args := append([]string{"--json"}, tc.args...)
		for i, a := range args {
			if a == "ID" {
				args[i] = errorID
			}
		}
		r := run(t, args...)
		if r.code != tc.exit {
			t.Errorf("decant %s: want exit %d:\n%s", strings.Join(args, " "), tc.exit, r)
			continue
		}
		var doc any
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		if err := dec.Decode(&doc); err != nil || dec.More() {
			t.Errorf("decant %s: stdout is not one JSON document (%v):\n%s", strings.Join(args, " "), err, r)
			continue
		}
		for _, k := range badKeys(doc, "") {
			t.Errorf("%s --json: key %s is not snake_case", tc.name, k)
		}
		if tc.name == "errors list" {
			errorID = firstErrorID(t, doc)
		}
	}
}

// badKeys returns the path of every object key under v that is not
// snake_case.
func badKeys(v any, path string) []string {
	var bad []string
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if !snake.MatchString(k) {
				bad = append(bad, path+"."+k)
			}
			bad = append(bad, badKeys(e, path+"."+k)...)
		}
	case []any:
		for i, e := range v {
			bad = append(bad, badKeys(e, path+"["+strconv.Itoa(i)+"]")...)
		}
	}
	return bad
}

func firstErrorID(t *testing.T, doc any) string {
	t.Helper()
	list, _ := doc.([]any)
	if len(list) == 0 {
		t.Fatalf("errors list --json: no errors in %v", doc)
	}
	id, _ := list[0].(map[string]any)["id"].(float64)
	return strconv.FormatInt(int64(id), 10)
}
