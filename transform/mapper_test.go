package transform_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// compile compiles src for a step expression (child expressions when child
// is true), with funcs or the built-ins.
func compile(t testing.TB, src string, child bool, funcs *transform.Funcs, lets ...string) *transform.Program {
	t.Helper()
	if funcs == nil {
		funcs = transform.NewFuncs()
	}
	vars := append(append([]string{}, transform.StepVars...), lets...)
	if child {
		vars = append(vars, transform.ChildVars...)
	}
	p, err := transform.Compile(src, vars, funcs)
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	return p
}

// exprs compiles name, expression pairs in order; each name is visible to
// the expressions after it (as lets are).
func exprs(t testing.TB, child bool, funcs *transform.Funcs, pairs ...string) []transform.Named {
	t.Helper()
	var out []transform.Named
	var names []string
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, transform.Named{Name: pairs[i], Prog: compile(t, pairs[i+1], child, funcs, names...)})
		names = append(names, pairs[i])
	}
	return out
}

func col(name, kind string) decant.Column { return decant.Column{Name: name, Kind: kind, DBType: kind} }

// formTables are the target tables of the mapper tests.
var formTables = map[string][]decant.Column{
	"forms": {
		col("id", decant.KindText), col("name", decant.KindText), col("opened", decant.KindTimestamp),
		col("amount", decant.KindDecimal), col("meta", decant.KindJSON), col("visits", decant.KindInt),
	},
	"tt":  {col("id", decant.KindText), col("dose", decant.KindText), col("form_table", decant.KindText)},
	"anc": {col("id", decant.KindText), col("dose", decant.KindText), col("form_table", decant.KindText)},
	"people": {
		col("id", decant.KindText), col("first_name", decant.KindText), col("last_name", decant.KindText),
		col("date_of_birth", decant.KindDate), col("weight", decant.KindDecimal),
	},
	"children": {
		col("form_id", decant.KindText), col("position", decant.KindInt), col("name", decant.KindText),
		col("sub_form", decant.KindText), col("parent_name", decant.KindText), col("weight", decant.KindDecimal),
	},
	"boys":  {col("form_id", decant.KindText), col("name", decant.KindText)},
	"girls": {col("form_id", decant.KindText), col("name", decant.KindText)},
}

func mustMapper(t testing.TB, spec transform.Spec) *transform.Mapper {
	t.Helper()
	m, err := transform.NewMapper(spec, formTables)
	if err != nil {
		t.Fatalf("NewMapper: %v", err)
	}
	return m
}

func rec(key, raw string) decant.Record {
	return decant.Record{Key: key, Raw: []byte(raw), Where: "forms.jsonl:3"}
}

// Ensure a fixed-table step maps and coerces every column to the target's
// kinds, in map order.
func TestMapper_MapFixedTable(t *testing.T) {
	m := mustMapper(t, transform.Spec{
		Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Default: transform.Coercion{Zone: time.UTC},
		Map: exprs(t, false, nil,
			"id", "record.id",
			"name", "upper(record.name)",
			"opened", "record.opened",
			"amount", "record.amount",
			"meta", "record.meta",
			"visits", "record.visits"),
	})
	out, f := m.Map(rec("f1", `{"id":"f1","name":"asha","opened":"2024-03-10T10:00:00+05:30","amount":"12.30","meta":{"b":[1,2],"a":null},"visits":"3"}`), "default")
	if f != nil {
		t.Fatalf("Map: %v", f)
	}
	want := transform.Output{ParentKey: "f1", Rows: []transform.Row{{
		Table: "forms",
		Cols:  []string{"id", "name", "opened", "amount", "meta", "visits"},
		Vals: []any{"f1", "ASHA", time.Date(2024, 3, 10, 4, 30, 0, 0, time.UTC), decant.Decimal("12.30"),
			decant.JSON(`{"a":null,"b":[1,2]}`), int64(3)},
	}}}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("Map (-want +got):\n%s", diff)
	}
	if got := m.Tables(); !cmp.Equal(got, []string{"forms"}) {
		t.Errorf("Tables() = %q", got)
	}
}

