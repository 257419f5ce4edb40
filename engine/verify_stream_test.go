package engine_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/verify"
)

const streamSchema = `CREATE TABLE items (id text PRIMARY KEY, n integer, label text, at timestamp);`

const streamPlan = `version: 1
connections:
  in: file:in.jsonl
  target: %s
setup: [schema.sql]
steps:
  - name: items
    from: {connection: in, key: id}
    key: id
    batch_size: 97
    to: {table: items}
    map: {id: record.id, n: record.n, label: record.label, at: record.at}
`

// streamRecords are n records with keys k00001.. in key order.
func streamRecords(n int) []string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = fmt.Sprintf(`{"id":"k%05d","n":%d,"label":"v%d","at":"2024-01-01T10:00:%02dZ"}`, i+1, i, i, i%60)
	}
	return lines
}

// streamFinding is how verifyStream records one finding.
func streamFinding(table string, f verify.Finding) string {
	s := fmt.Sprintf("%s %s %v %d/%d", table, f.Kind, f.Key, f.Expected, f.Actual)
	for _, c := range f.Columns {
		s += fmt.Sprintf(" %s=-%s+%s", c.Column, c.Expected, c.Actual)
	}
	return s
}

// streamRun is what one verify found and how its bet ended.
type streamRun struct {
	res     *engine.VerifyResult
	found   []string
	settled []string // "won", "lost" or "reread", per bet
}

// verifyStream verifies the source as it is on disk now, with the bet or
// without (off), the sort holding sortRows rows, a stream holding at most
// held findings (0: the default).
func verifyStream(t *testing.T, e patchEnv, off bool, sortRows, held int, missingOnly bool) streamRun {
	t.Helper()
	var r streamRun
	opts := engine.VerifyOptions{MissingOnly: missingOnly, Keep: !missingOnly, ChunkKeys: 50,
		Sort: verify.SortOptions{MaxRows: sortRows, Dir: t.TempDir()},
		Finding: func(step, table string, f verify.Finding) error {
			r.found = append(r.found, streamFinding(table, f))
			return nil
		}}
	opts = engine.WithStream(opts, off, held, func(table string, won, reread bool) {
		switch {
		case won:
			r.settled = append(r.settled, "won")
		case reread:
			r.settled = append(r.settled, "reread")
		default:
			r.settled = append(r.settled, "lost")
		}
	})
	cfg := e.cfg
	cfg.MapWorkers = 2
	var err error
	r.res, err = engine.Verify(context.Background(), cfg, opts)
	must(t, err)
	return r
}

func writeInput(t *testing.T, e patchEnv, lines []string) {
	t.Helper()
	must(t, os.WriteFile(filepath.Join(e.dir, "in.jsonl"), []byte(strings.Join(lines, "\n")+"\n"), 0o644))
}

// Ensure the streamed comparison finds exactly what the comparison from
// the sort finds, counts, findings and their order, whether its bet is won
// (the source in key order) or lost (the source shuffled, found out while
// the sort still holds every row, or after it was dropped, when the source
// is read again), full and --missing-only. Each case also checks how the
// bet ended, so that no case passes by taking the same path twice.
func TestVerifyStream_SameFindingsAsTheSort(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			sorted := streamRecords(600)
			e := migratePatchPlan(t, vt, streamSchema, strings.Join(sorted, "\n")+"\n", streamPlan)
			// Differences of every kind: a changed column, a missing
			// key, an extra key, a NULL.
			e.exec(t, `UPDATE items SET label = 'changed' WHERE id IN ('k00007', 'k00300', 'k00599')`,
				`UPDATE items SET n = NULL WHERE id = 'k00450'`,
				`DELETE FROM items WHERE id IN ('k00001', 'k00151', 'k00600')`,
				`INSERT INTO items (id, n, label) VALUES ('k00150x', 1, 'extra'), ('zzz', 2, 'extra')`)
			shuffled := append([]string(nil), sorted...)
			rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			// In order until the last rows: the bet is lost only after
			// the sort was dropped.
			late := append(append([]string(nil), sorted[:590]...), sorted[595], sorted[590], sorted[591], sorted[592], sorted[593], sorted[594])
			late = append(late, sorted[596:]...)

			for _, missingOnly := range []bool{false, true} {
				writeInput(t, e, sorted)
				want := verifyStream(t, e, true, 1000, 0, missingOnly)
				if len(want.settled) != 0 {
					t.Fatalf("a verify without the bet settled one: %v", want.settled)
				}
				if len(want.found) == 0 || want.res.Clean {
					t.Fatalf("the sort's verify found nothing: %+v", want.res)
				}
				for _, c := range []struct {
					name     string
					input    []string
					sortRows int
					settled  string
				}{
					{"sorted", sorted, 1000, "won"},
					{"sorted, the sort dropped", sorted, 100, "won"},
					{"shuffled", shuffled, 1000, "lost"},
					{"shuffled, small sort", shuffled, 100, "lost"},
					{"out of order late", late, 100, "reread"},
				} {
					writeInput(t, e, c.input)
					got := verifyStream(t, e, false, c.sortRows, 0, missingOnly)
					if !reflect.DeepEqual(got.settled, []string{c.settled}) {
						t.Errorf("missing-only %v, %s: the bet ended %v, want %s", missingOnly, c.name, got.settled, c.settled)
					}
					if !reflect.DeepEqual(got.found, want.found) {
						t.Errorf("missing-only %v, %s: findings\n%s\nwant (the sort's)\n%s", missingOnly, c.name,
							strings.Join(got.found, "\n"), strings.Join(want.found, "\n"))
					}
					if !reflect.DeepEqual(got.res.Steps, want.res.Steps) || got.res.Clean != want.res.Clean {
						t.Errorf("missing-only %v, %s: result %+v, want (the sort's) %+v", missingOnly, c.name, got.res.Steps, want.res.Steps)
					}
				}
			}
		})
	}
}

