package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/sourcetest"
	"github.com/decanthq/decant/sqlite"
)

// sourceFile is a SQLite file to read from and a handle that writes it.
type sourceFile struct {
	path string
	db   *sql.DB
}

func newSourceFile(t *testing.T, schema string) *sourceFile {
	t.Helper()
	path := filepath.Join(t.TempDir(), "legacy.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &sourceFile{path: path, db: db}
	f.exec(t, schema)
	return f
}

func (f *sourceFile) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := f.db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func (f *sourceFile) open(t *testing.T, key, cursor string, o sqlite.SourceOptions) *sqlite.Source {
	t.Helper()
	src, err := sqlite.OpenSource("sqlite:"+f.path, key, cursor, &o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// Ensure the SQLite source keeps the conformance suite, with pages of 7
// rows so that page edges fall everywhere.
func TestSourceConformance(t *testing.T) {
	open := map[decant.Source]*sourceFile{}
	insert := func(t *testing.T, f *sourceFile, keys []string) {
		for i, k := range keys {
			f.exec(t, "INSERT INTO items (k, n) VALUES (?, ?)", k, i)
		}
	}
	sourcetest.Run(t, sourcetest.Harness{
		New: func(t *testing.T, keys []string) decant.Source {
			f := newSourceFile(t, "CREATE TABLE items (k TEXT PRIMARY KEY, n INTEGER)")
			insert(t, f, keys)
			src, err := sqlite.OpenSource(f.path, "k", "", &sqlite.SourceOptions{Table: "items", PageSize: 7})
			if err != nil {
				t.Fatal(err)
			}
			open[src] = f
			return src
		},
		Append: func(t *testing.T, src decant.Source, keys []string) { insert(t, open[src], keys) },
	})
}

// Ensure SQLite values read by their own type, JSON columns as JSON, and
// a composite key with a cursor resumes exactly after the last row.
func TestSourceValuesAndResume(t *testing.T) {
	f := newSourceFile(t, `CREATE TABLE t (region TEXT, id INTEGER, updated_at DATETIME NOT NULL, amount NUMERIC, r REAL,
		data BLOB, doc JSON, note TEXT, PRIMARY KEY (region, id))`)
	f.exec(t, `INSERT INTO t VALUES ('eu', 1, '2024-01-01 10:00:00', 12.5, 0.1, x'00ff', '{"a":[1,2.50]}', NULL),
		('eu', 2, '2024-01-01 10:00:00', 3, 1e300, NULL, NULL, 'ünï'), ('us', 1, '2024-01-01 09:00:00', '7.25x', 2, NULL, NULL, '')`)
	src := f.open(t, "region, id", "updated_at", sqlite.SourceOptions{Table: "t", PageSize: 1})
	var got []string
	all := sourcetest.ReadAll(t, src, nil)
	for _, r := range all {
		sourcetest.CheckDoc(t, r)
		got = append(got, r.Key+" "+r.Cursor+" "+string(r.Raw))
	}
	want := []string{
		`["us",1] 2024-01-01 09:00:00 {"amount":"7.25x","data":null,"doc":null,"id":1,"note":"","r":2,"region":"us","updated_at":"2024-01-01 09:00:00"}`,
		`["eu",1] 2024-01-01 10:00:00 {"amount":12.5,"data":"AP8=","doc":{"a":[1,2.5]},"id":1,"note":null,"r":0.1,"region":"eu","updated_at":"2024-01-01 10:00:00"}`,
		`["eu",2] 2024-01-01 10:00:00 {"amount":3,"data":null,"doc":null,"id":2,"note":"ünï","r":1e+300,"region":"eu","updated_at":"2024-01-01 10:00:00"}`,
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

// Ensure ${scope} and :name are bound (a quote in the scope is harmless),
// and check names a key that is not unique.
func TestSourceScopeAndCheck(t *testing.T) {
	f := newSourceFile(t, "CREATE TABLE o (id INTEGER, tenant TEXT, created TEXT)")
	f.exec(t, "INSERT INTO o VALUES (1, 'acme', '2019-05-01'), (2, 'acme', '2021-05-01'), (2, 'other', '2021-05-01')")
	src := f.open(t, "id", "", sqlite.SourceOptions{Table: "o", Where: "tenant = ${scope} AND created >= :since",
		Params: map[string]string{"since": "2020-01-01"}})
	ctx := context.Background()
	for scope, want := range map[string]int{"acme": 1, "x' OR '1'='1": 0} {
		if n, _, err := src.Size(ctx, scope, nil); err != nil || n != int64(want) {
			t.Errorf("scope %q: Size %d, %v; want %d", scope, n, err, want)
		}
	}
	got := strings.Join(f.open(t, "id", "", sqlite.SourceOptions{Table: "o"}).CheckSource(ctx, decant.DefaultScope), "\n")
	if !strings.Contains(got, "the key id of table o is not unique: 2 rows hold 2") {
		t.Errorf("problems %q, want the duplicate key", got)
	}
	got = strings.Join(f.open(t, "code", "", sqlite.SourceOptions{Table: "o"}).CheckSource(ctx, decant.DefaultScope), "\n")
	if !strings.Contains(got, "table o has no column code, which from.key names (its columns: id, tenant, created)") {
		t.Errorf("problems %q, want the missing key column", got)
	}
	if _, err := sqlite.OpenSource(filepath.Join(t.TempDir(), "none.db"), "id", "", &sqlite.SourceOptions{Table: "o"}); err == nil || !strings.Contains(err.Error(), "none.db") {
		t.Errorf("OpenSource of a missing file: %v, want it named", err)
	}
}

// Ensure a blob in a key or cursor column stops the read, naming the
// column and the way out: its position is base64 text, which SQLite sorts
// before every blob, so the next page would start at the first row again.
func TestSourceBlobKeyStopsRead(t *testing.T) {
	f := newSourceFile(t, "CREATE TABLE b (k BLOB PRIMARY KEY, v INT)")
	f.exec(t, "INSERT INTO b VALUES (x'01', 1), (x'02', 2), (x'03', 3)")
	keys, err := sourcetest.ReadErr(t, f.open(t, "k", "", sqlite.SourceOptions{Table: "b", PageSize: 2}), nil, 10)
	const want = "table b: column k (from.key) holds a blob, which a keyset read cannot resume after"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "hex(k) AS k") {
		t.Errorf("read %q, %v; want %q and the way out", keys, err, want)
	}
	recs := sourcetest.ReadAll(t, f.open(t, "k", "", sqlite.SourceOptions{Query: "SELECT hex(k) AS k, v FROM b", PageSize: 2}), nil)
	if len(recs) != 3 {
		t.Errorf("the way out read %d rows of 3", len(recs))
	}
}

// Ensure chunks of a key of two columns read every row once and resume
// exactly, with boundaries among the many rows that share the first
// column, and that chunks refuse a read with a cursor.
func TestSourceCompositeChunks(t *testing.T) {
	f := newSourceFile(t, "CREATE TABLE c (a INTEGER, b TEXT, n INTEGER, PRIMARY KEY (a, b))")
	for _, r := range sourcetest.CompositeRows() {
		f.exec(t, "INSERT INTO c (a, b, n) VALUES (?, ?, 0)", r[0], r[1])
	}
	sourcetest.CompositeChunks(t, f.open(t, "a, b", "", sqlite.SourceOptions{Table: "c", PageSize: 4}))
	_, err := f.open(t, "a, b", "n", sqlite.SourceOptions{Table: "c"}).Chunks(context.Background(), "", nil, 2)
	if err == nil || !strings.Contains(err.Error(), "parallel: 1") {
		t.Errorf("chunks of a read with a cursor: %v, want a refusal naming parallel: 1", err)
	}
}

// Ensure a connection that names the target's synchronous option can be
// read as a source too (the option means nothing to a reader), and that
// another option is still refused, naming it.
func TestSourceTakesTheTargetsSynchronousOption(t *testing.T) {
	f := newSourceFile(t, `CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)`)
	f.exec(t, `INSERT INTO t VALUES (1, 'a'), (2, 'b')`)
	src, err := sqlite.OpenSource("sqlite:"+f.path+"?synchronous=normal", "id", "", &sqlite.SourceOptions{Table: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if got := sourcetest.ReadAll(t, src, nil); len(got) != 2 {
		t.Errorf("read %d records through ?synchronous=normal, want 2", len(got))
	}
	bad, err := sqlite.OpenSource("sqlite:"+f.path+"?mode=ro", "id", "", &sqlite.SourceOptions{Table: "t"})
	if err == nil {
		_, err = bad.Read(context.Background(), "s", nil)
		bad.Close()
	}
	if err == nil || !strings.Contains(err.Error(), `unknown option "mode"`) {
		t.Errorf("a source with ?mode=ro: %v, want the option refused by name", err)
	}
}
