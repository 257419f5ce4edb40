package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/verify"
)

// Ensure a migration that writes while a verify runs gives pending, not
// differences: a key it rewrites after the verify read the source (a diff
// otherwise), a key it adds (extra otherwise), and, while it holds the
// scope's lease, a source key it has not written yet (missing otherwise)
// and a record the source changed that it has not written again (a diff
// otherwise). They count as pending, not as differences, are kept as
// pending with why, and a verify after the migration is done compares
// them again. A row changed behind decant's back stays a diff: the hash
// of the record the verify read is the one the ledger keeps.
func TestVerify_LiveMigrationGivesPending(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForVerify(t, vt)
			// k11 reaches the source after the migration, and k02 changes
			// there: the live run has written neither yet. k05 is changed
			// in the target behind decant's back.
			in := filepath.Join(e.dir, "in.jsonl")
			b, err := os.ReadFile(in)
			must(t, err)
			src := strings.Replace(string(b), `"label":"v2"`, `"label":"v2 changed"`, 1) +
				`{"id":"k11","n":11,"label":"v11","code":"ab","amount":"1.5","at":"2024-01-01T10:00:00Z"}` + "\n"
			must(t, os.WriteFile(in, []byte(src), 0o644))
			if _, err := e.db.Exec("UPDATE items SET n = 55 WHERE id = 'k05'"); err != nil {
				t.Fatal(err)
			}
			pl := loadVerifyPlan(t, e.dir, e.url, "record.label")
			cfg := engine.Config{Plan: pl, Store: e.st, Sources: connect.Sources(pl)}
			leaser, err := decant.Require[decant.Leaser](e.st, "hold the lease")
			must(t, err)
			migration := decant.Holder{Host: "elsewhere", PID: 42, ID: "live"}
			must(t, leaser.AcquireLease(context.Background(), decant.DefaultScope, migration, time.Minute))
			write := func(ctx context.Context, step string) error {
				b := &decant.Batch{Scope: decant.DefaultScope, Step: step,
					Tables: []decant.TableRows{{Table: "items", Columns: []string{"id", "n", "label"}, Key: []string{"id"},
						Rows: [][]any{{"k01", int64(77), "v1"}, {"k99", int64(1), "new"}}}},
					Ledger: []decant.LedgerEntry{{Key: "k01", SourceHash: "s", TargetHash: "t", Status: decant.StatusOK},
						{Key: "k99", SourceHash: "s", TargetHash: "t", Status: decant.StatusOK}},
					Checkpoint: decant.Position(`{"offset":99999,"line":99}`)}
				tx, err := e.st.Begin(ctx)
				if err != nil {
					return err
				}
				if err := e.st.WriteBatch(ctx, tx, b); err != nil {
					tx.Rollback(ctx)
					return err
				}
				return tx.Commit(ctx)
			}
			var seen []string
			opts := engine.WithAfterExpect(engine.VerifyOptions{Keep: true, Finding: func(_, _ string, f verify.Finding) error {
				seen = append(seen, string(f.Kind)+" "+f.Key[0].(string))
				return nil
			}}, write)
			res, err := engine.Verify(context.Background(), cfg, opts)
			must(t, err)
			s := res.Steps[0]
			if res.Clean || s.Pending != 4 || s.Diffs != 1 || s.Missing != 0 || s.Extra != 0 || s.Checked != 12 || s.OK != 7 {
				t.Errorf("clean %v, counts %+v; want 4 pending and 1 diff of 12 checked, 7 ok", res.Clean, s.VerifyCounts)
			}
			slices.Sort(seen)
			if want := []string{"diff k05", "pending k01", "pending k02", "pending k11", "pending k99"}; !slices.Equal(seen, want) {
				t.Errorf("findings given %v, want %v", seen, want)
			}
			fs, _ := decant.As[decant.FindingStore](e.st)
			kept, err := fs.Findings(context.Background(), decant.FindingFilter{Scope: decant.DefaultScope})
			must(t, err)
			why := map[string]string{}
			for _, f := range kept {
				if f.Kind != decant.FindingPending && f.Key != "k05" {
					t.Errorf("kept %s %s, want pending", f.Kind, f.Key)
				}
				why[f.Key] = f.Reason
			}
			if !strings.HasPrefix(why["k01"], "diff when compared") || !strings.Contains(why["k01"], "after this verify started reading the source") ||
				!strings.HasPrefix(why["k99"], "extra when compared") || !strings.Contains(why["k11"], "elsewhere/42/live") ||
				!strings.Contains(why["k02"], "the source record changed since decant wrote the key") || len(kept) != 5 {
				t.Errorf("kept pending findings and why: %v", why)
			}

			// The migration is done: a verify now compares what it wrote.
			must(t, leaser.ReleaseLease(context.Background(), decant.DefaultScope, migration))
			seen = nil
			res, err = engine.Verify(context.Background(), cfg, engine.VerifyOptions{Keep: true, Finding: opts.Finding})
			must(t, err)
			slices.Sort(seen)
			if want := []string{"diff k01", "diff k02", "diff k05", "extra k99", "missing k11"}; !slices.Equal(seen, want) || res.Clean || res.Steps[0].Pending != 0 {
				t.Errorf("after the migration: findings %v, clean %v, pending %d; want %v, not clean", seen, res.Clean, res.Steps[0].Pending, want)
			}
		})
	}
}

