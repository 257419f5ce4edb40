package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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

// Faults of a verify: what it does with a target it did not expect (a
// column the plan does not map, a key twice), and with a run that does not
// end (a source that fails, a cancelled context): findings kept whole per
// step, never half a step's.

// alterTarget runs stmts on the target, behind decant's back.
func alterTarget(t *testing.T, e verifyEnv, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := e.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// Ensure a target column the plan does not map is left alone and listed
// once in the table's result, however many rows hold a value in it.
func TestVerifyFaults_UnmappedColumn(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForVerify(t, vt)
			alterTarget(t, e, "ALTER TABLE items ADD COLUMN audit_note text",
				"UPDATE items SET audit_note = 'touched by the app ' || id")
			res, found := runVerify(t, loadVerifyPlan(t, e.dir, e.url, "record.label"), e.st)
			if len(found) != 0 || !res.Clean {
				t.Errorf("clean %v, findings %v; want clean: the column is not the plan's", res.Clean, found)
			}
			if u := res.Steps[0].Tables[0].Unmapped; !slices.Equal(u, []string{"audit_note"}) {
				t.Errorf("unmapped %q; want [audit_note], once", u)
			}
		})
	}
}

// Ensure a child table's column the plan does not map is left alone and
// listed once in the child table's result.
func TestVerifyFaults_UnmappedChildColumn(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e, run := migrateChildren(t, vt)
			alterTarget(t, e, "ALTER TABLE tags ADD COLUMN source text", "UPDATE tags SET source = 'app'")
			res, found := run()
			if len(found) != 0 || !res.Clean {
				t.Errorf("clean %v, findings %v; want clean", res.Clean, found)
			}
			if u := tableResult(t, res, "tags").Unmapped; !slices.Equal(u, []string{"source"}) {
				t.Errorf("tags unmapped %q; want [source], once", u)
			}
			if u := tableResult(t, res, "people").Unmapped; len(u) != 0 {
				t.Errorf("people unmapped %q; want none", u)
			}
		})
	}
}

// noPrimaryKey rebuilds items without its primary key, rows kept.
var noPrimaryKey = map[string][]string{
	"sqlite": {
		`CREATE TABLE items_nopk (id TEXT, n INTEGER, label TEXT, code TEXT, amount NUMERIC, at TIMESTAMP)`,
		`INSERT INTO items_nopk SELECT id, n, label, code, amount, at FROM items`,
		`DROP TABLE items`,
		`ALTER TABLE items_nopk RENAME TO items`,
	},
	"postgres": {`ALTER TABLE items DROP CONSTRAINT items_pkey`},
}

// Ensure a key the target holds twice (its table has no primary key) is
// one duplicate finding with both counts, its rows not compared, and the
// other keys still compared.
func TestVerifyFaults_DuplicateTargetKey(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForVerify(t, vt)
			alterTarget(t, e, noPrimaryKey[vt.name]...)
			alterTarget(t, e, "INSERT INTO items SELECT * FROM items WHERE id = 'k03'",
				"UPDATE items SET n = 77 WHERE id = 'k05'")
			pl := loadVerifyPlan(t, e.dir, e.url, "record.label")
			var dups []verify.Finding
			var found []string
			res, err := engine.Verify(context.Background(), engine.Config{Plan: pl, Store: e.st, Sources: connect.Sources(pl)},
				engine.VerifyOptions{Finding: func(_, _ string, f verify.Finding) error {
					found = append(found, fmt.Sprintf("%s %v", f.Kind, f.Key[0]))
					if f.Kind == verify.FindingDuplicate {
						dups = append(dups, f)
					}
					return nil
				}})
			must(t, err)
			slices.Sort(found)
			if want := []string{"diff k05", "duplicate k03"}; !slices.Equal(found, want) {
				t.Errorf("findings %v; want %v", found, want)
			}
			if len(dups) != 1 || dups[0].Expected != 1 || dups[0].Actual != 2 || len(dups[0].Columns) != 0 {
				t.Errorf("duplicate findings %+v; want one for k03, expected 1 row, actual 2, no columns", dups)
			}
			if s := res.Steps[0]; res.Clean || s.Duplicates != 1 || s.Diffs != 1 || s.OK != 8 || s.Checked != 10 {
				t.Errorf("clean %v, counts %+v; want 1 duplicate, 1 diff, 8 ok of 10", res.Clean, s.VerifyCounts)
			}
		})
	}
}

