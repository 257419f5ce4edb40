package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant/infer"
	"github.com/decanthq/decant/internal/testenv"
)

// stepPlan routes by form, reads the form's answers from a JSON document
// inside a string (as Drishti's formInstance), flattens them with fields()
// and maps each sub-form item to a child table named after its form.
const stepPlan = `version: 1
connections:
  source: file:none.jsonl
  target: ${DECANT_TARGET}
steps:
  - name: forms
    from: {connection: source, key: instanceId}
    key: instance_id
    let:
      form: json_decode(record.doc)
      f: fields(form.fields)
    to:
      route: record.formName
      routes:
        tt: [tt_1]
    map:
      instance_id: record.instanceId
      version: record.version
    fields: f
    columns:
      version: {type: timestamp, layout: unix_ms}
    children:
      - name: kids
        from: form.kids
        parent_key: parent_id
        to:
          route: table + "_kids"
          routes: {tt_kids: []}
        fields: item
`

// Samples of stepPlan's step: tt_1 an alias of tt, pnc a form the plan does
// not route yet, weight repeated (the last wins), a field without value.
const stepSamples = `{"instanceId": "a", "formName": "tt_1", "version": "1393804800000", "doc": "{\"fields\": [{\"name\": \"ttDose\", \"value\": \"2\"}, {\"name\": \"ttDate\", \"value\": \"2014-3-3\"}, {\"name\": \"ttPlace\"}]}"}
{"instanceId": "b", "formName": "pnc", "version": "1393804800001", "doc": "{\"fields\": [{\"name\": \"weight\", \"value\": \"abc\"}, {\"name\": \"weight\", \"value\": \"54.5\"}], \"kids\": [{\"id\": \"k1\", \"born\": \"Wed, 31 Dec 2014 00:00:00 GMT\"}, {\"id\": \"k2\", \"born\": \"Thu, 01 Jan 2015 00:00:00 GMT\"}]}"}
`

// stepFixture writes stepPlan and stepSamples into a new directory, with
// a SQLite target.
func stepFixture(t *testing.T) (dir, cfg, samples string) {
	t.Helper()
	dir = t.TempDir()
	cfg = filepath.Join(dir, "decant.yaml")
	writeFile(t, cfg, stepPlan)
	samples = filepath.Join(dir, "s.jsonl")
	writeFile(t, samples, stepSamples)
	t.Setenv("DECANT_TARGET", testenv.SQLite(t))
	return dir, cfg, samples
}

// --step types what the step writes: its route's tables (an alias to its
// table, an unrouted value to a table of its name), the map's and the
// fields' columns by snake_case name, the columns: types, and the
// children's tables with their parent_key.
func TestInferStepMapsTheSamples(t *testing.T) {
	_, cfg, samples := stepFixture(t)
	var res struct {
		Tables   []*infer.Table `json:"tables"`
		Warnings []string       `json:"warnings"`
		SQL      string         `json:"sql"`
	}
	decodeJSON(t, mustRun(t, "-c", cfg, "infer", "--step", "forms", samples, "--json"), &res)
	got := map[string]*infer.Table{}
	for _, tb := range res.Tables {
		got[tb.Name] = tb
		for _, c := range tb.Children {
			got[c.Name] = c
		}
	}
	if len(res.Tables) != 2 || got["tt"] == nil || got["pnc"] == nil || got["pnc_kids"] == nil {
		t.Fatalf("tables %v, want tt, pnc and pnc_kids", res.Tables)
	}
	if tt := got["tt"]; tt.Route != "tt_1" || tt.Key[0] != "instance_id" {
		t.Errorf("tt: route %q key %v", tt.Route, tt.Key)
	}
	types := map[string]infer.Type{}
	for _, tb := range got {
		for _, c := range tb.Columns {
			types[tb.Name+"."+c.Name] = c.Type
		}
	}
	for col, want := range map[string]infer.Type{
		"tt.instance_id": infer.Text, "tt.version": infer.Timestamp, "tt.tt_dose": infer.Integer,
		"tt.tt_date": infer.Date, "tt.tt_place": infer.Text, "pnc.weight": infer.Decimal,
		"pnc_kids.parent_id": infer.Text, "pnc_kids.id": infer.Text, "pnc_kids.born": infer.Date,
	} {
		if types[col] != want {
			t.Errorf("%s is %q, want %s (all: %v)", col, types[col], want, types)
		}
	}
	kids := got["pnc_kids"]
	if kids.ParentKey != "parent_id" || strings.Join(kids.Key, ",") != "parent_id,id" {
		t.Errorf("pnc_kids: parent key %q, key %v", kids.ParentKey, kids.Key)
	}
	if c := kids.Column("born"); c == nil || strings.Join(c.Layouts, ",") != "rfc1123" {
		t.Errorf("pnc_kids.born: %+v, want layouts [rfc1123]", c)
	}
	if c := got["tt"].Column("tt_dose"); c == nil || c.Path != `fields.ttDose` {
		t.Errorf("tt.tt_dose: %+v, want the path fields.ttDose", c)
	}
	if !strings.Contains(res.SQL, `CREATE TABLE "pnc_kids"`) || !strings.Contains(res.SQL, `PRIMARY KEY ("parent_id", "id")`) {
		t.Errorf("migration:\n%s", res.SQL)
	}
}

