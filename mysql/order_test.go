package mysql_test

import (
	"context"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/sourcetest"
	"github.com/decanthq/decant/mysql"
)

// Ensure a NULL in a key column stops the read before its first row,
// even on a resumed read whose page would never have held the NULL row
// ((a, b) > (1, 1) is never true of (1, NULL)): the error names the
// table, the column and the way out.
func TestNullKeyStopsReadAtStart(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE nk (a INT NOT NULL, b INT NULL, v INT, UNIQUE KEY (a, b))")
	d.exec(t, "INSERT INTO nk VALUES (1, 1, 0), (1, 2, 0), (1, NULL, 0), (2, 1, 0)")
	src := d.open(t, "a, b", "", mysql.Options{Table: "nk", PageSize: 10})
	for _, pos := range []decant.Position{nil, decant.Position(`{"after":[1,1]}`)} {
		keys, err := sourcetest.ReadErr(t, src, pos, 10)
		if err == nil || len(keys) > 0 {
			t.Fatalf("read from %s: %q, %v; want an error before any row", pos, keys, err)
		}
		for _, want := range []string{"table nk", "1 rows", "NULL in b", "where: b IS NOT NULL", "COALESCE(b, ...) AS b"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("read from %s: %v; want %q", pos, err, want)
			}
		}
	}
}

// Ensure a query's NULL key is refused with the way out a query has (a
// condition in the query, not the where option).
func TestNullKeyInQueryStopsRead(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE nk (id INT NULL, v INT)")
	d.exec(t, "INSERT INTO nk VALUES (1, 0), (NULL, 0), (NULL, 1)")
	_, err := sourcetest.ReadErr(t, d.open(t, "id", "", mysql.Options{Query: "SELECT id, v FROM nk"}), nil, 10)
	if err == nil || !strings.Contains(err.Error(), "2 rows of the query have NULL in id") || !strings.Contains(err.Error(), "id IS NOT NULL to the query") {
		t.Errorf("Err = %v; want the NULL keys counted and the query's way out", err)
	}
}

// Ensure an ENUM or SET key or cursor is refused by check and by a read:
// MariaDB sorts an ENUM by its place in the list but compares it with a
// bound value as text, so a keyset read skips rows ('new' sorts before
// 'active' but 'active' > 'new' is false).
func TestEnumSetCannotOrder(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE en (status ENUM('new','active','closed') NOT NULL, tags SET('x','y') NOT NULL, id INT NOT NULL, PRIMARY KEY (status, id))")
	d.exec(t, "INSERT INTO en VALUES ('new', 'x', 1), ('active', 'y', 2), ('closed', 'x,y', 3), ('new', 'y', 4)")
	for _, tc := range []struct{ key, cursor, col, typ string }{
		{"status, id", "", "status", "(from.key) is ENUM"},
		{"id", "tags", "tags", "(from.cursor) is SET"},
	} {
		fix := "CAST(" + tc.col + " AS CHAR) AS " + tc.col
		src := d.open(t, tc.key, tc.cursor, mysql.Options{Table: "en", PageSize: 1})
		wayOut := d.open(t, tc.key, tc.cursor, mysql.Options{Query: "SELECT id, " + fix + " FROM en", PageSize: 1})
		sourcetest.Refused(t, src, wayOut, 4, "column "+tc.col+" "+tc.typ, fix)
	}
}

// Ensure a FLOAT (single-precision) key or cursor is refused by check and
// by a read: its value, bound back as a double, is not the column's
// value, so a cursor read loops on the same rows and a key read takes
// two rows for one.
func TestFloatCannotOrder(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE fc (id INT PRIMARY KEY, ver FLOAT NOT NULL, w FLOAT NOT NULL UNIQUE)")
	d.exec(t, "INSERT INTO fc VALUES (1, 0.1, 0.1), (2, 0.1, 0.2), (3, 0.2, 0.3)")
	for _, tc := range []struct{ key, cursor, col, what string }{{"id", "ver", "ver", "from.cursor"}, {"w", "", "w", "from.key"}} {
		fix := "CAST(" + tc.col + " AS DOUBLE) AS " + tc.col
		src := d.open(t, tc.key, tc.cursor, mysql.Options{Table: "fc", PageSize: 2})
		wayOut := d.open(t, tc.key, tc.cursor, mysql.Options{Query: "SELECT id, " + fix + " FROM fc", PageSize: 2})
		sourcetest.Refused(t, src, wayOut, 3, "column "+tc.col+" ("+tc.what+") is a single-precision float (FLOAT)", fix)
	}
}

// Ensure a zero date in a cursor stops the read naming the column, the
// value and the way out, not as a NULL it does not hold; with
// zero_dates: null too, as the date is still no place to resume from.
func TestZeroDateCursorStopsRead(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE z (id INT PRIMARY KEY, seen DATETIME NOT NULL)")
	d.exec(t, "INSERT INTO z VALUES (1, '2020-01-02 03:04:05'), (2, '0000-00-00 00:00:00')")
	const want = "table z: column seen (from.cursor) holds 0000-00-00 00:00:00"
	for _, zero := range []string{"", mysql.ZeroDatesNull} {
		keys, err := sourcetest.ReadErr(t, d.open(t, "id", "seen", mysql.Options{Table: "z", ZeroDates: zero}), nil, 10)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "CAST(seen AS CHAR) AS seen") {
			t.Errorf("zero_dates %q: read %q, %v; want %q and the way out", zero, keys, err, want)
		}
	}
	recs := sourcetest.ReadAll(t, d.open(t, "id", "seen", mysql.Options{Query: "SELECT id, CAST(seen AS CHAR) AS seen FROM z"}), nil)
	if len(recs) != 2 {
		t.Errorf("the way out read %d rows of 2", len(recs))
	}
}

// Ensure check looks for keys held twice and NULL keys among the rows of
// the scope it is asked about, with ${scope} bound: another scope's rows
// neither raise nor hide a problem.
func TestCheckSourceScope(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE s (id INT NULL, tenant VARCHAR(10) NOT NULL)")
	d.exec(t, "INSERT INTO s VALUES (1, 'a'), (1, 'a'), (1, 'b'), (NULL, 'b'), (2, 'c')")
	src := d.open(t, "id", "", mysql.Options{Table: "s", Where: "tenant = ${scope}"})
	for scope, want := range map[string]string{
		"a": "the key id of table s is not unique: 2 rows hold 1",
		"b": "1 rows of table s have NULL in id",
		"c": "",
	} {
		got := strings.Join(src.CheckSource(context.Background(), scope), "\n")
		if want == "" && got != "" || !strings.Contains(got, want) || strings.Count(got, "\n") > 0 {
			t.Errorf("scope %s: problems %q, want only %q", scope, got, want)
		}
	}
}