// Ensure the variables key, scope, step and table hold what the doc says.
func TestMapper_MapVariables(t *testing.T) {
	m := mustMapper(t, transform.Spec{
		Step: "visits", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Map: exprs(t, false, nil, "id", "key", "name", `scope + "/" + step + "/" + table`),
	})
	out, f := m.Map(rec("k9", `{}`), "tenant-a")
	if f != nil {
		t.Fatal(f)
	}
	if diff := cmp.Diff([]any{"k9", "tenant-a/visits/forms"}, out.Rows[0].Vals); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}

// Ensure scope and table are those of each record when they change from
// one record to the next: the mapper keeps the last ones as interfaces,
// and a stale one would put the previous record's scope or table in a row.
func TestMapper_MapVariablesChange(t *testing.T) {
	spec := routeSpec(t)
	spec.Map = exprs(t, false, nil, "id", "record.id", "dose", `scope + "/" + step`, "form_table", "table")
	m := mustMapper(t, spec)
	for i, c := range []struct{ scope, form, table string }{
		{"a", "tt", "tt"}, {"a", "anc", "anc"}, {"b", "anc", "anc"}, {"b", "tt_1", "tt"}, {"a", "tt", "tt"},
	} {
		out, f := m.Map(rec("1", `{"id":"1","formName":"`+c.form+`"}`), c.scope)
		if f != nil {
			t.Fatal(f)
		}
		want := []any{"1", c.scope + "/forms", c.table}
		if diff := cmp.Diff(want, out.Rows[0].Vals); diff != "" {
			t.Errorf("record %d (scope %s, form %s): values (-want +got):\n%s", i, c.scope, c.form, diff)
		}
	}
}

// Ensure each record's values are coerced to the columns of the table
// its route picks, when the tables give the same column other types: the
// mapper looks the coercions of its map up once per table.
func TestMapper_MapRouteCoercesPerTable(t *testing.T) {
	tables := map[string][]decant.Column{
		"counts": {col("id", decant.KindText), col("n", decant.KindInt)},
		"notes":  {col("id", decant.KindText), col("n", decant.KindText)},
	}
	spec := transform.Spec{
		Step: "s", Key: []string{"id"},
		To: transform.Route{
			By:     compile(t, "record.kind", false, nil),
			Tables: map[string]string{"counts": "counts", "notes": "notes"},
			Label:  "kind",
		},
		Map: exprs(t, false, nil, "id", "record.id", "n", "record.n"),
	}
	m, err := transform.NewMapper(spec, tables)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		kind string
		want any
	}{{"counts", int64(7)}, {"notes", "7"}, {"counts", int64(7)}} {
		out, f := m.Clone().Map(rec("1", `{"id":"1","kind":"`+c.kind+`","n":"7"}`), "default")
		if f != nil {
			t.Fatal(f)
		}
		if got := out.Rows[0].Vals[1]; got != c.want {
			t.Errorf("%s: n = %#v, want %#v", c.kind, got, c.want)
		}
	}
}

func routeSpec(t testing.TB) transform.Spec {
	return transform.Spec{
		Step: "forms", Key: []string{"id"},
		To: transform.Route{
			By:     compile(t, "record.formName", false, nil),
			Tables: map[string]string{"tt": "tt", "tt_1": "tt", "tt_booster": "tt", "anc": "anc"},
			Label:  "form name",
		},
		Map: exprs(t, false, nil, "id", "record.id", "dose", "record.dose", "form_table", "table"),
	}
}

