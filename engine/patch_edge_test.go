package engine_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/plan"
)

// patchEnv is a migrated target of a plan written for a patch test.
type patchEnv struct {
	dir, url string
	db       *sql.DB
	cfg      engine.Config
}

// migratePatchPlan writes schema, input and a plan (its %s is the target
// URL), migrates, and returns the config a patch runs with.
func migratePatchPlan(t *testing.T, vt verifyTarget, schema, input, planText string) patchEnv {
	t.Helper()
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), []byte(input), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(schema), 0o644))
	url, db := vt.open(t, dir)
	path := filepath.Join(dir, "decant.yaml")
	must(t, os.WriteFile(path, []byte(fmt.Sprintf(planText, url)), 0o644))
	pl, err := plan.Load(path, plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	st, err := connect.Store(context.Background(), pl)
	must(t, err)
	t.Cleanup(func() { st.Close() })
	cfg := engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}
	_, err = engine.Run(context.Background(), cfg, nil)
	must(t, err)
	return patchEnv{dir: dir, url: url, db: db, cfg: cfg}
}

func (e patchEnv) exec(t *testing.T, qs ...string) {
	t.Helper()
	for _, q := range qs {
		_, err := e.db.Exec(q)
		must(t, err)
	}
}

const compositePlan = `version: 1
connections:
  in: file:in.jsonl
  target: %s
setup: [schema.sql]
steps:
  - name: visits
    from: {connection: in, key: id}
    key: [vid, site]
    to: {table: visits}
    map: {vid: record.vid, site: record.site, n: record.n}
    children:
      - from: record.items
        parent_key: vid
        to: {table: visit_items}
        fields: without(item, "_parent")
`

// Ensure a step with a composite key and children, mapped with fields so
// child rows carry different columns, is patched right: a child table's
// finding names the parent key (the first key column), its rows all come
// back whatever their columns, and a parent row's diff is written over.
func TestPatch_CompositeKeyAndFieldsChildren(t *testing.T) {
	t.Parallel()
	const schema = `CREATE TABLE visits (vid TEXT NOT NULL, site TEXT NOT NULL, n INTEGER, PRIMARY KEY (vid, site));
CREATE TABLE visit_items (vid TEXT NOT NULL, sku TEXT, qty INTEGER, note TEXT);`
	const input = `{"id":"1","vid":"v1","site":"s1","n":1,"items":[{"sku":"a","qty":1},{"sku":"b"},{"sku":"c","qty":3,"note":"n"}]}
{"id":"2","vid":"v2","site":"s1","n":2,"items":[]}
`
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migratePatchPlan(t, vt, schema, input, compositePlan)
			want := testenv.Rows(t, e.db, "SELECT vid, sku, qty, note FROM visit_items ORDER BY sku")
			e.exec(t, "DELETE FROM visit_items WHERE sku = 'b'", "UPDATE visit_items SET qty = 99 WHERE sku = 'c'",
				"UPDATE visits SET n = 7 WHERE vid = 'v2'")
			res, err := engine.Patch(context.Background(), e.cfg, engine.PatchOptions{All: true, Reason: "r"})
			must(t, err)
			if len(res.Patched) != 2 || len(res.Skipped) != 0 || res.StillDifferent != 0 || !res.Verify.Clean {
				t.Fatalf("patch: patched %+v, skipped %+v, verify %+v", res.Patched, res.Skipped, res.Verify)
			}
			if got := testenv.Rows(t, e.db, "SELECT vid, sku, qty, note FROM visit_items ORDER BY sku"); !slices.Equal(got, want) {
				t.Errorf("child rows after the patch: %v, want %v", got, want)
			}
			if got := testenv.Rows(t, e.db, "SELECT n FROM visits WHERE vid = 'v2'"); !slices.Equal(got, []string{"2"}) {
				t.Errorf("visit v2 after the patch: %v", got)
			}
		})
	}
}

