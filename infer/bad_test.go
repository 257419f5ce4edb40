package infer_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant/infer"
)

// inferFile writes text as a sample file named name and infers it.
func inferFile(t *testing.T, name, text string, o infer.Options) (*infer.Schema, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	samples, err := infer.ReadSamples(path)
	if err != nil {
		return nil, err
	}
	if o.Table == "" && o.Route == "" {
		o.Table = "t"
	}
	return infer.Infer(samples, o)
}

// wantErr fails unless err says every one of parts: the file and record,
// the field, and the fix.
func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one saying %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not say %q", err, p)
		}
	}
}

// Samples that disagree on a field's type widen its column, and the
// report names the field once, with each type its samples had where it was
// first seen: a value narrower than the column, after it widened, adds
// nothing (it once added itself, making the report grow with the samples).
func TestDisagreeingSamplesWidenOnce(t *testing.T) {
	text := `{"id": 1, "n": 1}
{"id": 2, "n": 2.5}
{"id": 3, "n": 3.5}
{"id": 4, "n": "many"}
{"id": 5, "n": "more"}
{"id": 6, "n": 7}
{"id": 7, "n": 8.5}
{"id": 8, "n": true}
{"id": 9, "n": 9}
{"id": 10, "n": false}
`
	s, err := inferFile(t, "n.jsonl", text, infer.Options{Key: "id"})
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Tables[0].Column("n"); c.Type != infer.Text {
		t.Errorf("n is %s, want text", c.Type)
	}
	want := `"n" (integer at n.jsonl:1, decimal at n.jsonl:2, text at n.jsonl:4, boolean at n.jsonl:8)`
	if len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], want) {
		t.Errorf("warnings = %q, want one saying %s", s.Warnings, want)
	}
}

// Each refusal names the file, the record (line or element) and the
// field, and says how to fix it.
func TestBadSamples(t *testing.T) {
	wide := map[string]any{"id": 1}
	for i := range 2000 {
		wide[fmt.Sprintf("f%d", i)] = i
	}
	wideJSON := mustJSON(t, wide)
	cases := []struct {
		name, file, text string
		o                infer.Options
		want             []string
	}{
		{"field not an SQL name", "a.jsonl", `{"id": 1, "weight(kg)": 3}`, infer.Options{Key: "id"},
			[]string{"a.jsonl:1", `"weight(kg)"`, "not a valid SQL column name", "rename the field"}},
		{"field starting with a digit", "a.jsonl", "{\"id\": 1}\n{\"id\": 2, \"2nd\": 3}", infer.Options{Key: "id"},
			[]string{"a.jsonl:2", `"2nd"`, "rename the field"}},
		{"fields colliding after snake_case", "a.jsonl", "{\"id\": 1, \"ttDose\": 1}\n{\"id\": 2, \"tt_dose\": 2}", infer.Options{Key: "id"},
			[]string{"a.jsonl:2", `"ttDose"`, `"tt_dose"`, "a.jsonl:1", `column "tt_dose"`, "rename one of them"}},
		{"route value not a table name", "a.json", `[{"id": 1, "form": "anc"}, {"id": 2, "form": "7 days/visit"}]`, infer.Options{Key: "id", Route: "form"},
			[]string{"a.json: record 2", `"7 days/visit"`, `field "form"`, "not a valid table name", "fix the value"}},
		{"route value of decant's own tables", "a.jsonl", `{"id": 1, "form": "decant_ledger"}`, infer.Options{Key: "id", Route: "form"},
			[]string{"a.jsonl:1", "decant_ledger", "not a valid table name"}},
		{"record without the route field", "a.jsonl", `{"id": 1}`, infer.Options{Key: "id", Route: "form"},
			[]string{"a.jsonl:1", `"form"`, "--route"}},
		{"empty JSONL file", "a.jsonl", "", infer.Options{Key: "id"}, []string{"a.jsonl", "no sample records", "give at least one"}},
		{"blank JSONL file", "a.jsonl", "\n\n", infer.Options{Key: "id"}, []string{"a.jsonl", "no sample records", "only blank lines"}},
		{"empty JSON array", "a.json", "[]", infer.Options{Key: "id"}, []string{"a.json", "no sample records", "an empty array"}},
		{"CSV with a header only", "a.csv", "id,name\n", infer.Options{Key: "id"}, []string{"a.csv", "no sample records", "a header row only"}},
		{"record without the key", "a.jsonl", "{\"id\": 1}\n{\"name\": \"x\"}", infer.Options{Key: "id"},
			[]string{"a.jsonl:2", `key field "id"`, "--key"}},
		{"key in the wrong case", "a.jsonl", `{"id": 1, "name": "x"}`, infer.Options{Key: "ID"},
			[]string{"a.jsonl:1", `no key field "ID"`, "its fields are id, name", "--key id"}},
		{"record with an empty key", "a.csv", "id,name\n1,a\n,b\n", infer.Options{Key: "id"},
			[]string{"a.csv:3", `key field "id"`}},
		{"2,000 fields for PostgreSQL", "a.jsonl", wideJSON, infer.Options{Key: "id", Dialect: infer.Postgres},
			[]string{"a.jsonl:1", "2001 fields", "PostgreSQL allows at most 1600", "--route", "--spill COLUMN"}},
		{"invalid UTF-8 in a JSON array", "a.json", "[{\"id\": 1}, {\"id\": 2, \"s\": \"a\xffb\"}]", infer.Options{Key: "id"},
			[]string{"a.json: record 2", "invalid UTF-8", "fix the sample"}},
		{"spill column that is no SQL name", "a.jsonl", `{"id": 1}`, infer.Options{Key: "id", Spill: "more fields"},
			[]string{"--spill", `"more fields"`, "not a valid SQL column name"}},
		{"spill column a field has", "a.jsonl", wideJSON, infer.Options{Key: "id", Spill: "f1"},
			[]string{"--spill f1", `"f1"`, "name another spill column"}},
		{"child table named as a route's table", "a.jsonl", "{\"id\": 1, \"form\": \"orders\", \"items\": [{\"sku\": 1}]}\n{\"id\": 2, \"form\": \"orders_items\"}", infer.Options{Key: "id", Route: "form"},
			[]string{"two tables would be named orders_items", `field "items"`, `route value "orders_items"`, "rename"}},
		{"CSV column twice", "dup.csv", "id,name,name,dob\n1,a,b,2014-01-02\n", infer.Options{Key: "id"},
			[]string{"dup.csv", `column "name" appears twice`, "decant refuses", "header"}},
		{"CSV header not UTF-8", "bad.csv", "id,n\xffame\n1,a\n", infer.Options{Key: "id"},
			[]string{"bad.csv", "not valid UTF-8"}},
		{"CSV separated by ;", "semi.csv", "id;name\n1;a\n", infer.Options{Key: "id"},
			[]string{"semi.csv", `one column "id;name"`, "commas", "delimiter"}},
		{"CSV separated by tabs", "tab.csv", "id\tname\n1\ta\n", infer.Options{Key: "id"},
			[]string{"tab.csv", `one column "id\tname"`, "commas"}},
		{"line that is no JSON object", "a.jsonl", "{\"id\": 1}\n[1]", infer.Options{Key: "id"},
			[]string{"a.jsonl:2", "JSON object"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := inferFile(t, tc.file, tc.text, tc.o)
			wantErr(t, err, tc.want...)
		})
	}
}

