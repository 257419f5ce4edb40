package engine_test

import (
	"context"
	"database/sql"
	"errors"
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

func patchConfig(t *testing.T, dir string, st decant.Store) engine.Config {
	t.Helper()
	pl, err := plan.Load(dir+"/decant.yaml", plan.Options{Sources: connect.DefaultSources()})
	must(t, err)
	return engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}
}

// peopleRows is the people and tags tables, for comparing states.
func peopleRows(t *testing.T, db *sql.DB) []string {
	t.Helper()
	return append(testenv.Rows(t, db, "SELECT id, name FROM people ORDER BY id"),
		testenv.Rows(t, db, "SELECT person_id, tag, weight FROM tags ORDER BY person_id, tag, weight")...)
}

func patchedKeys(res *engine.PatchResult) []string {
	var out []string
	for _, p := range res.Patched {
		out = append(out, p.Key)
	}
	slices.Sort(out)
	return out
}

// Ensure patch repairs a diff, a missing row and a child table, deletes an
// extra row only when extra is asked for, verifies clean after, and that
// reverting the patches, newest first, gives back the corrupted target
// exactly; a second revert is refused.
func TestPatch_RepairsAndReverts(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			env, _ := migrateChildren(t, vt)
			clean := peopleRows(t, env.db)
			for _, q := range []string{
				"UPDATE people SET name = 'X' WHERE id = 1",
				"DELETE FROM people WHERE id = 3",
				"INSERT INTO people (id, name) VALUES (9, 'extra')",
				"DELETE FROM tags WHERE person_id = 4 AND tag = 'new'",
			} {
				_, err := env.db.Exec(q)
				must(t, err)
			}
			corrupted := peopleRows(t, env.db)
			cfg := patchConfig(t, env.dir, env.st)
			ctx := context.Background()

			res, err := engine.Patch(ctx, cfg, engine.PatchOptions{All: true, Reason: "repair"})
			must(t, err)
			if got := patchedKeys(res); !slices.Equal(got, []string{"1", "3", "4"}) {
				t.Fatalf("patched %v, want 1, 3, 4 (9 is extra, not asked for)", got)
			}
			if res.Verify == nil || res.Verify.Clean || res.Verify.Steps[0].Extra != 1 || res.Verify.Steps[0].Diffs != 0 || res.Verify.Steps[0].Missing != 0 {
				t.Errorf("verify after the patch = %+v, want only the extra row", res.Verify)
			}
			if res.StillDifferent != 0 {
				t.Errorf("still different = %d", res.StillDifferent)
			}
			res, err = engine.Patch(ctx, cfg, engine.PatchOptions{All: true, Kinds: []string{"extra"}, Reason: "drop strays"})
			must(t, err)
			if got := patchedKeys(res); !slices.Equal(got, []string{"9"}) || !res.Verify.Clean {
				t.Fatalf("extra patch: patched %v, verify %+v", got, res.Verify)
			}
			if got := peopleRows(t, env.db); !slices.Equal(got, clean) {
				t.Errorf("after the patches:\n%s\nwant the clean migrate:\n%s", strings.Join(got, "\n"), strings.Join(clean, "\n"))
			}

			ps, err := engine.Patches(ctx, env.st, decant.PatchFilter{})
			must(t, err)
			if len(ps) != 4 {
				t.Fatalf("%d patches stored, want 4", len(ps))
			}
			for _, p := range ps {
				if p.Reason == "" || len(p.Findings) == 0 || p.Step != "people" || p.StillDifferent {
					t.Errorf("patch %d: %+v", p.ID, p)
				}
			}
			var ids []int64
			for _, p := range ps { // newest first
				ids = append(ids, p.ID)
			}
			reverted, err := engine.RevertPatches(ctx, cfg, ids, decant.RevertOptions{Reason: "undo"})
			must(t, err)
			if len(reverted) != 4 {
				t.Errorf("reverted %d", len(reverted))
			}
			if got := peopleRows(t, env.db); !slices.Equal(got, corrupted) {
				t.Errorf("after reverting:\n%s\nwant the target before the patches:\n%s", strings.Join(got, "\n"), strings.Join(corrupted, "\n"))
			}
			if _, err := engine.RevertPatches(ctx, cfg, ids[:1], decant.RevertOptions{}); !errors.Is(err, decant.ErrPatchReverted) {
				t.Errorf("second revert = %v, want ErrPatchReverted", err)
			}
		})
	}
}

// Ensure a dry run names the records a patch would write and writes
// nothing, not even decant's patch table.
func TestPatch_DryRunWritesNothing(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			env, _ := migrateChildren(t, vt)
			_, err := env.db.Exec("UPDATE people SET name = 'X' WHERE id = 2")
			must(t, err)
			before := snapshotPeople(t, env.db, vt)
			res, err := engine.Patch(context.Background(), patchConfig(t, env.dir, env.st), engine.PatchOptions{All: true, DryRun: true})
			must(t, err)
			if got := patchedKeys(res); !slices.Equal(got, []string{"2"}) || res.Patched[0].ID != 0 || res.Verify != nil {
				t.Fatalf("dry run: %+v", res)
			}
			if tb := res.Patched[0].Tables; len(tb) != 1 || tb[0].Table != "people" || len(tb[0].Rows) != 1 || tb[0].Rows[0][1] != "b" {
				t.Errorf("dry run would write %+v, want people row 2 named b", tb)
			}
			if got := snapshotPeople(t, env.db, vt); !slices.Equal(got, before) {
				t.Errorf("a dry run wrote:\n%v\nwant\n%v", got, before)
			}
		})
	}
}

