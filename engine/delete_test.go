package engine_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
)

// tombstones is a source that reads a JSONL file and reports the records
// holding "_deleted":true as deleted, as a CouchDB changes feed reports
// its tombstones. It is a real file source with one flag set, not a mock.
type tombstones struct{ decant.Source }

func (s tombstones) Read(ctx context.Context, scope string, pos decant.Position) (decant.Rows, error) {
	rows, err := s.Source.Read(ctx, scope, pos)
	if err != nil {
		return nil, err
	}
	return tombstoneRows{rows}, nil
}

type tombstoneRows struct{ decant.Rows }

func (r tombstoneRows) Record() decant.Record {
	rec := r.Rows.Record()
	rec.Deleted = bytes.Contains(rec.Raw, []byte(`"_deleted":true`))
	return rec
}

// withTombstones opens the plan's sources as tombstone sources.
func withTombstones(p *plan.Plan) engine.SourceOpener {
	open := connect.Sources(p)
	return func(ctx context.Context, s *plan.Step) (decant.Source, error) {
		src, err := open(ctx, s)
		if err != nil {
			return nil, err
		}
		return tombstones{src}, nil
	}
}

// deleteRun runs f's plan with tombstones and the given batch size.
func (f *fixture) deleteRun(t *testing.T, batchSize int) (*engine.Result, error) {
	t.Helper()
	cfg := f.config(t)
	cfg.Sources = withTombstones(cfg.Plan)
	for _, s := range cfg.Plan.Steps {
		s.BatchSize = batchSize
	}
	return engine.Run(context.Background(), cfg, nil)
}

func (f *fixture) appendLines(t *testing.T, lines ...string) {
	t.Helper()
	fh, err := os.OpenFile(filepath.Join(f.dir, "in.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	must(t, err)
	defer fh.Close()
	_, err = fh.WriteString(strings.Join(lines, "\n") + "\n")
	must(t, err)
}

// Ensure a deleted record's rows go, in whichever routed table they are,
// with their child rows; the ledger keeps it as deleted; a deletion of a
// key never migrated is no error and leaves no trace.
func TestDelete_RowsAndChildren(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 6, "people: [person], robots: [robot]", func(i int) string {
		if i == 4 {
			return `{"id":4,"name":"r4","kind":"robot","score":"1","tags":["x"]}`
		}
		return ""
	})
	_, err := f.deleteRun(t, 10)
	must(t, err)
	f.appendLines(t, `{"id":2,"_deleted":true}`, `{"id":4,"_deleted":true}`, `{"id":99,"_deleted":true}`)
	res, err := f.deleteRun(t, 10)
	must(t, err)
	if s := res.Steps[0]; s.Read != 3 || s.Failed != 0 {
		t.Errorf("second run = %+v, want 3 read, none failed", s)
	}
	if got, want := f.query(t, "SELECT id FROM people ORDER BY id"), "1\n3\n5\n6"; got != want {
		t.Errorf("people = %q, want %q", got, want)
	}
	if got := f.query(t, "SELECT count(*) FROM robots"); got != "0" {
		t.Errorf("robots has %s rows, want the deleted robot 4 gone", got)
	}
	if got := f.query(t, "SELECT DISTINCT person_id FROM tags ORDER BY person_id"); got != "1\n3\n5\n6" {
		t.Errorf("tags of people %q, want the deleted records' tags gone", got)
	}
	if got, want := f.query(t, "SELECT key, status FROM decant_ledger WHERE status <> 'ok' ORDER BY key"), "2 deleted\n4 deleted"; got != want {
		t.Errorf("ledger = %q, want %q", got, want)
	}
	if got := f.query(t, "SELECT count(*) FROM decant_errors"); got != "0" {
		t.Errorf("%s errors, want none", got)
	}
}

// ownedRows gives a scope its own records (those naming it as "owner")
// and every tombstone, as a CouchDB source filtered by domain does: a
// tombstone holds no field to filter by.
type ownedRows struct {
	decant.Rows
	scope string
}

func (r ownedRows) Next(ctx context.Context) bool {
	for r.Rows.Next(ctx) {
		rec := r.Rows.Record()
		if rec.Deleted || bytes.Contains(rec.Raw, []byte(`"owner":"`+r.scope+`"`)) {
			return true
		}
	}
	return false
}

type ownedSource struct{ decant.Source }

// runOwned runs f's plan for scope, its sources wrapped by wrap.
func (f *fixture) runOwned(t *testing.T, scope string, wrap func(decant.Source) decant.Source) *engine.Result {
	t.Helper()
	cfg := f.config(t)
	cfg.Scope = scope
	open := connect.Sources(cfg.Plan)
	cfg.Sources = func(ctx context.Context, s *plan.Step) (decant.Source, error) {
		src, err := open(ctx, s)
		if err != nil {
			return nil, err
		}
		return wrap(src), nil
	}
	res, err := engine.Run(context.Background(), cfg, nil)
	must(t, err)
	return res
}

func (s ownedSource) Read(ctx context.Context, scope string, pos decant.Position) (decant.Rows, error) {
	rows, err := s.Source.Read(ctx, scope, pos)
	if err != nil {
		return nil, err
	}
	return ownedRows{tombstoneRows{rows}, scope}, nil
}

// Ensure a scope applies only the deletions of records it wrote: scopes
// sharing a table see each other's tombstones, and one must not delete
// another's rows, nor keep its tombstones in its ledger.
func TestDelete_OtherScopesTombstones(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 6, "people: [person], robots: [robot]", func(i int) string {
		owner := "a"
		if i > 3 {
			owner = "b"
		}
		return fmt.Sprintf(`{"id":%d,"name":"p%d","kind":"person","score":"1","tags":["t"],"owner":"%s"}`, i, i, owner)
	})
	run := func(scope string) {
		t.Helper()
		f.runOwned(t, scope, func(src decant.Source) decant.Source { return ownedSource{src} })
	}
	run("a")
	run("b")
	f.appendLines(t, `{"id":2,"_deleted":true}`, `{"id":5,"_deleted":true}`)
	run("b")
	if got, want := f.query(t, "SELECT id FROM people ORDER BY id"), "1\n2\n3\n4\n6"; got != want {
		t.Errorf("after scope b's run, people = %q, want %q: b deletes its own 5 and leaves a's 2", got, want)
	}
	if got, want := f.query(t, "SELECT scope || ' ' || key FROM decant_ledger WHERE status = 'deleted' ORDER BY 1"), "b 5"; got != want {
		t.Errorf("deleted in the ledger = %q, want %q", got, want)
	}
	run("a")
	if got, want := f.query(t, "SELECT id FROM people ORDER BY id"), "1\n3\n4\n6"; got != want {
		t.Errorf("after scope a's run, people = %q, want %q", got, want)
	}
	if got, want := f.query(t, "SELECT count(*) FROM tags WHERE person_id IN (2, 5)"), "0"; got != want {
		t.Errorf("tags of the deleted people: %s, want none", got)
	}
}

