package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant/engine"
)

// badRecordsPlan reads items.jsonl and rows.csv into SQLite.
const badRecordsPlan = `version: 1
connections:
  items: file:items.jsonl
  rows: file:rows.csv
  target: sqlite:t.db
setup: [schema.sql]
steps:
  - name: items
    from: {connection: items, key: id}
    key: id
    to: {table: items}
    map: {id: record.id, name: record.name}
  - name: rows
    from: {connection: rows, key: id}
    key: id
    to: {table: rows}
    map: {id: record.id, name: record.name}
`

// Ensure records that JSON parsers or text columns would silently change
// are stored as errors that say why, each under its own key, end to end:
// keys that differ only in invalid UTF-8 or an escaped lone surrogate no
// longer merge into one row (3 read, 3 written, 1 row), invalid text in a
// value is not turned into U+FFFD, a duplicated name is read one way
// (the last wins) for the ledger and the row, a deep record says how deep, and
// a short CSV row says it is short (not "record has no key"), with where.
func TestRun_BadRecordsAreStoredErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	items := "{\"id\":\"k\xff\",\"name\":\"a\"}\n" +
		"{\"id\":\"k\xfe\",\"name\":\"b\"}\n" +
		"{\"id\":\"k\xef\xbf\xbd\",\"name\":\"c\"}\n" +
		`{"id":"k\ud800","name":"d"}` + "\n" +
		"{\"id\":\"v\",\"name\":\"caf\xe9\"}\n" +
		`{"id":"dup","id":"dup2","name":"e"}` + "\n" +
		`{"id":"deep","name":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + "}\n" +
		`{"id":"fine","name":"f"}` + "\n"
	must(t, os.WriteFile(filepath.Join(dir, "items.jsonl"), []byte(items), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "rows.csv"), []byte("id,name,a,b,c\n1,x,1,2,3\n2,y,1,2\n3,z,1,2,3\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(
		"CREATE TABLE IF NOT EXISTS items (id TEXT PRIMARY KEY, name TEXT);\n"+
			"CREATE TABLE IF NOT EXISTS rows (id TEXT PRIMARY KEY, name TEXT);\n"), 0o644))
	f := &fixture{dir: dir, planPath: filepath.Join(dir, "decant.yaml"), db: filepath.Join(dir, "t.db")}
	must(t, os.WriteFile(f.planPath, []byte(badRecordsPlan), 0o644))

	res, err := engine.Run(context.Background(), f.config(t), nil)
	must(t, err)
	if s := res.Steps[0]; s.Read != 8 || s.Written != 3 || s.Failed != 5 {
		t.Errorf("items: read %d, written %d, failed %d; want 8, 3, 5", s.Read, s.Written, s.Failed)
	}
	if s := res.Steps[1]; s.Read != 3 || s.Written != 2 || s.Failed != 1 {
		t.Errorf("rows: read %d, written %d, failed %d; want 3, 2, 1", s.Read, s.Written, s.Failed)
	}
	if got, want := f.query(t, "SELECT id, name FROM items ORDER BY id"), "dup2 e\nfine f\nk\ufffd c"; got != want {
		t.Errorf("items rows:\n%s\nwant:\n%s", got, want)
	}
	if got, want := f.query(t, "SELECT id FROM rows ORDER BY id"), "1\n3"; got != want {
		t.Errorf("rows rows: %q, want %q", got, want)
	}

	got := f.query(t, "SELECT step, key, message FROM decant_errors ORDER BY step, key")
	jsonl := filepath.Join(dir, "items.jsonl")
	for _, want := range []string{
		`items "k\xed\xa0\x80" record is not valid UTF-8 at /id (byte 8)`,
		`items "k\xfe" record is not valid UTF-8 at /id (byte 8)`,
		`items "k\xff" record is not valid UTF-8 at /id (byte 8)`,
		`items deep record is nested deeper than 10000 levels`,
		`items v record is not valid UTF-8 at /name (byte 21)`,
		"rows (no key) ",
		"row has 4 fields, the header has 5 (" + filepath.Join(dir, "rows.csv") + ":3)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n") + 1; n != 6 {
		t.Errorf("%d errors, want 6:\n%s", n, got)
	}
	detail := f.query(t, `SELECT detail FROM decant_errors WHERE key = '"k\xff"'`)
	if !strings.HasPrefix(detail, jsonl+":1: ") {
		t.Errorf("detail %q does not say where", detail)
	}
	// The payload is stored as the source gave it.
	if p := f.query(t, `SELECT payload FROM decant_errors WHERE key = 'v'`); p != "{\"id\":\"v\",\"name\":\"caf\xe9\"}" {
		t.Errorf("payload %q, want the record byte for byte", p)
	}
}