// feed is an HTTP feed of events for a second step: GET
// ?timestamp=T&batch-size=N answers the next N events after T. Once
// failing is set, requests after the first are answered 500.
type feed struct {
	n        int
	failing  atomic.Bool
	requests atomic.Int64
	srv      *httptest.Server
}

func newEventFeed(t *testing.T, n int) *feed {
	f := &feed{n: n}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.requests.Add(1) > 1 && f.failing.Load() {
			http.Error(w, "the feed is down", http.StatusInternalServerError)
			return
		}
		after, _ := strconv.Atoi(r.URL.Query().Get("timestamp"))
		size, _ := strconv.Atoi(r.URL.Query().Get("batch-size"))
		page := []map[string]any{}
		for id := after + 1; id <= f.n && len(page) < size; id++ {
			page = append(page, map[string]any{"id": id, "seq": id, "kind": "kind " + strconv.Itoa(id)})
		}
		must(t, json.NewEncoder(w).Encode(page))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// fail makes every request after the next one fail.
func (f *feed) fail() {
	f.requests.Store(0)
	f.failing.Store(true)
}

// migrateTwoSteps migrates verifyInput into items and 30 events from the
// feed into events, and returns the config of a verify.
func migrateTwoSteps(t *testing.T, vt verifyTarget) (verifyEnv, *feed, engine.Config) {
	t.Helper()
	dir := t.TempDir()
	f := newEventFeed(t, 30)
	must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte(verifyInput()), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"),
		[]byte(vt.schema+"\nCREATE TABLE events (id integer PRIMARY KEY, kind text);"), 0o644))
	url, db := vt.open(t, dir)
	text := strings.Replace(verifyPlan(url, "record.label"), "  target:", "  feed: "+f.srv.URL+"/feed\n  target:", 1) +
		`  - name: events
    from: {connection: feed, key: id, cursor: seq, page_size: 10, retries: 0}
    key: id
    to: {table: events}
    map: {id: record.id, kind: record.kind}
`
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(text), 0o644))
	pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	st, err := connect.Store(context.Background(), pl)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	cfg := engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}
	res, err := engine.Run(context.Background(), cfg, nil)
	must(t, err)
	if len(res.Steps) != 2 || res.Steps[1].Written != 30 {
		t.Fatalf("migrate: %+v; want 2 steps, 30 events written", res.Steps)
	}
	return verifyEnv{dir: dir, url: url, db: db, st: st}, f, engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl)}
}

func storedFindingsFull(t *testing.T, st decant.Store) []decant.Finding {
	t.Helper()
	fs, err := decant.Require[decant.FindingStore](st, "list findings")
	must(t, err)
	all, err := fs.Findings(context.Background(), decant.FindingFilter{})
	must(t, err)
	return all
}

// storedByStep is the stored findings as "step kind key", sorted.
func storedByStep(t *testing.T, e verifyEnv) []string {
	t.Helper()
	var out []string
	for _, f := range storedFindingsFull(t, e.st) {
		out = append(out, fmt.Sprintf("%s %s %s", f.Step, f.Kind, f.Key))
	}
	slices.Sort(out)
	return out
}

// keepBaseline corrupts both steps' tables, verifies keeping the findings,
// then changes the corruption so that the next verify would keep others.
func keepBaseline(t *testing.T, e verifyEnv, cfg engine.Config) []string {
	t.Helper()
	alterTarget(t, e, "UPDATE items SET n = 99 WHERE id = 'k01'", "UPDATE events SET kind = 'x' WHERE id = 3")
	_, err := engine.Verify(context.Background(), cfg, engine.VerifyOptions{Keep: true})
	must(t, err)
	base := storedByStep(t, e)
	if want := []string{"events diff 3", "items diff k01"}; !slices.Equal(base, want) {
		t.Fatalf("kept findings %v; want %v", base, want)
	}
	alterTarget(t, e, "UPDATE items SET n = 1 WHERE id = 'k01'", "UPDATE items SET n = 0",
		"UPDATE events SET kind = 'kind 3' WHERE id = 3", "UPDATE events SET kind = 'y'")
	return base
}

