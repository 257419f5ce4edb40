package engine_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
)

// csvPinInput has the CSV cases whose ledger and rows must not change when
// CSV rows stop going through JSON: plain rows, quotes, a comma and a line
// break inside a field, non-ASCII text, empty fields, a value the mapping
// refuses (stored with its payload), a keyless row (keyed by a hash of its
// payload) and a short row (Invalid).
const csvPinInput = "id,n,label,note\n" +
	"a1,1,plain,\n" +
	"a2,2,\"quoted \"\"label\"\"\",\"x, y\"\n" +
	"a3,3,\"two\nlines\",ünïcödé\n" +
	"a4,x,bad n,\n" +
	",5,no key,\n" +
	"a6,6,short\n" +
	"a7,7,\"{\"\"json\"\":1}\",\t\n"

// csvPinJSONL holds the same documents as csvPinInput as JSON Lines, in
// the byte form the CSV source gives its payloads, without the short row.
const csvPinJSONL = `{"id":"a1","n":"1","label":"plain","note":""}
{"id":"a2","n":"2","label":"quoted \"label\"","note":"x, y"}
{"id":"a3","n":"3","label":"two\nlines","note":"ünïcödé"}
{"id":"a4","n":"x","label":"bad n","note":""}
{"id":"","n":"5","label":"no key","note":""}
{"id":"a7","n":"7","label":"{\"json\":1}","note":"\t"}
`

// csvPinOutcome is what the pinned CSV input leaves in the target.
type csvPinOutcome struct {
	Read, Written, Failed int64
	Rows, Ledger, Errors  []string
}

// migrateCSVPin runs csvPinInput (or, with jsonl, csvPinJSONL) into target.
func migrateCSVPin(t *testing.T, target func(t *testing.T, dir string) (string, *sql.DB), jsonl bool) csvPinOutcome {
	t.Helper()
	dir := t.TempDir()
	input := "in.csv"
	must(t, os.WriteFile(filepath.Join(dir, input), []byte(csvPinInput), 0o644))
	if jsonl {
		input = "in.jsonl"
		must(t, os.WriteFile(filepath.Join(dir, input), []byte(csvPinJSONL), 0o644))
	}
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(
		"CREATE TABLE IF NOT EXISTS pins (id TEXT PRIMARY KEY, n INTEGER, label TEXT, note TEXT);\n"), 0o644))
	url, db := target(t, dir)
	p := fmt.Sprintf(`version: 1
connections:
  in: file:%s
  target: %s
setup: [schema.sql]
steps:
  - name: pins
    from: {connection: in, key: id}
    key: id
    to: {table: pins}
    map: {id: record.id, n: record.n, label: record.label, note: record.note}
`, input, url)
	s := migratePlan(t, dir, p).Steps[0]
	return outcomeOf(t, db, dir, s, "SELECT id, n, label, note FROM pins ORDER BY id",
		"SELECT key, source_key, message, payload FROM decant_errors ORDER BY key")
}

// outcomeOf is what the step whose result is s left in db: its counts,
// the rows rowsSQL selects, the ledger and the errors errorsSQL selects,
// without dir (messages say where, and the directory is the test's own).
func outcomeOf(t *testing.T, db *sql.DB, dir string, s engine.StepResult, rowsSQL, errorsSQL string) csvPinOutcome {
	t.Helper()
	q := func(query string) []string {
		rows := testenv.Rows(t, db, query)
		for i, r := range rows {
			rows[i] = strings.ReplaceAll(r, dir+string(filepath.Separator), "")
		}
		return rows
	}
	return csvPinOutcome{
		Read: s.Read, Written: s.Written, Failed: s.Failed,
		Rows:   q(rowsSQL),
		Ledger: q("SELECT key, source_hash, target_hash, status FROM decant_ledger ORDER BY key"),
		Errors: q(errorsSQL),
	}
}

// Ensure a CSV record's ledger hashes, its rows and its stored errors are
// exactly what they were while CSV rows went through JSON: databases
// written before compare against these hashes, and retries read these
// payloads. The values below were computed by the code of commit 85ae219,
// before CSV records carried their decoded row (decant.Record.Doc); never
// update them to make this test pass. The same documents read from JSON
// Lines give the same ledger and errors.
func TestCSVLedgerAndRowsUnchanged(t *testing.T) {
	t.Parallel()
	want := csvPinOutcome{
		Read: 7, Written: 4, Failed: 3,
		Rows: []string{
			"a1 1 plain ",
			`a2 2 quoted "label" x, y`,
			"a3 3 two\nlines ünïcödé",
			`a7 7 {"json":1} ` + "\t",
		},
		Ledger: []string{
			"(no key) sha256:25be286432a22a976a20a02038c0c542 5e028c08e4565e7cb84695adcb61e8ae  failed",
			// The short row's payload is its text since the row stopped
			// being wrapped in {"error","text"} JSON (a deliberate change,
			// not computed on 85ae219): its hash and keyless key follow.
			"(no key) sha256:85d6cda31f0b1e43c32f486e6e1a72fe 85d6cda31f0b1e43c32f486e6e1a72fe  failed",
			"a1 94b8c036110b093a09738452f6baa870 f2930cb6a8e6d176cf2cb7c5714db595 ok",
			"a2 0c144d74e2f6cb889be847931ec56e03 da10c08868fe76ebe75aea3909816066 ok",
			"a3 e875cf746b7f1883e5b65bec6ae779ce 5c1d7c0cce94693eb9a0cbfc3c69da72 ok",
			"a4 7b1cf468c098c16638fad5ede9248ad2  failed",
			"a7 ffdec1070374c85ef3f15876e4d24aa9 54167dedc11faa1f1366fd3d68ab69a7 ok",
		},
		Errors: []string{
			`(no key) sha256:25be286432a22a976a20a02038c0c542  record has no key {"id":"","n":"5","label":"no key","note":""}`,
			"(no key) sha256:85d6cda31f0b1e43c32f486e6e1a72fe  row has 3 fields, the header has 4 (in.csv:8) a6,6,short\n",
			`a4 a4 invalid value for n {"id":"a4","n":"x","label":"bad n","note":""}`,
		},
	}
	for name, target := range bothTargets {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := migrateCSVPin(t, target, false)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("CSV outcome differs from the pinned one (-pinned +got):\n%s", d)
			}
			jl := migrateCSVPin(t, target, true)
			if d := cmp.Diff(notContaining(want.Ledger, "85d6cda3"), jl.Ledger); d != "" {
				t.Errorf("JSONL ledger differs from CSV's (-csv +jsonl):\n%s", d)
			}
			if d := cmp.Diff(want.Rows, jl.Rows); d != "" {
				t.Errorf("JSONL rows differ from CSV's (-csv +jsonl):\n%s", d)
			}
			if d := cmp.Diff(notContaining(want.Errors, "85d6cda3"), jl.Errors); d != "" {
				t.Errorf("JSONL errors differ from CSV's (-csv +jsonl):\n%s", d)
			}
		})
	}
}

// notContaining drops the rows that contain s.
func notContaining(rows []string, s string) []string {
	var out []string
	for _, r := range rows {
		if !strings.Contains(r, s) {
			out = append(out, r)
		}
	}
	return out
}