// Ensure a routed step sends each record to its table, aliases included, and
// an unknown value is a per-record failure naming it.
func TestMapper_MapRoute(t *testing.T) {
	m := mustMapper(t, routeSpec(t))
	for _, tt := range []struct {
		name, formName, table string
	}{
		{"TableName", "tt", "tt"},
		{"Alias", "tt_booster", "tt"},
		{"OtherTable", "anc", "anc"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, f := m.Map(rec("1", `{"id":"1","formName":"`+tt.formName+`","dose":"d"}`), "default")
			if f != nil {
				t.Fatal(f)
			}
			want := []transform.Row{{Table: tt.table, Cols: []string{"id", "dose", "form_table"}, Vals: []any{"1", "d", tt.table}}}
			if diff := cmp.Diff(want, out.Rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("Unknown", func(t *testing.T) {
		_, f := m.Map(rec("1", `{"id":"1","formName":"pnc_visit"}`), "default")
		want := &transform.Failure{
			Message: "unknown form name: pnc_visit",
			Detail:  `route record.formName gave "pnc_visit", which is none of: anc, tt, tt_1, tt_booster`,
		}
		if diff := cmp.Diff(want, f); diff != "" {
			t.Errorf("failure (-want +got):\n%s", diff)
		}
	})
	t.Run("NumberValue", func(t *testing.T) {
		_, f := m.Map(rec("1", `{"id":"1","formName":7}`), "default")
		if f == nil || f.Message != "unknown form name: 7" {
			t.Errorf("failure = %v, want unknown form name: 7", f)
		}
	})
	if got := m.Tables(); !cmp.Equal(got, []string{"anc", "tt"}) {
		t.Errorf("Tables() = %q, want [anc tt]", got)
	}
}

// Ensure a record that lacks the routed field gets a readable message.
//
// Fails as of this writing: Mapper.route (transform/mapper.go) formats the
// nil value with toText, which gives Go's "<nil>", so the error store shows
// "unknown form name: <nil>".
func TestMapper_MapRouteMissing(t *testing.T) {
	m := mustMapper(t, routeSpec(t))
	_, f := m.Map(rec("1", `{"id":"1"}`), "default")
	if f == nil || !strings.HasPrefix(f.Message, "unknown form name") || strings.Contains(f.Message, "<nil>") {
		t.Errorf("failure = %v, want an \"unknown form name\" message without <nil>", f)
	}
}

// Ensure records that cannot be mapped at all fail with a friendly message
// and a detail that says where.
func TestMapper_MapBadRecords(t *testing.T) {
	m := mustMapper(t, transform.Spec{
		Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Map: exprs(t, false, nil, "id", "record.id"),
	})
	for _, tt := range []struct {
		name       string
		rec        decant.Record
		msg        string
		detailPart string
	}{
		{"InvalidJSON", rec("1", `{"id":"1"`), "record is not valid JSON", "forms.jsonl:3: unexpected EOF"},
		{"TrailingData", rec("1", `{"id":"1"} {}`), "record is not valid JSON", "forms.jsonl:3: unexpected data after the JSON value"},
		{"NoKey", rec("", `{"id":"1"}`), "record has no key", "forms.jsonl:3: the key is missing or empty"},
		{"KeyColumnNull", rec("1", `{"id":null}`), "key column id is empty", "forms.jsonl:3: table forms: key column id mapped to null"},
		{"KeyColumnMissing", rec("1", `{}`), "key column id is empty", "key column id mapped to null"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, f := m.Map(tt.rec, "default")
			if f == nil {
				t.Fatalf("Map = %+v, want a failure", out)
			}
			if f.Message != tt.msg || !strings.Contains(f.Detail, tt.detailPart) {
				t.Errorf("failure = %q / %q, want %q / ...%q...", f.Message, f.Detail, tt.msg, tt.detailPart)
			}
			if len(out.Rows) != 0 {
				t.Errorf("a failed record produced rows: %+v", out.Rows)
			}
		})
	}
}

// Ensure lets are evaluated in order, each seeing the ones before it.
func TestMapper_MapLetChain(t *testing.T) {
	lets := []string{"form", "f", "visits"}
	spec := transform.Spec{
		Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Let: exprs(t, false, nil,
			"form", "json_decode(record.formInstance)",
			"f", "fields(form.form.fields)",
			"visits", "len(form.form.fields) + 1"),
		Map: []transform.Named{
			{Name: "id", Prog: compile(t, "record.id", false, nil)},
			{Name: "name", Prog: compile(t, "f.name", false, nil, lets...)},
			{Name: "visits", Prog: compile(t, "visits", false, nil, lets...)},
		},
	}
	m := mustMapper(t, spec)
	out, f := m.Map(rec("1", `{"id":"1","formInstance":"{\"form\":{\"fields\":[{\"name\":\"name\",\"value\":\"Asha\"},{\"name\":\"x\",\"value\":1}]}}"}`), "default")
	if f != nil {
		t.Fatal(f)
	}
	if diff := cmp.Diff([]any{"1", "Asha", int64(3)}, out.Rows[0].Vals); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}

	// A let that fails names itself.
	_, f = m.Map(rec("2", `{"id":"2","formInstance":"not json"}`), "default")
	if f == nil || f.Message != "cannot compute form: invalid character 'o' in literal null (expecting 'u') after offset 1" || !strings.Contains(f.Detail, "let form = json_decode(record.formInstance): invalid character") {
		t.Errorf("failure = %v, want cannot compute form", f)
	}
}

// Ensure fields maps snake_case names to the table's existing columns only,
// the explicit map wins, and values are coerced.
func TestMapper_MapFields(t *testing.T) {
	m := mustMapper(t, transform.Spec{
		Step: "people", Key: []string{"id"}, To: transform.Route{Table: "people"},
		Default: transform.Coercion{Zone: time.UTC, NullIf: drishtiNulls},
		Map:     exprs(t, false, nil, "id", "record.id", "last_name", `"explicit"`),
		Fields:  compile(t, "record.data", false, nil),
	})
	out, f := m.Map(rec("p1", `{"id":"p1","data":{"firstName":"Asha","LastName":"Rao","date-of-birth":"1990-05-01",
		"weight":"NaN","unknownThing":"x","id":"ignored"}}`), "default")
	if f != nil {
		t.Fatal(f)
	}
	// Explicit columns first, then fields in the sorted order of their
	// names: date-of-birth, firstName, weight (LastName and id are mapped
	// already, unknownThing has no column).
	want := []transform.Row{{
		Table: "people",
		Cols:  []string{"id", "last_name", "date_of_birth", "first_name", "weight"},
		Vals:  []any{"p1", "explicit", time.Date(1990, 5, 1, 0, 0, 0, 0, time.UTC), "Asha", nil},
	}}
	if diff := cmp.Diff(want, out.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}

	// fields that are not a map fail the record; null maps nothing.
	m = mustMapper(t, transform.Spec{
		Step: "people", Key: []string{"id"}, To: transform.Route{Table: "people"},
		Fields: compile(t, "record.data", false, nil),
	})
	_, f = m.Map(rec("p1", `{"data":["id"]}`), "default")
	if f == nil || f.Message != "cannot compute fields" || !strings.Contains(f.Detail, "fields record.data gave []interface {}, want a map") {
		t.Errorf("failure = %v, want cannot compute fields", f)
	}
	out, f = m.Map(rec("p1", `{"data":{"id":"p1"}}`), "default")
	if f != nil || !cmp.Equal(out.Rows[0].Cols, []string{"id"}) {
		t.Errorf("fields-only mapping = %+v, %v", out, f)
	}
	_, f = m.Map(rec("p1", `{"data":null}`), "default")
	if f == nil || f.Message != "key column id is empty" {
		t.Errorf("null fields: failure = %v, want key column id is empty", f)
	}
}

// Ensure the rows of records whose fields add other columns keep their
// own columns: rows share the map's column names, and an append to one
// row's columns must not show in another's.
func TestMapper_MapFieldsRowsKeepTheirColumns(t *testing.T) {
	m := mustMapper(t, transform.Spec{
		Step: "people", Key: []string{"id"}, To: transform.Route{Table: "people"},
		Map:    exprs(t, false, nil, "id", "record.id"),
		Fields: compile(t, "record.data", false, nil),
	})
	var outs []transform.Output
	for _, doc := range []string{`{"id":"a","data":{"firstName":"A"}}`, `{"id":"b","data":{"lastName":"B"}}`, `{"id":"c"}`} {
		out, f := m.Map(rec("k", doc), "default")
		if f != nil {
			t.Fatal(f)
		}
		outs = append(outs, out)
	}
	want := [][]string{{"id", "first_name"}, {"id", "last_name"}, {"id"}}
	for i, out := range outs {
		if diff := cmp.Diff(want[i], out.Rows[0].Cols); diff != "" {
			t.Errorf("record %d: columns (-want +got):\n%s", i, diff)
		}
	}
}

// Ensure a value that does not fit its column fails the record, naming the
// column, and explicit coercions override the column's own kind.
func TestMapper_MapCoercion(t *testing.T) {
	kolkata := mustZone(t, "Asia/Kolkata")
	spec := transform.Spec{
		Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Default: transform.Coercion{Zone: kolkata, NullIf: drishtiNulls},
		Map:     exprs(t, false, nil, "id", "record.id", "opened", "record.opened", "amount", "record.amount", "name", "record.name"),
		Columns: map[string]transform.Coercion{
			"opened": {Layouts: []string{"unix_ms"}},
			"name":   {NullIf: []string{"-"}},
		},
	}
	m := mustMapper(t, spec)

	out, f := m.Map(rec("1", `{"id":"1","opened":"1395689767509","amount":"","name":""}`), "default")
	if f != nil {
		t.Fatal(f)
	}
	// opened takes its kind from the table and its layout from columns;
	// name has its own null_if, which replaces the step's.
	if diff := cmp.Diff([]any{"1", time.UnixMilli(1395689767509), nil, ""}, out.Rows[0].Vals); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}

	_, f = m.Map(rec("1", `{"id":"1","opened":"1395689767509","amount":"12,50"}`), "default")
	want := &transform.Failure{
		Message: "invalid value for amount",
		Detail:  `table forms: column amount: cannot convert "12,50" to decimal: not a decimal number`,
	}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("failure (-want +got):\n%s", diff)
	}

	// Without a type or layout, a naive timestamp is read in the step's zone.
	spec.Columns = nil
	m = mustMapper(t, spec)
	out, f = m.Map(rec("1", `{"id":"1","opened":"2024-03-10 10:00:00"}`), "default")
	if f != nil {
		t.Fatal(f)
	}
	if got := out.Rows[0].Vals[1].(time.Time); !got.Equal(time.Date(2024, 3, 10, 4, 30, 0, 0, time.UTC)) {
		t.Errorf("opened = %v, want 04:30 UTC", got.UTC())
	}
}