// --as sets a column's type; a value that names no table, column or type
// is refused, naming the flag's value.
func TestInferAs(t *testing.T) {
	_, cfg, samples := stepFixture(t)
	var res struct {
		Tables   []*infer.Table `json:"tables"`
		Warnings []string       `json:"warnings"`
	}
	decodeJSON(t, mustRun(t, "-c", cfg, "infer", "--step", "forms", samples, "--as", "pnc.weight=text", "--as", "tt.tt_place=date", "--json"), &res)
	for _, tb := range res.Tables {
		for col, want := range map[string]infer.Type{"weight": infer.Text, "tt_place": infer.Date} {
			if c := tb.Column(col); c != nil && c.Type != want {
				t.Errorf("%s.%s is %s, want %s", tb.Name, col, c.Type, want)
			}
		}
	}
	if w := strings.Join(res.Warnings, "\n"); !strings.Contains(w, "column weight is text, as --as says (the samples made it decimal)") {
		t.Errorf("warnings do not record the override:\n%s", w)
	}
	// * is every table with the column.
	decodeJSON(t, mustRun(t, "-c", cfg, "infer", "--step", "forms", samples, "--as", "*.instance_id=integer", "--json"), &res)
	n := 0
	for _, tb := range res.Tables {
		if c := tb.Column("instance_id"); c != nil {
			n++
			if c.Type != infer.Integer {
				t.Errorf("--as *.instance_id=integer: %s.instance_id is %s", tb.Name, c.Type)
			}
		}
	}
	if n < 2 {
		t.Errorf("--as *.instance_id: %d tables have the column, want the fixture's two or more", n)
	}
	for _, tc := range []struct{ as, want string }{
		{"nope.weight=text", "--as nope.weight=text: no table nope (the tables are pnc, pnc_kids, tt)"},
		{"pnc.nope=text", "--as pnc.nope=text: table pnc has no column nope"},
		{"pnc.weight=float", `--as pnc.weight=float: type "float": want one of integer, decimal`},
		{"pnc_weight=text", "--as pnc_weight=text: want TABLE.COLUMN=TYPE"},
		{"pnc_kids.parent_id=integer", "--as pnc_kids.parent_id=integer: column pnc_kids.parent_id is decant's own"},
		{"*.nope=text", "--as *.nope=text: no table has a column nope"},
	} {
		if r := run(t, "-c", cfg, "infer", "--step", "forms", samples, "--as", tc.as); r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("--as %s: %s\nwant exit 2 and %q", tc.as, r, tc.want)
		}
	}
}

// --step's mapping makes the key, route, tables and plan; the flags that
// say them otherwise are refused, pointing to --raw.
func TestInferStepFlags(t *testing.T) {
	dir, cfg, samples := stepFixture(t)
	bad := filepath.Join(dir, "bad.jsonl")
	writeFile(t, bad, `{"instanceId": "c", "formName": "tt", "doc": "{\"fields\": [{\"name\": \"ttDose\", \"value\": \"1\"}, {\"name\": \"tt_dose\", \"value\": \"2\"}]}"}`+"\n")
	t.Setenv("DECANT_TARGET", testenv.SQLite(t))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--step", "forms", samples, "--route", "formName"}, "--route: --step types what the step writes"},
		{[]string{"--step", "forms", samples, "--plan-out", filepath.Join(dir, "p.yaml")}, "add --raw"},
		{[]string{"--step", "forms", "--raw", samples}, "sample files are for --step without --raw"},
		{[]string{"--raw", samples, "--key", "instanceId"}, "--raw is for --step"},
		{[]string{"--step", "forms", "-n", "3", samples}, "-n: a sample file is read whole"},
		{[]string{"--step", "forms", "https://example.com/feed"}, "is a URL"},
	} {
		if r := run(t, append([]string{"-c", cfg, "infer"}, tc.args...)...); r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("infer %s: %s\nwant exit 2 and %q", strings.Join(tc.args, " "), r, tc.want)
		}
	}
	// Two answers that become one column: the step would keep one.
	r := run(t, "-c", cfg, "infer", "--step", "forms", bad)
	if r.code == 0 || !strings.Contains(r.stderr, `bad.jsonl:1: fields "ttDose" and "tt_dose" both become the column "tt_dose"`) {
		t.Errorf("colliding fields: %s", r)
	}
	// A sample the step cannot map, one without its key, one whose route
	// names no table: each refused, naming the sample.
	for _, tc := range []struct{ sample, want string }{
		{`{"instanceId": "c", "formName": "tt", "doc": "{not json"}`, "bad.jsonl:1: step forms: cannot compute form"},
		{`{"formName": "tt", "doc": "{}"}`, `bad.jsonl:1: the step maps no value to its key column "instance_id"`},
		{`{"instanceId": "c", "formName": "7 days/visit", "doc": "{}"}`, `bad.jsonl:1: route value "7 days/visit" is not a valid table name`},
		{`{"instanceId": "c", "doc": "{}"}`, `bad.jsonl:1: the step's route gave no value`},
	} {
		writeFile(t, bad, tc.sample+"\n")
		if r := run(t, "-c", cfg, "infer", "--step", "forms", bad); r.code != 1 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s: %s\nwant exit 1 and %q", tc.sample, r, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "migrations")); err == nil {
		t.Error("a refused infer wrote a migrations directory")
	}
}

