package migrations_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/decanthq/decant/migrations"
)

var base = map[string]string{
	"0001_people.sql": "-- decant:release 1.0.0\nCREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL);\n" +
		"INSERT INTO people (id, name) VALUES (1, 'ann'), (2, 'bob');\n-- decant:down\nDROP TABLE people;\n",
	"0002_email.sql": "-- decant:release 1.1.0\nALTER TABLE people ADD COLUMN email text;\n",
	"R__names.sql":   "CREATE VIEW names AS SELECT name FROM people;\n",
}

// Ensure Up applies pending migrations in order, repeatables last, records
// them, and does nothing the second time.
func TestUp(t *testing.T) {
	each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := open(t, url)
		fsys := dir(base)
		if got := states(t, db, fsys, migrations.Options{}); got != "1:pending 2:pending R:names:pending" {
			t.Errorf("before: %s", got)
		}
		if l, err := migrations.Ledger(ctx, db); err != nil || l == nil || len(l) != 0 {
			t.Errorf("Ledger without a ledger table = %v, %v; want empty", l, err)
		}
		res, err := migrations.Up(ctx, db, fsys, migrations.Options{AppliedBy: "tester"})
		must(t, err)
		if got := ids(res.Applied); got != "1,2,R:names" {
			t.Errorf("applied %s", got)
		}
		ledger, err := migrations.Ledger(ctx, db)
		must(t, err)
		if got := ids(ledger); got != "1,2,R:names" || ledger[1].Release != "1.1.0" || ledger[0].AppliedBy != "tester" {
			t.Errorf("Ledger = %+v", ledger)
		}
		if got := query(t, db, "SELECT name FROM names ORDER BY name"); got != "ann\nbob" {
			t.Errorf("view: %q", got)
		}
		if got := query(t, db, "SELECT id, name, release, how, applied_by FROM decant_migrations ORDER BY id"); got !=
			"1 people 1.0.0 applied tester\n2 email 1.1.0 applied tester\nR:names names  applied tester" {
			t.Errorf("ledger:\n%s", got)
		}
		res, err = migrations.Up(ctx, db, fsys, migrations.Options{})
		must(t, err)
		if len(res.Applied) != 0 {
			t.Errorf("second run applied %s", ids(res.Applied))
		}
		must(t, migrations.Ready(ctx, db, fsys, migrations.Options{}))

		// A repeatable runs again when its text changes, and only then.
		fsys["R__names.sql"].Data = []byte("DROP VIEW IF EXISTS names;\nCREATE VIEW names AS SELECT upper(name) AS name FROM people;\n")
		if err := migrations.Ready(ctx, db, fsys, migrations.Options{}); err == nil || !strings.Contains(err.Error(), "R:names") {
			t.Errorf("Ready with a changed repeatable = %v", err)
		}
		res, err = migrations.Up(ctx, db, fsys, migrations.Options{})
		must(t, err)
		if got := ids(res.Applied); got != "R:names" {
			t.Errorf("after the view changed, applied %q", got)
		}
		if got := query(t, db, "SELECT name FROM names ORDER BY name"); got != "ANN\nBOB" {
			t.Errorf("view after change: %q", got)
		}
	})
}

// Ensure --to and --release stop where they should, in number order.
func TestUpToAndRelease(t *testing.T) {
	each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := open(t, url)
		files := map[string]string{
			"0003_phone.sql": "-- decant:release 1.2.0\nALTER TABLE people ADD COLUMN phone text;\n",
		}
		for k, v := range base {
			files[k] = v
		}
		fsys := dir(files)
		res, err := migrations.Up(ctx, db, fsys, migrations.Options{To: 1})
		must(t, err)
		if ids(res.Applied) != "1" || len(res.Pending) != 3 {
			t.Errorf("--to 1: applied %s, %d pending", ids(res.Applied), len(res.Pending))
		}
		// Only later releases are held back: 1.1.0's schema is complete,
		// so the repeatable runs, and 1.1.0 is ready.
		res, err = migrations.Up(ctx, db, fsys, migrations.Options{Release: "1.1.0"})
		must(t, err)
		if ids(res.Applied) != "2,R:names" {
			t.Errorf("--release 1.1.0 applied %s", ids(res.Applied))
		}
		must(t, migrations.Ready(ctx, db, fsys, migrations.Options{Release: "1.1.0"}))
		if err := migrations.Ready(ctx, db, fsys, migrations.Options{Release: "1.2.0"}); err == nil || !strings.Contains(err.Error(), "phone") {
			t.Errorf("Ready for 1.2.0 = %v", err)
		}
		res, err = migrations.Up(ctx, db, fsys, migrations.Options{Release: "1.2.0"})
		must(t, err)
		if ids(res.Applied) != "3" {
			t.Errorf("--release 1.2.0 applied %s", ids(res.Applied))
		}
		if _, err := migrations.Up(ctx, db, fsys, migrations.Options{Release: "one"}); err == nil {
			t.Error("a release that is not semver was accepted")
		}
	})
}

