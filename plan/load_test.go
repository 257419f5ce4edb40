package plan_test

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/httpfeed"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// env returns a LookupEnv backed by a map, so tests never read the process
// environment.
func env(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

// noEnv is a LookupEnv for which nothing is set.
var noEnv = env(nil)

// mustParse parses src as p.yaml and fails the test on error.
func mustParse(t *testing.T, src string, opts plan.Options) *plan.Plan {
	t.Helper()
	if opts.LookupEnv == nil {
		opts.LookupEnv = noEnv
	}
	if opts.Sources == nil {
		opts.Sources = connect.DefaultSources()
	}
	p, err := plan.Parse("p.yaml", []byte(src), opts)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return p
}

// parseErr parses src as p.yaml and returns the *plan.Error it must fail with.
func parseErr(t *testing.T, src string, opts plan.Options) *plan.Error {
	t.Helper()
	if opts.LookupEnv == nil {
		opts.LookupEnv = noEnv
	}
	if opts.Sources == nil {
		opts.Sources = connect.DefaultSources()
	}
	p, err := plan.Parse("p.yaml", []byte(src), opts)
	if err == nil {
		t.Fatalf("Parse succeeded (%d steps), want an error", len(p.Steps))
	}
	var pe *plan.Error
	if !errors.As(err, &pe) {
		t.Fatalf("Parse error is %T (%v), want *plan.Error", err, err)
	}
	return pe
}

// fromSummary is the part of a loaded from a test can compare.
type fromSummary struct {
	Connection, Key, Cursor string
	Options                 any
}

// feedOptions returns the feed options a step's from was decoded into.
func feedOptions(t *testing.T, f plan.From) *httpfeed.Options {
	t.Helper()
	o, ok := f.Options.(*httpfeed.Options)
	if !ok {
		t.Fatalf("from options are %T, want *httpfeed.Options", f.Options)
	}
	return o
}

// stepSummary is the part of a loaded step a test can compare.
type stepSummary struct {
	Name      string
	From      fromSummary
	Key       []string
	BatchSize int
	Label     string
	Table     string
	Routes    map[string]string
	Lets      []string
	Map       []string
	HasFields bool
	Columns   map[string]string
	NullIf    []string
	Zone      string
	Children  []childSummary
}

type childSummary struct {
	Name      string
	ParentKey string
	Table     string
	HasFields bool
}

func names(ns []transform.Named) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Name)
	}
	return out
}

func summarize(s *plan.Step) stepSummary {
	sp := s.Spec
	sum := stepSummary{
		Name: s.Name, From: fromSummary{s.From.Connection, s.From.Key, s.From.Cursor, s.From.Options}, Key: s.Key, BatchSize: s.BatchSize,
		Label: sp.To.Label, Table: sp.To.Table, Routes: sp.To.Tables,
		Lets: names(sp.Let), Map: names(sp.Map), HasFields: sp.Fields != nil,
		Columns: map[string]string{}, NullIf: sp.Default.NullIf,
	}
	if sp.Default.Zone != nil {
		sum.Zone = sp.Default.Zone.String()
	}
	for name, c := range sp.Columns {
		sum.Columns[name] = c.Kind + "/" + strings.Join(c.Layouts, ",")
	}
	for _, c := range sp.Children {
		sum.Children = append(sum.Children, childSummary{Name: c.Name, ParentKey: c.ParentKey, Table: c.To.Table, HasFields: c.Fields != nil})
	}
	return sum
}

