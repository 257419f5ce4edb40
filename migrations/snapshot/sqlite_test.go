package snapshot_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/migrations/snapshot"
)

// sqliteFixture has one of each kind of object a snapshot carries, and
// values of every storage class that are easy to get wrong.
const sqliteFixture = `
CREATE TABLE kinds (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC, d DATE, ts TIMESTAMP, anything,
	shout TEXT GENERATED ALWAYS AS (upper(t)) VIRTUAL,
	twice INTEGER GENERATED ALWAYS AS (i * 2) STORED
);
-- No key: the rowids are carried.
CREATE TABLE loose (a, b);
CREATE TABLE keyed (k TEXT PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE textkey (code TEXT PRIMARY KEY COLLATE NOCASE, v);
CREATE TABLE child (id INTEGER PRIMARY KEY, kind_id INTEGER REFERENCES kinds (id), note TEXT);
CREATE INDEX child_kind ON child (kind_id);
CREATE VIEW kinds_view AS SELECT id, t FROM kinds WHERE i IS NOT NULL;
CREATE TABLE log (msg TEXT);
-- A trigger that would add rows if it fired during a load.
CREATE TRIGGER child_log AFTER INSERT ON child BEGIN INSERT INTO log VALUES ('child ' || NEW.id); END;
-- decant's own tables are carried like any other.
CREATE TABLE decant_state (k TEXT PRIMARY KEY, v TEXT);

INSERT INTO kinds (i, r, t, b, n, d, ts, anything) VALUES
	(9223372036854775807, 0.1, 'tab	here' || char(10) || 'newline\backslash ''quote'' "dq" ünïcödé', X'00FF10', '12.30', '2024-01-02', '2024-01-02 03:04:05', 1),
	(-9223372036854775808, 1e308, '', X'', 12.5, 1700000000, 'not a time', 2.5),
	(NULL, 9e999, CAST(X'FFFE41' AS TEXT), NULL, 'abc', NULL, NULL, 'text'),
	(1, 0.0, 'gone', NULL, NULL, NULL, NULL, NULL),
	(0, -1e-300, CAST(X'610062' AS TEXT), X'0102', 1e20, 2.5, 1700000000123, X'');
DELETE FROM kinds WHERE t = 'gone';

INSERT INTO loose VALUES (1, 'x'), (1, 'x'), (2.5, X'AB'), (NULL, NULL), ('t', 3);
DELETE FROM loose WHERE rowid = 2;
INSERT INTO keyed VALUES ('b', 1), ('a', NULL), ('', X'00');
INSERT INTO textkey VALUES ('B', 1), ('a', 2);
INSERT INTO child VALUES (1, 3, 'x'), (7, 1, NULL);
INSERT INTO decant_state VALUES ('schema', '2'), ('lease', NULL);
PRAGMA user_version = 7;

-- Names that need quoting, and a column called rowid.
CREATE TABLE "odd ""t""" (rowid TEXT, "select" INTEGER);
INSERT INTO "odd ""t""" VALUES ('a', 1), ('b', 2), (NULL, NULL);
DELETE FROM "odd ""t""" WHERE "select" = 1;
`