// Ensure a lease alone hides nothing: a run that holds the scope but does
// not move this step's checkpoint (it runs other steps, or has caught up)
// will not write what the step lacks, so a missing key and a changed
// source record stay differences; and a ledger row stamped after the
// store's clock (a writer's clock running ahead) is no live write.
func TestVerify_LeaseAloneHidesNothing(t *testing.T) {
	t.Parallel()
	future := map[string]string{
		"sqlite": `INSERT INTO decant_ledger_blocks (scope, step, min_key, max_key, n, n_ok, n_deleted, n_forgotten, updated, compacted, keys, entries)
SELECT scope, step, key, key, 1, status = 'ok', status = 'deleted', 0, '2099-01-01T00:00:00.000000000Z', 0,
       json_array(key), json_array(json_array(key, source_hash, target_hash, status))
FROM decant_ledger WHERE key = 'k03'`,
		// The ledger is kept in blocks: k03's entry goes again, alone, in a
		// block stamped in the future, which makes it k03's last entry.
		"postgres": `INSERT INTO decant_ledger_blocks (scope, step, min_key, max_key, n, keys, source_hashes, target_hashes, statuses, updated)
SELECT scope, step, key, key, 1, ARRAY[key], ARRAY[source_hash], ARRAY[target_hash], ARRAY[status], '2099-01-01T00:00:00Z'
FROM decant_ledger WHERE key = 'k03'`,
	}
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForVerify(t, vt)
			in := filepath.Join(e.dir, "in.jsonl")
			b, err := os.ReadFile(in)
			must(t, err)
			src := strings.Replace(string(b), `"label":"v2"`, `"label":"v2 changed"`, 1) +
				`{"id":"k11","n":11,"label":"v11","code":"ab","amount":"1.5","at":"2024-01-01T10:00:00Z"}` + "\n"
			must(t, os.WriteFile(in, []byte(src), 0o644))
			for _, q := range []string{"UPDATE items SET n = 33 WHERE id = 'k03'", future[vt.name]} {
				_, err := e.db.Exec(q)
				must(t, err)
			}
			leaser, err := decant.Require[decant.Leaser](e.st, "hold the lease")
			must(t, err)
			must(t, leaser.AcquireLease(context.Background(), decant.DefaultScope, decant.Holder{Host: "elsewhere", PID: 42, ID: "other"}, time.Minute))
			pl := loadVerifyPlan(t, e.dir, e.url, "record.label")
			var seen []string
			res, err := engine.Verify(context.Background(), engine.Config{Plan: pl, Store: e.st, Sources: connect.Sources(pl)},
				engine.VerifyOptions{Finding: func(_, _ string, f verify.Finding) error {
					seen = append(seen, string(f.Kind)+" "+f.Key[0].(string))
					return nil
				}})
			must(t, err)
			slices.Sort(seen)
			if want := []string{"diff k02", "diff k03", "missing k11"}; !slices.Equal(seen, want) || res.Clean || res.Steps[0].Pending != 0 {
				t.Errorf("findings %v, clean %v, pending %d; want %v, not clean", seen, res.Clean, res.Steps[0].Pending, want)
			}
		})
	}
}
