package quickstart_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/decanthq/decant/cli"
)

// run runs the quickstart plan into a fresh SQLite file and returns its path
// and the printed summary.
func run(t *testing.T, db string, args ...string) string {
	t.Helper()
	t.Setenv("DECANT_TARGET", "sqlite:"+db)
	var out, errw bytes.Buffer
	code := cli.Main(context.Background(), append([]string{"-c", "decant.yaml"}, args...), &out, &errw, nil)
	if code != 0 {
		t.Fatalf("decant %v: exit %d\nstdout:\n%s\nstderr:\n%s", args, code, out.String(), errw.String())
	}
	return out.String()
}

func open(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// text returns the single value q selects, as SQLite stored it, with its
// storage class: "997" for an INTEGER, "997.00" for TEXT.
func text(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	var v any
	if err := db.QueryRow(q).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	default:
		return fmt.Sprintf("%v (%T, not text)", v, v)
	}
}

// Ensure the README's first command works: 200 orders and one truncated line
// in, 198 orders out, 3 stored errors, children rows, coercions applied.
func TestQuickstart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.db")
	out := run(t, path, "migrate")
	if !strings.Contains(out, "orders") || !strings.Contains(out, "201") {
		t.Fatalf("summary does not show 201 records read:\n%s", out)
	}
	db := open(t, path)
	if got := count(t, db, "SELECT count(*) FROM orders"); got != 198 {
		t.Errorf("orders = %d, want 198", got)
	}
	if got := count(t, db, "SELECT count(*) FROM decant_errors WHERE NOT resolved"); got != 3 {
		t.Errorf("errors = %d, want 3", got)
	}
	var msgs []string
	rows, err := db.Query("SELECT message FROM decant_errors ORDER BY message")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var m string
		rows.Scan(&m)
		msgs = append(msgs, m)
	}
	rows.Close()
	want := []string{"invalid value for total", "record has no key", "record is not valid JSON"}
	if strings.Join(msgs, "|") != strings.Join(want, "|") {
		t.Errorf("error messages = %q, want %q", msgs, want)
	}
	if got := count(t, db, "SELECT count(*) FROM order_items"); got != count(t, db, "SELECT sum(item_count) FROM orders") {
		t.Errorf("order_items = %d, want sum(item_count)", got)
	}
	if got := count(t, db, "SELECT count(*) FROM orders WHERE placed_at IS NULL"); got != 1 {
		t.Errorf("orders with NULL placed_at (\"Invalid Date\") = %d, want 1", got)
	}
	if got := count(t, db, "SELECT count(*) FROM orders WHERE note = 'NaN' OR note = ''"); got != 0 {
		t.Errorf("null_if values left in note: %d", got)
	}
	// 2026-02-02 01:01:00 in Lisbon (winter, UTC+0) and 2026-05-05 04:04 (summer, UTC+1).
	var placed string
	db.QueryRow("SELECT placed_at FROM orders WHERE id = 'ord-0004'").Scan(&placed)
	ts, err := time.Parse(time.RFC3339Nano, placed)
	if err != nil {
		t.Fatalf("placed_at %q: %v", placed, err)
	}
	if want := time.Date(2026, 5, 5, 3, 4, 0, 0, time.UTC); !ts.Equal(want) {
		t.Errorf("ord-0004 placed_at = %s, want %s (Lisbon summer time)", ts, want)
	}

	// Money keeps its digits: the columns are TEXT with type decimal, where a
	// SQLite NUMERIC column would store 997 and 518.5.
	for _, c := range []struct{ q, want string }{
		{"SELECT total FROM orders WHERE id = 'ord-0161'", "997.00"},
		{"SELECT total FROM orders WHERE id = 'ord-0001'", "518.50"},
		{"SELECT price FROM order_items WHERE order_id = 'ord-0019' AND line = 2", "13.00"},
	} {
		if got := text(t, db, c.q); got != c.want {
			t.Errorf("%s = %q, want %q", c.q, got, c.want)
		}
	}

	// A second run reads nothing new and changes nothing.
	before := count(t, db, "SELECT count(*) FROM decant_batches")
	out = run(t, path, "migrate")
	if got := count(t, db, "SELECT count(*) FROM orders"); got != 198 {
		t.Errorf("after rerun orders = %d, want 198", got)
	}
	if got := count(t, db, "SELECT count(*) FROM decant_batches"); got != before {
		t.Errorf("rerun wrote %d audit rows, want 0\n%s", got-before, out)
	}

	// status and errors list work on the same file.
	if out := run(t, path, "status"); !strings.Contains(out, "orders") {
		t.Errorf("status output lacks the step:\n%s", out)
	}
	if out := run(t, path, "errors", "list"); !strings.Contains(out, "record has no key") {
		t.Errorf("errors list lacks the keyless record:\n%s", out)
	}
}

// readmeClaim is the README's account of what the quickstart's first run
// does; TestQuickstart_README holds it to the real result.
var readmeClaim = regexp.MustCompile(`It reads the (\d+) records of\s+` + "`examples/quickstart/data/orders.jsonl`" +
	`[^.]*, writes (\d+) orders\s+and their items into ` + "`examples/quickstart/quickstart.db`" +
	`, and stores (\d+) errors`)

// Ensure the README says what the quickstart does: the two commands it
// shows up front are there as written, and its numbers of records read,
// orders written and errors stored are those of a real run.
//
// Not parallel: run sets DECANT_TARGET.
func TestQuickstart_README(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, cmd := range []string{
		"go run ./cmd/decant migrate -c examples/quickstart/decant.yaml",
		"go test ./...",
		"go install ./cmd/decant",
	} {
		if !strings.Contains(readme, "\n"+cmd+" ") {
			t.Errorf("README.md does not show the command %q at the start of a line", cmd)
		}
	}
	m := readmeClaim.FindStringSubmatch(readme)
	if m == nil {
		t.Fatalf("README.md no longer says \"It reads the N records of ... writes N orders and their items into ... and stores N errors\"; update this test with it")
	}

	path := filepath.Join(t.TempDir(), "q.db")
	run(t, path, "migrate")
	db := open(t, path)
	got := []int{
		count(t, db, "SELECT count(*) FROM decant_ledger"),
		count(t, db, "SELECT count(*) FROM orders"),
		count(t, db, "SELECT count(*) FROM decant_errors"),
	}
	for i, what := range []string{"records read", "orders written", "errors stored"} {
		if m[i+1] != strconv.Itoa(got[i]) {
			t.Errorf("README.md says %s %s, a run gives %d", m[i+1], what, got[i])
		}
	}
}
