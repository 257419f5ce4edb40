package engine_test

import (
	"strings"
	"testing"

	"github.com/decanthq/decant/internal/testenv"
)

// layoutsPlan reads Drishti's anc_registration samples twice: step col
// with the column's own layouts, step def with the plan's default; both
// read the weight with a decimal comma.
const layoutsPlan = `version: 1
layouts: [iso8601, rfc1123]
decimal_comma: true
connections:
  in: file:in.jsonl
  target: %s
setup: [schema.sql]
steps:
  - name: col
    from: {connection: in, key: id}
    key: id
    to: {table: anc_col}
    map: {id: record.id, edd: record.edd, weight: record.weight}
    columns:
      edd: {layouts: [rfc1123]}
  - name: def
    from: {connection: in, key: id}
    key: id
    to: {table: anc_def}
    map: {id: record.id, edd: record.edd, weight: record.weight}
`

// Ensure Drishti's RFC 1123 dates land in a date column through a real
// migrate into PostgreSQL and SQLite, by a column's layouts and by the
// plan's default, and that a decimal comma is read (2 rows of 4 in each
// table); and that a date that fits no layout and an ambiguous number are
// record errors naming the value, the column and the layouts tried.
func TestRun_LayoutsAndDecimalComma(t *testing.T) {
	t.Parallel()
	input := strings.Join([]string{
		`{"id":"a1","edd":"Wed, 31 Dec 2014 00:00:00 GMT","weight":"3,5"}`,
		`{"id":"a2","edd":"Wed, 31 Dec 2014 23:30:00 +0530","weight":"1.234,5"}`,
		`{"id":"a3","edd":"31/12/2014","weight":"3,5"}`,
		`{"id":"a4","edd":"2014-12-31","weight":"1,234,5"}`,
	}, "\n") + "\n"
	schema := "CREATE TABLE IF NOT EXISTS anc_col (id TEXT PRIMARY KEY, edd DATE, weight NUMERIC);\n" +
		"CREATE TABLE IF NOT EXISTS anc_def (id TEXT PRIMARY KEY, edd DATE, weight NUMERIC);\n"
	for _, vt := range verifyTargets {
		t.Run(vt.name, func(t *testing.T) {
			t.Parallel()
			db := migratePatchPlan(t, vt, schema, input, layoutsPlan).db
			for _, table := range []string{"anc_col", "anc_def"} {
				rows := testenv.Rows(t, db, "SELECT id, edd, weight FROM "+table+" ORDER BY id")
				if len(rows) != 2 || !strings.HasPrefix(rows[0], "a1 2014-12-31") || !strings.HasSuffix(rows[0], " 3.5") ||
					!strings.HasPrefix(rows[1], "a2 2014-12-31") || !strings.HasSuffix(rows[1], " 1234.5") {
					t.Errorf("%s rows %q, want a1 2014-12-31 3.5 and a2 2014-12-31 1234.5", table, rows)
				}
			}
			got := testenv.Rows(t, db, "SELECT step, key, message, detail FROM decant_errors ORDER BY step, key")
			want := []string{
				`col a3 invalid value for edd`, `column edd: "31/12/2014" fits none of the layouts tried: rfc1123`,
				`col a4 invalid value for edd`, `column edd: "2014-12-31" fits none of the layouts tried: rfc1123`,
				`def a3 invalid value for edd`, `column edd: "31/12/2014" fits none of the layouts tried: iso8601, rfc1123`,
				`def a4 invalid value for weight`, `column weight: cannot convert "1,234,5" to decimal: not a number with a decimal comma`,
			}
			if len(got) != 4 {
				t.Fatalf("errors %q, want 4", got)
			}
			for i, g := range got {
				if !strings.HasPrefix(g, want[2*i]) || !strings.Contains(g, want[2*i+1]) {
					t.Errorf("error %d: %q, want %q with %q", i, g, want[2*i], want[2*i+1])
				}
			}
		})
	}
}