// sqliteRows returns the rows of every table and view, and the rowids of
// tables that have them, as storage classes and exact values.
func sqliteRows(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	type rel struct {
		name  string
		rowid bool
	}
	var rels []rel
	rows, err := db.QueryContext(ctx, `SELECT name, type = 'table' AND NOT wr FROM pragma_table_list
		WHERE schema = 'main' AND type IN ('table', 'view') AND name NOT IN ('sqlite_schema', 'sqlite_temp_schema') ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var r rel
		if err := rows.Scan(&r.name, &r.rowid); err != nil {
			t.Fatal(err)
		}
		rels = append(rels, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, r := range rels {
		cols, err := db.QueryContext(ctx, "SELECT name FROM pragma_table_xinfo(?)", r.name)
		if err != nil {
			t.Fatal(err)
		}
		var exprs []string
		if r.rowid {
			exprs = append(exprs, "_rowid_")
		}
		for cols.Next() {
			var c string
			if err := cols.Scan(&c); err != nil {
				t.Fatal(err)
			}
			c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			exprs = append(exprs, fmt.Sprintf("typeof(%[1]s) || ':' || CASE typeof(%[1]s) WHEN 'real' THEN printf('%%!.20e', %[1]s) ELSE hex(%[1]s) END", c))
		}
		if err := cols.Err(); err != nil {
			t.Fatal(err)
		}
		q := fmt.Sprintf(`SELECT %s FROM "%s"`, strings.Join(exprs, " || '|' || "), strings.ReplaceAll(r.name, `"`, `""`))
		vals, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out[r.name] = []string{}
		for vals.Next() {
			var s string
			if err := vals.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out[r.name] = append(out[r.name], s)
		}
		if err := vals.Err(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(out[r.name])
		if r.name == "sqlite_sequence" && len(out[r.name]) == 0 {
			delete(out, r.name) // SQLite cannot drop it once made
		}
	}
	var v string
	if err := db.QueryRowContext(ctx, "SELECT user_version || '/' || application_id FROM pragma_user_version, pragma_application_id").Scan(&v); err != nil {
		t.Fatal(err)
	}
	out["pragma user_version/application_id"] = []string{v}
	return out
}

// Ensure that a SQLite snapshot loaded into an empty database gives the
// same rows, rowids, storage classes, schema and checksums, and that the
// loaded database behaves as the original.
func TestSQLite_RoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := openSQLite(t)
	exec(t, src, sqliteFixture)
	opts := options(dir, "1.0.0")
	info, err := snapshot.Save(ctx, src, "snap", opts)
	if err != nil {
		t.Fatal(err)
	}
	if info.Dialect != "sqlite" || info.ServerVersion == "" || len(info.Tables) != 8 {
		t.Errorf("info: dialect %q, server %q, %d tables", info.Dialect, info.ServerVersion, len(info.Tables))
	}
	if diff := cmp.Diff([]snapshot.SequenceInfo{{Name: "kinds", Value: 5}}, info.Sequences); diff != "" {
		t.Errorf("sequences (-want +got):\n%s", diff)
	}

	dst := openSQLite(t)
	res, err := snapshot.Load(ctx, dst, "snap", opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Backup != "" {
		t.Errorf("backup %q of an empty database", res.Backup)
	}
	want := sqliteRows(t, src)
	if diff := cmp.Diff(want, sqliteRows(t, dst)); diff != "" {
		t.Errorf("rows (-saved +loaded):\n%s", diff)
	}
	info2, err := snapshot.Save(ctx, dst, "again", opts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(info.Tables, info2.Tables); diff != "" {
		t.Errorf("tables and checksums (-saved +loaded):\n%s", diff)
	}
	if diff := cmp.Diff(info.Sequences, info2.Sequences); diff != "" {
		t.Errorf("sequences (-saved +loaded):\n%s", diff)
	}
	if diff := cmp.Diff(schemaBody(t, filepath.Join(dir, "snap")), schemaBody(t, filepath.Join(dir, "again"))); diff != "" {
		t.Errorf("schema_init.sql (-saved +loaded):\n%s", diff)
	}

	// The loaded database works as the original did.
	var id int64
	if err := dst.QueryRowContext(ctx, "INSERT INTO kinds (t) VALUES ('new') RETURNING id").Scan(&id); err != nil {
		t.Fatal(err)
	}
	if id != 6 {
		t.Errorf("new kinds row has id %d, want 6 (AUTOINCREMENT goes on from 5)", id)
	}
	exec(t, dst, "INSERT INTO child VALUES (8, 6, 'new')")
	var n int
	if err := dst.QueryRowContext(ctx, "SELECT count(*) FROM log WHERE msg = 'child 8'").Scan(&n); err != nil || n != 1 {
		t.Errorf("trigger: %d rows, %v; want 1", n, err)
	}
	if _, err := dst.ExecContext(ctx, "INSERT INTO child VALUES (9, 99, 'orphan')"); err == nil {
		t.Errorf("foreign key not enforced after load")
	}
}
