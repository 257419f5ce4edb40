package engine_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/plan"
)

const schema = `
CREATE TABLE IF NOT EXISTS people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT, score NUMERIC CHECK (score >= 0));
CREATE TABLE IF NOT EXISTS robots (id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT, score NUMERIC);
CREATE TABLE IF NOT EXISTS tags (person_id INTEGER NOT NULL, tag TEXT NOT NULL);
`

// fixture writes n JSONL records, a schema and a plan into a temp dir.
type fixture struct {
	dir, planPath, db string
}

func newFixture(t *testing.T, n int, routes string, mutate func(i int) string) *fixture {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	for i := 1; i <= n; i++ {
		line := fmt.Sprintf(`{"id":%d,"name":"p%d","kind":"person","score":"%d.50","tags":["a%d","b"]}`, i, i, i, i)
		if mutate != nil {
			if m := mutate(i); m != "" {
				line = m
			}
		}
		b.WriteString(line + "\n")
	}
	must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte(b.String()), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(schema), 0o644))
	f := &fixture{dir: dir, planPath: filepath.Join(dir, "decant.yaml"), db: filepath.Join(dir, "t.db")}
	f.writePlan(t, routes)
	return f
}

func (f *fixture) writePlan(t *testing.T, routes string) {
	t.Helper()
	p := fmt.Sprintf(`version: 1
connections:
  in: file:in.jsonl
  target: sqlite:t.db
setup: [schema.sql]
batch_size: 10
steps:
  - name: people
    from: {connection: in, key: id}
    key: id
    to:
      route: record.kind
      label: kind
      routes: {%s}
    map:
      id: record.id
      name: record.name
      kind: record.kind
      score: record.score
    children:
      - from: record.tags
        parent_key: person_id
        to: {table: tags}
        map: {tag: item}
`, routes)
	must(t, os.WriteFile(f.planPath, []byte(p), 0o644))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) config(t *testing.T) engine.Config {
	t.Helper()
	p, err := plan.Load(f.planPath, plan.Options{})
	must(t, err)
	st, err := connect.Store(context.Background(), p)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	return engine.Config{Plan: p, Store: st, Sources: connect.Sources(p), LeaseTTL: 3 * time.Second}
}

func (f *fixture) query(t *testing.T, q string) string {
	t.Helper()
	db, err := sql.Open("sqlite", f.db)
	must(t, err)
	defer db.Close()
	return strings.Join(testenv.Rows(t, db, q), "\n")
}

// stopAfter closes stop after n batches, like a SIGTERM mid-run.
type stopAfter struct {
	n, seen int
	stop    chan struct{}
}

func (s *stopAfter) StepStarted(string, int64) {}
func (s *stopAfter) Batch(string, decant.BatchAudit) {
	if s.seen++; s.seen == s.n {
		close(s.stop)
	}
}
func (s *stopAfter) StepDone(engine.StepResult) {}
func (s *stopAfter) RoundError(error)           {}

// Ensure a run stopped after some batches resumes from its checkpoint and
// ends identical to an uninterrupted run.
func TestRun_StopAndResume(t *testing.T) {
	// 3000 records in batches of 10: the bounded queues keep the reader at
	// most a few batches ahead, so a stop after 3 batches leaves most unread.
	full := newFixture(t, 3000, "people: [person]", nil)
	if _, err := engine.Run(context.Background(), full.config(t), nil); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, 3000, "people: [person]", nil)
	cfg := f.config(t)
	sa := &stopAfter{n: 3, stop: make(chan struct{})}
	cfg.Progress = sa
	res, err := engine.Run(context.Background(), cfg, sa.stop)
	must(t, err)
	if got := res.Steps[0].Read; got >= 300 || got < 30 || !res.Steps[0].Stopped {
		t.Fatalf("stopped run wrote %d records (stopped %t), want between 30 and 299, stopped", got, res.Steps[0].Stopped)
	}
	if _, err := engine.Run(context.Background(), f.config(t), nil); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"SELECT * FROM people ORDER BY id", "SELECT * FROM tags ORDER BY person_id, tag",
		"SELECT key, status FROM decant_ledger ORDER BY key"} {
		if got, want := f.query(t, q), full.query(t, q); got != want {
			t.Errorf("%s differs after resume:\n got %.300s\nwant %.300s", q, got, want)
		}
	}
	if got := f.query(t, "SELECT count(*) FROM people"); got != "3000" {
		t.Errorf("people = %s, want 3000", got)
	}
}

