package engine_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/decanthq/decant/internal/testenv"
)

// Ensure a name given twice in a record counts by its last value
// everywhere, end to end on both targets: the ledger keys the record by
// its last id and the row gets the last values, the source hash is the
// hash of the record without the first member, and verify compares the
// target with the last values (a change to the last one is a diff, a
// change to the first one is nothing).
func TestRun_DuplicateNamesLastWins(t *testing.T) {
	t.Parallel()
	dup := `{"id":"k11","n":1,"label":"first","code":"ab","amount":"1.5","at":"2024-01-01T10:00:00Z","id":"k12","n":12,"label":"v12"}`
	alone := `{"id":"k12","n":12,"label":"v12","code":"ab","amount":"1.5","at":"2024-01-01T10:00:00Z"}`
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			e := migrateForVerify(t, vt, dup)
			rows := testenv.Rows(t, e.db, "SELECT id, n, label FROM items WHERE id IN ('k11', 'k12') ORDER BY id")
			if want := []string{"k12 12 v12"}; !slices.Equal(rows, want) {
				t.Errorf("rows %v, want %v (the last values)", rows, want)
			}
			hash := func(db *sql.DB) []string {
				return testenv.Rows(t, db, "SELECT key, source_hash FROM decant_ledger WHERE key IN ('k11', 'k12') ORDER BY key")
			}
			got := hash(e.db)
			if len(got) != 1 || !strings.HasPrefix(got[0], "k12 ") {
				t.Fatalf("ledger %v, want the one key k12", got)
			}
			other := migrateForVerify(t, vt, alone)
			if want := hash(other.db); !slices.Equal(got, want) {
				t.Errorf("source hash of the record with a name twice %v, of the record with the last values alone %v", got, want)
			}

			pl := loadVerifyPlan(t, e.dir, e.url, "record.label")
			for _, c := range []struct{ input, want string }{
				{dup, ""},
				{`{"id":"k12","label":"changed","n":12,"code":"ab","amount":"1.5","at":"2024-01-01T10:00:00Z","label":"v12"}`, ""},
				{`{"id":"k12","label":"v12","n":12,"code":"ab","amount":"1.5","at":"2024-01-01T10:00:00Z","label":"changed"}`, "diff k12"},
			} {
				must(t, os.WriteFile(filepath.Join(e.dir, "in.jsonl"), []byte(verifyInput(c.input)), 0o644))
				_, found := runVerify(t, pl, e.st)
				if want := []string{c.want}; c.want == "" && len(found) != 0 || c.want != "" && !slices.Equal(found, want) {
					t.Errorf("verify of %s: findings %v, want %q", c.input, found, c.want)
				}
			}
		})
	}
}
