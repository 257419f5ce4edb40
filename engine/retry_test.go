package engine_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/plan"
)

// retryBed is a plan over one input file into items (n >= 0 enforced by
// the target), on SQLite or PostgreSQL, that can be run and retried with
// another key path.
type retryBed struct {
	dir, url, input string
	db              *sql.DB
}

func newRetryBed(t *testing.T, pg bool, input, data string) *retryBed {
	t.Helper()
	b := &retryBed{dir: t.TempDir(), input: input}
	must(t, os.WriteFile(filepath.Join(b.dir, input), []byte(data), 0o644))
	must(t, os.WriteFile(filepath.Join(b.dir, "schema.sql"), []byte(
		"CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, n INTEGER CHECK (n >= 0));\n"), 0o644))
	var err error
	if pg {
		b.url = testenv.Postgres(t)
		b.db, err = sql.Open("pgx", b.url)
	} else {
		b.url = "sqlite:t.db"
		b.db, err = sql.Open("sqlite", filepath.Join(b.dir, "t.db"))
	}
	must(t, err)
	t.Cleanup(func() { b.db.Close() })
	return b
}

func (b *retryBed) config(t *testing.T, keyPath string) engine.Config {
	t.Helper()
	p := fmt.Sprintf(`version: 1
connections:
  in: file:%s
  target: %s
setup: [schema.sql]
steps:
  - name: items
    from: {connection: in, key: %s}
    key: id
    to: {table: items}
    map: {id: record.%s, n: record.n}
`, b.input, b.url, keyPath, keyPath)
	path := filepath.Join(b.dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(p), 0o644))
	pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	st, err := connect.Store(context.Background(), pl)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	return engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}
}

func (b *retryBed) rows(t *testing.T, q string) string {
	t.Helper()
	return strings.Join(testenv.Rows(t, b.db, q), "\n")
}

// Ensure a retry keeps where a record came from and why the source could
// not read it: a short CSV row stays "row has 2 fields..." at its line,
// instead of becoming "record has no key" at "stored error #1".
func TestRetryKeepsPlaceAndSourceError(t *testing.T) {
	t.Parallel()
	b := newRetryBed(t, false, "in.csv", "id,n\na,1\nb\nc,3\n")
	_, err := engine.Run(context.Background(), b.config(t, "id"), nil)
	must(t, err)
	before := b.rows(t, "SELECT message, detail, payload FROM decant_errors")
	if !strings.Contains(before, "row has 1 field") || !strings.Contains(before, "in.csv:3") {
		t.Fatalf("stored error = %q, want the short row at in.csv:3", before)
	}
	if !strings.Contains(before, "b\n") || strings.Contains(before, `"error"`) {
		t.Errorf("payload of the short row = %q, want the row's text as read", before)
	}
	res, err := engine.Retry(context.Background(), b.config(t, "id"))
	must(t, err)
	if res[0].Failed != 1 {
		t.Errorf("retry: %+v, want the unreadable row to fail again", res)
	}
	if after := b.rows(t, "SELECT message, detail, payload FROM decant_errors"); after != before {
		t.Errorf("a retry rewrote the error:\nbefore %q\nafter  %q", before, after)
	}
	if got := b.rows(t, "SELECT attempts, place FROM decant_errors"); !strings.HasPrefix(got, "2 ") || !strings.HasSuffix(got, "in.csv:3") {
		t.Errorf("attempts and place = %q, want 2 and in.csv:3", got)
	}
}

