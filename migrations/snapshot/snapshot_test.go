package snapshot_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	_ "modernc.org/sqlite"             // the "sqlite" driver

	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/migrations/snapshot"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// backend is one kind of database the tests run against.
type backend struct {
	name    string
	open    func(t *testing.T) *sql.DB
	fixture string // creates and fills a small schema
	// rows returns every row of every user table and view, as text, for
	// comparing databases without this package's help.
	rows func(t *testing.T, db *sql.DB) map[string][]string
}

var backends = []backend{
	{name: "postgres", open: openPostgres, fixture: pgFixture, rows: pgRows},
	{name: "sqlite", open: openSQLite, fixture: sqliteFixture, rows: sqliteRows},
}

func openPostgres(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openSQLite(t *testing.T) *sql.DB {
	t.Helper()
	path := strings.TrimPrefix(testenv.SQLite(t), "sqlite:")
	db, err := sql.Open("sqlite", path+"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func exec(t *testing.T, db *sql.DB, sql string) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), sql); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
}

// options returns Options for snapshots in dir, with a clock that starts at
// 2026-01-02 15:04:05 UTC and advances a minute a call.
func options(dir, release string) snapshot.Options {
	now := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	return snapshot.Options{
		Dir:           dir,
		AppRelease:    release,
		DecantVersion: "0.0.0-test",
		Now: func() time.Time {
			now = now.Add(time.Minute)
			return now
		},
	}
}

// fingerprint describes the whole state of db: its rows, and the schema and
// checksums that a fresh snapshot of it holds.
type fingerprint struct {
	Rows      map[string][]string
	Schema    string
	Tables    []snapshot.TableInfo
	Sequences []snapshot.SequenceInfo
}

func takeFingerprint(t *testing.T, b backend, db *sql.DB) fingerprint {
	t.Helper()
	dir := t.TempDir()
	info, err := snapshot.Save(context.Background(), db, "fp", options(dir, "1.0.0"))
	if err != nil {
		t.Fatalf("fingerprint: %v", err)
	}
	return fingerprint{Rows: b.rows(t, db), Schema: schemaBody(t, filepath.Join(dir, "fp")), Tables: info.Tables, Sequences: info.Sequences}
}

// schemaBody returns schema_init.sql less its header, which names the
// snapshot and its time.
func schemaBody(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "schema_init.sql"))
	if err != nil {
		t.Fatal(err)
	}
	_, body, ok := strings.Cut(string(b), "\n-- decant: SECTION setup")
	if !ok {
		t.Fatalf("schema_init.sql has no setup section:\n%s", b)
	}
	return body
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// rewriteInfo changes a snapshot's info.json with edit and writes a
// matching info.json.sha256, as a careless or malicious hand would.
func rewriteInfo(t *testing.T, dir string, edit func(m map[string]any)) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "info.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	if b, err = json.MarshalIndent(m, "", "  "); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "info.json"), b)
	sum := sha256.Sum256(b)
	writeFile(t, filepath.Join(dir, "info.json.sha256"), []byte(hex.EncodeToString(sum[:])+"  info.json\n"))
}

func writeFile(t *testing.T, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Ensure that loading a snapshot taken by a newer release is refused with a
// clear message, before anything changes.
func TestLoad_NewerRelease(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			newer := b.open(t)
			exec(t, newer, b.fixture)
			if _, err := snapshot.Save(ctx, newer, "from-2", options(dir, "2.0.0")); err != nil {
				t.Fatal(err)
			}
			db := b.open(t)
			exec(t, db, b.fixture)
			exec(t, db, "CREATE TABLE mine (x integer)")
			before := takeFingerprint(t, b, db)

			_, err := snapshot.Load(ctx, db, "from-2", options(dir, "v1.4.0"))
			if !errors.Is(err, snapshot.ErrNewerRelease) {
				t.Fatalf("Load = %v, want ErrNewerRelease", err)
			}
			want := `snapshot "from-2" is from release 2.0.0, newer than this application (1.4.0); upgrade the application first`
			if err.Error() != want {
				t.Errorf("error = %q, want %q", err, want)
			}
			if diff := cmp.Diff(before, takeFingerprint(t, b, db)); diff != "" {
				t.Errorf("database changed (-before +after):\n%s", diff)
			}
			if got := entries(t, dir); !cmp.Equal(got, []string{"from-2"}) {
				t.Errorf("snapshot dir holds %v, want only from-2 (no backup)", got)
			}
			// The same release, and older ones, load.
			for _, release := range []string{"2.0.0", "2.1.0-rc.1"} {
				if _, err := snapshot.Load(ctx, db, "from-2", options(dir, release)); err != nil {
					t.Errorf("Load with AppRelease %s: %v", release, err)
				}
			}
		})
	}
}