// Ensure a failing expression names its column, and a panicking custom
// function becomes a per-record failure instead of crashing the run.
func TestMapper_MapExpressionFailures(t *testing.T) {
	funcs := transform.NewFuncs()
	if err := funcs.Register("explode", func(args ...any) (any, error) { panic("kaboom") }); err != nil {
		t.Fatal(err)
	}
	if err := funcs.Register("refuse", func(args ...any) (any, error) { return nil, errString("no thanks") }); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, expr, msg, detail string
	}{
		{"Panic", "explode(record.id)", "cannot compute column name: kaboom", "kaboom"},
		{"Error", "refuse(record.id)", "cannot compute column name: no thanks", "table forms, column name = refuse(record.id): no thanks (at line 1, column 1 of the expression)"},
		{"NilMember", "record.nope.x", "cannot compute column name: cannot fetch x from <nil>", "cannot fetch x from <nil> (at line 1, column 13 of the expression)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := mustMapper(t, transform.Spec{
				Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
				Map: exprs(t, false, funcs, "id", "record.id", "name", tt.expr),
			})
			_, f := m.Map(rec("1", `{"id":"1"}`), "default")
			if f == nil || f.Message != tt.msg || !strings.Contains(f.Detail, tt.detail) {
				t.Fatalf("failure = %v, want %q with %q", f, tt.msg, tt.detail)
			}
			// The mapper is still usable afterwards.
			if _, f := mustMapper(t, transform.Spec{
				Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
				Map: exprs(t, false, funcs, "id", "record.id"),
			}).Map(rec("2", `{"id":"2"}`), "default"); f != nil {
				t.Errorf("next record: %v", f)
			}
		})
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func childSpec(t testing.TB) transform.Spec {
	return transform.Spec{
		Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Default: transform.Coercion{Zone: time.UTC, NullIf: drishtiNulls},
		Let:     exprs(t, false, nil, "form", "json_decode(record.formInstance)"),
		Map: []transform.Named{
			{Name: "id", Prog: compile(t, "record.id", false, nil)},
			{Name: "name", Prog: compile(t, "form.name", false, nil, "form")},
		},
		Children: []transform.ChildSpec{{
			Name:      "instances",
			From:      compile(t, `unnest(form.sub_forms, "instances")`, true, nil, "form"),
			To:        transform.Route{Table: "children"},
			ParentKey: "form_id",
			Map: []transform.Named{
				{Name: "position", Prog: compile(t, "index + 1", true, nil, "form")},
				{Name: "sub_form", Prog: compile(t, "item._parent.name", true, nil, "form")},
				{Name: "parent_name", Prog: compile(t, "parent.name", true, nil, "form")},
			},
			Fields: compile(t, `without(item, "_parent")`, true, nil, "form"),
		}},
	}
}

