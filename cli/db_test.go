package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
)

// Ensure the db commands drive the migrations package end to end: up,
// status (text and JSON), an edit refused then accepted, a failure with
// its file and line, and flags checked before anything connects.
func TestDBCommands(t *testing.T) {
	for name, url := range map[string]string{"postgres": testenv.Postgres(t), "sqlite": testenv.SQLite(t)} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write := func(file, text string) {
				t.Helper()
				if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("0001_a.sql", "-- decant:release 1.0.0\nCREATE TABLE a (x integer);\n")
			write("0002_b.sql", "-- decant:release 1.1.0\nINSERT INTO a VALUES (1);\n")
			db := []string{"db", "--database", url, "--dir", dir}
			r := mustRun(t, append(db, "up", "--release", "1.0.0")...)
			if !strings.Contains(r.stdout, "applying 0001_a.sql") || !strings.Contains(r.stdout, "1 applied, 1 pending") {
				t.Errorf("up --release 1.0.0:\n%s", r)
			}
			mustRun(t, append(db, "up")...)
			var st []migrations.Status
			decodeJSON(t, mustRun(t, append(db, "status", "--json")...), &st)
			if len(st) != 2 || st[0].State != migrations.StateApplied || st[1].State != migrations.StateApplied || st[1].Release != "1.1.0" {
				t.Errorf("status --json: %+v", st)
			}
			write("0002_b.sql", "-- decant:release 1.1.0\nINSERT INTO a VALUES (2);\n")
			r = run(t, append(db, "up")...)
			if r.code != 1 || !strings.Contains(r.stderr, "0002_b.sql: applied with checksum") {
				t.Errorf("up after an edit:\n%s", r)
			}
			if r := mustRun(t, append(db, "status")...); !strings.Contains(r.stdout, "drifted") {
				t.Errorf("status after an edit:\n%s", r)
			}
			if r := run(t, append(db, "accept-checksum", "2")...); r.code == 0 || !strings.Contains(r.stderr, "reason is required") {
				t.Errorf("accept-checksum without --reason:\n%s", r)
			}
			mustRun(t, append(db, "accept-checksum", "2", "--reason", "typo")...)
			write("0003_c.sql", "SELECT 1;\nSELECT nosuch FROM a;\n")
			r = run(t, append(db, "up")...)
			if r.code != 1 || !strings.Contains(r.stderr, "0003_c.sql failed at line 2") {
				t.Errorf("a failing migration:\n%s", r)
			}
			if r := mustRun(t, append(db, "status")...); !strings.Contains(r.stdout, "0003_c.sql failed:") {
				t.Errorf("status after a failure:\n%s", r)
			}

			// down: refused while 0002 has no down section, then done.
			write("0003_c.sql", "CREATE TABLE c (y integer);\n-- decant:down\nDROP TABLE c;\n")
			mustRun(t, append(db, "up")...)
			if r := run(t, append(db, "down")...); r.code != 2 || !strings.Contains(r.stderr, `"to" not set`) {
				t.Errorf("down without --to:\n%s", r)
			}
			if r := run(t, append(db, "down", "--to", "0")...); r.code != 1 || !strings.Contains(r.stderr, "0002_b.sql has no down section") {
				t.Errorf("down over a migration without a down section:\n%s", r)
			}
			r = mustRun(t, append(db, "down", "--to", "2")...)
			if !strings.Contains(r.stdout, "reverting 0003_c.sql") || !strings.Contains(r.stdout, "1 reverted") {
				t.Errorf("down --to 2:\n%s", r)
			}
			decodeJSON(t, mustRun(t, append(db, "status", "--json")...), &st)
			if len(st) != 3 || st[2].State != migrations.StatePending {
				t.Errorf("status after down: %+v", st)
			}
			if r := mustRun(t, append(db, "down", "--to", "2")...); !strings.Contains(r.stdout, "nothing to revert") {
				t.Errorf("down with nothing to revert:\n%s", r)
			}
		})
	}
	for _, tt := range []struct{ args, want string }{
		{"db up --dir /nonexistent --database sqlite:x.db", "--dir /nonexistent: no such directory"},
		{"db up --dir . --database mysql://x", "must start with postgres://"},
		{"db up --dir . --database sqlite:x.db --lock nope", `--lock "nope"`},
		{"db baseline zero --dir . --database sqlite:x.db", `"zero" is not a migration number`},
	} {
		if r := run(t, strings.Fields(tt.args)...); r.code == 0 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("decant %s:\n%s\nwant %q", tt.args, r, tt.want)
		}
	}
}