// Ensure that a corrupt, truncated or foreign snapshot is refused before
// anything is dropped, and that a load whose data does not check out is
// rolled back.
func TestLoad_Refused(t *testing.T) {
	tests := []struct {
		name    string
		damage  func(t *testing.T, dir string, info *snapshot.Info)
		wantErr error
	}{
		{"TruncatedDataFile", func(t *testing.T, dir string, info *snapshot.Info) {
			name := filepath.Join(dir, info.Tables[0].File)
			b, _ := os.ReadFile(name)
			writeFile(t, name, b[:len(b)/2])
		}, snapshot.ErrCorrupt},
		{"MissingDataFile", func(t *testing.T, dir string, info *snapshot.Info) {
			os.Remove(filepath.Join(dir, info.Tables[len(info.Tables)-1].File))
		}, snapshot.ErrCorrupt},
		{"AlteredSchema", func(t *testing.T, dir string, info *snapshot.Info) {
			name := filepath.Join(dir, "schema_init.sql")
			b, _ := os.ReadFile(name)
			writeFile(t, name, append(b, "\nDROP TABLE x;\n"...))
		}, snapshot.ErrCorrupt},
		{"CorruptInfo", func(t *testing.T, dir string, info *snapshot.Info) {
			name := filepath.Join(dir, "info.json")
			b, _ := os.ReadFile(name)
			b[len(b)/2] ^= 0x20
			writeFile(t, name, b)
		}, snapshot.ErrCorrupt},
		{"TruncatedInfo", func(t *testing.T, dir string, info *snapshot.Info) {
			name := filepath.Join(dir, "info.json")
			b, _ := os.ReadFile(name)
			writeFile(t, name, b[:len(b)-10])
		}, snapshot.ErrCorrupt},
		{"InfoNotJSON", func(t *testing.T, dir string, info *snapshot.Info) {
			b := []byte("{not json")
			writeFile(t, filepath.Join(dir, "info.json"), b)
			sum := sha256.Sum256(b)
			writeFile(t, filepath.Join(dir, "info.json.sha256"), []byte(hex.EncodeToString(sum[:])+"  info.json\n"))
		}, snapshot.ErrCorrupt},
		{"MissingInfo", func(t *testing.T, dir string, info *snapshot.Info) {
			os.Remove(filepath.Join(dir, "info.json"))
		}, snapshot.ErrCorrupt},
		{"MissingInfoSum", func(t *testing.T, dir string, info *snapshot.Info) {
			os.Remove(filepath.Join(dir, "info.json.sha256"))
		}, snapshot.ErrCorrupt},
		{"FileOutsideSnapshot", func(t *testing.T, dir string, info *snapshot.Info) {
			rewriteInfo(t, dir, func(m map[string]any) {
				files := m["files"].([]any)
				files[0].(map[string]any)["path"] = "../../etc/passwd"
			})
		}, snapshot.ErrCorrupt},
		{"UnknownFormat", func(t *testing.T, dir string, info *snapshot.Info) {
			rewriteInfo(t, dir, func(m map[string]any) { m["format"] = 99 })
		}, snapshot.ErrIncompatible},
		{"OtherDialect", func(t *testing.T, dir string, info *snapshot.Info) {
			other := map[string]string{"postgres": "sqlite", "sqlite": "postgres"}[info.Dialect]
			rewriteInfo(t, dir, func(m map[string]any) { m["dialect"] = other })
		}, snapshot.ErrIncompatible},
		{"DataChecksBadly", func(t *testing.T, dir string, info *snapshot.Info) {
			// A data file altered with its checksum in info.json to match:
			// the files verify, but the table's checksum after loading does not.
			i := len(info.Tables) - 1
			name := filepath.Join(dir, info.Tables[i].File)
			b, _ := os.ReadFile(name)
			b = []byte(strings.Replace(string(b), "ok", "ko", 1))
			writeFile(t, name, b)
			sum := sha256.Sum256(b)
			rewriteInfo(t, dir, func(m map[string]any) {
				for _, f := range m["files"].([]any) {
					if f := f.(map[string]any); f["path"] == info.Tables[i].File {
						f["sha256"] = hex.EncodeToString(sum[:])
					}
				}
			})
		}, snapshot.ErrMismatch},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			src := b.open(t)
			exec(t, src, b.fixture)
			exec(t, src, "CREATE TABLE zz_last (k integer PRIMARY KEY, v text); INSERT INTO zz_last VALUES (1, 'ok'), (2, 'fine')")
			db := b.open(t)
			exec(t, db, "CREATE TABLE mine (x integer); INSERT INTO mine VALUES (1), (2)")
			before := takeFingerprint(t, b, db)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					dir := t.TempDir()
					info, err := snapshot.Save(ctx, src, "snap", options(dir, "1.0.0"))
					if err != nil {
						t.Fatal(err)
					}
					tt.damage(t, filepath.Join(dir, "snap"), info)
					_, err = snapshot.Load(ctx, db, "snap", options(dir, "1.0.0"))
					if !errors.Is(err, tt.wantErr) {
						t.Fatalf("Load = %v, want %v", err, tt.wantErr)
					}
					t.Logf("refused: %v", err)
					if diff := cmp.Diff(before, takeFingerprint(t, b, db)); diff != "" {
						t.Errorf("database changed (-before +after):\n%s", diff)
					}
					if tt.wantErr != snapshot.ErrMismatch {
						if got := entries(t, dir); len(got) != 1 {
							t.Errorf("snapshot dir holds %v, want only snap (no backup)", got)
						}
					}
				})
			}
		})
	}
}