// Ensure the example plan loads with its defaults, its route aliases, its
// lets, columns and children compiled.
func TestLoad_OK(t *testing.T) {
	p, err := plan.Load("testdata/ok.yaml", plan.Options{LookupEnv: noEnv, Sources: connect.DefaultSources()})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.File, "testdata/ok.yaml"; got != want {
		t.Errorf("File = %q, want %q", got, want)
	}
	type planSummary struct {
		Version, BatchSize int
		Target, Timezone   string
		NullIf             []string
		Connections        map[string]string
	}
	top := planSummary{p.Version, p.BatchSize, p.Target, p.Timezone, p.NullIf, p.Connections}
	wantTop := planSummary{1, 1000, "target", "UTC", []string{"", "NaN", "Invalid Date"}, map[string]string{
		"feed":   "http://localhost:9000/all-form-submissions",
		"target": "sqlite:out.db",
	}}
	if diff := cmp.Diff(wantTop, top); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	if len(p.Steps) != 1 {
		t.Fatalf("got %d steps, want 1", len(p.Steps))
	}
	want := stepSummary{
		Name: "forms",
		From: fromSummary{Connection: "feed", Key: "instanceId", Cursor: "serverVersion", Options: &httpfeed.Options{Timeout: 10 * time.Second}},
		Key:  []string{"instance_id"}, BatchSize: 100, Label: "form name",
		Routes: map[string]string{
			"tt": "tt", "tt_1": "tt", "tt_2": "tt", "tt_booster": "tt",
			"anc_registration": "anc_registration",
		},
		Lets: []string{"form", "f"}, Map: []string{"instance_id", "server_version"}, HasFields: true,
		Columns: map[string]string{"server_version": "timestamp/unix_ms"},
		NullIf:  []string{"", "NaN", "Invalid Date"}, Zone: "UTC",
		Children: []childSummary{{
			Name: `unnest(form.form.sub_forms, "instances")`, ParentKey: "parent_instance_id", Table: "child", HasFields: true,
		}},
	}
	if diff := cmp.Diff(want, summarize(p.Steps[0])); diff != "" {
		t.Errorf("step (-want +got):\n%s", diff)
	}
	if p.Step("forms") != p.Steps[0] || p.Step("nope") != nil {
		t.Errorf("Step lookup is wrong")
	}
	if got, want := p.Steps[0].Spec.To.All(), []string{"anc_registration", "tt"}; !cmp.Equal(got, want) {
		t.Errorf("To.All() = %q, want %q", got, want)
	}
}

// Ensure the compiled example plan maps a Drishti form end to end: the
// double-encoded formInstance, the alias route, fields with the id renamed
// to <bind_type>_id, unix_ms timestamps, null_if and child rows.
func TestLoad_OKMapsDrishtiForm(t *testing.T) {
	p, err := plan.Load("testdata/ok.yaml", plan.Options{LookupEnv: noEnv, Sources: connect.DefaultSources()})
	if err != nil {
		t.Fatal(err)
	}
	form := `{"form":{"bind_type":"mother","fields":[{"name":"id","value":"m1"},{"name":"ttDose","value":"ttbooster"}],` +
		`"sub_forms":[{"name":"child_registration","instances":[{"id":"c1","gender":"male","weight":""},{"id":"c2","gender":"female","weight":"3.25"}]}]}}`
	raw := fmt.Sprintf(`{"instanceId":"i1","formName":"tt_booster","serverVersion":"1395689767509","formInstance":%q}`, form)
	formCols := []decant.Column{
		{Name: "instance_id", Kind: decant.KindText}, {Name: "server_version", Kind: decant.KindTimestamp},
		{Name: "mother_id", Kind: decant.KindText}, {Name: "tt_dose", Kind: decant.KindText},
	}
	tables := map[string][]decant.Column{
		"tt": formCols, "anc_registration": formCols,
		"child": {
			{Name: "parent_instance_id", Kind: decant.KindText}, {Name: "id", Kind: decant.KindText},
			{Name: "gender", Kind: decant.KindText}, {Name: "weight", Kind: decant.KindDecimal},
		},
	}
	m, err := transform.NewMapper(p.Steps[0].Spec, tables)
	if err != nil {
		t.Fatal(err)
	}
	out, f := m.Map(decant.Record{Key: "i1", Raw: []byte(raw), Where: "page 1"}, decant.DefaultScope)
	if f != nil {
		t.Fatalf("Map failed: %v", f)
	}
	want := transform.Output{ParentKey: "i1", Rows: []transform.Row{
		{Table: "tt", Cols: []string{"instance_id", "server_version", "mother_id", "tt_dose"},
			Vals: []any{"i1", time.UnixMilli(1395689767509).UTC(), "m1", "ttbooster"}},
		{Table: "child", Cols: []string{"gender", "id", "weight", "parent_instance_id"},
			Vals: []any{"male", "c1", nil, "i1"}, ReplaceBy: "parent_instance_id"},
		{Table: "child", Cols: []string{"gender", "id", "weight", "parent_instance_id"},
			Vals: []any{"female", "c2", decant.Decimal("3.25"), "i1"}, ReplaceBy: "parent_instance_id"},
	}}
	// The plan keeps the field "id" beside its <bind_type>_id copy, and
	// unnest's _parent in each child's fields: both reach no column.
	var unmapped []string
	for _, u := range out.Unmapped {
		unmapped = append(unmapped, u.Table+" "+u.Path)
	}
	if want := []string{"child fields._parent", "tt fields.id"}; !cmp.Equal(unmapped, want) {
		t.Errorf("unmapped = %q, want %q", unmapped, want)
	}
	out.Unmapped = nil
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("Map (-want +got):\n%s", diff)
	}
}

