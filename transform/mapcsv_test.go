package transform_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// fieldsDoc is a row of fields as the CSV source gives it
// (decant.RowDocument).
type fieldsDoc struct{ columns, fields []string }

func (d fieldsDoc) Columns() []string { return d.columns }
func (d fieldsDoc) Fields() []string  { return d.fields }
func (d fieldsDoc) Value() any {
	m := map[string]any{}
	for i, c := range d.columns {
		m[c] = d.fields[i]
	}
	return m
}

// fieldsDocs are JSON documents for the decoded field: what AppendCanonical
// writes, what it gives up on, what DecodeJSON refuses, names that repeat
// and what is not an object or an array.
var fieldsDocs = []string{
	`{"b":{"d":[1,{"y":2,"x":1}],"c":null},"a":[],"":{}}`,
	`{"s":"\u00e9\ud83d\ude00\u2028","\u0041":"\/"}`,
	`[1.0,1e3,-0,-0.0,0.1,1E-7,1e21,123456789012345678901234567890]`,
	" [ {\"b\" : 2 , \"a\" : 1} ] ",
	`{"a":1,"a":2}`, `{"x":{"k":1,"k":[2]}}`,
	`{"a":"\ud800"}`, `{"a":1}x`, `{"a":`, `{'a':1}`,
	strings.Repeat("[", 200) + strings.Repeat("]", 200),
	`"x"`, `""`, `"NULL"`, `5`, `null`, `true`, ``, `x`,
}

// rowSpecs are steps whose map MapRow reads from the fields, and steps
// it must not: a json_decode a Go program replaced, a field the header
// lacks, NullIf values, a JSON column taking its field as text, and a
// decoded field into a text column.
func rowSpecs(t *testing.T) map[string]transform.Spec {
	custom := transform.NewFuncs()
	if err := custom.Register("json_decode", func(args ...any) (any, error) { return map[string]any{"custom": true}, nil }); err != nil {
		t.Fatal(err)
	}
	kinds := func(name string, funcs *transform.Funcs, j string, def transform.Coercion) transform.Spec {
		return transform.Spec{Step: name, Key: []string{"id"}, To: transform.Route{Table: "kinds"}, Default: def,
			Map: exprs(t, false, funcs, "id", "record.id", "name", "record.name", "f", "record.f", "d", "record.d",
				"b", "record.b", "j", j, "ts", "record.ts", "day", "record.day", "m", "record.m")}
	}
	nullIf := transform.Coercion{NullIf: []string{"", "NULL", "x"}}
	return map[string]transform.Spec{
		"decoded":  kinds("decoded", nil, "json_decode(record.j)", transform.Coercion{}),
		"piped":    kinds("piped", nil, "record.j | json_decode()", transform.Coercion{}),
		"null_if":  kinds("null_if", nil, "json_decode(record.j)", nullIf),
		"text":     kinds("text", nil, "record.j", transform.Coercion{}),
		"custom":   kinds("custom", custom, "json_decode(record.j)", transform.Coercion{}),
		"missing":  kinds("missing", nil, "json_decode(record.nope)", transform.Coercion{}),
		"to_text":  {Step: "to_text", Key: []string{"id"}, To: transform.Route{Table: "kinds"}, Map: exprs(t, false, nil, "id", "record.id", "m", "json_decode(record.j)")},
		"computed": kinds("computed", nil, `json_decode(record.j + "")`, transform.Coercion{}),
		"marked": {Step: "marked", Key: []string{"id"}, To: transform.Route{Table: "kinds"},
			Map:      exprs(t, false, nil, "id", "record.id", "j", "json_decode(record.j)"),
			OnDelete: transform.OnDelete{Action: transform.OnDeleteMark, Mark: "deleted"}},
	}
}

// Ensure MapRow (and Map, which verify uses) maps a row of fields as
// MapValue maps the object of them (rows, values, Go types, failures) and
// writes AppendJSON of that object, on every step and field above, with
// ids, times, decimals and booleans that coerce and that do not, and a
// row without a key.
func TestMapRowIsMapValue(t *testing.T) {
	t.Parallel()
	cols := []string{"m", "id", "name", "f", "d", "b", "j", "ts", "day"}
	ids := []string{"1", "x", " 7 ", "300", "", "-12"}
	times := []string{"2024-01-01T00:00:00Z", "bad", "", "2024-02-29 12:00:00.5"}
	for name, spec := range rowSpecs(t) {
		m := rowMapper(t, spec)
		for i, doc := range fieldsDocs {
			d := fieldsDoc{columns: cols, fields: []string{"é \" \\ \t\u2028", ids[i%len(ids)], "NULL", "1.5", []string{"1.50", "x", " 2 "}[i%3],
				[]string{"true", "nope"}[i%2], doc, times[i%len(times)], "2024-03-04", ""}[:len(cols)]}
			d.fields = append(d.fields[:0:0], d.fields...)
			d.fields[0] = []string{"é \" \\ \t\u2028", "plain", ""}[i%3]
			rec := decant.Record{Key: d.fields[1], Doc: d, Where: "f.csv:3"}
			checkMapRow(t, name, m, rec, d)
		}
	}
}

