package postgres_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/sourcetest"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/postgres"
)

// sourceDB is a throwaway PostgreSQL database to read from.
type sourceDB struct {
	url string
	db  *sql.DB
}

func newSourceDB(t *testing.T) *sourceDB {
	t.Helper()
	url := testenv.Postgres(t)
	db, err := postgres.OpenDB(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &sourceDB{url: url, db: db}
}

func (d *sourceDB) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := d.db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func (d *sourceDB) open(t *testing.T, key, cursor string, o postgres.SourceOptions) *postgres.Source {
	t.Helper()
	src, err := postgres.OpenSource(d.url, key, cursor, &o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// Ensure the PostgreSQL source keeps the conformance suite, with pages
// of 7 rows so that page edges fall everywhere.
func TestSourceConformance(t *testing.T) {
	open := map[decant.Source]*sourceDB{}
	insert := func(t *testing.T, d *sourceDB, keys []string) {
		for i, k := range keys {
			d.exec(t, "INSERT INTO items (k, n) VALUES ($1, $2)", k, i)
		}
	}
	sourcetest.Run(t, sourcetest.Harness{
		New: func(t *testing.T, keys []string) decant.Source {
			d := newSourceDB(t)
			d.exec(t, `CREATE TABLE items (k TEXT COLLATE "C" PRIMARY KEY, n INT)`)
			insert(t, d, keys)
			src, err := postgres.OpenSource(d.url, "k", "", &postgres.SourceOptions{Table: "items", PageSize: 7})
			if err != nil {
				t.Fatal(err)
			}
			open[src] = d
			return src
		},
		Append: func(t *testing.T, src decant.Source, keys []string) { insert(t, open[src], keys) },
	})
}

// Ensure every PostgreSQL type reads as docs/plan.md says.
func TestSourceTypes(t *testing.T) {
	d := newSourceDB(t)
	d.exec(t, `CREATE TYPE mood AS ENUM ('sad', 'happy')`)
	d.exec(t, `CREATE TABLE types (id BIGINT PRIMARY KEY, num NUMERIC(30,10), r REAL, dp DOUBLE PRECISION, ok BOOLEAN,
		d DATE, ts TIMESTAMP(3), tz TIMESTAMPTZ, tm TIME, by BYTEA, js JSON, jb JSONB, m mood, u UUID, b BIT(4), t TEXT, n TEXT)`)
	d.exec(t, `SET TIME ZONE 'Europe/Paris'`)
	d.exec(t, `INSERT INTO types VALUES (9223372036854775807, 12345678901234567890.0123456789, 0.1, 0.30000000000000004, true,
		'2024-02-29', '2024-02-29 13:14:15.123', '2024-02-29 13:14:15.5+02', '13:14:15', '\x00ff10', '{"a": [1, 2.50]}', '{"b": null}',
		'happy', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', B'1010', 'ünïcödé "q"', NULL)`)
	var got []string
	for _, r := range sourcetest.ReadAll(t, d.open(t, "id", "", postgres.SourceOptions{Table: "types"}), nil) {
		sourcetest.CheckDoc(t, r)
		got = append(got, r.Key+" "+string(r.Raw))
	}
	want := []string{`9223372036854775807 {"b":"1010","by":"AP8Q","d":"2024-02-29","dp":0.30000000000000004,"id":9223372036854775807,` +
		`"jb":{"b":null},"js":{"a":[1,2.5]},"m":"happy","n":null,"num":12345678901234567890.0123456789,"ok":true,"r":0.1,` +
		`"t":"ünïcödé \"q\"","tm":"13:14:15","ts":"2024-02-29T13:14:15.123","tz":"2024-02-29T11:14:15.5Z","u":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
}

// Ensure a cursor of type timestamptz and a composite key resume exactly
// after the last row read, and a later read finds only changed rows.
func TestSourceCursorResume(t *testing.T) {
	d := newSourceDB(t)
	d.exec(t, "CREATE TABLE u (region TEXT, id INT, updated_at TIMESTAMPTZ NOT NULL, v INT, PRIMARY KEY (region, id))")
	for i := 1; i <= 5; i++ {
		d.exec(t, "INSERT INTO u VALUES ('eu', $1, '2024-01-01 00:00:00+00', $1)", i)
	}
	src := d.open(t, "region, id", "updated_at", postgres.SourceOptions{Table: "u", PageSize: 2})
	all := sourcetest.ReadAll(t, src, nil)
	if len(all) != 5 || all[0].Key != `["eu",1]` {
		t.Fatalf("read %d records, first %q", len(all), all[0].Key)
	}
	for i, r := range all {
		if n := len(sourcetest.ReadAll(t, src, r.Position)); n != len(all)-i-1 {
			t.Errorf("resume after %s (%s): %d records, want %d", r.Key, r.Position, n, len(all)-i-1)
		}
	}
	d.exec(t, "UPDATE u SET updated_at = '2024-01-02 00:00:00+00', v = 0 WHERE id = 2")
	var keys []string
	for _, r := range sourcetest.ReadAll(t, src, all[4].Position) {
		keys = append(keys, r.Key)
	}
	if diff := cmp.Diff([]string{`["eu",2]`}, keys); diff != "" {
		t.Errorf("incremental read (-want +got):\n%s", diff)
	}
}

// Ensure ${scope} and :name are bound (a quote in the scope is harmless),
// and check names a key that is not unique and a type it cannot read.
func TestSourceScopeAndCheck(t *testing.T) {
	d := newSourceDB(t)
	d.exec(t, "CREATE TABLE o (id INT, tenant TEXT, created DATE, tags INT[])")
	d.exec(t, "INSERT INTO o VALUES (1, 'acme', '2019-05-01', NULL), (2, 'acme', '2021-05-01', NULL), (2, 'other', '2021-05-01', NULL)")
	src := d.open(t, "id", "", postgres.SourceOptions{Query: "SELECT id, tenant FROM o WHERE tenant = ${scope} AND created >= :since::date",
		Params: map[string]string{"since": "2020-01-01"}})
	for scope, want := range map[string]int{"acme": 1, "x' OR '1'='1": 0} {
		recs := sourcetest.ReadScope(t, src, scope, nil)
		if len(recs) != want {
			t.Errorf("scope %q: %d records, want %d", scope, len(recs), want)
		}
	}
	got := strings.Join(d.open(t, "id", "", postgres.SourceOptions{Table: "o"}).CheckSource(context.Background(), decant.DefaultScope), "\n")
	for _, want := range []string{"column tags has type _INT4, which decant cannot read"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems %q, want %q", got, want)
		}
	}
	got = strings.Join(d.open(t, "id", "", postgres.SourceOptions{Table: "o", Columns: []string{"id", "tenant"}}).CheckSource(context.Background(), decant.DefaultScope), "\n")
	if !strings.Contains(got, "the key id of table o is not unique: 2 rows hold 2") {
		t.Errorf("problems %q, want the duplicate key", got)
	}
}

// Ensure options only MariaDB reads are refused, not ignored, and so are
// options that do not fit together.
func TestSourceOptionErrors(t *testing.T) {
	for _, tc := range []struct {
		o    postgres.SourceOptions
		want string
	}{
		{postgres.SourceOptions{Table: "t", ZeroDates: "null"}, "zero_dates: PostgreSQL has no zero dates"},
		{postgres.SourceOptions{Query: "SELECT 1", Where: "a = 1"}, "where and columns go with table"},
	} {
		if err := tc.o.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.o, err, tc.want)
		}
		if _, err := postgres.OpenSource("postgres://u@localhost/db", "id", "", &tc.o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("OpenSource %+v: %v, want %q", tc.o, err, tc.want)
		}
	}
}

// Ensure a NULL key or cursor stops the read before its first row:
// PostgreSQL sorts NULL last and no (key) > (...) is ever true of it, so
// without the count at the start the read would end without the row.
func TestSourceNullKeyOrCursorStopsRead(t *testing.T) {
	d := newSourceDB(t)
	d.exec(t, "CREATE TABLE nk (id int, at timestamptz, v int)")
	d.exec(t, "INSERT INTO nk VALUES (1, '2024-01-01Z', 0), (2, NULL, 0), (NULL, '2024-01-02Z', 0), (3, '2024-01-03Z', 0)")
	for _, tc := range []struct{ cursor, want string }{
		{"", "1 rows of table nk have NULL in id, which a keyset read cannot place and would skip; filter them out (where: id IS NOT NULL)"},
		{"at", "1 rows of table nk have NULL in at, which a keyset read cannot place and would skip; filter them out (where: at IS NOT NULL)"},
	} {
		keys, err := sourcetest.ReadErr(t, d.open(t, "id", tc.cursor, postgres.SourceOptions{Table: "nk", PageSize: 2}), nil, 10)
		if err == nil || len(keys) > 0 || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("cursor %q: read %q, %v; want %q before any row", tc.cursor, keys, err, tc.want)
		}
	}
}

// Ensure a real (single-precision) key or cursor is refused by check and
// by a read: bound back as a double, 0.1 is above the column's 0.1, and a
// cursor read would repeat its first page forever.
func TestSourceRealCannotOrder(t *testing.T) {
	d := newSourceDB(t)
	d.exec(t, "CREATE TABLE c (id int PRIMARY KEY, ver real NOT NULL)")
	d.exec(t, "INSERT INTO c VALUES (1, 0.1), (2, 0.1), (3, 0.2)")
	src := d.open(t, "id", "ver", postgres.SourceOptions{Table: "c", PageSize: 2})
	const fix = "CAST(ver AS double precision) AS ver"
	wayOut := d.open(t, "id", "ver", postgres.SourceOptions{Query: "SELECT id, " + fix + " FROM c", PageSize: 2})
	sourcetest.Refused(t, src, wayOut, 3, "column ver (from.cursor) is a single-precision float (FLOAT4)", fix)
}

// Ensure timestamp infinities read as PostgreSQL writes them, without a
// zone glued on ("infinityZ"), and resume as a cursor.
func TestSourceInfinity(t *testing.T) {
	d := newSourceDB(t)
	d.exec(t, "CREATE TABLE c (id int PRIMARY KEY, at timestamptz NOT NULL, ts timestamp, d date)")
	d.exec(t, "INSERT INTO c VALUES (1, '-infinity', '-infinity', '-infinity'), (2, '2024-01-01Z', NULL, NULL), (3, 'infinity', 'infinity', 'infinity'), (4, 'infinity', NULL, NULL)")
	src := d.open(t, "id", "at", postgres.SourceOptions{Table: "c", PageSize: 1})
	var got []string
	all := sourcetest.ReadAll(t, src, nil)
	for _, r := range all {
		got = append(got, r.Key+" "+r.Cursor+" "+string(r.Raw))
	}
	want := []string{
		`1 -infinity {"at":"-infinity","d":"-infinity","id":1,"ts":"-infinity"}`,
		`2 2024-01-01T00:00:00Z {"at":"2024-01-01T00:00:00Z","d":null,"id":2,"ts":null}`,
		`3 infinity {"at":"infinity","d":"infinity","id":3,"ts":"infinity"}`,
		`4 infinity {"at":"infinity","d":null,"id":4,"ts":null}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	for i, r := range all {
		if n := len(sourcetest.ReadAll(t, src, r.Position)); n != len(all)-i-1 {
			t.Errorf("resume after %s (%s): %d records, want %d", r.Key, r.Position, n, len(all)-i-1)
		}
	}
}

// Ensure chunks of a key of two columns read every row once and resume
// exactly, with boundaries among the many rows that share the first
// column.
func TestSourceCompositeChunks(t *testing.T) {
	d := newSourceDB(t)
	d.exec(t, "CREATE TABLE c (a int, b text COLLATE \"C\", n int, PRIMARY KEY (a, b))")
	for _, r := range sourcetest.CompositeRows() {
		d.exec(t, "INSERT INTO c (a, b, n) VALUES ($1, $2, 0)", r[0], r[1])
	}
	sourcetest.CompositeChunks(t, d.open(t, "a, b", "", postgres.SourceOptions{Table: "c", PageSize: 4}))
}