func snapshotPeople(t *testing.T, db *sql.DB, vt verifyTarget) []string {
	t.Helper()
	var out []string
	for _, table := range testenv.Rows(t, db, vt.catalog) {
		out = append(out, table+" "+strings.Join(testenv.Rows(t, db, `SELECT count(*) FROM "`+table+`"`), ""))
	}
	return append(out, peopleRows(t, db)...)
}

// Ensure a record asked for by key whose source record is an error now
// (refused by the target, or failing to map) is skipped with why, as is a
// key verify finds nothing of; and that patch refuses to run without a
// reason or a selection.
func TestPatch_SkipsErrorsAndCleanKeys(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			env := migrateForVerify(t, vt)
			cfg := patchConfig(t, env.dir, env.st)
			ctx := context.Background()
			res, err := engine.Patch(ctx, cfg, engine.PatchOptions{Keys: []string{"bad1", "bad2", "k01"}, Reason: "r"})
			must(t, err)
			if len(res.Patched) != 0 || len(res.Skipped) != 3 {
				t.Fatalf("patched %+v, skipped %+v", res.Patched, res.Skipped)
			}
			why := map[string]string{}
			for _, s := range res.Skipped {
				why[s.Key] = s.Reason
			}
			if !strings.Contains(why["bad1"], "open errors") || !strings.Contains(why["bad2"], "fails to map") ||
				!strings.Contains(why["k01"], "finds nothing") {
				t.Errorf("reasons: %q", why)
			}
			for _, o := range []engine.PatchOptions{{All: true}, {Reason: "r"}, {All: true, Keys: []string{"a"}, Reason: "r"},
				{All: true, Reason: "r", Kinds: []string{"duplicate"}}} {
				if _, err := engine.Patch(ctx, cfg, o); err == nil {
					t.Errorf("Patch(%+v) ran", o)
				}
			}
			var n int
			_ = env.db.QueryRow("SELECT count(*) FROM decant_patches").Scan(&n)
			if n != 0 {
				t.Errorf("%d patches stored", n)
			}
		})
	}
}

// Ensure a patch whose row the target does not keep as written (a
// trigger upper-cases the label) is reported still different, by Patch
// and by the stored patch.
func TestPatch_StillDifferent(t *testing.T) {
	t.Parallel()
	triggers := map[string][]string{
		"sqlite": {`CREATE TRIGGER up AFTER UPDATE ON items BEGIN
			UPDATE items SET label = upper(NEW.label) WHERE id = NEW.id AND label <> upper(NEW.label); END`},
		"postgres": {`CREATE FUNCTION up() RETURNS trigger AS $$ BEGIN NEW.label := upper(NEW.label); RETURN NEW; END $$ LANGUAGE plpgsql`,
			`CREATE TRIGGER up BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION up()`},
	}
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			env := migrateForVerify(t, vt)
			_, err := env.db.Exec("UPDATE items SET label = 'x' WHERE id = 'k03'")
			must(t, err)
			for _, q := range triggers[vt.name] {
				_, err := env.db.Exec(q)
				must(t, err)
			}
			cfg := patchConfig(t, env.dir, env.st)
			res, err := engine.Patch(context.Background(), cfg, engine.PatchOptions{Keys: []string{"k03"}, Reason: "r"})
			must(t, err)
			if len(res.Patched) != 1 || !res.Patched[0].StillDifferent || res.StillDifferent != 1 {
				t.Fatalf("patch under an upper-casing trigger: %+v", res)
			}
			ps, err := engine.Patches(context.Background(), env.st, decant.PatchFilter{Key: "k03"})
			must(t, err)
			if len(ps) != 1 || !ps[0].StillDifferent {
				t.Errorf("stored patch = %+v, want still different", ps)
			}
		})
	}
}

// Ensure a patch killed between records leaves whole patches only: each
// stored patch's record is repaired, the rest untouched, and a second
// patch finishes the job.
func TestPatch_KilledLeavesWholePatches(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			env := migrateForVerify(t, vt)
			_, err := env.db.Exec("UPDATE items SET label = 'x' WHERE id IN ('k02', 'k05', 'k07')")
			must(t, err)
			cfg := patchConfig(t, env.dir, env.st)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			_, err = engine.Patch(ctx, cfg, engine.PatchOptions{All: true, Reason: "r", Patched: func(engine.PatchedRecord) { cancel() }})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("killed patch = %v, want context.Canceled", err)
			}
			ps, err := engine.Patches(context.Background(), env.st, decant.PatchFilter{})
			must(t, err)
			labels := testenv.Rows(t, env.db, "SELECT id, label FROM items WHERE id IN ('k02', 'k05', 'k07') ORDER BY id")
			if len(ps) != 1 || ps[0].Key != "k02" || strings.Join(labels, ",") != "k02 v2,k05 x,k07 x" {
				t.Fatalf("after a killed patch: patches %+v, rows %v", ps, labels)
			}
			res, err := engine.Patch(context.Background(), cfg, engine.PatchOptions{All: true, Reason: "r"})
			must(t, err)
			if got := patchedKeys(res); !slices.Equal(got, []string{"k05", "k07"}) || !res.Verify.Clean {
				t.Errorf("second patch: %v, %+v", got, res.Verify)
			}
		})
	}
}