// Ensure a minimal plan gets every documented default.
func TestParse_Defaults(t *testing.T) {
	p := mustParse(t, `connections:
  target: sqlite:out.db
  data: file:forms.jsonl
steps:
  - name: forms
    from: {connection: data, key: id}
    key: id
    to: {table: forms}
    map: {id: record.id}
`, plan.Options{})
	type defaults struct {
		Version, BatchSize, StepBatch int
		Target, Timezone, Label, Zone string
		NullIf                        []string
	}
	s := p.Steps[0]
	got := defaults{p.Version, p.BatchSize, s.BatchSize, p.Target, p.Timezone, s.Spec.To.Label, s.Spec.Default.Zone.String(), s.Spec.Default.NullIf}
	want := defaults{1, 1000, 1000, "target", "UTC", "route value", "UTC", nil}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}

// Ensure plan-level settings reach the steps: target, timezone, batch_size
// and null_if, each overridable per step, and null_if per column.
func TestParse_Inheritance(t *testing.T) {
	p := mustParse(t, `version: 1
target: warehouse
timezone: Asia/Kolkata
batch_size: 250
null_if: ["", "NaN"]
connections:
  warehouse: postgres://u:pw@db/x
  data: file:forms.jsonl
steps:
  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: record.id, n: record.n, d: record.d, t: record.t}
    columns:
      n: {type: decimal, null_if: ["-"]}
      d: {null_if: []}
      t: {type: timestamp, zone: America/New_York, layout: "2006-01-02 15:04"}
  - name: b
    from: {connection: data, key: id}
    key: [id, kind]
    batch_size: 10
    null_if: ["N/A"]
    to: {table: b}
    map: {id: record.id, kind: record.kind}
`, plan.Options{})
	if p.Target != "warehouse" || p.Timezone != "Asia/Kolkata" || p.BatchSize != 250 {
		t.Errorf("plan = target %q timezone %q batch_size %d", p.Target, p.Timezone, p.BatchSize)
	}
	a, b := p.Step("a"), p.Step("b")
	if a.BatchSize != 250 || b.BatchSize != 10 {
		t.Errorf("batch sizes = %d, %d, want 250, 10", a.BatchSize, b.BatchSize)
	}
	if got := a.Spec.Default.Zone.String(); got != "Asia/Kolkata" {
		t.Errorf("step zone = %s, want Asia/Kolkata", got)
	}
	if diff := cmp.Diff([]string{"", "NaN"}, a.Spec.Default.NullIf); diff != "" {
		t.Errorf("step a null_if (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"N/A"}, b.Spec.Default.NullIf); diff != "" {
		t.Errorf("step b null_if (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"id", "kind"}, []string(b.Key)); diff != "" {
		t.Errorf("composite key (-want +got):\n%s", diff)
	}
	cols := a.Spec.Columns
	if got := cols["n"]; got.Kind != decant.KindDecimal || !cmp.Equal(got.NullIf, []string{"-"}) || got.Zone != nil {
		t.Errorf("column n = %+v", got)
	}
	if got := cols["d"]; got.Kind != "" || got.NullIf == nil || len(got.NullIf) != 0 {
		t.Errorf("column d = %+v, want an explicit empty null_if (not nil) so the step's list does not apply", got)
	}
	if got := cols["t"]; got.Kind != decant.KindTimestamp || !slices.Equal(got.Layouts, []string{"2006-01-02 15:04"}) || got.Zone.String() != "America/New_York" {
		t.Errorf("column t = %+v", got)
	}

	// End to end: the column lists replace the step's list rather than add to it.
	m, err := transform.NewMapper(a.Spec, map[string][]decant.Column{"a": {
		{Name: "id", Kind: decant.KindText}, {Name: "n", Kind: decant.KindDecimal},
		{Name: "d", Kind: decant.KindText}, {Name: "t", Kind: decant.KindTimestamp},
	}})
	if err != nil {
		t.Fatal(err)
	}
	out, f := m.Map(decant.Record{Key: "1", Raw: []byte(`{"id":"1","n":"-","d":"","t":"2024-03-10 09:30"}`)}, "default")
	if f != nil {
		t.Fatal(f)
	}
	wantT := time.Date(2024, 3, 10, 13, 30, 0, 0, time.UTC) // EDT began at 02:00 that day: 09:30 EDT = 13:30 UTC
	want := []any{"1", nil, "", wantT}
	if diff := cmp.Diff(want, out.Rows[0].Vals); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}

// header is the start of the plans of the error tests: steps begin at line 7.
const header = `version: 1
connections:
  feed: http://feed.example/forms
  data: file:data.jsonl
  target: sqlite:out.db
steps:
`

// Ensure every kind of mistake is reported as a *plan.Error at the right
// file, line and column with a message that names the offending text.
func TestParse_Errors(t *testing.T) {
	for _, tt := range []struct {
		name      string
		src       string
		line, col int
		msg       string
	}{
		{"MalformedYAML", "version: 1\nconnections: [\n", 2, 14, "']' not found"},
		{"TabIndent", "version: 1\n\tconnections: {}\n", 2, 1, "cannot start any token"},
		{"NotAMapping", "- a\n- b\n", 1, 1, "mapping"},
		{"Empty", "", 1, 1, "one YAML document"},
		{"TwoDocuments", header + "  - name: a\n---\nversion: 1\n", 1, 1, "one YAML document"},
		{"UnknownTopLevelKey", "version: 1\nbogus: 2\n", 2, 1, `unknown field "bogus"`},
		{"UnknownStepKey", header + `  - name: a
    from: {connection: data, key: id}
    kee: id
`, 9, 5, `unknown field "kee"`},
		{"UnknownFromKey", header + `  - name: a
    from:
      connection: feed
      curser: serverVersion
`, 10, 7, `unknown field "curser"`},
		{"UnknownColumnKey", header + `  - name: a
    columns:
      n: {type: int, nulll: ["-"]}
`, 9, 22, `unknown field "nulll"`},
		{"UnknownChildKey", header + `  - name: a
    children:
      - from: record.items
        parent: id
`, 10, 9, `unknown field "parent"`},
		{"WrongTypeBatchSize", header + `  - name: a
    batch_size: abc
`, 8, 17, `"abc" is not a valid whole number`},
		{"WrongTypeMapIsList", header + `  - name: a
    map: [id]
`, 8, 10, "want a map of name: expression"},
		{"WrongTypeExpression", header + `  - name: a
    map:
      id: [1, 2]
`, 9, 11, "want an expression"},
		{"WrongTypeConnection", "connections:\n  target: {url: x}\n", 2, 11, "is not a valid string"},
		{"DuplicateMapKey", header + `  - name: a
    map:
      id: record.id
      id: record.other
`, 10, 7, `"id" already defined`},
		{"DuplicateConnection", "connections:\n  target: sqlite:a.db\n  target: sqlite:b.db\n", 3, 3, `"target" already defined`},
		{"BadExpressionSyntax", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map:
      id: record.id +
`, 12, 11, `bad expression "record.id +"`},
		{"UnknownVariable", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map:
      id: recrd.id
`, 12, 11, `unknown name "recrd"`},
		{"LetUsedBeforeDefined", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    let:
      a: b + 1
      b: record.n
    to: {table: a}
    map: {id: record.id}
`, 11, 10, `unknown name "b"`},
		{"LetShadowsVariable", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    let:
      record: 1
    to: {table: a}
    map: {id: record.id}
`, 11, 15, `let name "record" is already a variable`},
		{"UnknownVariableInRoute", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to:
      route: recrd.type
      routes: {a: []}
    map: {id: record.id}
`, 11, 14, `unknown name "recrd"`},
		{"UnknownVariableInChild", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: record.id}
    children:
      - from: record.items
        parent_key: a_id
        to: {table: b}
        map: {x: itm.x}
`, 16, 18, `unknown name "itm"`},
		{"ChildVariableOutsideChild", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: item.id}
`, 11, 15, `unknown name "item"`},
		{"EmptyExpression", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: ""}
`, 11, 15, "empty expression"},
		{"UnsetVariable", `connections:
  target: sqlite:out.db
  feed: https://${FEED_HOST}/forms
`, 3, 9, "environment variable FEED_HOST is not set"},
		{"UnknownConnection", header + `  - name: a
    from: {connection: fed, key: id}
`, 8, 24, `connection "fed" is not defined`},
		{"MissingConnection", header + `  - name: a
    from: {key: id}
`, 8, 11, "from.connection is required"},
		{"UnknownTarget", "target: warehouse\nconnections:\n  target: sqlite:out.db\n", 1, 9, `target connection "warehouse" is not defined`},
		{"ConnectionNotURL", "connections:\n  target: out.db\n", 2, 11, `"out.db" is not a URL`},
		{"NoSteps", "connections:\n  target: sqlite:out.db\n", 1, 1, "no steps"},
		{"UnknownVersion", "version: 2\n", 1, 10, "unknown plan version 2"},
		{"NegativeBatchSize", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    batch_size: -5
`, 10, 17, "batch_size must be a whole number of at least 1, not -5"},
		{"BothTableAndRoute", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a, route: record.type}
`, 10, 9, "either table or route, not both"},
		{"RouteWithoutRoutes", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {route: record.type}
`, 10, 17, "a route needs routes"},
		{"RoutesWithoutRoute", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a, routes: {b: [c]}}
`, 10, 28, "routes need a route expression"},
		{"UnknownColumnType", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: record.id}
    columns:
      id: {type: integer}
`, 13, 18, `unknown type "integer"`},
		{"UnknownTimeZone", "timezone: Mars/Olympus\n", 1, 11, `unknown time zone "Mars/Olympus"`},
		{"UnknownColumnTimeZone", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: record.id}
    columns:
      t: {type: timestamp, zone: Asia/Calcutta_}
`, 13, 34, `unknown time zone "Asia/Calcutta_"`},
		{"DuplicateStepName", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: record.id}
  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: b}
    map: {id: record.id}
`, 12, 11, `step name "a" is used twice`},
		{"StagedStepNamesDifferInCase", "staging: true\n" + header + `  - name: orders
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: record.id}
  - name: Orders
    from: {connection: data, key: id}
    key: id
    to: {table: b}
    map: {id: record.id}
