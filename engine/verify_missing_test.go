package engine_test

import (
	"context"
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
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/verify"
)

// verifyWith verifies with opts and returns the result and the findings,
// each as "kind key".
func verifyWith(t *testing.T, pl *plan.Plan, st decant.Store, opts engine.VerifyOptions) (*engine.VerifyResult, []string) {
	t.Helper()
	var found []string
	opts.Finding = func(step, table string, f verify.Finding) error {
		found = append(found, fmt.Sprintf("%s %v", f.Kind, f.Key[0]))
		return nil
	}
	res, err := engine.Verify(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl)}, opts)
	must(t, err)
	slices.Sort(found)
	return res, found
}

// Ensure a missing-only verify reports a deleted and an inserted row but
// not a changed value, still counts the refused and the unmappable record
// as errors, lists no unmapped columns, and keeps no findings: the diff a
// full verify stored stays.
func TestVerify_MissingOnly(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForVerify(t, vt)
			for _, q := range []string{
				"UPDATE items SET n = 99 WHERE id = 'k01'",
				"DELETE FROM items WHERE id = 'k02'",
				"INSERT INTO items (id, n, label) VALUES ('zz', 1, 'x')",
			} {
				if _, err := e.db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			pl := loadVerifyPlan(t, e.dir, e.url, "record.label")
			verifyWith(t, pl, e.st, engine.VerifyOptions{Keep: true})
			stored := storedFindings(t, e.st)

			res, found := verifyWith(t, pl, e.st, engine.VerifyOptions{MissingOnly: true, Keep: true})
			if want := []string{"extra zz", "missing k02"}; !slices.Equal(found, want) {
				t.Errorf("findings %v; want %v", found, want)
			}
			s := res.Steps[0]
			if res.Clean || s.Checked != 11 || s.OK != 9 || s.Missing != 1 || s.Extra != 1 ||
				s.Diffs != 0 || s.Changes != 0 || s.Errors != 2 {
				t.Errorf("clean %v, counts %+v; want 11 checked, 9 ok, 1 missing, 1 extra, 2 errors", res.Clean, s)
			}
			if u := s.Tables[0].Unmapped; len(u) != 0 {
				t.Errorf("unmapped %v; want none: missing-only compares no column", u)
			}
			if after := storedFindings(t, e.st); !slices.Equal(after, stored) || !slices.Contains(after, "diff k01") {
				t.Errorf("stored findings after missing-only %v; want the full verify's %v kept", after, stored)
			}
		})
	}
}

// Ensure a missing-only verify of an untouched target is clean.
func TestVerify_MissingOnlyClean(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForVerify(t, vt)
			pl := loadVerifyPlan(t, e.dir, e.url, "record.code") // a changed mapping is no concern of a key scan
			res, found := verifyWith(t, pl, e.st, engine.VerifyOptions{MissingOnly: true})
			if s := res.Steps[0]; !res.Clean || len(found) != 0 || s.OK != 10 || s.Errors != 2 {
				t.Errorf("clean %v, counts %+v, findings %v; want clean, 10 ok, 2 errors", res.Clean, s, found)
			}
		})
	}
}

func storedFindings(t *testing.T, st decant.Store) []string {
	t.Helper()
	fs, ok := decant.As[decant.FindingStore](st)
	if !ok {
		t.Fatal("the store cannot list findings")
	}
	all, err := fs.Findings(context.Background(), decant.FindingFilter{})
	must(t, err)
	var out []string
	for _, f := range all {
		out = append(out, f.Kind+" "+f.Key)
	}
	return out
}

// benchVerify migrates n rows into a SQLite target once.
func benchVerify(b *testing.B, n int) (*plan.Plan, decant.Store) {
	b.Helper()
	dir := b.TempDir()
	var in strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&in, `{"id":"k%06d","n":%d,"label":"v%d","code":"ab","amount":"1.5","at":"2024-01-01T10:00:00Z"}`+"\n", i, i, i)
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	write("in.jsonl", in.String())
	write("schema.sql", verifyTargets[0].schema)
	write("decant.yaml", verifyPlan("sqlite:t.db", "record.label"))
	pl, err := plan.Load(filepath.Join(dir, "decant.yaml"), plan.Options{Sources: connect.DefaultSources()})
	if err != nil {
		b.Fatal(err)
	}
	st, err := connect.Store(context.Background(), pl)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := engine.Run(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl), LeaseTTL: 3 * time.Second}, nil); err != nil {
		b.Fatal(err)
	}
	return pl, st
}

func benchmarkVerify(b *testing.B, opts engine.VerifyOptions) {
	const n = 20000
	pl, st := benchVerify(b, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := engine.Verify(context.Background(), engine.Config{Plan: pl, Store: st, Sources: connect.Sources(pl)}, opts)
		if err != nil {
			b.Fatal(err)
		}
		if s := res.Steps[0]; !res.Clean || s.OK != n {
			b.Fatalf("counts %+v; want %d ok", s, n)
		}
	}
}

// BenchmarkVerify is a full verify of 20,000 rows on SQLite.
func BenchmarkVerify(b *testing.B) { benchmarkVerify(b, engine.VerifyOptions{}) }

// BenchmarkVerifyMissingOnly is a missing-only verify of the same rows.
func BenchmarkVerifyMissingOnly(b *testing.B) {
	benchmarkVerify(b, engine.VerifyOptions{MissingOnly: true})
}