// checkMapRow asserts that MapRow, and Map, give what the map path gives
// for rec.
func checkMapRow(t *testing.T, name string, m *transform.Mapper, rec decant.Record, d fieldsDoc) {
	t.Helper()
	want, wantFail := m.MapValue(rec, d.Value(), "s")
	canon, got, gotFail, ok := m.MapRow(rec, d, "s", []byte("p:"))
	if !ok {
		t.Fatalf("%s: MapRow(%q) gave up", name, d.fields)
	}
	if !reflect.DeepEqual(gotFail, wantFail) || !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: MapRow(%q) = %#v, %v; the map path gives %#v, %v", name, d.fields, got, gotFail, want, wantFail)
	}
	if got, gotFail := m.Map(rec, "s"); !reflect.DeepEqual(gotFail, wantFail) || !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: Map(%q) = %#v, %v; the map path gives %#v, %v", name, d.fields, got, gotFail, want, wantFail)
	}
	text, err := transform.AppendJSON([]byte("p:"), d.Value())
	if err != nil || string(canon) != string(text) {
		t.Fatalf("%s: MapRow(%q) wrote %s, AppendJSON writes %s (%v)", name, d.fields, canon, text, err)
	}
}

// Ensure MapRow gives up, leaving its buffer as it was, on a row whose
// object AppendJSON would not write (a field that is not UTF-8), and on
// a header that names a column twice (whose object has fewer members);
// and that it notices a new header.
func TestMapRowGivesUp(t *testing.T) {
	t.Parallel()
	m := rowMapper(t, rowSpecs(t)["decoded"])
	for _, d := range []fieldsDoc{
		{columns: []string{"id", "j"}, fields: []string{"1", "bad \xff"}},
		{columns: []string{"id", "j", "id"}, fields: []string{"1", "{}", "2"}},
	} {
		canon, _, _, ok := m.MapRow(decant.Record{Key: "1", Doc: d}, d, "s", []byte("p:"))
		if ok || string(canon) != "p:" {
			t.Errorf("MapRow(%q, %q) = %q, %v; want to give up", d.columns, d.fields, canon, ok)
		}
	}
	// Another header, of the same length: the fields are read by the new names.
	for _, cols := range [][]string{{"id", "j"}, {"j", "id"}} {
		d := fieldsDoc{columns: cols, fields: []string{"1", "2"}}
		rec := decant.Record{Key: "1", Doc: d}
		checkMapRow(t, strings.Join(cols, ","), m, rec, d)
	}
}

func rowMapper(t *testing.T, spec transform.Spec) *transform.Mapper {
	t.Helper()
	m, err := transform.NewMapper(spec, fastTables)
	if err != nil {
		t.Fatalf("NewMapper: %v", err)
	}
	return m
}

// Ensure a row's fields that no expression reads are reported by MapRow
// (and Map) as by the map path, once the header is known, and fail the
// row under unmapped: error.
func TestMapRowReportsUnmapped(t *testing.T) {
	t.Parallel()
	d := fieldsDoc{columns: []string{"id", "j", "note", "extra"}, fields: []string{"1", "{}", "n", ""}}
	rec := decant.Record{Key: "1", Doc: d, Where: "f.csv:2"}
	for _, mode := range []transform.UnmappedMode{transform.UnmappedWarn, transform.UnmappedError} {
		spec := transform.Spec{Step: "s", Key: []string{"id"}, To: transform.Route{Table: "kinds"}, Unmapped: mode,
			Map: exprs(t, false, nil, "id", "record.id", "j", "json_decode(record.j)")}
		m := rowMapper(t, spec)
		checkMapRow(t, string(mode), m, rec, d)
		_, out, f, _ := m.MapRow(rec, d, "s", nil)
		switch mode {
		case transform.UnmappedWarn:
			// extra is empty: nothing is lost.
			if len(out.Unmapped) != 1 || out.Unmapped[0] != (transform.UnmappedField{Table: "kinds", Path: "record.note", Example: `"n"`}) {
				t.Errorf("warn: unmapped = %+v", out.Unmapped)
			}
		case transform.UnmappedError:
			if f == nil || f.Message != "fields reach no column" {
				t.Errorf("error: failure = %v", f)
			}
		}
	}
}