// Ensure a record the source no longer gives when the patch reads it
// again (it did when verify read it) is skipped, never deleted.
func TestPatch_SourceChangedBetweenReads(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			env := migrateForVerify(t, vt)
			_, err := env.db.Exec("UPDATE items SET label = 'x' WHERE id = 'k04'")
			must(t, err)
			cfg := patchConfig(t, env.dir, env.st)
			opens, open := 0, cfg.Sources
			cfg.Sources = func(ctx context.Context, s *plan.Step) (decant.Source, error) {
				if opens++; opens == 2 { // the patch's own read: k04 is gone
					in := filepath.Join(env.dir, "in.jsonl")
					b, err := os.ReadFile(in)
					must(t, err)
					var keep []string
					for _, line := range strings.Split(string(b), "\n") {
						if !strings.Contains(line, `"k04"`) {
							keep = append(keep, line)
						}
					}
					must(t, os.WriteFile(in, []byte(strings.Join(keep, "\n")), 0o644))
				}
				return open(ctx, s)
			}
			res, err := engine.Patch(context.Background(), cfg, engine.PatchOptions{All: true, Reason: "r"})
			must(t, err)
			if len(res.Patched) != 0 || len(res.Skipped) != 1 || res.Skipped[0].Key != "k04" ||
				!strings.Contains(res.Skipped[0].Reason, "no longer gives") {
				t.Fatalf("patched %+v, skipped %+v", res.Patched, res.Skipped)
			}
			if got := testenv.Rows(t, env.db, "SELECT label FROM items WHERE id = 'k04'"); !slices.Equal(got, []string{"x"}) {
				t.Errorf("k04 after the patch: %v, want it untouched", got)
			}
		})
	}
}

// Ensure a record whose patch the target refuses is reported failed with
// the target's message, the other records are patched, and the verify
// after the patch still runs and stores the findings.
func TestPatch_RecordFailureGoesOn(t *testing.T) {
	t.Parallel()
	refuse := map[string][]string{
		"sqlite": {`CREATE TRIGGER no_k05 BEFORE UPDATE ON items WHEN NEW.id = 'k05' BEGIN SELECT RAISE(ABORT, 'k05 is frozen'); END`},
		"postgres": {`CREATE FUNCTION no_k05() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'k05 is frozen'; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER no_k05 BEFORE UPDATE ON items FOR EACH ROW WHEN (NEW.id = 'k05') EXECUTE FUNCTION no_k05()`},
	}
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			env := migrateForVerify(t, vt)
			_, err := env.db.Exec("UPDATE items SET label = 'x' WHERE id IN ('k02', 'k05')")
			must(t, err)
			for _, q := range refuse[vt.name] {
				_, err := env.db.Exec(q)
				must(t, err)
			}
			cfg := patchConfig(t, env.dir, env.st)
			res, err := engine.Patch(context.Background(), cfg, engine.PatchOptions{All: true, Reason: "r"})
			must(t, err)
			if len(res.Patched) != 1 || res.Patched[0].Key != "k02" || len(res.Failed) != 1 || res.Failed[0].Key != "k05" ||
				!strings.Contains(res.Failed[0].Error, "k05 is frozen") {
				t.Fatalf("patched %+v, failed %+v", res.Patched, res.Failed)
			}
			if res.Verify == nil || res.Verify.Steps[0].Diffs != 1 {
				t.Errorf("verify after the patch: %+v, want k05 still a diff", res.Verify)
			}
			diffs, err := decant.Require[decant.FindingStore](env.st, "list findings")
			must(t, err)
			found, err := diffs.Findings(context.Background(), decant.FindingFilter{})
			must(t, err)
			if len(found) != 1 || found[0].Key != "k05" {
				t.Errorf("stored findings after the patch: %+v, want k05 only", found)
			}
		})
	}
}