`, 13, 11, `step names "orders" and "Orders" differ only in case`},
		{"StagedStepNameWithAt", "staging: true\n" + header + `  - name: a@b
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: record.id}
`, 8, 11, `step name "a@b" holds "@"`},
		{"StagedStepNameTooLong", "staging: true\n" + header + `  - name: ` + strings.Repeat("x", 64) + `
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: record.id}
`, 8, 11, `is 64 bytes long`},
		{"ChildWithoutFrom", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: record.id}
    children:
      - {parent_key: a_id, to: {table: b}, fields: item}
`, 13, 9, "children: from"},
		{"ChildWithoutParentKey", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: record.id}
    children:
      - {from: record.items, to: {table: b}, fields: item}
`, 13, 9, "parent_key"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := parseErr(t, tt.src, plan.Options{})
			got := fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Col)
			if want := fmt.Sprintf("p.yaml:%d:%d", tt.line, tt.col); got != want {
				t.Errorf("position = %s, want %s (%v)", got, want, e)
			}
			if !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("message = %q, want it to contain %q", e.Msg, tt.msg)
			}
			if e.Source == "" && tt.src != "" {
				t.Errorf("Source is empty, want the line %d of the plan", tt.line)
			}
		})
	}
}

// Ensure a value of the wrong type is named in the message, in the plan's
// words rather than Go's.
//
// Fails as of this writing: the message is goccy's "cannot unmarshal string
// into Go struct field Plan.Steps of type int", which names neither the key
// (batch_size) nor the value (abc). Only the source line shows them.
func TestParse_WrongTypeNamesValue(t *testing.T) {
	for _, tt := range []struct {
		name      string
		src       string
		line, col int
		value     string
	}{
		{"BatchSize", header + "  - name: a\n    batch_size: abc\n", 8, 17, "abc"},
		{"Retries", header + "  - name: a\n    from: {connection: feed, retries: many}\n", 8, 39, "many"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := parseErr(t, tt.src, plan.Options{})
			if e.Line != tt.line || e.Col != tt.col {
				t.Errorf("position = %d:%d, want %d:%d", e.Line, e.Col, tt.line, tt.col)
			}
			if !strings.Contains(e.Msg, tt.value) || strings.Contains(e.Msg, "Go struct") {
				t.Errorf("message = %q, want it to name %q and no Go type", e.Msg, tt.value)
			}
		})
	}
}

// Ensure a connection that is not a valid URL does not print its password.
//
// Fails as of this writing: compiler.connections passes the text to
// decant.RedactURL, which returns text that url.Parse rejects unchanged, so
// "postgres://u:hunter2@db/x%zz" is printed with the password.
func TestParse_BadURLRedacted(t *testing.T) {
	e := parseErr(t, "connections:\n  target: sqlite:out.db\n  src: 'postgres://u:hunter2@db/x%zz'\n", plan.Options{})
	if e.Line != 3 || e.Col != 8 {
		t.Errorf("position = %d:%d, want 3:8", e.Line, e.Col)
	}
	if !strings.Contains(e.Msg, "is not a URL") || strings.Contains(e.Msg, "hunter2") {
		t.Errorf("message = %q, want \"is not a URL\" without the password", e.Msg)
	}
}

// Ensure errors about a whole step (or child) point at the start of its
// first key, not at the colon after it.
//
// Fails with plan/compile.go as of this writing: compiler.at returns the
// position of a block mapping's token, which goccy sets to the first ':'
// (p.yaml:7:9 instead of 7:5).
func TestParse_StepErrorColumn(t *testing.T) {
	for _, tt := range []struct {
		name      string
		src       string
		line, col int
		msg       string
	}{
		{"MissingKey", header + `  - name: a
    from: {connection: data, key: id}
    to: {table: a}
    map: {id: record.id}