// Given the tables the step's samples made (--from-db), infer writes only
// what new samples add: a table for a new route value, a column for a new
// answer; and says the route the plan needs, but no map line, since the
// step's fields fill a column by its name.
func TestInferStepFromDB(t *testing.T) {
	dir, cfg, samples := stepFixture(t)
	url := os.Getenv("DECANT_TARGET")
	migDir := filepath.Join(dir, "migrations")
	mustRun(t, "-c", cfg, "infer", "--step", "forms", samples, "--migration-out", migDir)
	mustRun(t, "db", "up", "--database", url, "--dir", migDir)
	more := filepath.Join(dir, "more.jsonl")
	writeFile(t, more, `{"instanceId": "c", "formName": "tt", "version": "1", "doc": "{\"fields\": [{\"name\": \"ttSite\", \"value\": \"arm\"}]}"}`+"\n"+
		`{"instanceId": "d", "formName": "anc", "version": "2", "doc": "{\"fields\": [{\"name\": \"lmp\", \"value\": \"2014-03-03\"}]}"}`+"\n"+
		`{"instanceId": "e", "formName": "pnc", "version": "3", "doc": "{\"fields\": [], \"kids\": [{\"id\": \"k3\", \"grams\": \"2900\"}]}"}`+"\n")
	var res struct {
		Migration string   `json:"migration"`
		Added     []string `json:"added"`
		PlanNeeds []string `json:"plan_needs"`
	}
	decodeJSON(t, mustRun(t, "-c", cfg, "infer", "--step", "forms", more, "--from-db", "--migration-out", migDir, "--json"), &res)
	if filepath.Base(res.Migration) != "0002_infer_forms.sql" || strings.Join(res.Added, "; ") != "table anc; column pnc_kids.grams integer; column tt.tt_site text" {
		t.Errorf("wrote %q adding %q", res.Migration, res.Added)
	}
	if needs := strings.Join(res.PlanNeeds, "\n"); len(res.PlanNeeds) != 1 || !strings.Contains(needs, "the step's to.routes needs the line anc: []") {
		t.Errorf("plan_needs %q, want only anc's route", res.PlanNeeds)
	}
}

// --step types JSON numbers as a run decodes them (an int64, a float64 or
// past that a json.Number): an integer column, a decimal one; and a
// child's position from index + 1 is an integer.
func TestInferStepTypesNumbers(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "decant.yaml")
	writeFile(t, cfg, `version: 1
connections:
  in: file:recs.jsonl
  target: ${DECANT_TARGET}
steps:
  - name: recs
    from: {connection: in, key: id}
    key: id
    to: {table: recs}
    map: {id: record.id, qty: record.qty, price: record.price, big: record.big}
    children:
      - from: record.lines
        parent_key: rec_id
        to: {table: lines}
        map: {line: index + 1, sku: item.sku}
`)
	samples := filepath.Join(dir, "recs.jsonl")
	writeFile(t, samples, `{"id": 1, "qty": 2, "price": 2.5, "big": 123456789012345678901234567890, "lines": [{"sku": "a"}]}`+"\n")
	t.Setenv("DECANT_TARGET", testenv.SQLite(t))
	var res struct {
		Tables []*infer.Table `json:"tables"`
	}
	decodeJSON(t, mustRun(t, "-c", cfg, "infer", "--step", "recs", samples, "--json"), &res)
	if len(res.Tables) != 1 || len(res.Tables[0].Children) != 1 {
		t.Fatalf("tables = %+v", res.Tables)
	}
	recs, lines := res.Tables[0], res.Tables[0].Children[0]
	for _, c := range []struct {
		tb   *infer.Table
		col  string
		want infer.Type
	}{{recs, "id", infer.Integer}, {recs, "qty", infer.Integer}, {recs, "price", infer.Decimal}, {recs, "big", infer.Decimal}, {lines, "line", infer.Integer}} {
		if got := c.tb.Column(c.col); got == nil || got.Type != c.want {
			t.Errorf("%s.%s = %+v, want %s", c.tb.Name, c.col, got, c.want)
		}
	}
}
