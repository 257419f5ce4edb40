package connect_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/httpfeed"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/postgres"
	"github.com/decanthq/decant/sqlite"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// The secret every refused URL below carries; no error may show it.
const secret = "Pw-s3cret-9"

// Ensure every target form opens the right store, with relative SQLite
// paths taken from the plan's directory.
func TestOpenStore(t *testing.T) {
	ctx := context.Background()
	pg := testenv.Postgres(t)
	for _, tt := range []struct {
		name string
		raw  string
		// file is the SQLite file the store must create, relative to dir.
		file string
		pg   bool
	}{
		{"SQLiteRelative", "sqlite:state/a.db", "state/a.db", false},
		{"SQLiteSlashes", "sqlite://b.db", "b.db", false},
		{"SQLiteUpperScheme", "SQLITE:c.db", "c.db", false},
		{"Postgres", pg, "", true},
		{"PostgreSQL", "postgresql://" + strings.TrimPrefix(pg, "postgres://"), "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "state"), 0o755); err != nil {
				t.Fatal(err)
			}
			st, err := connect.OpenStore(ctx, tt.raw, dir)
			if err != nil {
				t.Fatalf("OpenStore(%s): %v", tt.raw, err)
			}
			defer st.Close()
			if err := st.(decant.StateInitializer).Init(ctx); err != nil {
				t.Fatalf("Init: %v", err)
			}
			if tt.pg {
				if _, ok := st.(*postgres.Store); !ok {
					t.Errorf("OpenStore(%s) = %T, want *postgres.Store", tt.raw, st)
				}
				return
			}
			if _, ok := st.(*sqlite.Store); !ok {
				t.Errorf("OpenStore(%s) = %T, want *sqlite.Store", tt.raw, st)
			}
			if _, err := os.Stat(filepath.Join(dir, tt.file)); err != nil {
				t.Errorf("OpenStore(%s) did not make %s in the plan's directory: %v", tt.raw, tt.file, err)
			}
		})
	}
	t.Run("SQLiteAbsolute", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "abs.db")
		st, err := connect.OpenStore(ctx, "sqlite:"+path, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.(decant.StateInitializer).Init(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("an absolute path was not kept: %v", err)
		}
	})
}