// Ensure that Load saves a backup of the database it replaces, that the
// backup loads back to the original state, and that the hooks are called.
func TestLoad_Backup(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			src := b.open(t)
			exec(t, src, b.fixture)
			opts := options(dir, "1.2.0")
			opts.Ledger = func(ctx context.Context, db *sql.DB) (json.RawMessage, error) {
				return json.RawMessage(`{"applied":["001_init"]}`), nil
			}
			if _, err := snapshot.Save(ctx, src, "release-1.2", opts); err != nil {
				t.Fatal(err)
			}

			db := b.open(t)
			exec(t, db, "CREATE TABLE mine (x integer PRIMARY KEY, y text); INSERT INTO mine VALUES (1, 'one'), (2, 'two')")
			exec(t, db, "CREATE VIEW mine_view AS SELECT y FROM mine")
			original := takeFingerprint(t, b, db)

			migrated := 0
			var told snapshot.LoadResult
			opts.Migrate = func(ctx context.Context, db *sql.DB, res *snapshot.LoadResult) error {
				migrated++
				told = *res
				_, err := db.ExecContext(ctx, "CREATE TABLE migrated (x integer)")
				return err
			}
			res, err := snapshot.Load(ctx, db, "release-1.2", opts)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(res.Backup, "backup-2026") || !res.Loaded || !res.Migrated || migrated != 1 {
				t.Errorf("Load result: backup %q, loaded %v, migrated %v (%d calls)", res.Backup, res.Loaded, res.Migrated, migrated)
			}
			if !told.Loaded || told.Backup != res.Backup || told.Snapshot == nil || told.Snapshot.Name != "release-1.2" {
				t.Errorf("Migrate was told %+v", told)
			}
			if got := string(res.Snapshot.Ledger); got != `{"applied":["001_init"]}` {
				t.Errorf("ledger = %s", got)
			}
			if _, err := db.ExecContext(ctx, "SELECT count(*) FROM mine"); err == nil {
				t.Errorf("table mine survived the load")
			}
			if _, err := db.ExecContext(ctx, "SELECT count(*) FROM migrated"); err != nil {
				t.Errorf("Migrate's table: %v", err)
			}

			opts.Migrate = nil
			res2, err := snapshot.Load(ctx, db, res.Backup, opts)
			if err != nil {
				t.Fatalf("load backup: %v", err)
			}
			if res2.Backup == "" || res2.Backup == res.Backup {
				t.Errorf("second load's backup = %q", res2.Backup)
			}
			if diff := cmp.Diff(original, takeFingerprint(t, b, db)); diff != "" {
				t.Errorf("after loading the backup (-original +now):\n%s", diff)
			}
		})
	}
}

