package infer_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant/infer"
	"github.com/decanthq/decant/sqlite"
)

var update = flag.Bool("update", false, "rewrite the golden files of infer/testdata")

// Each sample file of testdata, inferred as its case says, gives exactly
// its golden file: the tables and warnings as --json prints them, the
// PostgreSQL and SQLite migrations and the plan. go test ./infer -update
// rewrites them; review the diff.
func TestGolden(t *testing.T) {
	cases := []struct {
		name, file string
		opts       infer.Options
	}{
		{"orders", "orders.jsonl", infer.Options{Key: "id", Table: "orders"}},
		{"forms", "forms.json", infer.Options{Key: "instanceId", Route: "formName"}},
		{"visits", "visits.csv", infer.Options{Key: "visit_id", Table: "visits"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := render(t, filepath.Join("testdata", tc.file), tc.opts)
			// Twice, to hold the output to one order whatever Go's map
			// iteration does.
			if again := render(t, filepath.Join("testdata", tc.file), tc.opts); again != got {
				t.Fatalf("two runs differ:\n%s\n----\n%s", got, again)
			}
			golden := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./infer -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the golden file (go test ./infer -update rewrites it):\n%s", tc.name, got)
			}
		})
	}
}

func render(t *testing.T, path string, o infer.Options) string {
	t.Helper()
	samples, err := infer.ReadSamples(path)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, d := range []infer.Dialect{infer.Postgres, infer.SQLite} {
		o.Dialect = d
		s, err := infer.Infer(samples, o)
		if err != nil {
			t.Fatal(err)
		}
		if d == infer.Postgres {
			j, err := json.MarshalIndent(s, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString("=== json\n" + string(j) + "\n")
		}
		b.WriteString("=== " + string(d) + "\n" + s.Migration(d))
	}
	o.Dialect = infer.Postgres
	s, _ := infer.Infer(samples, o)
	b.WriteString("=== plan\n" + s.Plan(infer.PlanOptions{Source: "file:" + filepath.Base(path), Target: "${DECANT_TARGET}", Migrations: "migrations", Step: "samples"}))
	return b.String()
}

// Every SQLite type infer declares is read back by decant as its type's
// kind: a decimal column that decant took for text would accept "twelve".
func TestSQLiteTypesKeepTheirKind(t *testing.T) {
	for _, ty := range []infer.Type{infer.Integer, infer.Decimal, infer.Date, infer.Timestamp, infer.Boolean, infer.JSONType, infer.Text} {
		if got, want := sqlite.KindOf(infer.SQLite.SQLType(ty)), ty.Kind(); got != want {
			t.Errorf("%s: declared %q is read as %s, want %s", ty, infer.SQLite.SQLType(ty), got, want)
		}
	}
}