// Ensure children become rows of the child table with the parent's key, in
// order, with item, index and parent set, and are replaced by parent.
func TestMapper_MapChildren(t *testing.T) {
	m := mustMapper(t, childSpec(t))
	raw := `{"id":"F1","formInstance":"{\"name\":\"Delivery\",\"sub_forms\":[{\"name\":\"child_registration\",\"instances\":[{\"name\":\"Ravi\",\"weight\":\"3.20\"},{\"name\":\"Uma\",\"weight\":\"NaN\"}]}]}"}`
	out, f := m.Map(rec("F1", raw), "default")
	if f != nil {
		t.Fatal(f)
	}
	childCols := []string{"position", "sub_form", "parent_name", "name", "weight", "form_id"}
	want := transform.Output{ParentKey: "F1", Rows: []transform.Row{
		{Table: "forms", Cols: []string{"id", "name"}, Vals: []any{"F1", "Delivery"}},
		{Table: "children", Cols: childCols, Vals: []any{int64(1), "child_registration", "Delivery", "Ravi", decant.Decimal("3.20"), "F1"}, ReplaceBy: "form_id"},
		{Table: "children", Cols: childCols, Vals: []any{int64(2), "child_registration", "Delivery", "Uma", nil, "F1"}, ReplaceBy: "form_id"},
	}}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("Map (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]transform.ChildTable{{Table: "children", ParentKey: "form_id"}}, m.ChildTables()); diff != "" {
		t.Errorf("ChildTables (-want +got):\n%s", diff)
	}

	// No items: the parent row alone (the store still clears its old children).
	out, f = m.Map(rec("F2", `{"id":"F2","formInstance":"{\"name\":\"Empty\"}"}`), "default")
	if f != nil {
		t.Fatal(f)
	}
	if len(out.Rows) != 1 || out.ParentKey != "F2" {
		t.Errorf("Map = %+v, want only the parent row", out)
	}

	// A bad child value fails the whole record and says which item.
	_, f = m.Map(rec("F3", `{"id":"F3","formInstance":"{\"sub_forms\":[{\"name\":\"s\",\"instances\":[{\"weight\":\"1\"},{\"weight\":\"heavy\"}]}]}"}`), "default")
	if f == nil || f.Message != "invalid value for weight" || !strings.HasPrefix(f.Detail, "children instances item 1: table children: column weight") {
		t.Errorf("failure = %v", f)
	}
}

