package transform_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/transform"
)

// unmappedOf maps raw with m by every path a record can take (the JSON
// text, decoding, the canonical pass) and returns the report, failing the
// test when the paths disagree.
func unmappedOf(t *testing.T, m *transform.Mapper, raw string) ([]transform.UnmappedField, *transform.Failure) {
	t.Helper()
	r := rec("F1", raw)
	out, f := m.Map(r, "s")
	dec, df := m.MapDecoded(r, "s")
	if diff := cmp.Diff(out.Unmapped, dec.Unmapped); diff != "" || !cmp.Equal(f, df) {
		t.Fatalf("Map and decoding disagree on %s (-map +decoded):\n%s\n%v / %v", raw, diff, f, df)
	}
	var c transform.Canonicalizer
	if _, co, cf, ok := m.MapCanonical(r, "s", &c, nil); ok {
		if diff := cmp.Diff(out.Unmapped, co.Unmapped); diff != "" || !cmp.Equal(f, cf) {
			t.Fatalf("Map and MapCanonical disagree on %s (-map +canonical):\n%s\n%v / %v", raw, diff, f, cf)
		}
	}
	return out.Unmapped, f
}

func paths(fields []transform.UnmappedField) []string {
	var out []string
	for _, f := range fields {
		out = append(out, f.Table+":"+f.Path)
	}
	return out
}