// Ensure a URL that cannot be a target is refused with ErrScheme and a
// message that names the URL, its password hidden.
func TestOpenStoreRefused(t *testing.T) {
	for _, tt := range []struct {
		raw, want string
	}{
		{"mysql://app:" + secret + "@db:3306/shop", "mysql://app:xxxxx@db:3306/shop cannot be a target (use postgres:// or sqlite:)"},
		{"https://feed.example/forms?token=" + secret, "https://feed.example/forms?token=xxxxx cannot be a target"},
		{"file:orders.jsonl", "file:orders.jsonl cannot be a target"},
		{"couchdb+https://u:" + secret + "@couch/db", "couchdb+https://u:xxxxx@couch/db cannot be a target"},
		{"orders.db", "orders.db cannot be a target"},
		{"postgres://u:" + secret + "@db/${scope}", "the target postgres://u:xxxxx@db/${scope} names ${scope}: a target holds every scope"},
	} {
		t.Run(tt.raw, func(t *testing.T) {
			st, err := connect.OpenStore(context.Background(), tt.raw, t.TempDir())
			if err == nil {
				st.Close()
				t.Fatalf("OpenStore(%s) succeeded", decant.RedactURL(tt.raw))
			}
			if !errors.Is(err, connect.ErrScheme) && !strings.Contains(tt.raw, "${scope}") {
				t.Errorf("error %q does not wrap ErrScheme", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
}

// Ensure a postgres:// target that does not answer fails with its URL
// redacted.
func TestOpenStoreUnreachable(t *testing.T) {
	_, err := connect.OpenStore(context.Background(), "postgres://app:"+secret+"@127.0.0.1:1/shop?connect_timeout=5", "")
	if err == nil {
		t.Fatal("OpenStore of a closed port succeeded")
	}
	if !strings.Contains(err.Error(), "postgres://app:xxxxx@127.0.0.1:1/shop") || strings.Contains(err.Error(), secret) {
		t.Errorf("error = %q, want the redacted URL and not the password", err)
	}
}

// Ensure every source form opens the right source, with relative file
// paths taken from the plan's directory.
func TestOpenSource(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "orders.jsonl"), []byte(`{"id":"a"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{"file:orders.jsonl", "file://orders.jsonl", "FILE:orders.jsonl", "file:" + filepath.Join(dir, "orders.jsonl")} {
		t.Run(raw, func(t *testing.T) {
			src, err := connect.OpenSource(raw, dir, plan.From{Key: "id"})
			if err != nil {
				t.Fatalf("OpenSource: %v", err)
			}
			defer src.Close()
			rows, err := src.Read(context.Background(), "default", nil)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			if !rows.Next(context.Background()) || rows.Record().Key != "a" {
				t.Fatalf("did not read the record of %s in the plan's directory: %v", raw, rows.Err())
			}
		})
	}
	for _, raw := range []string{"http://feed.example/forms", "https://u:" + secret + "@feed.example/forms?x=1", "HTTPS://feed.example/forms"} {
		t.Run(raw, func(t *testing.T) {
			src, err := connect.OpenSource(raw, dir, plan.From{Key: "id", Cursor: "v"})
			if err != nil {
				t.Fatalf("OpenSource(%s): %v", decant.RedactURL(raw), err)
			}
			defer src.Close()
			if _, ok := src.(*httpfeed.Source); !ok {
				t.Errorf("OpenSource = %T, want *httpfeed.Source", src)
			}
		})
	}
}

// Ensure a URL that cannot be a source is refused with ErrScheme and a
// message that names the URL, its secrets hidden, and says what works.
func TestOpenSourceRefused(t *testing.T) {
	for _, tt := range []struct {
		raw, want string
	}{
		{"oracle://app:" + secret + "@db:1521/legacy", "oracle://app:xxxxx@db:1521/legacy cannot be a source yet (sources read couchdb+http, couchdb+https, file, http, https, mariadb, mysql, postgres, postgresql, sqlite URLs)"},
		{"ftp://host/file.csv?password=" + secret, "ftp://host/file.csv?password=xxxxx cannot be a source yet"},
	} {
		t.Run(tt.raw, func(t *testing.T) {
			src, err := connect.OpenSource(tt.raw, t.TempDir(), plan.From{Key: "id"})
			if err == nil {
				src.Close()
				t.Fatalf("OpenSource(%s) succeeded", decant.RedactURL(tt.raw))
			}
			if !errors.Is(err, connect.ErrScheme) {
				t.Errorf("error %q does not wrap ErrScheme", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
	// A feed URL that httpfeed refuses is named without its password.
	_, err := connect.OpenSource("http://u:"+secret+"@/no-host", "", plan.From{Key: "id", Cursor: "v"})
	if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "xxxxx") {
		t.Errorf("OpenSource of a feed URL without a host: error %v, want one naming the redacted URL", err)
	}
}

// Ensure Store and Sources name the plan's connection in their errors.
func TestPlanConnections(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "decant.yaml")
	src := `connections:
  legacy: 'oracle://app:` + secret + `@db/legacy'
  target: 'mysql://app:` + secret + `@db/shop'
steps:
  - name: orders
    from: {connection: legacy, key: id}
    key: id
    to: {table: orders}
    map: {id: record.id}
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := plan.Load(path, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = connect.Store(context.Background(), p)
	if err == nil || !strings.HasPrefix(err.Error(), "connection target: ") || strings.Contains(err.Error(), secret) {
		t.Errorf("Store: error %v, want it to start with the connection's name and hide the password", err)
	}
	_, err = connect.Sources(p)(context.Background(), p.Steps[0])
	if err == nil || !strings.HasPrefix(err.Error(), "connection legacy: ") || strings.Contains(err.Error(), secret) {
		t.Errorf("Sources: error %v, want it to start with the connection's name and hide the password", err)
	}
}

// Ensure Warnings names each risky source once, with its URL redacted, and
// skips sources that do not open or have nothing to say.
func TestWarnings(t *testing.T) {
	p, err := plan.Parse(filepath.Join(t.TempDir(), "decant.yaml"), []byte(`connections:
  plain: 'http://u:`+secret+`@feed.example/forms'
  broken: 'http://feed.example/forms'
  safe: 'https://u:`+secret+`@feed.example/forms'
  file: file:orders.jsonl
  target: sqlite:out.db
steps:
  - {name: a, from: {connection: plain, key: id, cursor: v}, key: id, to: {table: t}, map: {id: record.id}}
  - {name: b, from: {connection: plain, key: id, cursor: v}, key: id, to: {table: t}, map: {id: record.id}}
  - {name: c, from: {connection: broken, key: id, cursor: v, cursor_type: float}, key: id, to: {table: t}, map: {id: record.id}}
  - {name: d, from: {connection: safe, key: id, cursor: v}, key: id, to: {table: t}, map: {id: record.id}}
  - {name: e, from: {connection: file, key: id}, key: id, to: {table: t}, map: {id: record.id}}
`), plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := connect.Warnings(p, p.Steps)
	want := []string{"connection plain (http://u:xxxxx@feed.example/forms): credentials are sent to feed.example over plain http"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Warnings = %q, want %q", got, want)
	}
	if got := connect.Warnings(p, p.Steps[3:]); len(got) != 0 {
		t.Errorf("Warnings of safe sources = %q, want none", got)
	}
}