// Ensure a source that fails in the middle of a step stops the verify with
// an error naming the step and the source, and that the findings kept by
// the steps verified before it are stored, the failed step's left as the
// last verify stored them.
func TestVerifyFaults_SourceFailsMidStep(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e, f, cfg := migrateTwoSteps(t, vt)
			base := keepBaseline(t, e, cfg)
			f.fail()
			res, err := engine.Verify(context.Background(), cfg, engine.VerifyOptions{Keep: true})
			if err == nil || !strings.Contains(err.Error(), "verify step events") || !strings.Contains(err.Error(), "read source") ||
				!strings.Contains(err.Error(), "500") {
				t.Fatalf("err = %v; want one naming step events, its source and the 500", err)
			}
			t.Logf("the verify stopped: %v", err)
			if f.requests.Load() < 2 {
				t.Errorf("the feed answered %d requests; the failure should come after a page", f.requests.Load())
			}
			if res == nil || len(res.Steps) != 1 || res.Steps[0].Step != "items" || res.Steps[0].Diffs != 10 {
				t.Errorf("result %+v; want the items step, 10 diffs", res)
			}
			stored := storedByStep(t, e)
			var want []string
			for i := 1; i <= 10; i++ {
				want = append(want, fmt.Sprintf("items diff k%02d", i))
			}
			want = append([]string{base[0]}, want...) // events: as the last verify left them
			if !slices.Equal(stored, want) {
				t.Errorf("stored findings after the failure\n%v\nwant\n%v", stored, want)
			}
		})
	}
}

// Ensure a verify cancelled in the middle of a step (a killed verify)
// leaves that step's stored findings as they were, whole, while a step
// verified before the cancel keeps its new ones.
func TestVerifyFaults_CancelledMidStep(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		for _, at := range []string{"items", "events"} {
			t.Run(vt.name+"/"+at, func(t *testing.T) {
				t.Parallel()
				e, _, cfg := migrateTwoSteps(t, vt)
				base := keepBaseline(t, e, cfg)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				seen := 0
				_, err := engine.Verify(ctx, cfg, engine.VerifyOptions{Keep: true,
					Finding: func(step, _ string, _ verify.Finding) error {
						if step == at {
							if seen++; seen == 2 {
								cancel() // mid-step: one finding kept already, more to come
							}
						}
						return nil
					}})
				if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "verify step "+at) {
					t.Fatalf("err = %v; want context canceled in step %s", err, at)
				}
				t.Logf("the verify stopped: %v", err)
				want := base
				if at == "events" { // items ended before the cancel: its new findings are kept
					want = []string{base[0]}
					for i := 1; i <= 10; i++ {
						want = append(want, fmt.Sprintf("items diff k%02d", i))
					}
				}
				if stored := storedByStep(t, e); !slices.Equal(stored, want) {
					t.Errorf("stored findings after the cancel\n%v\nwant\n%v", stored, want)
				}
			})
		}
	}
}