// Ensure a record deleted and written again ends with its new rows, and
// one written and then deleted ends with none, whatever the batch size:
// the deletes and the writes of a batch keep the source's order.
func TestDelete_OrderWithinBatch(t *testing.T) {
	t.Parallel()
	var want string
	for _, size := range []int{1, 2, 3, 100} {
		f := newFixture(t, 3, "people: [person]", nil)
		f.appendLines(t,
			`{"id":2,"_deleted":true}`,
			`{"id":2,"name":"again","kind":"person","score":"7","tags":["n"]}`,
			`{"id":3,"name":"p3b","kind":"person","score":"1","tags":[]}`,
			`{"id":3,"_deleted":true}`,
			`{"id":5,"_deleted":true}`,
			`{"id":5,"name":"p5","kind":"person","score":"5","tags":["five"]}`,
		)
		_, err := f.deleteRun(t, size)
		must(t, err)
		got := f.query(t, "SELECT id, name FROM people ORDER BY id") + "\n" + f.query(t, "SELECT person_id, tag FROM tags ORDER BY person_id, tag") +
			"\n" + f.query(t, "SELECT key, status FROM decant_ledger ORDER BY key")
		if size == 1 {
			want = got
			if !strings.Contains(got, "2 again") || strings.Contains(got, "3 p3") || !strings.Contains(got, "5 p5") || !strings.Contains(got, "3 deleted") {
				t.Fatalf("batch size 1:\n%s\nwant 2 written again, 3 deleted, 5 written", got)
			}
			continue
		}
		if got != want {
			t.Errorf("batch size %d:\n%s\nbatch size 1:\n%s", size, got, want)
		}
	}
}

// markFixture is a fixture whose plan's step has a fixed table with a
// deleted_at and a gone column, and the given on_delete.
func markFixture(t *testing.T, onDelete, keyExpr string) *fixture {
	t.Helper()
	f := newFixture(t, 4, "people: [person]", nil)
	must(t, os.WriteFile(filepath.Join(f.dir, "schema.sql"), []byte(
		`CREATE TABLE IF NOT EXISTS people (id INTEGER PRIMARY KEY, name TEXT, deleted_at TIMESTAMP, gone BOOLEAN);
CREATE TABLE IF NOT EXISTS tags (person_id INTEGER NOT NULL, tag TEXT NOT NULL);`), 0o644))
	p := fmt.Sprintf(`version: 1
connections:
  in: file:in.jsonl
  target: sqlite:t.db
setup: [schema.sql]
steps:
  - name: people
    from: {connection: in, key: id}
    key: id
    to: {table: people}
    map: {id: %s, name: record.name}
    children:
      - from: record.tags
        parent_key: person_id
        to: {table: tags}
        map: {tag: item}
%s`, keyExpr, onDelete)
	must(t, os.WriteFile(f.planPath, []byte(p), 0o644))
	return f
}

