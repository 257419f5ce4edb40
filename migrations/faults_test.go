package migrations_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/decanthq/decant/migrations"
)

// Ensure a bad directory is refused before anything runs, naming every
// problem: a gap, a duplicate, a bad name, a bad directive, releases out of
// order.
func TestLoadLayout(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"Gap", map[string]string{"0001_a.sql": "SELECT 1;", "0003_c.sql": "SELECT 1;"},
			[]string{"no migration numbered 2 (between 0001_a.sql and 0003_c.sql)"}},
		{"Duplicate", map[string]string{"0001_a.sql": "SELECT 1;", "0002_b.sql": "SELECT 1;", "2_again.sql": "SELECT 1;"},
			[]string{"have the same number 2"}},
		{"StartsLate", map[string]string{"0002_b.sql": "SELECT 1;"}, []string{"no migration numbered 1"}},
		{"BadName", map[string]string{"0001_a.sql": "SELECT 1;", "0002-b.sql": "SELECT 1;"},
			[]string{"0002-b.sql: not a migration name"}},
		{"BadDirective", map[string]string{"0001_a.sql": "-- decant:no-transction\nSELECT 1;"},
			[]string{`0001_a.sql: line 1: unknown directive "no-transction"`}},
		{"BadRelease", map[string]string{"0001_a.sql": "-- decant:release one\nSELECT 1;"},
			[]string{`release "one" is not a semantic version`}},
		{"ReleaseGoesDown", map[string]string{
			"0001_a.sql": "-- decant:release 1.5.0\nSELECT 1;", "0002_b.sql": "-- decant:release 1.4.0\nSELECT 1;"},
			[]string{"0002_b.sql is for release 1.4.0 but comes after 0001_a.sql for release 1.5.0"}},
		{"Empty", map[string]string{"0001_a.sql": "-- nothing\n"}, []string{"0001_a.sql: no statements"}},
		{"BatchWithoutCursor", map[string]string{"0001_a.sql": "-- decant:batch size=10\nUPDATE t SET x = 1 RETURNING id;"},
			[]string{"must use :cursor and :size"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := migrations.Load(dir(tt.files), nil)
			if !errors.Is(err, migrations.ErrLayout) {
				t.Fatalf("Load = %v, want ErrLayout", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
	if _, err := migrations.Load(dir(map[string]string{"0001_a.sql": "SELECT 1;", "README.md": "notes"}), nil); err != nil {
		t.Errorf("a README next to migrations: %v", err)
	}
}

// Ensure a Go migration that panics fails like any other: the error names
// it, its transaction rolls back and the ledger does not list it.
func TestGoMigrationPanics(t *testing.T) {
	each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := open(t, url)
		gos := []migrations.GoMigration{{Number: 2, Name: "fill", Fingerprint: "v1",
			Up: func(ctx context.Context, tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, "INSERT INTO a VALUES (1)"); err != nil {
					return err
				}
				var m map[string]int
				m["boom"]++ // nil map: panics
				return nil
			}}}
		fsys := dir(map[string]string{"0001_a.sql": "CREATE TABLE a (x integer);"})
		_, err := migrations.Up(ctx, db, fsys, migrations.Options{Go: gos})
		var se *migrations.StepError
		if !errors.As(err, &se) || se.Migration.Name != "fill" || !strings.Contains(err.Error(), "panic") {
			t.Fatalf("Up = %v", err)
		}
		if got := query(t, db, "SELECT count(*) FROM a"); got != "0" {
			t.Errorf("the panicking migration's insert survived: %s rows", got)
		}
		if got := query(t, db, "SELECT id FROM decant_migrations"); got != "1" {
			t.Errorf("ledger: %q", got)
		}
	})
}

// Ensure a batched data migration killed mid-way resumes from its cursor
// and touches every row exactly once, in SQL and in Go.
func TestBackfillResumes(t *testing.T) {
	each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db := open(t, url)
		setup := "CREATE TABLE item (id integer PRIMARY KEY, n integer NOT NULL DEFAULT 0, m integer NOT NULL DEFAULT 0);\n"
		values := make([]string, 1000)
		for i := range values {
			values[i] = fmt.Sprintf("(%d)", i+1)
		}
		setup += "INSERT INTO item (id) VALUES " + strings.Join(values, ",") + ";\n"
		fsys := dir(map[string]string{
			"0001_item.sql": setup,
			"0002_bump.sql": "-- decant:batch size=64 start=0\n" +
				"UPDATE item SET n = n + 1 WHERE id IN (SELECT id FROM item WHERE id > :cursor ORDER BY id LIMIT :size) RETURNING id;\n",
		})
		goBump := func(failAfter int) migrations.GoMigration {
			batches := 0
			return migrations.GoMigration{Number: 3, Name: "bump_m", Fingerprint: "v1", BatchSize: 100,
				Batch: func(ctx context.Context, tx *sql.Tx, cursor json.RawMessage, size int) (json.RawMessage, int, error) {
					if batches++; failAfter > 0 && batches > failAfter {
						return nil, 0, errors.New("killed")
					}
					var after int
					if cursor != nil {
						must(t, json.Unmarshal(cursor, &after))
					}
					var last, count int
					err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0), count(*) FROM (SELECT id FROM item WHERE id > $1 ORDER BY id LIMIT $2) s",
						after, size).Scan(&last, &count)
					if err != nil || count == 0 {
						return nil, 0, err
					}
					if _, err := tx.ExecContext(ctx, "UPDATE item SET m = m + 1 WHERE id > $1 AND id <= $2", after, last); err != nil {
						return nil, 0, err
					}
					next, _ := json.Marshal(last)
					return next, count, nil
				}}
		}
		// First run: cancel the context after 5 SQL batches, like a kill.
		runCtx, cancel := context.WithCancel(ctx)
		batches := 0
		_, err := migrations.Up(runCtx, db, fsys, migrations.Options{Progress: func(e migrations.Event) {
			if e.What == "batch" {
				if batches++; batches == 5 {
					cancel()
				}
			}
		}})
		if err == nil {
			t.Fatal("the killed run succeeded")
		}
		if got := states(t, db, fsys, migrations.Options{}); !strings.Contains(got, "2:running") {
			t.Errorf("status after the kill: %s", got)
		}
		if got := query(t, db, "SELECT count(*) FROM item WHERE n = 1"); got != "320" {
			t.Errorf("rows done by 5 committed batches of 64: %s", got)
		}
		// Second run: SQL batches finish; the Go backfill dies after 3 batches.
		_, err = migrations.Up(ctx, db, fsys, migrations.Options{Go: []migrations.GoMigration{goBump(3)}})
		if err == nil || !strings.Contains(err.Error(), "killed") {
			t.Fatalf("second run: %v", err)
		}
		// Third run resumes the Go backfill.
		res, err := migrations.Up(ctx, db, fsys, migrations.Options{Go: []migrations.GoMigration{goBump(0)}})
		must(t, err)
		if ids(res.Applied) != "3" {
			t.Errorf("third run applied %s", ids(res.Applied))
		}
		if got := query(t, db, "SELECT n, m, count(*) FROM item GROUP BY n, m"); got != "1 1 1000" {
			t.Errorf("(n, m, rows): %s; want every row bumped once by each backfill", got)
		}
		if got := query(t, db, "SELECT count(*) FROM decant_migration_cursors"); got != "0" {
			t.Errorf("cursors left: %s", got)
		}
	})
}
