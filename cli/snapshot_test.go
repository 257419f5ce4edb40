package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant/cli"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
	"github.com/decanthq/decant/migrations/snapshot"
)

// Ensure the snapshot commands work end to end on both dialects: a
// snapshot of a 1.0.0 database loads into an empty one and the 1.1.0
// migrations are then applied through the real migrations package (and
// not those of 2.0.0); a second load saves a backup first; a newer
// snapshot and a truncated one are refused with the database untouched.
func TestSnapshotCommands(t *testing.T) {
	for name, urls := range map[string][2]string{
		"postgres": {testenv.Postgres(t), testenv.Postgres(t)},
		"sqlite":   {testenv.SQLite(t), testenv.SQLite(t)},
	} {
		t.Run(name, func(t *testing.T) {
			src, dst := urls[0], urls[1]
			migs, snaps := t.TempDir(), filepath.Join(t.TempDir(), "snaps")
			write := func(file, text string) {
				t.Helper()
				if err := os.WriteFile(filepath.Join(migs, file), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("0001_people.sql", "-- decant:release 1.0.0\nCREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL);\n"+
				"INSERT INTO people VALUES (1, 'ann'), (2, 'bob');\n")
			write("0002_email.sql", "-- decant:release 1.1.0\nALTER TABLE people ADD COLUMN email text;\nUPDATE people SET email = name || '@example.org';\n")
			write("0003_later.sql", "-- decant:release 2.0.0\nCREATE TABLE later (x integer);\n")
			mustRun(t, "db", "--database", src, "--dir", migs, "up", "--release", "1.0.0")

			snap := []string{"snapshot", "--dir", snaps}
			r := mustRun(t, append(snap, "save", "s1", "--database", src, "--release", "1.0.0")...)
			if !strings.Contains(r.stdout, "saved snapshot s1") || !strings.Contains(r.stdout, "release 1.0.0") {
				t.Errorf("save:\n%s", r)
			}
			var infos []snapshot.Info
			decodeJSON(t, mustRun(t, append(snap, "list", "--json")...), &infos)
			if len(infos) != 1 || infos[0].Release != "1.0.0" {
				t.Fatalf("list --json: %+v", infos)
			}
			var ledger []migrations.Applied
			if err := json.Unmarshal(infos[0].Ledger, &ledger); err != nil || len(ledger) != 1 || ledger[0].ID != "1" || ledger[0].Release != "1.0.0" {
				t.Errorf("snapshot's ledger = %s (%v)", infos[0].Ledger, err)
			}
			if r := mustRun(t, append(snap, "verify", "s1")...); !strings.Contains(r.stdout, "match their checksums") {
				t.Errorf("verify:\n%s", r)
			}

			// Into an empty database: no backup, then 0002 applied and 0003 left.
			load := append(snap, "load", "s1", "--database", dst, "--migrations", migs, "--release", "1.1.0")
			r = mustRun(t, load...)
			if strings.Contains(r.stdout, "backup") || !strings.Contains(r.stdout, "loaded snapshot s1 (release 1.0.0") ||
				!strings.Contains(r.stdout, "applying 0002_email.sql") || !strings.Contains(r.stdout, "1 migrations applied, 1 pending") {
				t.Errorf("load into an empty database:\n%s", r)
			}
			if got := queryRows(t, dst, "SELECT id, name, email FROM people ORDER BY id"); got != "1 ann ann@example.org\n2 bob bob@example.org" {
				t.Errorf("rows after load and migrate:\n%s", got)
			}
			var st []migrations.Status
			decodeJSON(t, mustRun(t, "db", "--database", dst, "--dir", migs, "status", "--json"), &st)
			if len(st) != 3 || st[0].State != migrations.StateApplied || st[1].State != migrations.StateApplied || st[2].State != migrations.StatePending {
				t.Errorf("status after load: %+v", st)
			}

			// Into a database that holds data: a backup first.
			var lr cli.SnapshotLoadResult
			decodeJSON(t, mustRun(t, append(load, "--json")...), &lr)
			if !strings.HasPrefix(lr.Backup, "backup-") || !lr.Loaded || !lr.Migrated || len(lr.Applied) != 1 || lr.Applied[0].ID != "2" || lr.Pending != 1 {
				t.Errorf("second load: %+v", lr)
			}
			if _, err := snapshot.Verify(snaps, lr.Backup); err != nil {
				t.Errorf("backup %s: %v", lr.Backup, err)
			}

			// A newer snapshot is refused before anything changes; so is a
			// save whose --release is older than the migrations applied.
			mustRun(t, "db", "--database", src, "--dir", migs, "up")
			if r := run(t, append(snap, "save", "s2", "--database", src, "--release", "1.1.0")...); r.code != 1 ||
				!strings.Contains(r.stderr, "--release: ") ||
				!strings.Contains(r.stderr, "release 1.1.0, but the database has migration 3 (later) of release 2.0.0 applied") {
				t.Errorf("save with a release older than the ledger:\n%s", r)
			}
			mustRun(t, append(snap, "save", "s2", "--database", src, "--release", "2.0.0")...)
			marker := func() {
				t.Helper()
				if got := queryRows(t, dst, "SELECT count(*) FROM people WHERE id = 99"); got != "1" {
					t.Errorf("the marker row is gone: a refused load changed the database")
				}
				if got := queryRows(t, dst, "SELECT count(*) FROM decant_migrations"); got != "2" {
					t.Errorf("after a refused load, the ledger holds %s migrations, want 2", got)
				}
			}
			execSQL(t, dst, "INSERT INTO people (id, name) VALUES (99, 'marker')")
			decodeJSON(t, mustRun(t, append(snap, "list", "--json")...), &infos)
			listed := len(infos)
			r = run(t, append(snap, "load", "s2", "--database", dst, "--migrations", migs, "--release", "1.1.0")...)
			if r.code != 1 || !strings.Contains(r.stderr, `snapshot "s2" is from release 2.0.0, newer than this application (1.1.0)`) {
				t.Errorf("load of a newer snapshot:\n%s", r)
			}
			marker()

			// A truncated data file is refused by verify and by load.
			info, err := snapshot.Verify(snaps, "s1")
			if err != nil {
				t.Fatal(err)
			}
			data := filepath.Join(snaps, "s1", filepath.FromSlash(info.Tables[len(info.Tables)-1].File))
			if err := os.Truncate(data, 3); err != nil {
				t.Fatal(err)
			}
			if r := run(t, append(snap, "verify", "s1")...); r.code != 1 || !strings.Contains(r.stderr, "corrupt") {
				t.Errorf("verify of a truncated snapshot:\n%s", r)
			}
			if r := run(t, load...); r.code != 1 || !strings.Contains(r.stderr, "corrupt") || strings.Contains(r.stdout, "backup") {
				t.Errorf("load of a truncated snapshot:\n%s", r)
			}
			marker()
			decodeJSON(t, mustRun(t, append(snap, "list", "--json")...), &infos)
			if len(infos) != listed {
				t.Errorf("refused loads left %d snapshots, want %d (no backup)", len(infos), listed)
			}
		})
	}
}

// Ensure a migration that fails after a load is reported as such: the
// snapshot stays loaded and the backup's name is printed.
func TestSnapshotLoadThenMigrationFails(t *testing.T) {
	url := testenv.SQLite(t)
	migs, snaps := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(migs, "0001_a.sql"), []byte("CREATE TABLE a (x integer);\nINSERT INTO a VALUES (1);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "db", "--database", url, "--dir", migs, "up")
	mustRun(t, "snapshot", "--dir", snaps, "save", "s", "--database", url, "--release", "1.0.0")
	if err := os.WriteFile(filepath.Join(migs, "0002_bad.sql"), []byte("INSERT INTO nosuch VALUES (1);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "snapshot", "--dir", snaps, "load", "s", "--database", url, "--migrations", migs, "--release", "1.0.0")
	if r.code != 1 || !strings.Contains(r.stdout, "saved the database as snapshot backup-") || !strings.Contains(r.stdout, "loaded snapshot s") ||
		!strings.Contains(r.stderr, `snapshot "s" loaded, but migrate`) || !strings.Contains(r.stderr, "0002_bad.sql") {
		t.Errorf("load, then a failing migration:\n%s", r)
	}
	if got := queryRows(t, url, "SELECT count(*) FROM a"); got != "1" {
		t.Errorf("a has %s rows", got)
	}
}

// Ensure bad flags are refused with the flag's name before anything opens.
func TestSnapshotFlags(t *testing.T) {
	t.Setenv("DECANT_DATABASE", "")
	t.Setenv("DECANT_RELEASE", "")
	empty := t.TempDir()
	if r := mustRun(t, "snapshot", "--dir", filepath.Join(empty, "none"), "list"); !strings.Contains(r.stdout, "no snapshots in") {
		t.Errorf("list of a missing directory:\n%s", r)
	}
	if err := os.Mkdir(filepath.Join(empty, "junk"), 0o755); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "snapshot", "--dir", empty, "list"); r.code != 1 || !strings.Contains(r.stderr, "junk") {
		t.Errorf("list of a directory with a non-snapshot:\n%s", r)
	}
	for _, tt := range []struct{ args, want string }{
		{"snapshot save s --release 1.0.0", "--database: give the database URL"},
		{"snapshot save s --database sqlite:x.db", "--release: give the application's release"},
		{"snapshot save s --database sqlite:x.db --release one", `--release "one": not a full semantic version`},
		{"snapshot save s --database sqlite:x.db --release v1.1", `--release "v1.1": not a full semantic version`},
		{"snapshot load s --database sqlite:x.db --release 1.0.0 --migrations /nonexistent", "--migrations /nonexistent: no such directory"},
		{"snapshot load ../s --database sqlite:x.db --release 1.0.0 --dir " + empty, `invalid name "../s"`},
		{"snapshot load nosuch --database sqlite:" + filepath.Join(empty, "x.db") + " --release 1.0.0 --dir " + empty, "no such snapshot"},
		{"snapshot save s --database mysql://x --release 1.0.0", "must start with postgres://"},
		{"snapshot verify", "accepts 1 arg"},
	} {
		if r := run(t, strings.Fields(tt.args)...); r.code == 0 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("decant %s:\n%s\nwant %q", tt.args, r, tt.want)
		}
	}
}

// execSQL runs statement on the database at url.
func execSQL(t *testing.T, url, statement string) {
	t.Helper()
	db, err := migrations.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(statement); err != nil {
		t.Fatalf("%s: %v", statement, err)
	}
}

// queryRows runs query on the database at url and returns its rows, one
// line each, values separated by a space.
func queryRows(t *testing.T, url, query string) string {
	t.Helper()
	db, err := migrations.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return strings.Join(testenv.Rows(t, db, query), "\n")
}