// Ensure a member no expression reads is reported, with its path from the
// record and an example, whichever way the record is mapped; members under
// a chain the plan reads whole are not, nor a null or an empty string,
// which carry nothing.
func TestUnmapped_RecordMembers(t *testing.T) {
	spec := transform.Spec{Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"}, SourceKey: "key",
		Map: exprs(t, false, nil, "id", "record.id", "name", "record.person.name", "meta", "record.meta")}
	m := mustMapper(t, spec)
	raw := `{"id":"F1","key":"k","person":{"name":"Asha","age":31,"tags":["a"]},"meta":{"x":{"y":1}},"extra":"s\u00e9","n":null,"e":""}`
	got, f := unmappedOf(t, m, raw)
	if f != nil {
		t.Fatal(f)
	}
	want := []transform.UnmappedField{
		{Table: "forms", Path: "record.extra", Example: `"sé"`},
		{Table: "forms", Path: "record.person.age", Example: "31"},
		{Table: "forms", Path: "record.person.tags", Example: `["a"]`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unmapped (-want +got):\n%s", diff)
	}
	// A record the plan reads all of reports nothing, and no slice.
	if got, _ := unmappedOf(t, m, `{"id":"F1","person":{"name":"A"},"meta":1}`); got != nil {
		t.Errorf("a fully read record reported %v", got)
	}
}

// Ensure what counts as read follows the expressions' syntax: an optional
// chain and an index by a constant name read that member, a computed index
// or a use of the whole variable reads it all, a let's chain counts though
// no column uses the let.
func TestUnmapped_WhatAnExpressionReads(t *testing.T) {
	raw := `{"id":"F1","form":{"@name":"anc","case":{"@id":"c"},"other":1},"a":{"b":1},"z":2}`
	for _, tc := range []struct {
		name string
		let  []string
		src  string
		want []string
	}{
		{"optional chain", nil, `record.form?.["@name"] ?? record.form?.case?.["@id"]`,
			[]string{"forms:record.a", "forms:record.form.other", "forms:record.z"}},
		{"computed index", nil, `record[record.id]`, nil},
		{"whole", nil, `to_json(record)`, nil},
		{"let", []string{"x", "record.a"}, `record.form`, []string{"forms:record.z"}},
		{"index then member", nil, `record.a["b"]`, []string{"forms:record.form", "forms:record.z"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := transform.Spec{Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
				Let: exprs(t, false, nil, tc.let...),
				Map: []transform.Named{{Name: "id", Prog: compile(t, "record.id", false, nil)},
					{Name: "name", Prog: compile(t, "string("+tc.src+")", false, nil, "x")}}}
			got, f := unmappedOf(t, mustMapper(t, spec), raw)
			if f != nil {
				t.Fatal(f)
			}
			if diff := cmp.Diff(tc.want, paths(got)); diff != "" {
				t.Errorf("unmapped (-want +got):\n%s", diff)
			}
		})
	}
}

// Ensure an entry of a fields map that has no column is reported as
// fields.NAME, of the parent and of each child's table, once per record
// however many items carry it, with item members no child expression
// reads; an entry whose column exists (set by map or not) is not.
func TestUnmapped_FieldsAndChildren(t *testing.T) {
	spec := childSpec(t)
	spec.Fields = compile(t, `fields(form.fields)`, false, nil, "form")
	spec.Children[0].Fields = compile(t, `without(item, "_parent", "skip")`, true, nil, "form")
	m := mustMapper(t, spec)
	raw := `{"id":"F1","formInstance":"{\"name\":\"D\",\"fields\":[{\"name\":\"amount\",\"value\":\"1.5\"},{\"name\":\"ttDose\",\"value\":\"2\"},{\"name\":\"ttDose\",\"value\":\"3\"},{\"name\":\"noValue\"}],` +
		`\"sub_forms\":[{\"name\":\"c\",\"instances\":[{\"name\":\"R\",\"eyes\":\"b\",\"skip\":1},{\"name\":\"U\",\"eyes\":\"g\"}]}]}"}`
	got, f := unmappedOf(t, m, raw)
	if f != nil {
		t.Fatal(f)
	}
	want := []transform.UnmappedField{
		{Table: "children", Path: "fields.eyes", Example: `"b"`},
		{Table: "forms", Path: "fields.ttDose", Example: `"3"`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unmapped (-want +got):\n%s", diff)
	}

	// A child mapping item members one by one reports the others as item.X.
	spec = childSpec(t)
	spec.Children[0].Fields = nil
	spec.Children[0].Map = append(spec.Children[0].Map, exprs(t, true, nil, "name", "item.name")...)
	got, _ = unmappedOf(t, mustMapper(t, spec), raw)
	if diff := cmp.Diff([]string{"children:item._parent.instances", "children:item.eyes", "children:item.skip"}, paths(got)); diff != "" {
		t.Errorf("item members (-want +got):\n%s", diff)
	}
}

// Ensure unmapped: error makes a record with such fields a record error
// that names them and says how to fix it, and unmapped: ignore reports
// nothing.
func TestUnmapped_Modes(t *testing.T) {
	base := transform.Spec{Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Map: exprs(t, false, nil, "id", "record.id")}
	raw := `{"id":"F1","b":2,"a":"x"}`

	spec := base
	spec.Unmapped = transform.UnmappedError
	got, f := unmappedOf(t, mustMapper(t, spec), raw)
	if f == nil || got != nil {
		t.Fatalf("unmapped: error gave %v, %v; want a failure", got, f)
	}
	if f.Message != "fields reach no column" || !strings.Contains(f.Detail, `record.a (table forms, e.g. "x"); record.b (table forms, e.g. 2)`) ||
		!strings.Contains(f.Detail, "unmapped: error") {
		t.Errorf("failure = %+v", f)
	}
	if _, f := unmappedOf(t, mustMapper(t, spec), `{"id":"F1"}`); f != nil {
		t.Errorf("a record without unmapped fields failed: %v", f)
	}

	spec.Unmapped = transform.UnmappedIgnore
	if got, f := unmappedOf(t, mustMapper(t, spec), raw); got != nil || f != nil {
		t.Errorf("unmapped: ignore gave %v, %v", got, f)
	}
	if !slices.Contains(transform.UnmappedModes, transform.UnmappedWarn) {
		t.Error("UnmappedModes lacks warn")
	}
}

// Ensure a long example is cut at a character boundary.
func TestUnmapped_ExampleIsCut(t *testing.T) {
	m := mustMapper(t, transform.Spec{Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Map: exprs(t, false, nil, "id", "record.id")})
	long := strings.Repeat("é", 200)
	got, _ := unmappedOf(t, m, `{"id":"F1","long":"`+long+`"}`)
	if len(got) != 1 || len(got[0].Example) > transform.ExampleLimit+len("…") || !strings.HasPrefix(got[0].Example, `"éé`) || !strings.HasSuffix(got[0].Example, "…") {
		t.Errorf("example = %q", got)
	}
}

// Ensure the members the source reads itself (its cursor, its metadata)
// are not reported.
func TestUnmapped_SourceReads(t *testing.T) {
	spec := transform.Spec{Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Map: exprs(t, false, nil, "id", "record.id"), SourceReads: []string{"meta.version", "_rev"}}
	got, _ := unmappedOf(t, mustMapper(t, spec), `{"id":"F1","_rev":"1-a","meta":{"version":3,"by":"x"}}`)
	if diff := cmp.Diff([]string{"forms:record.meta.by"}, paths(got)); diff != "" {
		t.Errorf("unmapped (-want +got):\n%s", diff)
	}
}

// Ensure the review's cases: two fields entries of one snake_case name
// (the second reaches no column), $env chains (read as the variable's),
// a name prefix the source reads (XML's @xmlns*), and an optional chain
// followed by an index.
func TestUnmapped_EdgeCases(t *testing.T) {
	spec := transform.Spec{Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Map:    exprs(t, false, nil, "id", "record.id"),
		Fields: compile(t, `{"visits": record.v1, "Visits": record.v2}`, false, nil)}
	got, _ := unmappedOf(t, mustMapper(t, spec), `{"id":"F1","v1":"1","v2":"2"}`)
	if diff := cmp.Diff([]string{"forms:fields.visits"}, paths(got)); diff != "" {
		t.Errorf("colliding fields entries (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		src  string
		want []string
	}{
		{`$env.record.a.b`, []string{"forms:record.a.c", "forms:record.z"}},
		{`$env["record"].z`, []string{"forms:record.a"}},
		{`len($env)`, nil},
		{`record?.["a"]["b"]`, []string{"forms:record.a.c", "forms:record.z"}},
	} {
		spec := transform.Spec{Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
			Map: []transform.Named{{Name: "id", Prog: compile(t, "record.id", false, nil)},
				{Name: "name", Prog: compile(t, "string("+tc.src+")", false, nil)}}}
		got, _ := unmappedOf(t, mustMapper(t, spec), `{"id":"F1","a":{"b":1,"c":2},"z":3}`)
		if diff := cmp.Diff(tc.want, paths(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.src, diff)
		}
	}

	spec = transform.Spec{Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Map: exprs(t, false, nil, "id", "record.id"), SourceReads: []string{"@xmlns*"}}
	got, _ = unmappedOf(t, mustMapper(t, spec), `{"id":"F1","@xmlns":"urn:a","@xmlns:q":"urn:q","@x":"1"}`)
	if diff := cmp.Diff([]string{"forms:record.@x"}, paths(got)); diff != "" {
		t.Errorf("a prefix the source reads (-want +got):\n%s", diff)
	}
}