// Ensure on_delete: mark sets a timestamp or bool column of the deleted
// record's row and leaves its rows and children; ignore leaves them as
// they are; both keep the record as deleted in the ledger.
func TestDelete_MarkAndIgnore(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		onDelete, want string
	}{
		{"    on_delete: {mark: deleted_at}\n", "1 p1 0 \n2 p2 1 \n3 p3 0 \n4 p4 0 "},
		{"    on_delete: {mark: gone}\n", "1 p1 0 0\n2 p2 0 1\n3 p3 0 0\n4 p4 0 0"}, // unmarked is false
		{"    on_delete: ignore\n", "1 p1 0 \n2 p2 0 \n3 p3 0 \n4 p4 0 "},
	} {
		f := markFixture(t, tt.onDelete, "record.id")
		f.appendLines(t, `{"id":2,"_deleted":true}`)
		_, err := f.deleteRun(t, 10)
		must(t, err)
		if got := f.query(t, "SELECT id, name, deleted_at IS NOT NULL, coalesce(gone, '') FROM people ORDER BY id"); got != tt.want {
			t.Errorf("%s: people =\n%s\nwant\n%s", tt.onDelete, got, tt.want)
		}
		if got := f.query(t, "SELECT count(*) FROM tags WHERE person_id = 2"); got != "2" {
			t.Errorf("%s: person 2 has %s tags, want its 2 kept", tt.onDelete, got)
		}
		if got := f.query(t, "SELECT status FROM decant_ledger WHERE key = '2'"); got != "deleted" {
			t.Errorf("%s: ledger status of 2 = %q, want deleted", tt.onDelete, got)
		}
	}
}

// Ensure a mark column the table lacks stops the run before it writes,
// naming the table, the column and where on_delete is in the plan.
func TestDelete_MarkColumnMissing(t *testing.T) {
	t.Parallel()
	f := markFixture(t, "    on_delete: {mark: removed}\n", "record.id")
	_, err := f.deleteRun(t, 10)
	if err == nil || !strings.Contains(err.Error(), "table people has no column removed (on_delete: mark)") || !strings.Contains(err.Error(), "decant.yaml:17:17") {
		t.Fatalf("err = %v, want the missing mark column with its plan position", err)
	}
	if got := f.query(t, "SELECT count(*) FROM people"); got != "0" {
		t.Errorf("people has %s rows after a refused run", got)
	}
}

// Ensure a deleted record of a step that leaves on_delete unset and whose
// key is not the source key is stored as an error, not dropped, and the
// rest of the batch is written.
func TestDelete_KeyNotFromSourceKeyIsAnError(t *testing.T) {
	t.Parallel()
	f := markFixture(t, "", "record.id + 0")
	must(t, os.WriteFile(f.planPath, bytes.Replace(mustRead(t, f.planPath), []byte("record.id + 0"), []byte("record.n"), 1), 0o644))
	must(t, os.WriteFile(filepath.Join(f.dir, "in.jsonl"), []byte(`{"id":1,"n":1,"name":"a","tags":[]}
{"id":1,"_deleted":true}
{"id":2,"n":2,"name":"b","tags":[]}
`), 0o644))
	res, err := f.deleteRun(t, 10)
	must(t, err)
	if s := res.Steps[0]; s.Failed != 1 || s.Written != 2 {
		t.Errorf("result = %+v, want 1 failed, 2 written", s)
	}
	got := f.query(t, "SELECT key, message, detail FROM decant_errors")
	if !strings.Contains(got, "cannot find a deleted record's rows") || !strings.Contains(got, "on_delete: ignore") {
		t.Errorf("errors = %q, want the deleted record stored with what to do", got)
	}
	if got := f.query(t, "SELECT payload FROM decant_errors"); got != `{"id":1,"_deleted":true}` {
		t.Errorf("payload = %q, want the tombstone as read", got)
	}
	// A retry maps a payload as content: the tombstone must not write
	// the row of key 1 back with its other columns empty.
	must(t, os.WriteFile(f.planPath, bytes.Replace(mustRead(t, f.planPath), []byte("record.n"), []byte("record.id"), 1), 0o644))
	cfg := f.config(t)
	rr, err := engine.Retry(context.Background(), cfg)
	must(t, err)
	if rr[0].Resolved != 0 || rr[0].Failed != 1 {
		t.Errorf("retry = %+v, want the deleted record to fail again", rr[0])
	}
	if got := f.query(t, "SELECT count(*) FROM people WHERE id = 1 AND name IS NULL"); got != "0" {
		t.Errorf("the retry wrote the deleted record back as a row")
	}
	if got := f.query(t, "SELECT source_error FROM decant_errors"); !strings.Contains(got, "a retry cannot apply a deletion") {
		t.Errorf("source_error = %q, want why a retry cannot help", got)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	return b
}

// Ensure preview shows a deleted record as deleted, with the key columns
// of the rows it deletes in every routed table, rather than as content.
func TestDelete_Preview(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0, "people: [person], robots: [robot]", nil)
	_, err := f.deleteRun(t, 10) // creates the tables; nothing to read
	must(t, err)
	f.appendLines(t, `{"id":8,"_deleted":true}`)
	cfg := f.config(t)
	cfg.Sources = withTombstones(cfg.Plan)
	items, err := engine.Preview(context.Background(), cfg, "people", 5)
	must(t, err)
	if len(items) != 1 || !items[0].Deleted || items[0].Error != nil || len(items[0].Rows) != 2 ||
		items[0].Rows[0].Table != "people" || items[0].Rows[1].Table != "robots" || fmt.Sprint(items[0].Rows[0].Values["id"]) != "8" {
		t.Errorf("preview = %+v, want the deleted record 8 with its key in people and robots", items)
	}
}

