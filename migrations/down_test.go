package migrations_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/decanthq/decant/migrations"
)

var reversible = map[string]string{
	"0001_people.sql": "CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL);\n" +
		"INSERT INTO people VALUES (1, 'ann');\n-- decant:down\nDROP TABLE people;\n",
	"0002_email.sql": "ALTER TABLE people ADD COLUMN email text;\nCREATE INDEX people_email ON people (email);\n" +
		"-- decant:down\nDROP INDEX people_email;\nALTER TABLE people DROP COLUMN email;\n",
	"0003_pets.sql": "CREATE TABLE pets (id integer PRIMARY KEY, owner integer REFERENCES people (id));\n" +
		"-- decant:down\nDROP TABLE pets;\n",
}

// Ensure Down reverts newest first down to the number asked, removes the
// ledger rows, logs the reverts, and that Up then applies them again.
func TestDown(t *testing.T) {
	each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := open(t, url)
		fsys := dir(reversible)
		var events []string
		opts := migrations.Options{Progress: func(e migrations.Event) { events = append(events, e.What+" "+e.Migration.ID()) }}
		_, err := migrations.Up(ctx, db, fsys, migrations.Options{})
		must(t, err)
		reverted, err := migrations.Down(ctx, db, fsys, 1, opts)
		must(t, err)
		if got := ids(reverted); got != "3,2" {
			t.Errorf("reverted %s, want 3,2", got)
		}
		if got := strings.Join(events, ", "); got != "start 3, done 3, start 2, done 2" {
			t.Errorf("progress: %s", got)
		}
		if got := states(t, db, fsys, migrations.Options{}); got != "1:applied 2:pending 3:pending" {
			t.Errorf("after down to 1: %s", got)
		}
		if _, err := db.Exec("SELECT email FROM people"); err == nil {
			t.Error("people.email is still there")
		}
		if got := query(t, db, "SELECT id, action FROM decant_migration_log WHERE action = 'reverted' ORDER BY seq"); got != "3 reverted\n2 reverted" {
			t.Errorf("log:\n%s", got)
		}
		res, err := migrations.Up(ctx, db, fsys, migrations.Options{})
		must(t, err)
		if got := ids(res.Applied); got != "2,3" {
			t.Errorf("up after down applied %s", got)
		}
		reverted, err = migrations.Down(ctx, db, fsys, 0, migrations.Options{})
		must(t, err)
		if got := ids(reverted); got != "3,2,1" {
			t.Errorf("down to 0 reverted %s", got)
		}
		if got := query(t, db, "SELECT count(*) FROM decant_migrations"); got != "0" {
			t.Errorf("ledger after down to 0 has %s rows", got)
		}
		reverted, err = migrations.Down(ctx, db, fsys, 0, migrations.Options{})
		if err != nil || len(reverted) != 0 {
			t.Errorf("down with nothing applied = %v, %v", ids(reverted), err)
		}
	})
}

// Ensure Down refuses, running nothing, when a migration in its range has
// no down section or changed since it ran; and that a failing down section
// stops with the file and line, keeping that migration applied.
func TestDownRefusedAndFailing(t *testing.T) {
	each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := open(t, url)
		files := map[string]string{
			"0001_a.sql": "CREATE TABLE a (x integer);\n-- decant:down\nDROP TABLE a;\n",
			"0002_b.sql": "CREATE TABLE b (x integer);\n",
			"0003_c.sql": "CREATE TABLE c (x integer);\n-- decant:down\nDROP TABLE c;\n",
		}
		fsys := dir(files)
		_, err := migrations.Up(ctx, db, fsys, migrations.Options{})
		must(t, err)
		fsys["0003_c.sql"].Data = []byte("CREATE TABLE c (x integer, y integer);\n-- decant:down\nDROP TABLE c;\n")
		_, err = migrations.Down(ctx, db, fsys, 0, migrations.Options{})
		if !errors.Is(err, migrations.ErrIrreversible) || !strings.Contains(err.Error(), "0002_b.sql has no down section") ||
			!strings.Contains(err.Error(), "0003_c.sql changed since it was applied") {
			t.Errorf("down over an irreversible and a changed migration: %v", err)
		}
		if got := states(t, db, fsys, migrations.Options{}); got != "1:applied 2:applied 3:drifted" {
			t.Errorf("after a refused down: %s", got)
		}

		fsys["0003_c.sql"].Data = []byte("CREATE TABLE c (x integer);\n-- decant:down\nDROP TABLE c;\nDROP TABLE nosuch;\n")
		must(t, migrations.AcceptChecksum(ctx, db, fsys, "3", "fix the down section", migrations.Options{}))
		_, err = migrations.Down(ctx, db, fsys, 2, migrations.Options{})
		var se *migrations.StepError
		if !errors.As(err, &se) || !se.Down || se.Line != 4 || !strings.Contains(err.Error(), "down section of migration 0003_c.sql failed at line 4") {
			t.Errorf("a failing down section: %v", err)
		}
		if got := states(t, db, fsys, migrations.Options{}); got != "1:applied 2:applied 3:applied" {
			t.Errorf("after a failed down: %s", got)
		}
		if _, err := db.Exec("SELECT x FROM c"); err != nil {
			t.Errorf("the failed down's transaction was not rolled back: %v", err)
		}
		if _, err := migrations.Down(ctx, db, fsys, -1, migrations.Options{}); err == nil {
			t.Error("down to -1 was accepted")
		}
	})
}

