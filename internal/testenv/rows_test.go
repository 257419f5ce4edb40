package testenv

import (
	"database/sql"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// Ensure Rows prints each row's values, text as text and NULL as <nil>,
// in the query's order.
func TestRows(t *testing.T) {
	db, err := sql.Open("pgx", Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := Rows(t, db, "SELECT x, $1::text, NULL::text FROM generate_series(1, 2) AS x ORDER BY x DESC", "a b")
	if s := strings.Join(got, "|"); s != "2 a b <nil>|1 a b <nil>" {
		t.Errorf("Rows = %q", s)
	}
	if got := Rows(t, db, "SELECT 1 WHERE false"); got != nil {
		t.Errorf("Rows of no rows = %q", got)
	}
}