// passedOver is ownedRows that also reports the position after every
// record it went through, those of other scopes included, as a filtered
// CouchDB read does (decant.PositionReporter).
type passedOver struct {
	ownedRows
	last *decant.Position
}

func (r passedOver) Next(ctx context.Context) bool {
	for r.ownedRows.Rows.Next(ctx) {
		rec := r.ownedRows.Rows.Record()
		*r.last = rec.Position
		if rec.Deleted || bytes.Contains(rec.Raw, []byte(`"owner":"`+r.scope+`"`)) {
			return true
		}
	}
	return false
}

func (r passedOver) Position() decant.Position { return *r.last }

type passedOverSource struct{ decant.Source }

func (s passedOverSource) Read(ctx context.Context, scope string, pos decant.Position) (decant.Rows, error) {
	rows, err := s.Source.Read(ctx, scope, pos)
	if err != nil {
		return nil, err
	}
	return passedOver{ownedRows{tombstoneRows{rows}, scope}, new(decant.Position)}, nil
}

// Ensure a read that ends passing over other scopes' records saves the
// position after them, with its last batch or alone, so that the next
// run does not go through them again; a read that passed over nothing new
// writes nothing.
func TestPassedOverRecordsMoveTheCheckpoint(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 6, "people: [person]", func(i int) string {
		owner := "a"
		if i > 2 {
			owner = "b"
		}
		return fmt.Sprintf(`{"id":%d,"name":"p%d","kind":"person","score":"1","tags":[],"owner":"%s"}`, i, i, owner)
	})
	run := func(scope string) *engine.Result {
		t.Helper()
		return f.runOwned(t, scope, func(src decant.Source) decant.Source { return passedOverSource{src} })
	}
	run("a")
	// a's two records, then b's four passed over: a's checkpoint is the
	// end of the file, in the batch of its two records.
	if got, want := f.query(t, "SELECT position FROM decant_checkpoints WHERE scope = 'a'"), `{"offset":`; !strings.HasPrefix(got, want) || !strings.Contains(got, `"line":6`) {
		t.Errorf("a's checkpoint = %s, want the end of the file (after line 6, not a's last line 2)", got)
	}
	f.appendLines(t, `{"id":7,"name":"p7","kind":"person","score":"1","tags":[],"owner":"b"}`)
	batches := f.query(t, "SELECT count(*) FROM decant_batches WHERE scope = 'a'")
	run("a")
	if got := f.query(t, "SELECT position FROM decant_checkpoints WHERE scope = 'a'"); !strings.Contains(got, `"line":7`) {
		t.Errorf("after a read of b's record alone, a's checkpoint = %s, want after line 7", got)
	}
	if got := f.query(t, "SELECT count(*) FROM decant_batches WHERE scope = 'a'"); got != batches {
		t.Errorf("a read that wrote no record of a added audit rows: %s, was %s", got, batches)
	}
	before := f.query(t, "SELECT position FROM decant_checkpoints WHERE scope = 'a'")
	if res := run("a"); res.Steps[0].Read != 0 {
		t.Errorf("a third run read %d records, want none", res.Steps[0].Read)
	}
	if got := f.query(t, "SELECT position FROM decant_checkpoints WHERE scope = 'a'"); got != before {
		t.Errorf("a run that passed over nothing moved the checkpoint: %s, was %s", got, before)
	}
	if got := f.query(t, "SELECT id FROM people ORDER BY id"); got != "1\n2" {
		t.Errorf("people = %q, want a's 1 and 2 only", got)
	}
}
