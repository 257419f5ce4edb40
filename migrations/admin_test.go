package migrations_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/decanthq/decant/migrations"
)

// Ensure baseline adopts an existing database: the migrations up to N are
// recorded without running, later ones run, and a second baseline is refused.
func TestBaseline(t *testing.T) {
	each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := open(t, url)
		_, err := db.Exec("CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL)")
		must(t, err)
		fsys := dir(base)
		if err := migrations.Baseline(ctx, db, fsys, 5, migrations.Options{}); err == nil || !strings.Contains(err.Error(), "no migration numbered 5") {
			t.Errorf("baseline past the end: %v", err)
		}
		must(t, migrations.Baseline(ctx, db, fsys, 1, migrations.Options{}))
		if got := states(t, db, fsys, migrations.Options{}); got != "1:baselined 2:pending R:names:pending" {
			t.Errorf("after baseline: %s", got)
		}
		res, err := migrations.Up(ctx, db, fsys, migrations.Options{})
		must(t, err)
		if ids(res.Applied) != "2,R:names" {
			t.Errorf("applied after baseline: %s", ids(res.Applied))
		}
		if got := query(t, db, "SELECT count(*) FROM people"); got != "0" {
			t.Errorf("baselined migration 1 ran its insert: %s rows", got)
		}
		if err := migrations.Baseline(ctx, db, fsys, 1, migrations.Options{}); err == nil || !strings.Contains(err.Error(), "already holds") {
			t.Errorf("second baseline: %v", err)
		}
	})
}

// Ensure redo re-runs only rerunnable migrations of later releases, refuses
// (running nothing) when one is not rerunnable or its guard is false, and
// takes an edited file as the new text.
func TestRedo(t *testing.T) {
	each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := open(t, url)
		fsys := dir(map[string]string{
			"0001_t.sql": "-- decant:release 1.0.0\nCREATE TABLE t (x integer);\n",
			"0002_fill.sql": "-- decant:release 1.1.0\n-- decant:rerunnable\n-- decant:guard SELECT count(*) < 10 FROM t\n" +
				"DELETE FROM t;\nINSERT INTO t VALUES (1);\n",
			"0003_more.sql": "-- decant:release 1.2.0\nCREATE TABLE u (y integer);\n",
		})
		_, err := migrations.Up(ctx, db, fsys, migrations.Options{})
		must(t, err)
		if _, err := migrations.Redo(ctx, db, fsys, "1.0.0", migrations.Options{}); err == nil ||
			!strings.Contains(err.Error(), "0003_more.sql (release 1.2.0) is not marked rerunnable") {
			t.Fatalf("redo over a non-rerunnable migration: %v", err)
		}
		// Since 1.1.0 only 0003 is later, and it is not rerunnable either;
		// mark it, edit 0002, and redo since 1.0.0.
		fsys["0003_more.sql"].Data = []byte("-- decant:release 1.2.0\n-- decant:rerunnable\nCREATE TABLE IF NOT EXISTS u (y integer);\n")
		fsys["0002_fill.sql"].Data = []byte("-- decant:release 1.1.0\n-- decant:rerunnable\n-- decant:guard SELECT count(*) < 10 FROM t\n" +
			"DELETE FROM t;\nINSERT INTO t VALUES (2);\n")
		res, err := migrations.Redo(ctx, db, fsys, "1.0.0", migrations.Options{})
		must(t, err)
		if ids(res.Applied) != "2,3" {
			t.Errorf("redone: %s", ids(res.Applied))
		}
		if got := query(t, db, "SELECT x FROM t"); got != "2" {
			t.Errorf("t after redo: %q", got)
		}
		if got := query(t, db, "SELECT how FROM decant_migrations WHERE id = '2'"); got != "redone" {
			t.Errorf("ledger how: %q", got)
		}
		// A false guard refuses.
		_, err = db.Exec("INSERT INTO t SELECT 5 FROM decant_migration_log")
		must(t, err)
		_, err = db.Exec("INSERT INTO t SELECT 6 FROM decant_migration_log")
		must(t, err)
		if _, err := migrations.Redo(ctx, db, fsys, "1.0.0", migrations.Options{}); err == nil || !strings.Contains(err.Error(), "guard is false") {
			t.Errorf("redo with a false guard: %v", err)
		}
	})
}

// Ensure a no-transaction migration runs statements one by one, so that
// CREATE INDEX CONCURRENTLY works, and that a PostgreSQL error is placed at
// its line and column in the file.
func TestNoTransactionAndErrorPosition(t *testing.T) {
	ctx := context.Background()
	db := open(t, freshPG(t))
	fsys := dir(map[string]string{
		"0001_t.sql": "CREATE TABLE t (x integer);\n",
		"0002_idx.sql": "-- decant:no-transaction\nCREATE INDEX CONCURRENTLY t_x ON t (x);\n" +
			"CREATE INDEX CONCURRENTLY t_x2 ON t (x);\n",
		"0003_bad.sql": "-- a comment\nALTER TABLE t\n  ADD COLUMN y integer,\n  ADD COLUMN z nosuchtype;\n",
	})
	_, err := migrations.Up(ctx, db, fsys, migrations.Options{})
	var se *migrations.StepError
	if !errors.As(err, &se) || se.Migration.File != "0003_bad.sql" || se.Line != 4 || se.Col != 16 {
		t.Fatalf("Up = %v (want 0003_bad.sql at line 4, column 16)", err)
	}
	if got := query(t, db, "SELECT count(*) FROM pg_indexes WHERE tablename = 't'"); got != "2" {
		t.Errorf("indexes: %s", got)
	}
}