// Ensure extra rows are not deleted while records of the step fail to map
// now: a record that maps no more leaves its old target row, which looks
// extra. Named with --key, the row goes.
func TestPatch_ExtraKeptWhileRecordsFailToMap(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			env := migrateForVerify(t, vt)
			in := filepath.Join(env.dir, "in.jsonl")
			b, err := os.ReadFile(in)
			must(t, err)
			must(t, os.WriteFile(in, []byte(strings.Replace(string(b), `"id":"k03","n":3`, `"id":"k03","n":"three"`, 1)), 0o644))
			cfg := patchConfig(t, env.dir, env.st)
			res, err := engine.Patch(context.Background(), cfg, engine.PatchOptions{All: true, Kinds: []string{"extra"}, Reason: "r"})
			must(t, err)
			if len(res.Patched) != 0 || len(res.Skipped) != 1 || res.Skipped[0].Key != "k03" || !strings.Contains(res.Skipped[0].Reason, "to map") {
				t.Fatalf("patched %+v, skipped %+v", res.Patched, res.Skipped)
			}
			if got := testenv.Rows(t, env.db, "SELECT count(*) FROM items WHERE id = 'k03'"); !slices.Equal(got, []string{"1"}) {
				t.Errorf("k03 was deleted")
			}
			res, err = engine.Patch(context.Background(), cfg, engine.PatchOptions{Keys: []string{"k03"}, Kinds: []string{"extra"}, Reason: "r"})
			must(t, err)
			if len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "fails to map now") {
				t.Errorf("k03 by key: skipped %+v, want it skipped as failing to map", res.Skipped)
			}
		})
	}
}

// Ensure an older patch is refused while a newer one of the record
// holds, through the library.
func TestPatch_RevertNewestFirst(t *testing.T) {
	t.Parallel()
	env := migrateForVerify(t, verifyTargets[0])
	cfg := patchConfig(t, env.dir, env.st)
	ctx := context.Background()
	var ids []int64
	for range 2 {
		_, err := env.db.Exec("UPDATE items SET label = 'x' WHERE id = 'k06'")
		must(t, err)
		res, err := engine.Patch(ctx, cfg, engine.PatchOptions{Keys: []string{"k06"}, Reason: "r"})
		must(t, err)
		ids = append(ids, res.Patched[0].ID)
	}
	if _, err := engine.RevertPatches(ctx, cfg, ids, decant.RevertOptions{}); !errors.Is(err, decant.ErrPatchNewer) {
		t.Fatalf("revert oldest first = %v, want ErrPatchNewer", err)
	}
	// Newest first: the older one then finds the rows its patch wrote
	// changed (by hand, before the newer patch), so it needs --force.
	if _, err := engine.RevertPatches(ctx, cfg, []int64{ids[1], ids[0]}, decant.RevertOptions{}); !errors.Is(err, decant.ErrPatchChanged) {
		t.Fatalf("revert newest first = %v, want the older one refused as changed", err)
	}
	if _, err := engine.RevertPatches(ctx, cfg, ids[:1], decant.RevertOptions{Force: true}); err != nil {
		t.Fatalf("forced revert of the older patch: %v", err)
	}
}

const renamedKeyPlan = `version: 1
connections:
  in: file:in.jsonl
  target: %s
setup: [schema.sql]
steps:
  - name: codes
    from: {connection: in, key: sid}
    key: code
    to: {table: codes}
    map: {code: record.code, n: record.n}
`

// Ensure that when the source's key is not the target's, a record that
// fails to map now, whose row looks extra, is not deleted by --all.
func TestPatch_ExtraKeptWhenKeysDiffer(t *testing.T) {
	t.Parallel()
	const schema = `CREATE TABLE codes (code TEXT PRIMARY KEY, n INTEGER);`
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migratePatchPlan(t, vt, schema, `{"sid":"s1","code":"A","n":1}
{"sid":"s2","code":"B","n":2}
`, renamedKeyPlan)
			must(t, os.WriteFile(filepath.Join(e.dir, "in.jsonl"), []byte(`{"sid":"s1","code":"A","n":1}
{"sid":"s2","code":"B","n":"two"}
`), 0o644))
			res, err := engine.Patch(context.Background(), e.cfg, engine.PatchOptions{All: true, Kinds: []string{"extra"}, Reason: "r"})
			must(t, err)
			if len(res.Patched) != 0 || len(res.Skipped) != 1 || res.Skipped[0].Key != "B" ||
				!strings.Contains(res.Skipped[0].Reason, "1 source record(s) of step codes fail to map now") {
				t.Fatalf("patched %+v, skipped %+v", res.Patched, res.Skipped)
			}
			if got := testenv.Rows(t, e.db, "SELECT code FROM codes ORDER BY code"); !slices.Equal(got, []string{"A", "B"}) {
				t.Errorf("codes after the patch: %v", got)
			}
		})
	}
}