// Ensure a migration that fails halfway leaves no trace but a log line:
// its first statement is rolled back, the ledger does not list it, the
// error names the file, line and statement, and status says failed.
func TestUpFailureHalfway(t *testing.T) {
	each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := open(t, url)
		fsys := dir(map[string]string{
			"0001_a.sql": "CREATE TABLE a (x integer);\n",
			"0002_b.sql": "CREATE TABLE b (x integer);\n\nINSERT INTO nosuch VALUES (1);\n",
		})
		_, err := migrations.Up(ctx, db, fsys, migrations.Options{})
		var se *migrations.StepError
		if !errors.As(err, &se) {
			t.Fatalf("Up = %v, want a *StepError", err)
		}
		if se.Migration.File != "0002_b.sql" || se.Line != 3 || !strings.Contains(se.Statement, "nosuch") ||
			!strings.Contains(err.Error(), "0002_b.sql failed at line 3") || !strings.Contains(err.Error(), "nosuch") {
			t.Errorf("error = %v (line %d col %d)", err, se.Line, se.Col)
		}
		if got := query(t, db, "SELECT id FROM decant_migrations ORDER BY id"); got != "1" {
			t.Errorf("ledger after the failure: %q", got)
		}
		if _, err := db.Exec("SELECT * FROM b"); err == nil {
			t.Error("table b survived the rolled-back migration")
		}
		if got := states(t, db, fsys, migrations.Options{}); got != "1:applied 2:failed" {
			t.Errorf("status: %s", got)
		}
		fsys["0002_b.sql"].Data = []byte("CREATE TABLE b (x integer);\n")
		_, err = migrations.Up(ctx, db, fsys, migrations.Options{})
		must(t, err)
		if got := states(t, db, fsys, migrations.Options{}); got != "1:applied 2:applied" {
			t.Errorf("status after the fix: %s", got)
		}
	})
}

// Ensure an edited applied migration is refused with both checksums, until
// accept-checksum records the edit with a reason.
func TestChecksumDrift(t *testing.T) {
	each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := open(t, url)
		fsys := dir(base)
		_, err := migrations.Up(ctx, db, fsys, migrations.Options{})
		must(t, err)
		// Line endings and trailing spaces are not an edit.
		fsys["0002_email.sql"].Data = []byte("-- decant:release 1.1.0  \r\nALTER TABLE people ADD COLUMN email text;\r\n\r\n")
		_, err = migrations.Up(ctx, db, fsys, migrations.Options{})
		must(t, err)
		fsys["0002_email.sql"].Data = []byte("-- decant:release 1.1.0\nALTER TABLE people ADD COLUMN email varchar(200);\n")
		_, err = migrations.Up(ctx, db, fsys, migrations.Options{})
		var ce *migrations.ChecksumError
		if !errors.Is(err, migrations.ErrChecksum) || !errors.As(err, &ce) || ce.Changed[0].Migration.File != "0002_email.sql" ||
			!strings.Contains(err.Error(), ce.Changed[0].Applied[:12]) || !strings.Contains(err.Error(), ce.Changed[0].Current[:12]) {
			t.Fatalf("Up after an edit = %v", err)
		}
		if got := states(t, db, fsys, migrations.Options{}); !strings.Contains(got, "2:drifted") {
			t.Errorf("status: %s", got)
		}
		if err := migrations.AcceptChecksum(ctx, db, fsys, "2", " ", migrations.Options{}); err == nil {
			t.Error("accept-checksum without a reason was accepted")
		}
		must(t, migrations.AcceptChecksum(ctx, db, fsys, "0002", "widened in review, same effect", migrations.Options{}))
		_, err = migrations.Up(ctx, db, fsys, migrations.Options{})
		must(t, err)
		if got := query(t, db, "SELECT action FROM decant_migration_log WHERE id = '2' AND detail LIKE '%widened in review%'"); got != "accept-checksum" {
			t.Errorf("log: %q", got)
		}
		if err := migrations.AcceptChecksum(ctx, db, fsys, "2", "again", migrations.Options{}); err == nil {
			t.Error("accept-checksum of an unchanged migration was accepted")
		}
	})
}

// Ensure three runs at once apply each migration once and all succeed.
func TestConcurrentUp(t *testing.T) {
	each(t, func(t *testing.T, url string) {
		modes := []migrations.LockMode{migrations.LockAdvisory, migrations.LockTable}
		if strings.HasPrefix(url, "sqlite:") {
			modes = modes[1:]
		}
		for _, mode := range modes {
			t.Run(string(mode), func(t *testing.T) {
				files := map[string]string{}
				for i := 1; i <= 20; i++ {
					files[strings.Replace("00NN_t.sql", "NN", twoDigits(i), 1)] = "CREATE TABLE t" + twoDigits(i) + " (x integer);\nINSERT INTO t" + twoDigits(i) + " VALUES (1);\n"
				}
				fsys := dir(files)
				url := url
				if mode == migrations.LockTable && !strings.HasPrefix(url, "sqlite:") {
					url = freshPG(t)
				}
				var wg sync.WaitGroup
				errs := make([]error, 3)
				for i := range 3 {
					db := open(t, url)
					wg.Go(func() { _, errs[i] = migrations.Up(context.Background(), db, fsys, migrations.Options{Lock: mode}) })
				}
				wg.Wait()
				for i, err := range errs {
					if err != nil {
						t.Errorf("run %d: %v", i, err)
					}
				}
				db := open(t, url)
				if got := query(t, db, "SELECT count(*), count(DISTINCT id) FROM decant_migration_log WHERE action = 'applied'"); got != "20 20" {
					t.Errorf("applied log lines (all, distinct): %s", got)
				}
			})
		}
	})
}

func twoDigits(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }
