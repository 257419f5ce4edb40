package engine_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/verify"
)

// resumePlan has two steps with integer keys: nums (30 records, keys
// 1..30) and more (10 records), so that ranges of 3 keys end at 9 and
// start at 10.
const resumePlan = `version: 1
connections:
  nums_in: file:nums.jsonl
  more_in: file:more.jsonl
  target: %s
setup: [schema.sql]
steps:
  - name: nums
    from: {connection: nums_in, key: id}
    key: id
    to: {table: nums}
    map: {id: record.id, v: record.v}
  - name: more
    from: {connection: more_in, key: id}
    key: id
    to: {table: more}
    map: {id: record.id, v: record.v}
`

const resumeSchema = `CREATE TABLE nums (id INTEGER PRIMARY KEY, v TEXT);
CREATE TABLE more (id INTEGER PRIMARY KEY, v TEXT);`

type resumeEnv struct {
	verifyEnv
	pl      *plan.Plan
	reads   *atomic.Int64 // target rows read through the store
	opens   *atomic.Int64 // sources opened
	failAt  *atomic.Int64 // when > 0, step more's source fails after this many records
	counted decant.Store
}

func migrateForResume(t *testing.T, vt verifyTarget) resumeEnv {
	t.Helper()
	dir := t.TempDir()
	var nums, more []string
	for i := 1; i <= 30; i++ {
		nums = append(nums, fmt.Sprintf(`{"id":%d,"v":"n%d"}`, i, i))
	}
	for i := 1; i <= 10; i++ {
		more = append(more, fmt.Sprintf(`{"id":%d,"v":"m%d"}`, i, i))
	}
	must(t, os.WriteFile(filepath.Join(dir, "nums.jsonl"), []byte(strings.Join(nums, "\n")+"\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "more.jsonl"), []byte(strings.Join(more, "\n")+"\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(resumeSchema), 0o644))
	url, db := vt.open(t, dir)
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(fmt.Sprintf(resumePlan, url)), 0o644))
	pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	st, err := connect.Store(context.Background(), pl)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	_, err = engine.Run(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}, nil)
	must(t, err)
	e := resumeEnv{verifyEnv: verifyEnv{dir: dir, url: url, db: db, st: st}, pl: pl,
		reads: &atomic.Int64{}, opens: &atomic.Int64{}, failAt: &atomic.Int64{}}
	e.counted = &countingStore{Store: st, reads: e.reads}
	return e
}

// verify verifies with ranges of 3 keys, keeping the findings; finding,
// when set, sees each finding.
func (e resumeEnv) verify(ctx context.Context, resume bool, finding func(step, table string, f verify.Finding) error) (*engine.VerifyResult, error) {
	cfg := engine.Config{Plan: e.pl, Store: e.counted, Sources: e.sources()}
	return engine.Verify(ctx, cfg, engine.VerifyOptions{Keep: true, Resume: resume, ChunkKeys: 3, Finding: finding})
}

// sources opens the plan's sources, counting the opens, and makes step
// more's fail after failAt records when failAt is set.
func (e resumeEnv) sources() engine.SourceOpener {
	open := connect.Sources(e.pl)
	return func(ctx context.Context, s *plan.Step) (decant.Source, error) {
		e.opens.Add(1)
		src, err := open(ctx, s)
		if err != nil || s.Name != "more" || e.failAt.Load() == 0 {
			return src, err
		}
		return &failingSource{Source: src, after: int(e.failAt.Load())}, nil
	}
}

// stored lists the kept findings as "step table key kind columns".
func (e resumeEnv) stored(t *testing.T) []string {
	t.Helper()
	fs, err := decant.Require[decant.FindingStore](e.st, "list findings")
	must(t, err)
	found, err := fs.Findings(context.Background(), decant.FindingFilter{Scope: decant.DefaultScope})
	must(t, err)
	var out []string
	for _, f := range found {
		var cols []string
		for _, c := range f.Columns {
			cols = append(cols, fmt.Sprintf("%s=%v/%v", c.Column, deref(c.Expected), deref(c.Actual)))
		}
		out = append(out, fmt.Sprintf("%s %s %s %s %s", f.Step, f.Table, f.Key, f.Kind, strings.Join(cols, ",")))
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return "NULL"
	}
	return *s
}