// Ensure a Go migration's Down runs, and a part-way backfill blocks Down.
func TestDownGoAndBatched(t *testing.T) {
	each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := open(t, url)
		gos := []migrations.GoMigration{{
			Number: 2, Name: "seed", Fingerprint: "v1",
			Up: func(ctx context.Context, tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, "INSERT INTO item (id) VALUES (1), (2), (3)")
				return err
			},
			Down: func(ctx context.Context, tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, "DELETE FROM item")
				return err
			},
		}}
		fsys := dir(map[string]string{
			"0001_item.sql": "CREATE TABLE item (id integer PRIMARY KEY, n integer NOT NULL DEFAULT 0);\n-- decant:down\nDROP TABLE item;\n",
			"0003_fill.sql": "-- decant:batch size=1 start=0\nUPDATE item SET n = 1 WHERE id IN (SELECT id FROM item WHERE id > :cursor ORDER BY id LIMIT :size) RETURNING id\n" +
				"-- decant:down\nUPDATE item SET n = 0;\n",
		})
		opts := migrations.Options{Go: gos}
		stop, cancel := context.WithCancel(ctx)
		batches := 0
		opts.Progress = func(e migrations.Event) {
			if e.What == "batch" {
				if batches++; batches == 2 {
					cancel()
				}
			}
		}
		if _, err := migrations.Up(stop, db, fsys, opts); !errors.Is(err, context.Canceled) {
			t.Fatalf("up stopped mid-backfill: %v", err)
		}
		opts.Progress = nil
		if _, err := migrations.Down(ctx, db, fsys, 0, opts); !errors.Is(err, migrations.ErrIrreversible) || !strings.Contains(err.Error(), "part-way") {
			t.Errorf("down with a backfill part-way: %v", err)
		}
		_, err := migrations.Up(ctx, db, fsys, opts)
		must(t, err)
		reverted, err := migrations.Down(ctx, db, fsys, 1, opts)
		must(t, err)
		if got := ids(reverted); got != "3,2" {
			t.Errorf("reverted %s", got)
		}
		if got := query(t, db, "SELECT count(*) FROM item"); got != "0" {
			t.Errorf("the Go migration's Down left %s rows", got)
		}
	})
}

// Ensure CheckDown lists what Down would revert, and refuses as Down does
// when one has no down section, changing nothing; a database without a
// ledger has nothing to revert.
func TestCheckDown(t *testing.T) {
	each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := open(t, url)
		fsys := dir(reversible)
		todo, err := migrations.CheckDown(ctx, db, fsys, 0, migrations.Options{})
		if err != nil || len(todo) != 0 {
			t.Errorf("CheckDown before any Up = %v, %v; want nothing", todo, err)
		}
		_, err = migrations.Up(ctx, db, fsys, migrations.Options{})
		must(t, err)
		todo, err = migrations.CheckDown(ctx, db, fsys, 1, migrations.Options{})
		must(t, err)
		if got := ids(todo); got != "3,2" {
			t.Errorf("CheckDown to 1 = %s, want 3,2", got)
		}
		fsys["0004_x.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE x (id integer);\n")}
		_, err = migrations.Up(ctx, db, fsys, migrations.Options{})
		must(t, err)
		_, err = migrations.CheckDown(ctx, db, fsys, 0, migrations.Options{})
		if !errors.Is(err, migrations.ErrIrreversible) || !strings.Contains(err.Error(), "0004_x.sql has no down section") {
			t.Errorf("CheckDown over a migration without a down section: %v", err)
		}
		if got := states(t, db, fsys, migrations.Options{}); got != "1:applied 2:applied 3:applied 4:applied" {
			t.Errorf("after CheckDown: %s", got)
		}
	})
}
