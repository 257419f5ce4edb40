package mysql

import (
	"context"
	"database/sql"
	"testing"

	"github.com/decanthq/decant/internal/testenv"
)

// Ensure a page after a composite key is asked for with the comparison
// spelled out, which MariaDB reads as a range of the primary key: it
// reads (a, b) > (?, ?) by scanning every row from the first, so each
// page of a composite-key read cost the whole table before it.
func TestCompositeAfterIsARange(t *testing.T) {
	text, args := dialect.PageSQL("big", []string{"a", "b"}, []any{1500, 5}, 1000)
	const want = "SELECT * FROM `big` WHERE ((`big`.`a` > ?) OR (`big`.`a` = ? AND `big`.`b` > ?)) ORDER BY `big`.`a`, `big`.`b` LIMIT 1000"
	if text != want {
		t.Fatalf("page query:\n got %s\nwant %s", text, want)
	}
	cfg, err := Config(testenv.MySQL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.MultiStatements = true
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE big (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b));
		INSERT INTO big SELECT seq DIV 100, seq MOD 100 FROM seq_1_to_200000; ANALYZE TABLE big`); err != nil {
		t.Fatal(err)
	}
	var id int
	var selectType, table, typ, possible, key, keyLen, ref, extra sql.NullString
	var rows sql.NullInt64
	if err := db.QueryRow("EXPLAIN "+text, args...).Scan(&id, &selectType, &table, &typ, &possible, &key, &keyLen, &ref, &rows, &extra); err != nil {
		t.Fatal(err)
	}
	if typ.String != "range" || key.String != "PRIMARY" {
		t.Errorf("EXPLAIN %s: type %s on key %s (%d rows); want a range of PRIMARY", text, typ.String, key.String, rows.Int64)
	}
}

// Ensure looking for MariaDB's JSON columns fails with the server's
// error, which a read then reports, instead of finding none: only MySQL's
// missing CHECK_CONSTRAINTS.TABLE_NAME means there is nothing to find.
func TestJSONColumnsErrors(t *testing.T) {
	cfg, err := Config(testenv.MySQL(t))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE j (id INT PRIMARY KEY, doc JSON)"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if cols, err := jsonColumns(ctx, db, "j"); err != nil || len(cols) != 1 || cols[0] != "doc" {
		t.Errorf("jsonColumns = %q, %v; want [doc]", cols, err)
	}
	db.Close()
	if cols, err := jsonColumns(ctx, db, "j"); err == nil {
		t.Errorf("jsonColumns on a closed handle = %q, nil; want its error", cols)
	}
}
