package transform_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// keyTables are the target tables of the MapKey tests: an int key, a text
// key, and a composite key.
var keyTables = map[string][]decant.Column{
	"ints":  {col("id", decant.KindInt), col("name", decant.KindText), col("n", decant.KindInt)},
	"texts": {col("id", decant.KindText), col("name", decant.KindText), col("n", decant.KindInt)},
	"pairs": {col("org", decant.KindText), col("id", decant.KindInt), col("n", decant.KindInt)},
	"odd":   {col("id", decant.KindText), col("name", decant.KindText), col("n", decant.KindInt)},
}

// keySpecs are steps whose key MapKey reads from the JSON text (member
// chains), and steps it evaluates after decoding (an expression, a route,
// a let, fields).
func keySpecs(t testing.TB) map[string]transform.Spec {
	route := transform.Route{By: compile(t, "record.kind", false, nil),
		Tables: map[string]string{"ints": "ints", "texts": "texts"}, Label: "kind"}
	return map[string]transform.Spec{
		"int": {Step: "int", Key: []string{"id"}, To: transform.Route{Table: "ints"},
			Map: exprs(t, false, nil, "name", "record.name", "id", "record.id", "n", "record.n")},
		"text": {Step: "text", Key: []string{"id"}, To: transform.Route{Table: "texts"},
			Map: exprs(t, false, nil, "id", `record["id"]`, "n", "record.n")},
		"nested": {Step: "nested", Key: []string{"org", "id"}, To: transform.Route{Table: "pairs"},
			Map: exprs(t, false, nil, "n", "record.n", "id", "record.meta.id", "org", "record.meta.org")},
		"odd_names": {Step: "odd_names", Key: []string{"id"}, To: transform.Route{Table: "odd"},
			Map: exprs(t, false, nil, "id", `record["a.b"]["é\"q"]`, "n", "record.n")},
		"expr": {Step: "expr", Key: []string{"id"}, To: transform.Route{Table: "texts"},
			Map: exprs(t, false, nil, "id", `string(record.id) + "x"`, "n", "record.n")},
		"routed": {Step: "routed", Key: []string{"id"}, To: route,
			Map: exprs(t, false, nil, "id", "record.id", "n", "record.n")},
		"let": {Step: "let", Key: []string{"id"}, To: transform.Route{Table: "texts"},
			Let: exprs(t, false, nil, "x", "record.meta"),
			Map: []transform.Named{{Name: "id", Prog: compile(t, "x.id", false, nil, "x")},
				{Name: "n", Prog: compile(t, "record.n", false, nil)}}},
		"fields": {Step: "fields", Key: []string{"id"}, To: transform.Route{Table: "texts"},
			Fields: compile(t, "record", false, nil)},
	}
}

// keyOnly is spec with only its key columns mapped: what MapKey is
// documented to do, mapped by Map.
func keyOnly(s transform.Spec) transform.Spec {
	if s.Fields != nil {
		return s
	}
	var m []transform.Named
	for _, n := range s.Map {
		for _, k := range s.Key {
			if n.Name == k {
				m = append(m, n)
			}
		}
	}
	s.Map = m
	return s
}

// checkMapKey asserts MapKey on raw: the key and failure of Map with the
// key columns alone, and Map's key whenever the whole record maps.
func checkMapKey(t *testing.T, name string, spec transform.Spec, raw []byte) {
	t.Helper()
	full, err := transform.NewMapper(spec, keyTables)
	if err != nil {
		t.Fatal(err)
	}
	oracle, err := transform.NewMapper(keyOnly(spec), keyTables)
	if err != nil {
		t.Fatal(err)
	}
	rec := decant.Record{Key: "k1", Raw: raw, Where: "f.jsonl:3"}
	out, fail := full.Map(rec, "s")
	want, wantFail := oracle.Map(rec, "s")
	got, gotFail := full.MapKey(rec, "s")
	if !reflect.DeepEqual(gotFail, wantFail) {
		t.Fatalf("%s: MapKey(%s) failed with %v, want %v", name, raw, gotFail, wantFail)
	}
	if gotFail != nil {
		return
	}
	if fail == nil && !reflect.DeepEqual(keyOf(t, spec, got), keyOf(t, spec, out)) {
		t.Fatalf("%s: MapKey(%s) = %#v, Map's key is %#v", name, raw, keyOf(t, spec, got), keyOf(t, spec, out))
	}
	if !reflect.DeepEqual(keyOf(t, spec, got), keyOf(t, spec, want)) || got.ParentKey != want.ParentKey ||
		got.Rows[0].Table != want.Rows[0].Table {
		t.Fatalf("%s: MapKey(%s) = %#v, want %#v", name, raw, got.Rows[0], want.Rows[0])
	}
}

// keyOf is the key values of an output's first row, in Spec.Key order.
func keyOf(t *testing.T, spec transform.Spec, out transform.Output) []any {
	t.Helper()
	var key []any
	for _, k := range spec.Key {
		found := false
		for i, c := range out.Rows[0].Cols {
			if c == k {
				key, found = append(key, out.Rows[0].Vals[i]), true
			}
		}
		if !found {
			t.Fatalf("the row has no key column %s: %#v", k, out.Rows[0])
		}
	}
	return key
}

