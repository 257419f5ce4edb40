package verify_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/postgres"
	"github.com/decanthq/decant/sqlite"
	"github.com/decanthq/decant/verify"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// target is a database decant writes a table of every kind to, and that
// the test reads back with database/sql, as verify's reader will.
type target struct {
	store interface {
		decant.Store
		Columns(ctx context.Context, table string) ([]decant.Column, error)
	}
	db     *sql.DB
	column func(decant.Column) verify.Column
}

// kinds is the table, one column per kind and type the rules care about.
var kinds = map[string]string{
	"postgres": `CREATE TABLE kinds (id bigint PRIMARY KEY, c character(5), v varchar(10), n numeric(12,2),
		big numeric(40,2), f float8, r real, tz timestamptz, ts timestamp, d date, jb jsonb, j json,
		b boolean, i bigint, t text)`,
	"sqlite": `CREATE TABLE kinds (id INTEGER PRIMARY KEY, c CHAR(5), v VARCHAR(10), n NUMERIC(12,2),
		big DECIMAL(40,2), f DOUBLE, r REAL, tz TIMESTAMP, ts DATETIME, d DATE, jb JSONB, j JSON,
		b BOOLEAN, i BIGINT, t TEXT)`,
}

var kindColumns = []string{"id", "c", "v", "n", "big", "f", "r", "tz", "ts", "d", "jb", "j", "b", "i", "t"}

// bigDecimal is the value of column big. SQLite's DECIMAL affinity keeps
// only 15 significant digits (docs/plan.md, "SQLite and decimals"), and
// verify rightly reports the lost digits as a difference: the SQLite
// table gets a number it keeps whole.
var bigDecimal = map[string]decant.Decimal{
	"postgres": "1234567890123456789012345678.9",
	"sqlite":   "12345678901234.5",
}

// baseRow is one row as transform.Mapper would give it, with the values
// that engines store differently from how they were written.
func baseRow(engine string, id int64) []any {
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	at := time.Date(2024, 3, 1, 16, 0, 0, 123456000, kolkata)
	doc := decant.JSON(`{"b": [1, 2.50, 1e2], "a": {"x": "é", "y": null}}`)
	return []any{id, "ab", "ab", decant.Decimal("1.5"), bigDecimal[engine],
		0.1, 0.1, at, at, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), doc, doc,
		true, int64(9007199254740993), "cafe\u0301 "}
}

func nullRow(id int64) []any {
	row := make([]any, len(kindColumns))
	row[0] = id
	return row
}

// alteration changes one column of one row in the target, behind decant's
// back; equal says whether verify must still find the value equal (on
// every engine but except, where the opposite holds).
type alteration struct {
	column string
	sql    map[string]string // per engine; "" means both
	equal  bool
	except string
}

var alterations = []alteration{
	{"c", map[string]string{"": "'ab   '"}, true, "sqlite"}, // SQLite neither pads nor ignores spaces
	{"c", map[string]string{"": "'abc'"}, false, ""},
	{"v", map[string]string{"": "'ab '"}, false, ""},
	{"n", map[string]string{"": "1.50"}, true, ""},
	{"n", map[string]string{"": "1.51"}, false, ""},
	{"big", map[string]string{"postgres": "1234567890123456789012345678.90", "sqlite": "'12345678901234.50'"}, true, ""},
	{"big", map[string]string{"postgres": "1234567890123456789012345678.91", "sqlite": "'12345678901234.6'"}, false, ""},
	{"f", map[string]string{"": "0.1000001"}, false, ""},
	{"r", map[string]string{"": "0.1001"}, false, ""},
	{"tz", map[string]string{"": "'2024-03-01 10:30:00.123456+00'"}, true, ""},
	{"tz", map[string]string{"": "'2024-03-01 16:00:00.123456+00'"}, false, ""},
	{"ts", map[string]string{"": "'2024-03-01 10:30:00.123456'"}, true, ""},
	{"ts", map[string]string{"": "'2024-03-01 16:00:00.123456'"}, false, ""},
	{"d", map[string]string{"": "'2024-03-01'"}, true, ""},
	{"d", map[string]string{"": "'2024-03-02'"}, false, ""},
	{"jb", map[string]string{"": `'{"a":{"y":null,"x":"é"},"b":[1.0,2.5,100]}'`}, true, ""},
	{"jb", map[string]string{"": `'{"a":{"y":null,"x":"é"},"b":[2.5,1,100]}'`}, false, ""},
	{"j", map[string]string{"": `'{"a":{"y":null,"x":"é"},"b":[1e0,25e-1,1E2]}'`}, true, ""},
	{"j", map[string]string{"": `'{"a":{"x":"é"},"b":[1,2.5,100]}'`}, false, ""},
	{"b", map[string]string{"postgres": "'t'", "sqlite": "1"}, true, ""},
	{"b", map[string]string{"postgres": "false", "sqlite": "0"}, false, ""},
	{"i", map[string]string{"": "9007199254740992"}, false, ""},
	{"t", map[string]string{"": "'café '"}, false, ""}, // composed, not as written
	{"t", map[string]string{"": "'cafe\u0301'"}, false, ""},
	{"t", map[string]string{"": "NULL"}, false, ""},
}