// Ensure keyless records that a fixed key path gives a key move to it on
// retry, on both stores: a record that fails again is stored under its real
// key (so a later success of that key resolves it), one that succeeds
// resolves its error saying a retry wrote it, an invalid-then-valid pair of
// one key ends written and resolved, and no "(no key)" ledger row stays.
func TestRetryMovesKeylessRecords(t *testing.T) {
	t.Parallel()
	for _, pg := range []bool{false, true} {
		t.Run(map[bool]string{false: "sqlite", true: "postgres"}[pg], func(t *testing.T) {
			t.Parallel()
			data := `{"ident":"a","n":-1}` + "\n" + // refused by the target again
				`{"ident":"b","n":2}` + "\n" + // written by the retry
				`{"ident":"c","n":"x"}` + "\n" + `{"ident":"c","n":3}` + "\n" // invalid, then valid
			b := newRetryBed(t, pg, "in.jsonl", data)
			// The plan's key path is wrong: every record is keyless.
			_, err := engine.Run(context.Background(), b.config(t, "id"), nil)
			must(t, err)
			if got := b.rows(t, "SELECT count(*) FROM decant_errors WHERE key LIKE '(no key)%'"); got != "4" {
				t.Fatalf("keyless errors after the first run: %s, want 4", got)
			}
			res, err := engine.Retry(context.Background(), b.config(t, "ident"))
			must(t, err)
			if res[0].Retried != 4 || res[0].Resolved != 2 || res[0].Failed != 2 {
				t.Errorf("retry = %+v, want 4 retried, 2 resolved (b, c), 2 failed (a, c's invalid one)", res[0])
			}
			if got := b.rows(t, "SELECT id, n FROM items ORDER BY id"); got != "b 2\nc 3" {
				t.Errorf("items = %q, want b and c", got)
			}
			if got := b.rows(t, "SELECT key, status FROM decant_ledger ORDER BY key"); got != "a failed\nb ok\nc ok" {
				t.Errorf("ledger = %q, want a failed, b ok, c ok and no (no key) rows", got)
			}
			if got := b.rows(t, "SELECT key, source_key FROM decant_errors WHERE NOT resolved"); got != "a a" {
				t.Errorf("open errors = %q, want only a's, under its key", got)
			}
			hist := b.rows(t, "SELECT history FROM decant_errors WHERE key LIKE '(no key)%' ORDER BY id")
			// b and c's valid record were written by the retry; a and c's
			// invalid record failed under their real keys.
			if strings.Count(hist, "resolved: a retry wrote the record") != 2 || strings.Count(hist, "its fate is under that key now") != 2 {
				t.Errorf("histories of the keyless errors:\n%s\nwant two written by the retry and two moved", hist)
			}
			// The source sends a fixed a: its moved error resolves.
			f, err := os.OpenFile(filepath.Join(b.dir, "in.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
			must(t, err)
			f.WriteString(`{"ident":"a","n":5}` + "\n")
			f.Close()
			_, err = engine.Run(context.Background(), b.config(t, "ident"), nil)
			must(t, err)
			if got := b.rows(t, "SELECT count(*) FROM decant_errors WHERE NOT resolved"); got != "0" {
				t.Errorf("open errors after a was re-sent: %s, want 0", got)
			}
			if got := b.rows(t, "SELECT count(*) FROM decant_ledger"); got != "3" {
				t.Errorf("ledger rows: %s, want 3 (a, b, c)", got)
			}
		})
	}
}

// Ensure a retry on PostgreSQL never writes a record whose stored payload
// lost its invalid bytes: "k\xff" must not come back as a genuine "k\uFFFD".
func TestRetryInvalidUTF8OnPostgres(t *testing.T) {
	t.Parallel()
	b := newRetryBed(t, true, "in.jsonl", "{\"id\":\"k\xff\",\"n\":1}\n{\"id\":\"k\uFFFD\",\"n\":2}\n")
	_, err := engine.Run(context.Background(), b.config(t, "id"), nil)
	must(t, err)
	res, err := engine.Retry(context.Background(), b.config(t, "id"))
	must(t, err)
	if res[0].Failed != 1 || res[0].Resolved != 0 {
		t.Errorf("retry = %+v, want the invalid record to fail again", res[0])
	}
	if got := b.rows(t, "SELECT id, n FROM items"); got != "k\uFFFD 2" {
		t.Errorf("items = %q, want only the genuine k\uFFFD with n 2", got)
	}
}

// Ensure a retry never writes a stored keyless record over a newer record
// of the key it turns out to have: the source sent a fixed record of that
// key after the error was stored, so the error resolves as moved and the
// newer row stays.
func TestRetryDoesNotOverwriteNewer(t *testing.T) {
	t.Parallel()
	for _, pg := range []bool{false, true} {
		t.Run(map[bool]string{false: "sqlite", true: "postgres"}[pg], func(t *testing.T) {
			t.Parallel()
			b := newRetryBed(t, pg, "in.jsonl", `{"ident":"a","n":1}`+"\n")
			_, err := engine.Run(context.Background(), b.config(t, "id"), nil) // wrong key path: a keyless error
			must(t, err)
			f, err := os.OpenFile(filepath.Join(b.dir, "in.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
			must(t, err)
			f.WriteString(`{"ident":"a","n":5}` + "\n")
			f.Close()
			_, err = engine.Run(context.Background(), b.config(t, "ident"), nil) // the newer a is written
			must(t, err)
			res, err := engine.Retry(context.Background(), b.config(t, "ident"))
			must(t, err)
			if res[0].Retried != 1 || res[0].Resolved != 1 {
				t.Errorf("retry = %+v, want the old record resolved", res[0])
			}
			if got := b.rows(t, "SELECT id, n FROM items"); got != "a 5" {
				t.Errorf("items after retry = %q, want the newer a 5", got)
			}
			if got := b.rows(t, "SELECT count(*) FROM decant_errors WHERE NOT resolved"); got != "0" {
				t.Errorf("open errors: %s, want 0", got)
			}
			if got := b.rows(t, "SELECT key FROM decant_ledger"); got != "a" {
				t.Errorf("ledger = %q, want only a", got)
			}
		})
	}
}