func (e resumeEnv) exec(t *testing.T, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := e.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// countingStore counts the target rows verify reads.
type countingStore struct {
	decant.Store
	reads *atomic.Int64
}

func (c *countingStore) Unwrap() decant.Store { return c.Store }

func (c *countingStore) ReadRows(ctx context.Context, q decant.RowQuery) (decant.TargetRows, error) {
	r, err := decant.As[decant.TargetReader](c.Store)
	if !err {
		return nil, errors.New("no TargetReader")
	}
	rows, rerr := r.ReadRows(ctx, q)
	if rerr != nil {
		return nil, rerr
	}
	return &countingRows{TargetRows: rows, n: c.reads}, nil
}

type countingRows struct {
	decant.TargetRows
	n *atomic.Int64
}

func (c *countingRows) Next(ctx context.Context) bool {
	ok := c.TargetRows.Next(ctx)
	if ok {
		c.n.Add(1)
	}
	return ok
}

// failingSource's rows end in an error after a number of records, as a
// source whose connection drops.
type failingSource struct {
	decant.Source
	after int
}

func (f *failingSource) Read(ctx context.Context, scope string, pos decant.Position) (decant.Rows, error) {
	rows, err := f.Source.Read(ctx, scope, pos)
	if err != nil {
		return nil, err
	}
	return &failingRows{Rows: rows, left: f.after}, nil
}

type failingRows struct {
	decant.Rows
	left int
	err  error
}

func (f *failingRows) Next(ctx context.Context) bool {
	if f.left == 0 {
		f.err = errors.New("source connection reset")
		return false
	}
	f.left--
	return f.Rows.Next(ctx)
}

func (f *failingRows) Err() error {
	if f.err != nil {
		return f.err
	}
	return f.Rows.Err()
}

// Ensure a verify killed mid-table (its context cancelled from the Finding
// callback) and then resumed stores exactly the findings an uninterrupted
// verify stores and reports the same counts, reads only the target rows
// after the last key it stored, and replaces the findings of an earlier
// verify in the ranges it re-examined, integer keys 9 and 10 on either
// side of a range boundary included.
func TestVerify_ResumeAfterKill(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForResume(t, vt)
			// An earlier verify found 3, 9, 10 and 25 different.
			e.exec(t, "UPDATE nums SET v = 'x' WHERE id IN (3, 9, 10, 25)")
			_, err := e.verify(context.Background(), false, nil)
			if err != nil || !strings.Contains(strings.Join(e.stored(t), "\n"), "nums nums 9 diff") {
				t.Fatalf("first verify: %v, stored %v", err, e.stored(t))
			}
			// 3 and 25 are repaired, 9 and 10 are not, 14 is deleted, 40 added.
			e.exec(t, "UPDATE nums SET v = 'n3' WHERE id = 3", "UPDATE nums SET v = 'n25' WHERE id = 25",
				"DELETE FROM nums WHERE id = 14", "INSERT INTO nums (id, v) VALUES (40, 'y')")

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			_, err = e.verify(ctx, false, func(step, table string, f verify.Finding) error {
				if f.Key[0] == int64(10) {
					cancel() // killed while the range (9, 12] is compared
				}
				return nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("killed verify: err = %v, want context.Canceled", err)
			}
			// Ranges up to 9 are stored: 3's finding is gone, 9's kept; the
			// range of 10 was not stored, so 25's old finding is still there.
			if got, want := e.stored(t), []string{"nums nums 9 diff v=n9/x", "nums nums 10 diff v=n10/x", "nums nums 25 diff v=n25/x"}; !slices.Equal(got, want) {
				t.Errorf("findings after the kill:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}

			e.reads.Store(0)
			res, err := e.verify(context.Background(), true, nil)
			if err != nil || !res.Resumed || res.Clean {
				t.Fatalf("resumed verify: err %v, resumed %v; want differences found, resumed", err, res != nil && res.Resumed)
			}
			// nums has 30 rows (14 deleted, 40 added); 9 of them (1..9) were
			// done; more's 10 rows are read whole.
			if got := e.reads.Load(); got != 30-9+10 {
				t.Errorf("the resumed verify read %d target rows, want %d: the rows after key 9 and step more", got, 30-9+10)
			}
			resumed := e.stored(t)

			e.reads.Store(0)
			whole, err := e.verify(context.Background(), false, nil)
			must(t, err)
			if got := e.reads.Load(); got != 30+10 {
				t.Errorf("an uninterrupted verify read %d target rows, want 40", got)
			}
			want := []string{"nums nums 9 diff v=n9/x", "nums nums 10 diff v=n10/x", "nums nums 14 missing ", "nums nums 40 extra "}
			if got := e.stored(t); !slices.Equal(got, want) || !slices.Equal(resumed, want) {
				t.Errorf("findings: resumed\n%s\nuninterrupted\n%s\nwant\n%s", strings.Join(resumed, "\n"), strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if a, b := fmt.Sprintf("%+v", res.Steps), fmt.Sprintf("%+v", whole.Steps); a != b {
				t.Errorf("counts: resumed %s\nuninterrupted %s", a, b)
			}
		})
	}
}

// Ensure a source that fails mid-step stops the verify with its error,
// keeps the findings of the steps verified before, and that the resumed
// run does not verify those steps again and completes with the findings
// of an uninterrupted verify.
func TestVerify_ResumeAfterSourceFailure(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForResume(t, vt)
			e.exec(t, "UPDATE nums SET v = 'x' WHERE id = 9", "UPDATE more SET v = 'x' WHERE id IN (2, 8)")
			e.failAt.Store(5)
			_, err := e.verify(context.Background(), false, nil)
			if err == nil || !strings.Contains(err.Error(), "verify step more") || !strings.Contains(err.Error(), "source connection reset") {
				t.Fatalf("verify with a failing source: %v", err)
			}
			if got, want := e.stored(t), []string{"nums nums 9 diff v=n9/x"}; !slices.Equal(got, want) {
				t.Errorf("findings kept after the failure: %v, want %v", got, want)
			}
			fs, _ := decant.As[decant.FindingStore](e.st)
			runs, err := fs.VerifyRuns(context.Background(), decant.DefaultScope, 1)
			must(t, err)
			if len(runs) != 1 || runs[0].Status != decant.VerifyFailed || !strings.Contains(runs[0].Message, "source connection reset") {
				t.Errorf("the failed run as kept: %+v", runs)
			}

			e.failAt.Store(0)
			e.opens.Store(0)
			res, err := e.verify(context.Background(), true, nil)
			if err != nil || !res.Resumed || res.Run != runs[0].Run || res.Clean {
				t.Fatalf("resumed verify: %v, %+v; want run %s resumed, differences found", err, res, runs[0].Run)
			}
			if got := e.opens.Load(); got != 1 {
				t.Errorf("the resumed verify opened %d sources, want 1: step nums was done", got)
			}
			want := []string{"more more 2 diff v=m2/x", "more more 8 diff v=m8/x", "nums nums 9 diff v=n9/x"}
			if got := e.stored(t); !slices.Equal(got, want) {
				t.Errorf("findings after the resume:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if len(res.Steps) != 2 || res.Steps[0].Diffs != 1 || res.Steps[0].Checked != 30 || res.Steps[1].Diffs != 2 || res.Steps[1].Checked != 10 {
				t.Errorf("resumed counts %+v; want nums 1 diff of 30, more 2 of 10", res.Steps)
			}
			if runs, _ := fs.VerifyRuns(context.Background(), decant.DefaultScope, 1); runs[0].Status != decant.VerifyDone {
				t.Errorf("the resumed run ended %q, want done", runs[0].Status)
			}
			// Nothing is left to resume: a resume verifies from the start.
			e.opens.Store(0)
			again, _ := e.verify(context.Background(), true, nil)
			if again.Resumed || e.opens.Load() != 2 {
				t.Errorf("a resume after a finished run: resumed %v, %d sources opened; want a whole new run", again.Resumed, e.opens.Load())
			}
		})
	}
}

// Ensure a resume of a run of another plan is refused, naming the way
// out, and that a verify that keeps nothing cannot resume.
func TestVerify_ResumeRefused(t *testing.T) {
	t.Parallel()
	e := migrateForResume(t, verifyTargets[0])
	e.failAt.Store(2)
	if _, err := e.verify(context.Background(), false, nil); err == nil {
		t.Fatal("verify with a failing source: no error")
	}
	e.failAt.Store(0)
	cfg := engine.Config{Plan: e.pl, Store: e.st, Sources: e.sources(), Only: []string{"more"}}
	_, err := engine.Verify(context.Background(), cfg, engine.VerifyOptions{Keep: true, Resume: true})
	if !errors.Is(err, engine.ErrResumeRefused) || !strings.Contains(err.Error(), "without --resume") ||
		!strings.Contains(err.Error(), "this verify chose more") || !strings.Contains(err.Error(), "resume with --only nums,more") {
		t.Errorf("resume with other steps: %v; want ErrResumeRefused naming the steps to resume with, or to run without --resume", err)
	}
	_, err = engine.Verify(context.Background(), cfg, engine.VerifyOptions{MissingOnly: true, Resume: true})
	if err == nil || !strings.Contains(err.Error(), "only a verify that keeps its findings can resume") {
		t.Errorf("resume of a missing-only verify: %v", err)
	}
}

// Ensure FindingOrder sorts keys as CompareKeys does: integers by value
// (9 < 10, negatives first), floats among them, strings and bytes
// bytewise, composite keys column by column, a prefix first.
func TestFindingOrder_SortsAsCompareKeys(t *testing.T) {
	t.Parallel()
	keys := [][]any{
		{nil}, {int64(-10)}, {int64(-1)}, {-0.5}, {int64(0)}, {0.25}, {0.5}, {int64(9)}, {9.5}, {int64(10)},
		{int64(1) << 62}, {""}, {"\x00"}, {"\x01"}, {"\x02"}, {"10"}, {"9"}, {"a"}, {"a\x00"}, {"a", int64(1)},
		{"a", int64(10)}, {"ab"}, {"é"}, {"\xff"}, {[]byte{0}}, {[]byte("z")},
		{int64(9), "b"}, {int64(9), "a"}, {int64(9)},
	}
	for _, a := range keys {
		for _, b := range keys {
			want := decant.CompareKeys(a, b)
			got := strings.Compare(decant.FindingOrder(a), decant.FindingOrder(b))
			if got != want {
				t.Errorf("keys %#v and %#v: order keys compare %d, CompareKeys %d", a, b, got, want)
			}
		}
		if o := decant.FindingOrder(a); strings.ContainsRune(o, 0) || !utf8Valid(o) {
			t.Errorf("order key of %#v = %q: not storable text", a, o)
		}
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// BenchmarkVerifyKeep is a full verify of 20,000 SQLite rows that keeps
// its findings and progress every 1,000 or 10,000 keys, against one that
// keeps nothing: the cost of being resumable.
func BenchmarkVerifyKeep(b *testing.B) {
	for _, bb := range []struct {
		name string
		opts engine.VerifyOptions
	}{
		{"nothing", engine.VerifyOptions{}},
		{"chunk=10000", engine.VerifyOptions{Keep: true}},
		{"chunk=1000", engine.VerifyOptions{Keep: true, ChunkKeys: 1000}},
	} {
		b.Run(bb.name, func(b *testing.B) { benchmarkVerify(b, bb.opts) })
	}
}

// BenchmarkVerifyKeepAllDiffer verifies 20,000 SQLite rows that all
// differ (the plan maps another field into label), keeping every finding:
// each range stores 10,000 findings and reads their ledger rows once.
func BenchmarkVerifyKeepAllDiffer(b *testing.B) {
	const n = 20000
	pl, st := benchVerify(b, n)
	path := filepath.Join(filepath.Dir(pl.File), "differ.yaml")
	if err := os.WriteFile(path, []byte(verifyPlan("sqlite:t.db", "record.code")), 0o644); err != nil {
		b.Fatal(err)
	}
	differ, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := engine.Verify(context.Background(), engine.Config{Plan: differ, Store: st, Sources: connect.Sources(differ)}, engine.VerifyOptions{Keep: true})
		if err != nil {
			b.Fatal(err)
		}
		if s := res.Steps[0]; s.Diffs != n {
			b.Fatalf("counts %+v; want %d diffs", s, n)
		}
	}
}