// Ensure a stream that would hold more findings than it may loses its
// bet, and the comparison from the sort reports every finding, once.
func TestVerifyStream_TooManyFindingsFallsBack(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			sorted := streamRecords(300)
			e := migratePatchPlan(t, vt, streamSchema, strings.Join(sorted, "\n")+"\n", streamPlan)
			e.exec(t, `UPDATE items SET label = 'changed' WHERE n % 3 = 0`) // 100 diffs
			want := verifyStream(t, e, true, 1000, 0, false)
			for _, c := range []struct {
				held     int
				sortRows int
				settled  string
			}{{99, 1000, "lost"}, {99, 50, "reread"}, {100, 50, "won"}} {
				got := verifyStream(t, e, false, c.sortRows, c.held, false)
				if !reflect.DeepEqual(got.settled, []string{c.settled}) {
					t.Errorf("holding %d findings, sort of %d rows: the bet ended %v, want %s", c.held, c.sortRows, got.settled, c.settled)
				}
				if len(got.found) != 100 || !reflect.DeepEqual(got.found, want.found) || !reflect.DeepEqual(got.res.Steps, want.res.Steps) {
					t.Errorf("holding %d findings: %d findings, result %+v; want the sort's %d, %+v", c.held, len(got.found), got.res.Steps, len(want.found), want.res.Steps)
				}
			}
		})
	}
}

const streamFieldsPlan = `version: 1
connections:
  in: file:in.jsonl
  target: %s
setup: [schema.sql]
steps:
  - name: items
    from: {connection: in, key: id}
    key: id
    to: {table: items}
    map: {id: record.id}
    fields: record.f
`

// Ensure a row that lacks a column the first row gave loses the bet: the
// column is then not the plan's to say for every key, and the comparison
// from the sort, which leaves it out, is the one reported.
func TestVerifyStream_RowWithoutAColumnFallsBack(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			var lines []string
			for i := 1; i <= 300; i++ {
				f := fmt.Sprintf(`{"n":%d,"label":"v%d"}`, i, i)
				if i == 200 {
					f = `{"n":200}` // label is no longer compared
				}
				lines = append(lines, fmt.Sprintf(`{"id":"k%05d","f":%s}`, i, f))
			}
			for _, sortRows := range []int{1000, 100} {
				e := migratePatchPlan(t, vt, streamSchema, strings.Join(lines, "\n")+"\n", streamFieldsPlan)
				e.exec(t, `UPDATE items SET label = 'changed' WHERE id = 'k00007'`, `UPDATE items SET n = 0 WHERE id = 'k00008'`)
				want := verifyStream(t, e, true, sortRows, 0, false)
				got := verifyStream(t, e, false, sortRows, 0, false)
				settled := "lost"
				if sortRows < 200 {
					settled = "reread"
				}
				if !reflect.DeepEqual(got.settled, []string{settled}) {
					t.Errorf("sort of %d rows: the bet ended %v, want %s", sortRows, got.settled, settled)
				}
				wantFound := []string{"items diff [k00008] 1/1 n=-8+0"}
				if !reflect.DeepEqual(want.found, wantFound) || !reflect.DeepEqual(got.found, want.found) ||
					!reflect.DeepEqual(got.res.Steps, want.res.Steps) {
					t.Errorf("sort of %d rows: findings %q, %+v; the sort's %q, %+v; want %q", sortRows,
						got.found, got.res.Steps, want.found, want.res.Steps, wantFound)
				}
			}
		})
	}
}

// Ensure a comparison that fails fails the same way streamed and from the
// sort: the error of a won bet is the verify's, and names the same key.
func TestVerifyStream_MergeErrorIsTheSorts(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			sorted := streamRecords(2000)
			e := migratePatchPlan(t, vt, streamSchema, strings.Join(sorted, "\n")+"\n", streamPlan)
			errOf := func(off bool) (error, []string) {
				var settled []string
				opts := engine.VerifyOptions{Keep: true, ChunkKeys: 50, Sort: verify.SortOptions{MaxRows: 500, Dir: t.TempDir()},
					// A kind the rules do not know: every comparison fails.
					Column: func(c decant.Column) verify.Column { return verify.Column{Kind: "interval"} }}
				opts = engine.WithStream(opts, off, 0, func(table string, won, reread bool) {
					settled = append(settled, fmt.Sprint(won, reread))
				})
				_, err := engine.Verify(context.Background(), e.cfg, opts)
				return err, settled
			}
			want, _ := errOf(true)
			got, settled := errOf(false)
			if want == nil || !errors.Is(got, verify.ErrUnsupported) || got.Error() != want.Error() {
				t.Fatalf("streamed: %v; from the sort: %v; want the same error, wrapping ErrUnsupported", got, want)
			}
			if !reflect.DeepEqual(settled, []string{"true false"}) {
				t.Errorf("the bet ended %v, want won", settled)
			}
		})
	}
}