// keyValues are JSON texts a key member may hold: numbers small, big and
// fractional, strings with escapes, and what is not a scalar.
var keyValues = []string{
	`1`, `-7`, `0`, `42`, `9223372036854775807`, `9223372036854775808`, `123456789012345678901234567890`,
	`1.5`, `1e3`, `2.0`, `1.23456789012345678`, `-0`, `"12"`, `"abc"`, `"a\"b"`, `"\u00e9t\u00e9"`,
	`"\ud83d\ude00"`, `"tab\there"`, `""`, `" 7 "`, `"0x1F"`, `null`, `true`, `false`, `[]`, `[1,2]`, `{}`,
	`{"id":5}`, `"NaN"`, `"\/slash"`,
}

// otherValues are what the other members hold, some of which no longer
// map (n is an int column) or are not valid JSON for DecodeJSON.
var otherValues = []string{
	`1`, `"x"`, `"not a number"`, `null`, `{"a":[1,{"b":null}]}`, `"bad \xff utf8"`, `"\ud800"`, `[1,2,3]`, `2.5`,
}

// randomRecord builds a record's JSON text from the members the specs
// read, in a random order, sometimes missing, twice, escaped or broken.
func randomRecord(r *rand.Rand) []byte {
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	var members []string
	add := func(name, value string) {
		if r.IntN(8) > 0 {
			members = append(members, name+":"+value)
		}
	}
	idName := `"id"`
	if r.IntN(6) == 0 {
		idName = `"i\u0064"`
	}
	add(idName, pick(keyValues))
	add(`"name"`, pick(otherValues))
	add(`"n"`, pick(otherValues))
	add(`"kind"`, pick([]string{`"ints"`, `"texts"`, `"other"`, `1`}))
	meta := fmt.Sprintf(`{"id":%s,"org":%s}`, pick(keyValues), pick(keyValues))
	if r.IntN(5) == 0 {
		meta = pick(keyValues)
	}
	add(`"meta"`, meta)
	add(`"a.b"`, fmt.Sprintf(`{"é\"q":%s}`, pick(keyValues)))
	add(`"extra"`, pick(otherValues))
	if r.IntN(15) == 0 {
		members = append(members, `"id":3`) // a name twice
	}
	r.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
	doc := "{" + strings.Join(members, ",") + "}"
	switch r.IntN(30) {
	case 0:
		doc += " x"
	case 1:
		doc = "[" + doc + "]"
	case 2:
		doc = doc[:len(doc)-1]
	case 3:
		doc = " " + doc + "\n"
	}
	return []byte(doc)
}

func TestMapKeyMatchesMap(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	specs := keySpecs(t)
	for i := range 3000 {
		raw := randomRecord(r)
		for name, spec := range specs {
			checkMapKey(t, fmt.Sprintf("record %d, step %s", i, name), spec, raw)
		}
	}
}

// A record whose other columns no longer map still gives its key; one
// whose key does not map fails as Map fails.
func TestMapKeyIgnoresOtherColumns(t *testing.T) {
	t.Parallel()
	m, err := transform.NewMapper(keySpecs(t)["int"], keyTables)
	if err != nil {
		t.Fatal(err)
	}
	rec := decant.Record{Key: "7", Raw: []byte(`{"id":7,"n":"seven"}`), Where: "f.jsonl:1"}
	if _, f := m.Map(rec, "s"); f == nil || f.Message != "invalid value for n" {
		t.Fatalf("Map failure = %v, want invalid value for n", f)
	}
	out, f := m.MapKey(rec, "s")
	if f != nil || !reflect.DeepEqual(out.Rows[0].Vals, []any{int64(7)}) || out.ParentKey != int64(7) {
		t.Fatalf("MapKey = %#v, %v; want key 7", out, f)
	}
	rec.Raw = []byte(`{"id":"seven","n":7}`)
	_, want := m.Map(rec, "s")
	if _, f := m.MapKey(rec, "s"); f == nil || !reflect.DeepEqual(f, want) {
		t.Fatalf("MapKey failure = %v, want Map's %v", f, want)
	}
	rec.Raw = []byte(`{"n":7}`)
	if _, f := m.MapKey(rec, "s"); f == nil || f.Message != "key column id is empty" {
		t.Fatalf("MapKey failure = %v, want key column id is empty", f)
	}
}

// Clones read keys on their own readers, so workers can share a plan.
func TestMapKeyClones(t *testing.T) {
	t.Parallel()
	m, err := transform.NewMapper(keySpecs(t)["nested"], keyTables)
	if err != nil {
		t.Fatal(err)
	}
	c := m.Clone()
	a, fa := m.MapKey(decant.Record{Key: "1", Raw: []byte(`{"meta":{"org":"o","id":1}}`)}, "s")
	b, fb := c.MapKey(decant.Record{Key: "2", Raw: []byte(`{"meta":{"org":"p","id":"2"}}`)}, "s")
	if fa != nil || fb != nil || !reflect.DeepEqual(a.Rows[0].Vals, []any{"o", int64(1)}) ||
		!reflect.DeepEqual(b.Rows[0].Vals, []any{"p", int64(2)}) {
		t.Fatalf("MapKey = %#v %v, %#v %v", a.Rows, fa, b.Rows, fb)
	}
}

func FuzzMapKey(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 40 {
		f.Add(randomRecord(r))
	}
	f.Add([]byte(strings.Repeat(`{"id":`, 10001) + "1" + strings.Repeat("}", 10001)))
	f.Add([]byte(`{"id":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`))
	f.Add([]byte(`{"id":1,"name":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`))
	specs := keySpecs(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		for name, spec := range specs {
			checkMapKey(t, name, spec, raw)
		}
	})
}