// Ensure children routed by their own value go to their tables, and a list
// that is not a list fails.
func TestMapper_MapChildrenRouteAndErrors(t *testing.T) {
	spec := transform.Spec{
		Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Map: exprs(t, false, nil, "id", "record.id"),
		Children: []transform.ChildSpec{{
			Name: "kids", From: compile(t, "record.kids", true, nil),
			To:        transform.Route{By: compile(t, "item.sex", true, nil), Tables: map[string]string{"m": "boys", "f": "girls"}, Label: "sex"},
			ParentKey: "form_id", Map: exprs(t, true, nil, "name", "item.name"),
		}},
	}
	m := mustMapper(t, spec)
	out, f := m.Map(rec("1", `{"id":"1","kids":[{"sex":"f","name":"Uma"},{"sex":"m","name":"Ravi"}]}`), "default")
	if f != nil {
		t.Fatal(f)
	}
	var got []string
	for _, r := range out.Rows[1:] {
		got = append(got, r.Table+":"+r.Vals[0].(string))
	}
	if diff := cmp.Diff([]string{"girls:Uma", "boys:Ravi"}, got); diff != "" {
		t.Errorf("child tables (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]transform.ChildTable{{"boys", "form_id"}, {"girls", "form_id"}}, m.ChildTables()); diff != "" {
		t.Errorf("ChildTables (-want +got):\n%s", diff)
	}
	_, f = m.Map(rec("1", `{"id":"1","kids":[{"sex":"x"}]}`), "default")
	if f == nil || f.Message != "unknown sex: x" {
		t.Errorf("failure = %v, want unknown sex: x", f)
	}
	_, f = m.Map(rec("1", `{"id":"1","kids":{"a":1}}`), "default")
	if f == nil || f.Message != "cannot compute children kids" || !strings.Contains(f.Detail, "want a list") {
		t.Errorf("failure = %v, want cannot compute children kids", f)
	}
}

// Ensure a child row holds its parent key column once, even when the item
// itself has a field of that name.
//
// Fails as of this writing: Mapper.children (transform/mapper.go) appends
// ParentKey to every child row unconditionally, so with `fields: item` and
// an item holding form_id the row has the column twice (an INSERT the
// database rejects). Same with `map: {form_id: ...}` in a child.
func TestMapper_MapChildParentKeyOnce(t *testing.T) {
	spec := transform.Spec{
		Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Map: exprs(t, false, nil, "id", "record.id"),
		Children: []transform.ChildSpec{{
			Name: "kids", From: compile(t, "record.kids", true, nil),
			To: transform.Route{Table: "boys"}, ParentKey: "form_id",
			Fields: compile(t, "item", true, nil),
		}},
	}
	m := mustMapper(t, spec)
	out, f := m.Map(rec("1", `{"id":"1","kids":[{"name":"Ravi","formId":"stale"}]}`), "default")
	if f != nil {
		t.Fatal(f)
	}
	row := out.Rows[1]
	n := 0
	for i, c := range row.Cols {
		if c == "form_id" {
			n++
			if row.Vals[i] != "1" {
				t.Errorf("form_id = %#v, want the parent key \"1\"", row.Vals[i])
			}
		}
	}
	if n != 1 {
		t.Errorf("child row columns = %q, want form_id once", row.Cols)
	}
}

// Ensure a clone maps like the original with its own environment.
func TestMapper_Clone(t *testing.T) {
	m := mustMapper(t, childSpec(t))
	c := m.Clone()
	raw := `{"id":"F1","formInstance":"{\"name\":\"D\",\"sub_forms\":[{\"name\":\"s\",\"instances\":[{\"name\":\"Ravi\"}]}]}"}`
	a, f1 := m.Map(rec("F1", raw), "default")
	b, f2 := c.Map(rec("F1", raw), "default")
	if f1 != nil || f2 != nil {
		t.Fatal(f1, f2)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("clone differs (-orig +clone):\n%s", diff)
	}
}

// Ensure NewMapper refuses a spec that Check finds problems in.
func TestNewMapper_CheckFails(t *testing.T) {
	_, err := transform.NewMapper(transform.Spec{
		Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "nope"},
		Map: exprs(t, false, nil, "id", "record.id"),
	}, formTables)
	if err == nil || err.Error() != "step forms: table nope does not exist in the target" {
		t.Errorf("NewMapper = %v", err)
	}
}

