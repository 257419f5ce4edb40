package migrations_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// each runs fn against a fresh PostgreSQL and a fresh SQLite database.
func each(t *testing.T, fn func(t *testing.T, url string)) {
	t.Run("postgres", func(t *testing.T) { fn(t, testenv.Postgres(t)) })
	t.Run("sqlite", func(t *testing.T) { fn(t, testenv.SQLite(t)) })
}

func open(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := migrations.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// dir builds a migrations directory from name -> text.
func dir(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

func query(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	return strings.Join(testenv.Rows(t, db, q), "\n")
}

func ids(as []migrations.Applied) string {
	var out []string
	for _, a := range as {
		out = append(out, a.ID)
	}
	return strings.Join(out, ",")
}

func states(t *testing.T, db *sql.DB, fsys fstest.MapFS, opts migrations.Options) string {
	t.Helper()
	st, err := migrations.StatusOf(context.Background(), db, fsys, opts)
	must(t, err)
	var out []string
	for _, s := range st {
		out = append(out, s.ID+":"+string(s.State))
	}
	return strings.Join(out, " ")
}

func freshPG(t *testing.T) string { return testenv.Postgres(t) }