// Ensure that List returns snapshots oldest first, reports broken ones
// without hiding the others, and treats a missing directory as empty.
func TestList(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openSQLite(t)
	exec(t, db, "CREATE TABLE t (x integer)")
	at := map[string]time.Time{
		"b": time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		"a": time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		"c": time.Date(2026, 2, 1, 0, 0, 0, 0, time.FixedZone("x", 3600)),
	}
	for _, name := range []string{"a", "b", "c"} {
		opts := options(dir, "1.0.0")
		opts.Now = func() time.Time { return at[name] }
		if _, err := snapshot.Save(ctx, db, name, opts); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "broken"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, ".tmp-x-1"), 0o755); err != nil {
		t.Fatal(err)
	}

	infos, err := snapshot.List(dir)
	if !errors.Is(err, snapshot.ErrCorrupt) || !strings.Contains(err.Error(), `"broken"`) {
		t.Errorf("List error = %v, want the broken snapshot reported", err)
	}
	var names []string
	for _, info := range infos {
		names = append(names, info.Name)
		if !info.Taken.Equal(at[info.Name]) || info.Taken.Location() != time.UTC {
			t.Errorf("%s taken %v, want %v in UTC", info.Name, info.Taken, at[info.Name])
		}
	}
	if diff := cmp.Diff([]string{"c", "b", "a"}, names); diff != "" {
		t.Errorf("List order (-want +got):\n%s", diff)
	}

	if infos, err := snapshot.List(filepath.Join(dir, "none")); err != nil || len(infos) != 0 {
		t.Errorf("List of a missing dir = %v, %v", infos, err)
	}
}

// Ensure that Save refuses a taken or bad name and leaves nothing behind
// when it fails.
func TestSave_Refused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openSQLite(t)
	exec(t, db, "CREATE TABLE t (x integer)")
	opts := options(dir, "1.0.0")
	if _, err := snapshot.Save(ctx, db, "one", opts); err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.Save(ctx, db, "one", opts); !errors.Is(err, snapshot.ErrExists) {
		t.Errorf("Save over an existing snapshot = %v, want ErrExists", err)
	}
	for _, name := range []string{"", ".hidden", "-x", "a/b", "../up", "a b"} {
		if _, err := snapshot.Save(ctx, db, name, opts); err == nil {
			t.Errorf("Save(%q) succeeded", name)
		}
	}
	for _, release := range []string{"", "latest", "1.0.0.0"} {
		if _, err := snapshot.Save(ctx, db, "r", options(dir, release)); err == nil {
			t.Errorf("Save with AppRelease %q succeeded", release)
		}
	}
	opts.Ledger = func(ctx context.Context, db *sql.DB) (json.RawMessage, error) { return json.RawMessage("{bad"), nil }
	if _, err := snapshot.Save(ctx, db, "two", opts); err == nil {
		t.Errorf("Save with a ledger that is not JSON succeeded")
	}
	// A library caller gets the rule the CLI had: the release must cover
	// every migration the ledger says is applied.
	opts.Ledger = func(ctx context.Context, db *sql.DB) (json.RawMessage, error) {
		return json.RawMessage(`[{"id":"0001","name":"a","release":"1.0.0"},{"id":"0002","name":"b","release":"1.2.0"}]`), nil
	}
	if _, err := snapshot.Save(ctx, db, "older", opts); !errors.Is(err, snapshot.ErrReleaseBehind) || !strings.Contains(err.Error(), "0002") {
		t.Errorf("Save as 1.0.0 of a database at 1.2.0 = %v, want ErrReleaseBehind naming 0002", err)
	}
	covered := options(dir, "1.2.0")
	covered.Ledger = opts.Ledger
	if _, err := snapshot.Save(ctx, db, "covered", covered); err != nil {
		t.Errorf("Save as 1.2.0: %v", err)
	}
	exec(t, db, "CREATE VIRTUAL TABLE docs USING fts5(body)")
	opts.Ledger = nil
	if _, err := snapshot.Save(ctx, db, "three", opts); !errors.Is(err, snapshot.ErrUnsupported) {
		t.Errorf("Save with a virtual table = %v, want ErrUnsupported", err)
	}
	if got := entries(t, dir); !cmp.Equal(got, []string{"covered", "one"}) {
		t.Errorf("snapshot dir holds %v, want covered and one", got)
	}
	if _, err := snapshot.Load(ctx, db, "none", opts); !errors.Is(err, snapshot.ErrNotFound) {
		t.Errorf("Load of a missing snapshot = %v, want ErrNotFound", err)
	}
}

// Ensure that Verify checks every file.
func TestVerify(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openSQLite(t)
	exec(t, db, "CREATE TABLE t (x integer); INSERT INTO t VALUES (1)")
	info, err := snapshot.Save(ctx, db, "v", options(dir, "1.0.0"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.Verify(dir, "v"); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "v", info.Tables[0].File), []byte("[2]\n"))
	if _, err := snapshot.Verify(dir, "v"); !errors.Is(err, snapshot.ErrCorrupt) {
		t.Errorf("Verify of an altered snapshot = %v, want ErrCorrupt", err)
	}
}