// BenchmarkMapper_Map maps a flat record of six columns with an explicit
// map: a key, two texts, a timestamp, a decimal and a JSON object.
func BenchmarkMapper_Map(b *testing.B) {
	tables := map[string][]decant.Column{"visits": {
		col("id", decant.KindInt), col("name", decant.KindText), col("village", decant.KindText),
		col("visited_at", decant.KindTimestamp), col("amount", decant.KindDecimal), col("meta", decant.KindJSON),
	}}
	spec := transform.Spec{
		Step: "visits", Key: []string{"id"}, To: transform.Route{Table: "visits"},
		Default: transform.Coercion{Zone: time.UTC, NullIf: drishtiNulls},
		Map: exprs(b, false, nil,
			"id", "record.id", "name", "record.name", "village", "record.village",
			"visited_at", "record.visited_at", "amount", "record.amount", "meta", "record.meta"),
	}
	m, err := transform.NewMapper(spec, tables)
	if err != nil {
		b.Fatal(err)
	}
	r := decant.Record{Key: "12345", Where: "bench", Raw: []byte(`{"id":12345,"name":"Asha Rao","village":"Hosur",` +
		`"visited_at":"2024-03-10T10:00:00+05:30","amount":"1250.75","meta":{"source":"app","version":3,"tags":["anc","tt"]}}`)}
	if _, f := m.Map(r, "default"); f != nil {
		b.Fatal(f)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(r.Raw)))
	for b.Loop() {
		if _, f := m.Map(r, "default"); f != nil {
			b.Fatal(f)
		}
	}
}
