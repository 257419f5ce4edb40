package mysql_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	driver "github.com/go-sql-driver/mysql"
	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/sourcetest"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/mysql"
	"github.com/decanthq/decant/transform"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// database is a throwaway MariaDB database and a handle on it.
type database struct {
	url string
	db  *sql.DB
}

func newDatabase(t *testing.T) *database {
	t.Helper()
	url := testenv.MySQL(t)
	cfg, err := mysql.Config(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MultiStatements = true
	cfg.Params["sql_mode"] = "''" // lets the tests store zero dates
	conn, err := driver.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(conn)
	t.Cleanup(func() { db.Close() })
	return &database{url: url, db: db}
}

func (d *database) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := d.db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func (d *database) open(t *testing.T, key, cursor string, o mysql.Options) *mysql.Source {
	t.Helper()
	src, err := mysql.Open(d.url, key, cursor, &o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

func insertItems(t *testing.T, d *database, keys []string) {
	t.Helper()
	for i, k := range keys {
		d.exec(t, "INSERT INTO items (k, n) VALUES (?, ?)", k, i)
	}
}

// Ensure the MariaDB source keeps the conformance suite: reads and
// resumes from every position lose nothing and double nothing, with
// pages of 7 rows so that page edges fall everywhere.
func TestConformance(t *testing.T) {
	open := map[decant.Source]*database{}
	sourcetest.Run(t, sourcetest.Harness{
		New: func(t *testing.T, keys []string) decant.Source {
			d := newDatabase(t)
			d.exec(t, "CREATE TABLE items (k VARCHAR(100) COLLATE utf8mb4_bin PRIMARY KEY, n INT)")
			insertItems(t, d, keys)
			src, err := mysql.Open(d.url, "k", "", &mysql.Options{Table: "items", PageSize: 7})
			if err != nil {
				t.Fatal(err)
			}
			open[src] = d
			return src
		},
		Append: func(t *testing.T, src decant.Source, keys []string) {
			insertItems(t, open[src], keys)
		},
	})
}

// docs reads src from pos and returns each record's document as JSON,
// checking that its Doc and Raw hold one document.
func docs(t *testing.T, src decant.Source, pos decant.Position) []string {
	t.Helper()
	var out []string
	for _, r := range sourcetest.ReadAll(t, src, pos) {
		sourcetest.CheckDoc(t, r)
		out = append(out, r.Key+" "+string(r.Raw))
	}
	return out
}

// Ensure every MariaDB type reads as docs/plan.md says: decimals exact,
// unsigned 64-bit integers past int64 exact, dates and times with and
// without a zone, binary as base64, JSON columns as JSON, enums and sets
// as text, bits as integers, booleans as 0 and 1. The row is read twice,
// on the first page and on the second: the server sends the first in
// text and the next in binary unless the first page binds an argument
// too, and a FLOAT's text has fewer digits (1234567.875 was 1234570 on
// the first page, 1234567.9 after).
func TestTypes(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, `CREATE TABLE types (
		id INT PRIMARY KEY, dec_col DECIMAL(30,10), big_u BIGINT UNSIGNED, small TINYINT, yr YEAR,
		f FLOAT, f7 FLOAT, dbl DOUBLE, d DATE, dt DATETIME(3), ts TIMESTAMP(6) NULL, tm TIME, tm3 TIME(3),
		bin VARBINARY(8), blb BLOB, js JSON, en ENUM('a','b'), st SET('x','y'), b8 BIT(8), b1 BIT(1),
		ok BOOLEAN, txt TEXT, nul VARCHAR(5), mi MEDIUMINT UNSIGNED)`)
	for _, id := range []string{"1", "2"} {
		d.exec(t, `SET time_zone = '+02:00'; INSERT INTO types VALUES (`+id+`, 12345678901234567890.0123456789, 18446744073709551615, -5, 2024,
		0.1, 1234567.875, 0.30000000000000004, '2024-02-29', '2024-02-29 13:14:15.123', '2024-02-29 13:14:15.5', '-838:59:59', '12:00:00.5',
		x'00ff10', x'cafe', '{"a": [1, 2.50], "b": null}', 'b', 'x,y', b'10000001', b'1',
		TRUE, 'ünïcödé "q"', NULL, 16777215)`)
	}
	got := docs(t, d.open(t, "id", "", mysql.Options{Table: "types", PageSize: 1}), nil)
	row := `{"b1":1,"b8":129,"big_u":18446744073709551615,"bin":"AP8Q","blb":"yv4=","d":"2024-02-29",` +
		`"dbl":0.30000000000000004,"dec_col":12345678901234567890.0123456789,"dt":"2024-02-29T13:14:15.123","en":"b",` +
		`"f":0.1,"f7":1234567.9,"id":%d,"js":{"a":[1,2.5],"b":null},"mi":16777215,"nul":null,"ok":1,"small":-5,"st":"x,y",` +
		`"tm":"-838:59:59","tm3":"12:00:00.500","ts":"2024-02-29T11:14:15.500000Z","txt":"ünïcödé \"q\"","yr":2024}`
	want := []string{"1 " + fmt.Sprintf(row, 1), "2 " + fmt.Sprintf(row, 2)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
}

// Ensure a JSON column's documents reach the record's Raw exactly as
// decoding them and writing them again would put them there (names
// sorted at every depth, numbers and escapes respelled), so that the source hash and the mapped values do not
// depend on how the reader gets there.
func TestJSONColumnsAsDecoded(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE j (id INT PRIMARY KEY, doc JSON)")
	texts := []string{
		`{"z": 1, "a": {"y": 1e2, "b": "\u00e9\n", "a": [3, {"d": 1.50, "c": -0.0}]}}`,
		`[1, "x", null, true, {"b": 2, "a": 1}]`,
		`"just text"`,
		`12345678901234567890.5`,
		`{"deep": [[[[{"k": "v"}]]]], "empty": {}, "none": []}`,
	}
	for i, text := range texts {
		d.exec(t, fmt.Sprintf("INSERT INTO j VALUES (%d, '%s')", i+1, strings.ReplaceAll(text, `\`, `\\`)))
	}
	d.exec(t, `INSERT INTO j VALUES (99, '{"a": 1, "a": 2}')`)
	recs := sourcetest.ReadAll(t, d.open(t, "id", "", mysql.Options{Table: "j"}), nil)
	if rec := recs[len(recs)-1]; rec.Invalid != "" || !strings.Contains(string(rec.Raw), `"doc":{"a":2}`) {
		t.Errorf("a document naming a twice: Raw %s, Invalid %q; want the last value, as decoding keeps it", rec.Raw, rec.Invalid)
	}
	got := docs(t, d.open(t, "id", "", mysql.Options{Table: "j", Where: "id < 99"}), nil)
	for i, text := range texts {
		v, err := transform.DecodeJSON([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := transform.AppendJSON(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf(`%d {"doc":%s,"id":%d}`, i+1, doc, i+1); i >= len(got) || got[i] != want {
			t.Errorf("record %d = %q, want %q", i+1, got[min(i, len(got)-1)], want)
		}
	}
}

// Ensure a zero date fails its record by default, naming the column and
// the key, and reads as NULL with zero_dates: null; the rows around it
// are read either way.
func TestZeroDates(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE z (id INT PRIMARY KEY, born DATE, seen DATETIME)")
	d.exec(t, "INSERT INTO z VALUES (1, '2020-01-02', '2020-01-02 03:04:05'), (2, '0000-00-00', '2020-00-00 00:00:00'), (3, NULL, NULL)")

	recs := sourcetest.ReadAll(t, d.open(t, "id", "", mysql.Options{Table: "z"}), nil)
	if len(recs) != 3 {
		t.Fatalf("read %d records, want 3", len(recs))
	}
	if recs[0].Change {
		t.Error("a record read in key order is marked as a change")
	}
	if recs[0].Invalid != "" || recs[2].Invalid != "" {
		t.Errorf("good rows invalid: %q, %q", recs[0].Invalid, recs[2].Invalid)
	}
	if inv := recs[1].Invalid; !strings.Contains(inv, "key 2") || !strings.Contains(inv, "column born") || !strings.Contains(inv, "zero_dates: null") {
		t.Errorf("zero date record: Invalid = %q, want the key, the column and the way out", inv)
	}

	got := docs(t, d.open(t, "id", "", mysql.Options{Table: "z", ZeroDates: mysql.ZeroDatesNull}), nil)
	want := []string{`1 {"born":"2020-01-02","id":1,"seen":"2020-01-02T03:04:05"}`, `2 {"born":null,"id":2,"seen":null}`, `3 {"born":null,"id":3,"seen":null}`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("zero_dates: null (-want +got):\n%s", diff)
	}
}

// Ensure a composite key orders the read, becomes a JSON array as the
// record's key, and that a read resumed from any record's position reads
// exactly the rows after it.
func TestCompositeKeyResume(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE c (region VARCHAR(10), id INT, v INT, PRIMARY KEY (region, id))")
	for _, r := range []string{"eu", "us"} {
		for i := range 5 {
			d.exec(t, "INSERT INTO c VALUES (?, ?, ?)", r, 5-i, i)
		}
	}
	src := d.open(t, "region, id", "", mysql.Options{Table: "c", PageSize: 3})
	all := sourcetest.ReadAll(t, src, nil)
	var keys []string
	for _, r := range all {
		keys = append(keys, r.Key)
	}
	want := []string{`["eu",1]`, `["eu",2]`, `["eu",3]`, `["eu",4]`, `["eu",5]`, `["us",1]`, `["us",2]`, `["us",3]`, `["us",4]`, `["us",5]`}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Fatalf("keys (-want +got):\n%s", diff)
	}
	if got := string(all[4].Position); got != `{"after":["eu",5]}` {
		t.Errorf("position = %s", got)
	}
	for i, r := range all {
		rest := sourcetest.ReadAll(t, src, r.Position)
		if len(rest) != len(all)-i-1 || (len(rest) > 0 && rest[0].Key != all[i+1].Key) {
			t.Errorf("resume after %s: read %d records, want the %d after it", r.Key, len(rest), len(all)-i-1)
		}
	}
}

// Ensure a cursor column gives incremental reads ordered by (cursor, key):
// rows sharing a cursor value across a page edge are all read, once, and
// a read from the last position finds only the rows changed since.
func TestCursor(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE u (id INT PRIMARY KEY, updated_at DATETIME(6) NOT NULL, v INT)")
	for i := 1; i <= 7; i++ {
		d.exec(t, "INSERT INTO u VALUES (?, '2024-01-01 00:00:00', ?)", i, i) // all tie
	}
	src := d.open(t, "id", "updated_at", mysql.Options{Table: "u", PageSize: 2})
	first := sourcetest.ReadAll(t, src, nil)
	if len(first) != 7 {
		t.Fatalf("first read: %d records, want 7", len(first))
	}
	if first[0].Cursor != "2024-01-01T00:00:00.000000" || !first[0].Change {
		t.Errorf("cursor = %q, change %v; want the cursor's text, and a change (read in cursor order)", first[0].Cursor, first[0].Change)
	}
	last := first[len(first)-1].Position
	if rest := sourcetest.ReadAll(t, src, last); len(rest) != 0 {
		t.Fatalf("read after the end: %d records", len(rest))
	}
	d.exec(t, "UPDATE u SET v = 30, updated_at = '2024-01-02 00:00:00' WHERE id = 3")
	d.exec(t, "INSERT INTO u VALUES (8, '2024-01-02 00:00:00', 8)")
	var keys []string
	for _, r := range sourcetest.ReadAll(t, src, last) {
		keys = append(keys, r.Key)
	}
	if diff := cmp.Diff([]string{"3", "8"}, keys); diff != "" {
		t.Errorf("incremental read (-want +got):\n%s", diff)
	}
}

// Ensure ${scope} and :name parameters are bound, never spliced: a scope
// holding a quote selects nothing and breaks nothing.
func TestScopeAndParamsBound(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE o (id INT PRIMARY KEY, tenant VARCHAR(40), created DATE)")
	d.exec(t, "INSERT INTO o VALUES (1, 'acme', '2019-05-01'), (2, 'acme', '2021-05-01'), (3, 'other', '2021-05-01')")
	for name, o := range map[string]mysql.Options{
		"table": {Table: "o", Where: "tenant = ${scope} AND created >= :since # ends with a comment", Params: map[string]string{"since": "2020-01-01"}},
		"query": {Query: "SELECT id, tenant FROM o WHERE tenant = '${scope}' AND created >= :since -- :not_a_param", Params: map[string]string{"since": "2020-01-01"}},
	} {
		t.Run(name, func(t *testing.T) {
			src := d.open(t, "id", "", o)
			ctx := context.Background()
			for scope, want := range map[string]int{"acme": 1, "x' OR '1'='1": 0, `x\' OR 1=1 -- `: 0} {
				if n := len(sourcetest.ReadScope(t, src, scope, nil)); n != want {
					t.Errorf("scope %q read %d rows, want %d", scope, n, want)
				}
			}
			n, ok, err := src.Size(ctx, "acme", nil)
			if err != nil || !ok || n != 1 {
				t.Errorf("Size = %d, %v, %v; want 1", n, ok, err)
			}
		})
	}
}

// Ensure bad options are refused when the source opens, naming the
// option and how to fix it.
func TestOptionErrors(t *testing.T) {
	for _, tc := range []struct {
		key string
		o   mysql.Options
		msg string
	}{
		{"id", mysql.Options{}, "table: name the table"},
		{"id", mysql.Options{Table: "t", Query: "SELECT 1"}, "set table or query, not both"},
		{"id", mysql.Options{Table: "t", Where: "a = :since"}, ":since is not among params"},
		{"id", mysql.Options{Table: "t", Params: map[string]string{"x": "1"}}, "params.x is not used"},
		{"id", mysql.Options{Table: "t", Where: "name LIKE 'org-${scope}%'"}, "${scope} inside 'org-${scope}%'"},
		{"id", mysql.Options{Table: "t_${scope}"}, "a table name cannot take ${scope}"},
		{"id", mysql.Options{Table: "t", ZeroDates: "zero"}, `zero_dates: want "null" or "error"`},
		{"id", mysql.Options{Table: "t", Columns: []string{"name"}}, "must include id"},
		{"", mysql.Options{Table: "t"}, "from.key must name the key column"},
	} {
		_, err := mysql.Open("mysql://u@h/db", tc.key, "", &tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%+v: error %v, want %q", tc.o, err, tc.msg)
		}
	}
}

// Ensure CheckSource refuses what would break a keyset read, naming the
// table, the key and the column types it cannot read.
func TestCheckSource(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE dup (id INT, name VARCHAR(10))")
	d.exec(t, "INSERT INTO dup VALUES (1, 'a'), (2, 'b'), (2, 'c')")
	d.exec(t, "CREATE TABLE geo (id INT PRIMARY KEY, place POINT)")
	d.exec(t, "CREATE TABLE nul (id INT, v INT)")
	d.exec(t, "INSERT INTO nul VALUES (1, 1), (NULL, 2)")
	for _, tc := range []struct {
		key  string
		o    mysql.Options
		want string
	}{
		{"code", mysql.Options{Table: "dup"}, "table dup has no column code, which from.key names (its columns: id, name)"},
		{"id", mysql.Options{Table: "dup"}, "the key id of table dup is not unique: 2 rows hold 2"},
		{"id", mysql.Options{Table: "geo"}, "column place has type GEOMETRY, which decant cannot read"},
		{"id", mysql.Options{Table: "nul"}, "1 rows of table nul have NULL in id, which a keyset read cannot place and would skip; filter them out (where: id IS NOT NULL)"},
		{"id", mysql.Options{Query: "SELECT * FROM missing"}, "the query: Error 1146"},
		{"id, name", mysql.Options{Table: "dup"}, ""},
	} {
		got := strings.Join(d.open(t, tc.key, "", tc.o).CheckSource(context.Background(), decant.DefaultScope), "\n")
		if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("%s %+v: problems %q, want %q", tc.key, tc.o, got, tc.want)
		}
	}
}

// Ensure a read whose key turns out not unique stops with an error
// instead of skipping rows at a page edge.
func TestDuplicateKeyStopsRead(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE dup (id INT, name VARCHAR(10))")
	d.exec(t, "INSERT INTO dup VALUES (1, 'a'), (2, 'b'), (2, 'c'), (3, 'd')")
	src := d.open(t, "id", "", mysql.Options{Table: "dup"})
	ctx := context.Background()
	rows, err := src.Read(ctx, decant.DefaultScope, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next(ctx) {
	}
	if err := rows.Err(); err == nil || !strings.Contains(err.Error(), "two rows hold the key 2") {
		t.Errorf("Err = %v, want the duplicate key named", err)
	}
}

// Ensure a query that fails at the server is an error of Read naming
// what was read and the server's message.
func TestQueryFails(t *testing.T) {
	d := newDatabase(t)
	src := d.open(t, "id", "", mysql.Options{Query: "SELECT id FROM nowhere"})
	_, err := src.Read(context.Background(), decant.DefaultScope, nil)
	if err == nil || !strings.Contains(err.Error(), "the query") || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("Read: %v, want the query's failure", err)
	}
}

// Ensure a password with special characters works URL-escaped and is
// never printed: not by String, not in a failed connection's error.
func TestPasswordSpecialCharacters(t *testing.T) {
	d := newDatabase(t)
	const password = "p@ss:w/rd#1"
	user := fmt.Sprintf("decant_pw_%d", len(t.Name()))
	d.exec(t, "DROP USER IF EXISTS '"+user+"'@'%'")
	d.exec(t, "CREATE USER '"+user+"'@'%' IDENTIFIED BY '"+password+"'")
	t.Cleanup(func() { d.db.Exec("DROP USER IF EXISTS '" + user + "'@'%'") })
	cfg, _ := mysql.Config(d.url)
	d.exec(t, "GRANT SELECT ON `"+cfg.DBName+"`.* TO '"+user+"'@'%'")
	d.exec(t, "CREATE TABLE t (id INT PRIMARY KEY)")
	d.exec(t, "INSERT INTO t VALUES (1)")

	escaped := strings.NewReplacer("@", "%40", ":", "%3A", "/", "%2F", "#", "%23").Replace(password)
	good := fmt.Sprintf("mysql://%s:%s@%s/%s", user, escaped, cfg.Addr, cfg.DBName)
	src, err := mysql.Open(good, "id", "", &mysql.Options{Table: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := src.Ping(context.Background()); err != nil {
		t.Fatalf("Ping with the escaped password: %v", err)
	}
	if n := len(sourcetest.ReadAll(t, src, nil)); n != 1 {
		t.Errorf("read %d rows, want 1", n)
	}
	for _, s := range []string{src.String(), decant.RedactURL(good), decant.RedactText("connect " + good + " failed")} {
		if strings.Contains(s, "rd#1") || strings.Contains(s, escaped) || strings.Contains(s, "rd%231") {
			t.Errorf("%q shows the password", s)
		}
	}

	bad := strings.Replace(good, escaped, escaped+"x", 1)
	wrong, err := mysql.Open(bad, "id", "", &mysql.Options{Table: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	err = wrong.Ping(context.Background())
	if err == nil {
		t.Fatal("Ping with a wrong password succeeded")
	}
	for _, secret := range []string{password, escaped, "rd#1x"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error shows the password: %v", err)
		}
	}
	unescaped := strings.Replace(good, escaped, password, 1)
	if _, err := mysql.Open(unescaped, "id", "", &mysql.Options{Table: "t"}); err == nil {
		t.Error("an unescaped password with @ / # opened")
	} else if strings.Contains(err.Error(), "w/rd") {
		t.Errorf("error shows the password: %v", err)
	}
}

// Ensure Size counts the rows after a position.
func TestSize(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE items (k VARCHAR(100) PRIMARY KEY, n INT)")
	insertItems(t, d, sourcetest.Keys(10))
	src := d.open(t, "k", "", mysql.Options{Table: "items", PageSize: 4})
	recs := sourcetest.ReadAll(t, src, nil)
	for _, tc := range []struct {
		pos  decant.Position
		want int64
	}{{nil, 10}, {recs[3].Position, 6}, {recs[9].Position, 0}} {
		n, ok, err := src.Size(context.Background(), decant.DefaultScope, tc.pos)
		if err != nil || !ok || n != tc.want {
			t.Errorf("Size(%s) = %d, %v, %v; want %d", tc.pos, n, ok, err, tc.want)
		}
	}
	var p map[string]any
	if err := json.Unmarshal(recs[3].Position, &p); err != nil || p["after"] == nil {
		t.Errorf("position %s: want {\"after\": [...]}", recs[3].Position)
	}
}

// Ensure an unsigned 64-bit key past int64 resumes exactly: its position
// keeps the number whole and binds it back as one.
func TestUnsignedKeyResume(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE u (id BIGINT UNSIGNED PRIMARY KEY)")
	d.exec(t, "INSERT INTO u VALUES (1), (9223372036854775807), (9223372036854775808), (18446744073709551615)")
	src := d.open(t, "id", "", mysql.Options{Table: "u", PageSize: 1})
	all := sourcetest.ReadAll(t, src, nil)
	var keys []string
	for _, r := range all {
		keys = append(keys, r.Key)
	}
	if diff := cmp.Diff([]string{"1", "9223372036854775807", "9223372036854775808", "18446744073709551615"}, keys); diff != "" {
		t.Fatalf("keys (-want +got):\n%s", diff)
	}
	if rest := sourcetest.ReadAll(t, src, all[2].Position); len(rest) != 1 || rest[0].Key != "18446744073709551615" {
		t.Errorf("resume after %s: %d records", all[2].Position, len(rest))
	}
}

// Ensure a row whose cursor is NULL stops the read with an error naming
// the column, instead of being skipped or ending the read silently.
func TestNullCursorStopsRead(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE n (id INT PRIMARY KEY, updated_at DATETIME NULL)")
	d.exec(t, "INSERT INTO n VALUES (1, NULL), (2, '2024-01-01 00:00:00')")
	keys, err := sourcetest.ReadErr(t, d.open(t, "id", "updated_at", mysql.Options{Table: "n"}), nil, 10)
	if err == nil || !strings.Contains(err.Error(), "NULL in updated_at") {
		t.Errorf("read %q, Err = %v; want the NULL cursor named", keys, err)
	}
}

// Ensure chunks of a key of two columns read every row once and resume
// exactly, with boundaries among the many rows that share the first
// column.
func TestCompositeChunks(t *testing.T) {
	d := newDatabase(t)
	d.exec(t, "CREATE TABLE c (a INT, b VARCHAR(10), n INT, PRIMARY KEY (a, b))")
	for _, r := range sourcetest.CompositeRows() {
		d.exec(t, "INSERT INTO c (a, b, n) VALUES (?, ?, 0)", r[0], r[1])
	}
	sourcetest.CompositeChunks(t, d.open(t, "a, b", "", mysql.Options{Table: "c", PageSize: 4}))
}
