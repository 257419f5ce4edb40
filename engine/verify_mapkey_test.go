package engine_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/decanthq/decant/engine"
)

// Ensure a missing-only verify maps each record's key alone: a key given
// twice is one key, a record whose other columns no longer map still
// gives its key (k05 again, and the new k11, which is then missing), and a
// record whose key cannot be read (k12: text that is not UTF-8) or that sits in
// the open errors (bad1, bad2) is an error. A full verify of the same
// source still counts the records whose other columns fail as errors.
func TestVerify_MissingOnlyMapsKeysAlone(t *testing.T) {
	t.Parallel()
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForVerify(t, vt)
			src := verifyInput(
				`{"id":"k05","n":"five","label":"v5"}`,
				`{"id":"k11","n":"eleven","label":"new"}`,
				"{\"id\":\"k12\",\"n\":12,\"x\":\"\xff\"}",
				`{"id":"k04","n":4,"label":"v4","code":"ab","amount":"1.5","at":"2024-01-01T10:00:00Z"}`,
			)
			must(t, os.WriteFile(filepath.Join(e.dir, "in.jsonl"), []byte(src), 0o644))
			pl := loadVerifyPlan(t, e.dir, e.url, "record.label")

			res, found := verifyWith(t, pl, e.st, engine.VerifyOptions{MissingOnly: true})
			if want := []string{"missing k11"}; !slices.Equal(found, want) {
				t.Errorf("missing-only findings %v; want %v", found, want)
			}
			s := res.Steps[0]
			if res.Clean || s.Checked != 11 || s.OK != 10 || s.Missing != 1 || s.Extra != 0 ||
				s.Duplicates != 0 || s.Errors != 3 {
				t.Errorf("missing-only: clean %v, counts %+v; want 11 checked, 10 ok, 1 missing, 3 errors (k12, bad1, bad2)", res.Clean, s)
			}

			res, found = verifyWith(t, pl, e.st, engine.VerifyOptions{})
			s = res.Steps[0]
			if !res.Clean || len(found) != 0 || s.Checked != 10 || s.OK != 10 || s.Errors != 5 {
				t.Errorf("full verify: clean %v, counts %+v, findings %s; want clean, 10 ok, 5 errors (k05, k11, k12, bad1, bad2)",
					res.Clean, s, strings.Join(found, ", "))
			}
		})
	}
}