`, 7, 5, "key (the upsert key column or columns) is required"},
		{"MissingTo", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    map: {id: record.id}
`, 7, 5, "table or route is required"},
		{"MissingMap", header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
`, 7, 5, "map or fields is required"},
		{"MissingName", header + `  - from: {connection: data, key: id}
    key: id
`, 7, 5, "step 1 has no name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := parseErr(t, tt.src, plan.Options{})
			if e.Line != tt.line || e.Col != tt.col {
				t.Errorf("position = %d:%d, want %d:%d (%v)", e.Line, e.Col, tt.line, tt.col, e)
			}
			if !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("message = %q, want it to contain %q", e.Msg, tt.msg)
			}
		})
	}
}

// Ensure a bad duration is reported at its position like every other
// wrong value.
//
// Fails as of this writing: Duration.UnmarshalYAML (plan/plan.go) returns
// time.ParseDuration's error, which goccy does not give a token, so
// Plan.wrap falls back to an unpositioned "p.yaml: time: unknown unit".
func TestParse_BadDuration(t *testing.T) {
	e := parseErr(t, header+`  - name: a
    from: {connection: feed, timeout: 3parsecs}
`, plan.Options{})
	if e.Line != 8 || e.Col != 39 {
		t.Errorf("position = %d:%d, want 8:39 (%v)", e.Line, e.Col, e)
	}
	if !strings.Contains(e.Msg, "3parsecs") {
		t.Errorf("message = %q, want it to name 3parsecs", e.Msg)
	}
}

// Ensure a fractional batch_size is an error, not silently truncated.
//

// Ensure from options that do not apply to the connection's kind are
// rejected at load, as the doc of plan.From promises.
//
// Fails as of this writing: plan/compile.go never compares the from options
// with the connection's scheme.
func TestParse_FromOptionForOtherKind(t *testing.T) {
	for _, tt := range []struct {
		name string
		from string
		line int
		msg  string
	}{
		{"PageSizeOnFile", "{connection: data, key: id, page_size: 10}", 8, "page_size"},
		{"DelimiterOnFeed", "{connection: feed, key: id, cursor: v, delimiter: ';'}", 8, "delimiter"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := parseErr(t, header+"  - name: a\n    from: "+tt.from+"\n    key: id\n    to: {table: a}\n    map: {id: record.id}\n", plan.Options{})
			if e.Line != tt.line || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got %v, want an error on line %d naming %s", e, tt.line, tt.msg)
			}
		})
	}
}

// Ensure the same plan always gives the same error, at the later of two
// tables that claim one alias.
//
// Fails about half the time as of this writing: compiler.route iterates
// to.routes, a Go map, so the error names "a and b" at line 13 or "b and a"
// at line 12.
func TestParse_DuplicateAliasIsDeterministic(t *testing.T) {
	src := header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to:
      route: record.type
      routes:
        a: [x, y]
        b: [x]
    map: {id: record.id}
`
	for i := 0; i < 20; i++ {
		e := parseErr(t, src, plan.Options{})
		if e.Line != 14 || e.Col != 12 || e.Msg != `to: "x" routes to both a and b` {
			t.Fatalf("run %d: got %d:%d %q, want 14:12 %q", i, e.Line, e.Col, e.Msg, `to: "x" routes to both a and b`)
		}
	}
}