// SQLite allows 2,000 columns, so the same wide sample fits it (the key
// and 1,999 fields).
func TestWideSampleFitsSQLite(t *testing.T) {
	wide := map[string]any{"id": 1}
	for i := range 1999 {
		wide[fmt.Sprintf("f%d", i)] = i
	}
	s, err := inferFile(t, "a.jsonl", mustJSON(t, wide), infer.Options{Key: "id", Dialect: infer.SQLite})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Tables[0].Columns); n != 2000 {
		t.Errorf("%d columns, want 2000", n)
	}
}

// Field names and values that are not plain text reach the SQL only as
// quoted literals and comments that stay on their line.
func TestCommentsQuoteSamples(t *testing.T) {
	s, err := inferFile(t, "a.jsonl", `{"id": 1, "note": "it's\n--x'; DROP TABLE t; --"}`, infer.Options{Key: "id"})
	if err != nil {
		t.Fatal(err)
	}
	pg := s.Migration(infer.Postgres)
	if !strings.Contains(pg, `COMMENT ON COLUMN "t"."note" IS 'from note, e.g. ''it''''s --x''''; DROP TABLE t; --''';`) {
		t.Errorf("PostgreSQL comment not quoted:\n%s", pg)
	}
	lite := s.Migration(infer.SQLite)
	if !strings.Contains(lite, "    \"note\" text NOT NULL, -- from note, e.g. 'it''s --x''; DROP TABLE t; --'\n") {
		t.Errorf("SQLite comment not on one line:\n%s", lite)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A child's items get their own key only when it is unique among the items
// of each record; else two items of one record would be one row, and the
// record would fail to load. Repeated in another record is fine.
func TestChildKeyRepeatedInOneRecord(t *testing.T) {
	for _, tc := range []struct {
		text     string
		position bool
	}{
		{`{"id": 1, "items": [{"id": "a", "q": 1}, {"id": "a", "q": 2}]}`, true},
		{`{"id": 1, "items": [{"id": "a", "q": 1}, {"id": 1, "q": 2}, {"id": "1"}]}`, true},
		{"{\"id\": 1, \"items\": [{\"id\": \"a\", \"q\": 1}, {\"id\": \"b\"}]}\n{\"id\": 2, \"items\": [{\"id\": \"a\"}]}", false},
	} {
		s, err := inferFile(t, "a.jsonl", tc.text, infer.Options{Key: "id"})
		if err != nil {
			t.Fatal(err)
		}
		c := s.Tables[0].Children[0]
		if c.Position != tc.position {
			t.Errorf("%s: key %v, want position %v", tc.text, c.Key, tc.position)
		}
		if tc.position && !strings.Contains(strings.Join(s.Warnings, "\n"), `"id" of the items of "items" repeats within one record (a.jsonl:1`) {
			t.Errorf("%s: warnings %q do not say why the key is position", tc.text, s.Warnings)
		}
	}
}

// A CSV file's UTF-8 byte order mark is not part of its first column's
// name, as decant's CSV source reads it.
func TestCSVByteOrderMark(t *testing.T) {
	s, err := inferFile(t, "bom.csv", "\ufeffid,name\n1,a\n", infer.Options{Key: "id"})
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Tables[0].Columns[0]; c.Name != "id" || c.Type != infer.Integer {
		t.Errorf("first column %+v, want the key id", c)
	}
}

// A refusal of what decant would store as an error says only that: the
// advice for a line that is no JSON object is for lines that are not.
func TestRefusedLineMessage(t *testing.T) {
	_, err := inferFile(t, "u.jsonl", "{\"id\": 1, \"s\": \"a\xffb\"}\n", infer.Options{Key: "id"})
	wantErr(t, err, "u.jsonl:1", "invalid UTF-8", "fix the sample")
	if err != nil && strings.Contains(err.Error(), "each line must be one JSON object") {
		t.Errorf("error %q gives the advice for a line that is no JSON object", err)
	}
}

// A date or timestamp in the year 0 is text: PostgreSQL has no year 0
// (1 BC is 0001-01-01 BC) and refuses 0000-01-01 as out of range.
func TestYearZeroIsText(t *testing.T) {
	s, err := inferFile(t, "a.jsonl", `{"id": 1, "d": "0000-01-01", "ts": "0000-01-01T00:00:00Z", "ok": "0001-01-01"}`, infer.Options{Key: "id"})
	if err != nil {
		t.Fatal(err)
	}
	for col, want := range map[string]infer.Type{"d": infer.Text, "ts": infer.Text, "ok": infer.Date} {
		if c := s.Tables[0].Column(col); c.Type != want {
			t.Errorf("%s is %s, want %s", col, c.Type, want)
		}
	}
}

// --spill naming a wide child table's parent key or position column is
// refused, naming that column (it was a nil-pointer panic).
func TestSpillNamesAChildKey(t *testing.T) {
	item := map[string]any{}
	for i := range 2000 {
		item[fmt.Sprintf("f%d", i)] = i
	}
	text := mustJSON(t, map[string]any{"id": 1, "items": []any{item}})
	for _, spill := range []string{"position", "t_id"} {
		_, err := inferFile(t, "a.jsonl", text, infer.Options{Key: "id", Dialect: infer.SQLite, Spill: spill})
		wantErr(t, err, "--spill "+spill, "t_items", "name another spill column")
	}
}

// Without --spill, a PostgreSQL table under 1,600 columns whose sample
// rows would not fit in the 8 KB page gets a warning naming the sample.
func TestRowTooBigWarns(t *testing.T) {
	wide := map[string]any{"id": 1}
	for i := range 700 {
		wide[fmt.Sprintf("f%d", i)] = fmt.Sprintf("a value of 20 chars%d", i%10)
	}
	s, err := inferFile(t, "a.jsonl", mustJSON(t, wide), infer.Options{Key: "id", Dialect: infer.Postgres})
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(s.Warnings, "\n"); !strings.Contains(w, "the row of a.jsonl:1") || !strings.Contains(w, "--spill") {
		t.Errorf("warnings %q, want one naming a.jsonl:1 and --spill", s.Warnings)
	}
	if s, err = inferFile(t, "a.jsonl", mustJSON(t, wide), infer.Options{Key: "id", Dialect: infer.SQLite}); err != nil || len(s.Warnings) != 0 {
		t.Errorf("SQLite: %v, warnings %q, want none", err, s.Warnings)
	}
}

// Ensure a name twice in one object is typed from its last value, as
// decant maps it (the last one wins), in a JSONL line and in an element
// of a JSON array.
func TestDuplicateNameLastWins(t *testing.T) {
	for _, tc := range []struct{ file, text string }{
		{"a.jsonl", "{\"id\": 1, \"w\": 3}\n{\"id\": 2, \"w\": \"x\", \"w\": 2}"},
		{"a.json", `[{"id": 1, "w": 3}, {"id": 2, "w": "x", "w": 2}]`},
	} {
		s, err := inferFile(t, tc.file, tc.text, infer.Options{Key: "id"})
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if c := s.All()[0].Column("w"); c == nil || c.Type != infer.Integer {
			t.Errorf("%s: column w = %+v, want integer (the last value of each record)", tc.file, c)
		}
	}
}