// Ensure a child table whose parent key column is not of the parent key's
// type (an integer key, a text column: the store writes "10" there, or the
// other way round) is compared by the key as the column holds it, not
// reported as every parent missing and extra.
func TestVerifyFaults_ChildKeyOfAnotherType(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		for _, tc := range []struct{ name, parent, child, in string }{
			{"int key, text column", "integer", "text", `{"id":10,"tags":[{"t":"a"}]}` + "\n" + `{"id":9,"tags":[{"t":"b"},{"t":"c"}]}` + "\n"},
			{"text key, int column", "text", "integer", `{"id":"10","tags":[{"t":"a"}]}` + "\n" + `{"id":"9","tags":[{"t":"b"}]}` + "\n"},
			// PostgreSQL prints a uuid in lowercase, whatever the text it read.
			{"text key, uuid column", "text", "uuid", `{"id":"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A10","tags":[{"t":"a"}]}` + "\n" +
				`{"id":"{a0eebc999c0b4ef8bb6d6bb9bd380a09}","tags":[{"t":"b"},{"t":"c"}]}` + "\n"},
		} {
			if tc.child == "uuid" && vt.name != "postgres" {
				continue
			}
			t.Run(vt.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte(tc.in), 0o644))
				must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(fmt.Sprintf(
					"CREATE TABLE people (id %s PRIMARY KEY, name text); CREATE TABLE tags (person_id %s NOT NULL, tag text, weight integer);",
					tc.parent, tc.child)), 0o644))
				url, db := vt.open(t, dir)
				path := filepath.Join(dir, "decant.yaml")
				must(t, os.WriteFile(path, []byte(strings.ReplaceAll(fmt.Sprintf(childPlan, url), "weight: item.w", "weight: item.n")), 0o644))
				pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
				must(t, err)
				st, err := connect.Store(context.Background(), pl)
				must(t, err)
				t.Cleanup(func() { st.Close() })
				_, err = engine.Run(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}, nil)
				must(t, err)
				e := verifyEnv{dir: dir, url: url, db: db, st: st}
				res, found := verifyWith(t, pl, st, engine.VerifyOptions{})
				if tags := tableResult(t, res, "tags"); len(found) != 0 || !res.Clean || tags.Checked != 2 || tags.OK != 2 {
					t.Fatalf("clean %v, tags %+v, findings %v; want clean, 2 parents ok", res.Clean, tags.VerifyCounts, found)
				}
				alterTarget(t, e, "DELETE FROM tags WHERE tag = 'a'", "UPDATE tags SET tag = 'x' WHERE tag = 'b'")
				_, found = verifyWith(t, pl, st, engine.VerifyOptions{})
				if len(found) != 2 || !strings.HasPrefix(found[0], "diff ") || !strings.HasSuffix(found[0], "9") ||
					!strings.HasPrefix(found[1], "missing ") || !strings.HasSuffix(found[1], "10") {
					t.Errorf("findings after the corruption %v; want a diff of parent 9 and parent 10 missing", found)
				}
			})
		}
	}
}

// Ensure a uuid key the source writes in capitals or braces, which
// PostgreSQL reads back in its own spelling, is neither missing nor extra.
func TestVerifyFaults_UUIDKeySpelledOtherwise(t *testing.T) {
	t.Parallel()
	vt := verifyTargets[1] // postgres
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte(
		`{"id":"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11","name":"a"}`+"\n"+
			`{"id":"{b0eebc999c0b4ef8bb6d6bb9bd380a12}","name":"b"}`+"\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE people (id uuid PRIMARY KEY, name text);"), 0o644))
	url, db := vt.open(t, dir)
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(fmt.Sprintf("version: 1\nconnections:\n  in: file:in.jsonl\n  target: %s\nsetup: [schema.sql]\nsteps:\n  - name: people\n    from: {connection: in, key: id}\n    key: id\n    to: {table: people}\n    map: {id: record.id, name: record.name}\n", url)), 0o644))
	pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	st, err := connect.Store(context.Background(), pl)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	cfg := engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}
	_, err = engine.Run(context.Background(), cfg, nil)
	must(t, err)
	res, found := verifyWith(t, pl, st, engine.VerifyOptions{})
	if s := res.Steps[0]; len(found) != 0 || !res.Clean || s.OK != 2 {
		t.Fatalf("clean %v, counts %+v, findings %v; want clean, 2 ok", res.Clean, s.VerifyCounts, found)
	}
	alterTarget(t, verifyEnv{dir: dir, url: url, db: db, st: st}, "UPDATE people SET name = 'x' WHERE name = 'b'")
	if _, found = verifyWith(t, pl, st, engine.VerifyOptions{}); len(found) != 1 || !strings.HasPrefix(found[0], "diff ") {
		t.Errorf("findings %v; want one diff", found)
	}
	// The patch finds the record by the key as the target spells it.
	pr, err := engine.Patch(context.Background(), cfg, engine.PatchOptions{All: true, Reason: "r"})
	must(t, err)
	if len(pr.Patched) != 1 || len(pr.Skipped) != 0 || !pr.Verify.Clean {
		t.Errorf("patch of a uuid key: patched %+v, skipped %+v", pr.Patched, pr.Skipped)
	}
}
