package engine_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/verify"
)

// manyVersionsInput gives keys 1..people again and again (each key comes
// versions times, its versions spread over the whole file, so over many
// of the batches a verify maps in parallel), each version with another
// name and other child rows; the last version of key k is record
// lastVersion(k). Records 1000.. fail to map (a weight that is not a
// number), so they are errors on both sides.
func manyVersionsInput(people, versions int) string {
	var b strings.Builder
	n := 0
	for v := range versions {
		for k := 1; k <= people; k++ {
			var tags []string
			for j := range (n + k) % 3 {
				tags = append(tags, fmt.Sprintf(`{"t":"t%d-%d","w":%d}`, n, j, j))
			}
			fmt.Fprintf(&b, `{"id":%d,"name":"n%d","tags":[%s]}`+"\n", k, n, strings.Join(tags, ","))
			n++
			if v == versions/2 && k%50 == 0 {
				fmt.Fprintf(&b, `{"id":%d,"name":"bad","tags":[{"t":"x","w":"not a number"}]}`+"\n", 1000+k)
			}
		}
	}
	return b.String()
}

// verifyWorkers verifies with workers map goroutines and returns the result
// and the findings as "table kind key column=-expected+actual…", in the
// order they came.
func verifyWorkers(t *testing.T, cfg engine.Config, workers int, missingOnly bool) (*engine.VerifyResult, []string) {
	t.Helper()
	cfg.MapWorkers = workers
	var found []string
	res, err := engine.Verify(context.Background(), cfg, engine.VerifyOptions{
		MissingOnly: missingOnly,
		// A small sort buffer spills runs, so that equal keys are kept in
		// order across runs too.
		Sort: verify.SortOptions{MaxRows: 700, Dir: t.TempDir()},
		Finding: func(step, table string, f verify.Finding) error {
			s := fmt.Sprintf("%s %s %v", table, f.Kind, f.Key)
			for _, c := range f.Columns {
				s += fmt.Sprintf(" %s=-%s+%s", c.Column, c.Expected, c.Actual)
			}
			found = append(found, s)
			return nil
		}})
	must(t, err)
	return res, found
}

// Ensure a verify that maps on several goroutines finds what one goroutine
// finds, with a source that gives each key many times and child rows: the
// rows go to the sort in source order, so the last record of a key wins
// (a diff shows the last version's name as expected) and a parent's child
// rows are those of its last record.
func TestVerifyParallel_SameFindingsAsOneWorker(t *testing.T) {
	t.Parallel()
	const people, versions = 200, 12
	input := manyVersionsInput(people, versions)
	last := func(k int) string { return fmt.Sprintf("n%d", (versions-1)*people+k-1) }
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migratePatchPlan(t, vt, childSchema, input, childPlan)
			for _, workers := range []int{1, 4} {
				res, found := verifyWorkers(t, e.cfg, workers, false)
				if !res.Clean || len(found) != 0 {
					t.Fatalf("%d workers: clean %v, findings %v; want clean", workers, res.Clean, found)
				}
				if s := res.Steps[0]; s.Checked != 2*people || s.Errors != people/50 {
					t.Fatalf("%d workers: %+v; want %d checked, %d errors", workers, s, 2*people, people/50)
				}
			}
			e.exec(t,
				"UPDATE people SET name = 'changed' WHERE id IN (7, 123)",
				"DELETE FROM people WHERE id = 150",
				"DELETE FROM tags WHERE person_id IN (SELECT person_id FROM tags ORDER BY person_id LIMIT 1)",
				"INSERT INTO tags VALUES (9, 'added', 1)",
			)
			one, oneFound := verifyWorkers(t, e.cfg, 1, false)
			four, fourFound := verifyWorkers(t, e.cfg, 4, false)
			if !slices.Equal(oneFound, fourFound) || !reflect.DeepEqual(one, four) {
				t.Fatalf("4 workers found\n%s\n%+v\n1 worker found\n%s\n%+v",
					strings.Join(fourFound, "\n"), four, strings.Join(oneFound, "\n"), one)
			}
			for _, want := range []string{
				"people diff [7] name=-" + last(7) + "+changed",
				"people diff [123] name=-" + last(123) + "+changed",
				"people missing [150]",
			} {
				if !slices.Contains(fourFound, want) {
					t.Errorf("findings\n%s\nlack %q", strings.Join(fourFound, "\n"), want)
				}
			}
			if tags := tableResult(t, four, "tags"); tags.OK+2 != tags.Checked || tags.Checked != people {
				t.Errorf("tags %+v; want %d parent keys checked, all but 2 ok", tags.VerifyCounts, people)
			}
			one, _ = verifyWorkers(t, e.cfg, 1, true)
			four, _ = verifyWorkers(t, e.cfg, 4, true)
			if !reflect.DeepEqual(one, four) {
				t.Fatalf("--missing-only: 4 workers %+v, 1 worker %+v", four, one)
			}
			if s := four.Steps[0]; s.Missing != 1 || s.Checked != people || s.Errors != people/50 {
				t.Errorf("--missing-only: %+v; want %d checked, 1 missing, %d errors", s, people, people/50)
			}
		})
	}
}