// Ensure an alias that is another table's own name is rejected too.
func TestParse_AliasIsOtherTable(t *testing.T) {
	e := parseErr(t, header+`  - name: a
    from: {connection: data, key: id}
    key: id
    to:
      route: record.type
      routes:
        a: [b]
        b: []
    map: {id: record.id}
`, plan.Options{})
	if !strings.Contains(e.Msg, `"b" routes to both`) {
		t.Errorf("message = %q", e.Msg)
	}
}

// Ensure the error text is file:line:col: message, then the source line
// and a caret under the column.
func TestError_Error(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  *plan.Error
		want string
	}{
		{"WithSource", &plan.Error{File: "decant.yaml", Line: 3, Col: 9, Msg: "boom", Source: "  feed: ${X}"},
			"decant.yaml:3:9: boom\n      feed: ${X}\n            ^"},
		{"ColumnOne", &plan.Error{File: "d.yaml", Line: 1, Col: 1, Msg: "boom", Source: "x: 1"},
			"d.yaml:1:1: boom\n    x: 1\n    ^"},
		{"NoSource", &plan.Error{File: "d.yaml", Line: 7, Col: 2, Msg: "boom"}, "d.yaml:7:2: boom"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}

	// And from a real load.
	e := parseErr(t, header+`  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map:
      id: recrd.id
`, plan.Options{})
	want := `p.yaml:12:11: bad expression "recrd.id": unknown name "recrd" (variables here: record, key, scope, step, table)
          id: recrd.id
              ^`
	if got := e.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
}