func TestRoundTripPostgres(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testenv.Postgres(t)
	s, err := postgres.Open(ctx, url, postgres.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	db, err := postgres.OpenDB(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	roundTrip(t, "postgres", target{store: s, db: db, column: verify.PostgresColumn})
}

func TestRoundTripSQLite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, testenv.SQLite(t), sqlite.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	roundTrip(t, "sqlite", target{store: s, db: s.DB(), column: verify.SQLiteColumn})
}

// roundTrip writes rows through decant's store, alters some behind its
// back, reads them all with database/sql and through the store's
// TargetReader, and checks that Compare finds exactly the alterations
// that change a value.
func roundTrip(t *testing.T, engine string, tg target) {
	ctx := context.Background()
	if _, err := tg.db.ExecContext(ctx, kinds[engine]); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{nullRow(0)}
	for i := range alterations {
		rows = append(rows, baseRow(engine, int64(i+1)))
	}
	write(t, tg.store, rows)
	for i, a := range alterations {
		lit, ok := a.sql[engine]
		if !ok {
			lit = a.sql[""]
		}
		q := fmt.Sprintf("UPDATE kinds SET %s = %s WHERE id = %d", a.column, lit, i+1)
		if _, err := tg.db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	cols, err := tg.store.Columns(ctx, "kinds")
	if err != nil {
		t.Fatal(err)
	}
	readers := map[string]func() [][]any{
		"database/sql": func() [][]any { return readAll(t, tg.db) },
		"TargetReader": func() [][]any { return readTarget(t, tg.store) },
	}
	for via, read := range readers {
		got := read()
		if len(got) != len(rows) {
			t.Fatalf("%s read %d rows, wrote %d", via, len(got), len(rows))
		}
		for r, row := range got {
			altered := ""
			want := true
			if r > 0 {
				a := alterations[r-1]
				altered, want = a.column, a.equal != (a.except == engine)
			}
			for c, col := range cols {
				eq, err := verify.Compare(tg.column(col), rows[r][c], row[c], verify.Options{})
				if err != nil {
					t.Fatalf("%s: row %d column %s: %v", via, r, col.Name, err)
				}
				if wantEq := col.Name != altered || want; eq != wantEq {
					e, _, _ := verify.Canonical(tg.column(col), rows[r][c], verify.Options{})
					a, _, _ := verify.Canonical(tg.column(col), row[c], verify.Options{})
					t.Errorf("%s: row %d column %s (%s): equal = %v, want %v: expected %#v (%s), actual %T %#v (%s)",
						via, r, col.Name, col.DBType, eq, wantEq, rows[r][c], e, row[c], row[c], a)
				}
			}
		}
	}
}

// readTarget reads every row through the store's TargetReader role, the
// reader verify will use.
func readTarget(t *testing.T, s decant.Store) [][]any {
	t.Helper()
	ctx := context.Background()
	tr, err := decant.Require[decant.TargetReader](s, "read target rows to verify them")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := tr.ReadRows(ctx, decant.RowQuery{Table: "kinds", Key: []string{"id"}, Columns: kindColumns})
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out [][]any
	for rs.Next(ctx) {
		out = append(out, rs.Row().Values)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func write(t *testing.T, s decant.Store, rows [][]any) {
	t.Helper()
	ctx := context.Background()
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := &decant.Batch{Scope: "s", Step: "kinds", Tables: []decant.TableRows{
		{Table: "kinds", Columns: kindColumns, Key: []string{"id"}, Rows: rows},
	}}
	if err := s.WriteBatch(ctx, tx, b); err != nil {
		tx.Rollback(ctx)
		t.Fatalf("write batch: %v", err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

// readAll scans every row into any, as the store-side reader will.
func readAll(t *testing.T, db *sql.DB) [][]any {
	t.Helper()
	rs, err := db.Query("SELECT " + strings.Join(kindColumns, ", ") + " FROM kinds ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out [][]any
	for rs.Next() {
		row := make([]any, len(kindColumns))
		ptrs := make([]any, len(row))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, row)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