// Ensure a second run on a held scope is refused with the holder named.
func TestRun_LeaseHeld(t *testing.T) {
	f := newFixture(t, 5, "people: [person]", nil)
	cfg := f.config(t)
	must(t, cfg.Store.(decant.StateInitializer).Init(context.Background()))
	other := decant.Holder{Host: "elsewhere", PID: 4242, ID: "other-run"}
	must(t, cfg.Store.(decant.Leaser).AcquireLease(context.Background(), decant.DefaultScope, other, time.Minute))
	_, err := engine.Run(context.Background(), cfg, nil)
	var le *decant.LeaseError
	if !errors.As(err, &le) || !errors.Is(err, decant.ErrLeaseHeld) {
		t.Fatalf("err = %v, want a *decant.LeaseError", err)
	}
	if !strings.Contains(err.Error(), "elsewhere") || !strings.Contains(err.Error(), "4242") {
		t.Errorf("error does not name the holder: %v", err)
	}
	// The lease comes before setup: a refused run changed nothing.
	if got := f.query(t, "SELECT count(*) FROM sqlite_master WHERE name = 'people'"); got != "0" {
		t.Errorf("the refused run ran the setup script (people exists)")
	}
}

// Ensure unknown routes, bad values and refused rows become stored errors,
// the rest is written, and retry under a fixed plan resolves them.
func TestRun_ErrorsAndRetry(t *testing.T) {
	f := newFixture(t, 30, "people: [person]", func(i int) string {
		switch i {
		case 7:
			return `{"id":7,"name":"r7","kind":"robot","score":"1","tags":[]}`
		case 8:
			return `{"id":8,"name":"p8","kind":"person","score":"lots","tags":[]}`
		case 9:
			return `{"id":9,"name":"p9","kind":"person","score":"-3","tags":[]}` // CHECK (score >= 0)
		case 10:
			return `{"name":"nokey","kind":"person"}`
		}
		return ""
	})
	res, err := engine.Run(context.Background(), f.config(t), nil)
	must(t, err)
	if s := res.Steps[0]; s.Read != 30 || s.Failed != 4 || s.Written != 26 {
		t.Fatalf("result = %+v, want read 30, written 26, failed 4", s)
	}
	got := f.query(t, "SELECT key, message, attempts FROM decant_errors ORDER BY key")
	for _, want := range []string{"7 unknown kind: robot 1", "8 invalid value for score 1", "9 the target refused the row 1", "record has no key"} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q:\n%s", want, got)
		}
	}
	if got := f.query(t, "SELECT count(*) FROM people"); got != "26" {
		t.Errorf("people = %s, want 26", got)
	}
	var payload string
	payload = f.query(t, "SELECT payload FROM decant_errors WHERE key = '7'")
	if !strings.Contains(payload, `"name":"r7"`) {
		t.Errorf("payload not kept: %s", payload)
	}

	// Route robots to their own table and retry: record 7 is resolved, the others fail again.
	f.writePlan(t, "people: [person], robots: [robot]")
	rr, err := engine.Retry(context.Background(), f.config(t))
	must(t, err)
	if rr[0].Retried != 4 || rr[0].Resolved != 1 || rr[0].Failed != 3 {
		t.Errorf("retry = %+v, want retried 4, resolved 1, failed 3", rr[0])
	}
	if got := f.query(t, "SELECT name FROM robots"); got != "r7" {
		t.Errorf("robots = %q, want r7", got)
	}
	if got := f.query(t, "SELECT key, resolved, attempts FROM decant_errors WHERE key IN ('7','8') ORDER BY key"); got != "7 1 1\n8 0 2" {
		t.Errorf("errors after retry = %q", got)
	}
}

// Ensure a plan that maps a column the target lacks fails before anything
// is written, and a dry run writes nothing.
func TestRun_CheckBeforeWriteAndDryRun(t *testing.T) {
	f := newFixture(t, 12, "people: [person]", nil)
	cfg := f.config(t)
	res, err := engine.Run(context.Background(), engine.Config{Plan: cfg.Plan, Store: cfg.Store, Sources: cfg.Sources, DryRun: true}, nil)
	if err == nil {
		// The dry run does not run setup, so the tables are missing: check must say so.
		t.Fatalf("dry run on a database without tables succeeded: %+v", res)
	}
	if !strings.Contains(err.Error(), "table people does not exist") {
		t.Errorf("dry-run error = %v", err)
	}
	if _, err := engine.Run(context.Background(), cfg, nil); err != nil {
		t.Fatal(err)
	}
	// A target whose people table has points instead of score: check stops the run.
	f2 := newFixture(t, 12, "people: [person]", nil)
	db, err := sql.Open("sqlite", f2.db)
	must(t, err)
	_, err = db.Exec(strings.ReplaceAll(schema, "score NUMERIC CHECK (score >= 0)", "points NUMERIC"))
	must(t, err)
	db.Close()
	_, err = engine.Run(context.Background(), f2.config(t), nil)
	// "no records": the state tables exist by now, so "nothing was written"
	// was not true; and the message says how to make the two match.
	if err == nil || !strings.Contains(err.Error(), "has no column score") || !strings.Contains(err.Error(), "no records were written") ||
		!strings.Contains(err.Error(), "a migration (plan key migrations) or a setup script (plan key setup), or fix the step's to/map") {
		t.Fatalf("err = %v, want a missing-column error before writing, with the fix", err)
	}
	if got := f2.query(t, "SELECT count(*) FROM people"); got != "0" {
		t.Errorf("people = %s after a failed check", got)
	}
}