// Ensure Load reports a missing file as such.
func TestLoad_MissingFile(t *testing.T) {
	_, err := plan.Load("testdata/does-not-exist.yaml", plan.Options{})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load = %v, want fs.ErrNotExist", err)
	}
}

// Ensure ${VAR} and ${VAR:-default} are expanded inside scalars only, and
// unset variables without a default fail.
func TestParse_Env(t *testing.T) {
	src := func(feed, extra string) string {
		return "connections:\n  target: sqlite:out.db\n  feed: " + feed + "\nsteps:\n  - name: a\n    from: {connection: feed, key: id, cursor: v" + extra + "}\n" +
			"    key: id\n    to: {table: a}\n    map: {id: record.id}\n"
	}
	for _, tt := range []struct {
		name     string
		feed     string
		extra    string
		vars     map[string]string
		wantFeed string
		wantPass string
	}{
		{"Set", "https://${HOST}/forms", "", map[string]string{"HOST": "h.example"}, "https://h.example/forms", ""},
		{"DefaultUnset", "https://${HOST:-localhost:9000}/forms", "", nil, "https://localhost:9000/forms", ""},
		{"DefaultSet", "https://${HOST:-localhost}/forms", "", map[string]string{"HOST": "h.example"}, "https://h.example/forms", ""},
		{"DefaultUsedWhenEmpty", "https://${HOST:-localhost}/forms", "", map[string]string{"HOST": ""}, "https://localhost/forms", ""},
		{"EmptyDefault", "https://h/forms?k=${KEY:-}", "", nil, "https://h/forms?k=", ""},
		{"Several", "${SCHEME:-https}://${HOST}:${PORT:-443}/f", "", map[string]string{"HOST": "h"}, "https://h:443/f", ""},
		{"Quoted", `"https://${HOST}/forms"`, "", map[string]string{"HOST": "h"}, "https://h/forms", ""},
		{"NotAReference", "https://h/$HOST/{x}", "", map[string]string{"HOST": "h"}, "https://h/$HOST/{x}", ""},
		{"InOption", "https://h/f", ", password: '${PW}'", map[string]string{"PW": "s3cret"}, "https://h/f", "s3cret"},
		// A value that looks like YAML stays one string: expansion happens
		// after parsing, inside the scalar.
		{"NoInjection", "https://h/f", ", password: '${PW}'", map[string]string{"PW": "x\n  evil: 1\n}"}, "https://h/f", "x\n  evil: 1\n}"},
		{"NoInjectionFlow", "https://h/f", ", password: '${PW}'", map[string]string{"PW": "x, retries: many"}, "https://h/f", "x, retries: many"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, src(tt.feed, tt.extra), plan.Options{LookupEnv: env(tt.vars)})
			if got := p.Connections["feed"]; got != tt.wantFeed {
				t.Errorf("feed = %q, want %q", got, tt.wantFeed)
			}
			if got := feedOptions(t, p.Steps[0].From).Password; got != tt.wantPass {
				t.Errorf("password = %q, want %q", got, tt.wantPass)
			}
		})
	}
}

// Ensure environment problems are reported at the scalar that holds them.
func TestParse_EnvErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		vars map[string]string
		msg  string
	}{
		{"Unset", nil, "environment variable PW is not set"},
		// A variable set to "" counts as unset for ${VAR}: write ${VAR:-}
		// to accept an empty value.
		{"SetButEmpty", map[string]string{"PW": ""}, "environment variable PW"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := parseErr(t, header+`  - name: a
    from:
      connection: feed
      password: ${PW}
`, plan.Options{LookupEnv: env(tt.vars)})
			if e.Line != 10 || e.Col != 17 || !strings.Contains(e.Msg, tt.msg) || !strings.Contains(e.Msg, "${PW:-default}") {
				t.Errorf("got %d:%d %q, want 10:17 and a message with %q and a hint", e.Line, e.Col, e.Msg, tt.msg)
			}
		})
	}
}

// Ensure a block-style value holding YAML syntax after expansion stays one
// string, and expressions (block scalars included) are expanded too.
func TestParse_EnvInjectionBlock(t *testing.T) {
	p := mustParse(t, header+`  - name: a
    from:
      connection: feed
      key: id
      password: ${PW}
    key: id
    to: {table: a}
    map:
      id: record.id
      tag: |
        "${TAG}" + record.kind
`, plan.Options{LookupEnv: env(map[string]string{"PW": "x\nevil: 1\n- y", "TAG": "t-"})})
	if got, want := feedOptions(t, p.Steps[0].From).Password, "x\nevil: 1\n- y"; got != want {
		t.Errorf("password = %q, want %q", got, want)
	}
	if got, want := p.Steps[0].Spec.Map[1].Prog.Source, "\"t-\" + record.kind\n"; got != want {
		t.Errorf("tag expression = %q, want %q", got, want)
	}
}

// Ensure that without Options.LookupEnv the process environment is used.
func TestParse_EnvFromProcess(t *testing.T) {
	t.Setenv("DECANT_PLAN_TEST_DB", "other.db")
	p, err := plan.Parse("p.yaml", []byte("connections:\n  target: sqlite:${DECANT_PLAN_TEST_DB}\n"+
		"steps:\n  - name: a\n    from: {connection: target, table: a}\n    key: id\n    to: {table: a}\n    map: {id: record.id}\n"), plan.Options{Sources: connect.DefaultSources()})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Connections["target"], "sqlite:other.db"; got != want {
		t.Errorf("target = %q, want %q", got, want)
	}
}

// Ensure a function registered from Go can be used in a plan, and an
// unregistered one fails at load at the expression that calls it.
func TestParse_CustomFunc(t *testing.T) {
	src := header + `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map:
      id: record.id
      phone: mask(record.phone, 4)
`
	e := parseErr(t, src, plan.Options{})
	if e.Line != 13 || e.Col != 14 || !strings.Contains(e.Msg, `unknown name "mask"`) {
		t.Errorf("without mask: got %v, want 13:14 unknown name \"mask\"", e)
	}

	funcs := transform.NewFuncs()
	err := funcs.Register("mask", func(args ...any) (any, error) {
		s, _ := args[0].(string)
		n := int(args[1].(int))
		if len(s) <= n {
			return s, nil
		}
		return strings.Repeat("*", len(s)-n) + s[len(s)-n:], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	p := mustParse(t, src, plan.Options{Funcs: funcs})
	m, err := transform.NewMapper(p.Steps[0].Spec, map[string][]decant.Column{"a": {
		{Name: "id", Kind: decant.KindInt}, {Name: "phone", Kind: decant.KindText},
	}})
	if err != nil {
		t.Fatal(err)
	}
	out, f := m.Map(decant.Record{Key: "7", Raw: []byte(`{"id":7,"phone":"9845012345"}`)}, "default")
	if f != nil {
		t.Fatal(f)
	}
	if diff := cmp.Diff([]any{int64(7), "******2345"}, out.Rows[0].Vals); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}

// Ensure Redacted hides connection passwords for printing.
func TestPlan_Redacted(t *testing.T) {
	p := mustParse(t, `connections:
  target: postgres://app:hunter2@db.example/warehouse?sslmode=require
  feed: https://feed.example/forms?token=abc
steps:
  - name: a
    from: {connection: feed, key: id}
    key: id
    to: {table: a}
    map: {id: record.id}
`, plan.Options{})
	want := map[string]string{
		"target": "postgres://app:xxxxx@db.example/warehouse?sslmode=require",
		"feed":   "https://feed.example/forms?token=xxxxx",
	}
	if diff := cmp.Diff(want, p.Redacted()); diff != "" {
		t.Errorf("Redacted (-want +got):\n%s", diff)
	}
	if p.Connections["target"] != "postgres://app:hunter2@db.example/warehouse?sslmode=require" {
		t.Errorf("Redacted changed the plan's own connections")
	}
}
