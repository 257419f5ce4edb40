package transform_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/bench/flat"
	"github.com/decanthq/decant/transform"
)

// fastTables are keyTables and a table with a column of each kind, so
// that the values read from the text go through every coercion.
var fastTables = func() map[string][]decant.Column {
	t := map[string][]decant.Column{"kinds": {col("id", decant.KindInt), col("name", decant.KindText),
		col("f", decant.KindFloat), col("d", decant.KindDecimal), col("b", decant.KindBool), col("j", decant.KindJSON),
		col("ts", decant.KindTimestamp), col("day", decant.KindDate), col("m", decant.KindText), col("deleted", decant.KindBool)}}
	for name, cols := range keyTables {
		t[name] = cols
	}
	return t
}()

// fastSpecs are keySpecs (the first four map member chains alone, the
// others do not) and steps that read every kind of column from member
// chains, one of them sharing a first member between columns and marking
// deletions.
func fastSpecs(t testing.TB) map[string]transform.Spec {
	specs := keySpecs(t)
	specs["kinds"] = transform.Spec{Step: "kinds", Key: []string{"id"}, To: transform.Route{Table: "kinds"},
		Map: exprs(t, false, nil, "name", "record.name", "f", "record.n", "d", "record.meta.id", "b", "record.kind",
			"j", "record.extra", "ts", "record.name", "day", `record["a.b"]["é\"q"]`, "m", "record.meta.org", "id", "record.id")}
	specs["marked"] = transform.Spec{Step: "marked", Key: []string{"id"}, To: transform.Route{Table: "kinds"},
		Map:      exprs(t, false, nil, "id", "record.meta.id", "j", "record.meta", "d", "record.n"),
		OnDelete: transform.OnDelete{Action: transform.OnDeleteMark, Mark: "deleted"},
	}
	return specs
}

// checkFastMap asserts that Map gives what decoding the record gives:
// the same rows, values and Go types, or the same failure.
func checkFastMap(t *testing.T, name string, m *transform.Mapper, raw []byte) {
	t.Helper()
	rec := decant.Record{Key: "k1", Raw: raw, Where: "f.jsonl:3"}
	got, gotFail := m.Map(rec, "s")
	want, wantFail := m.MapDecoded(rec, "s")
	if !reflect.DeepEqual(gotFail, wantFail) {
		t.Fatalf("%s: Map(%.200s) failed with %v, decoding fails with %v", name, raw, gotFail, wantFail)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: Map(%.200s) = %#v, decoding gives %#v", name, raw, got, want)
	}
	var c transform.Canonicalizer
	checkMapCanonical(t, name, m, &c, rec, want, wantFail)
}

// checkMapCanonical asserts that MapCanonical maps rec as decoding does
// (want, wantFail) and writes AppendJSON(DecodeJSON(rec.Raw)) after what
// its buffer held, or gives up leaving the buffer as it was; it returns
// the output, and whether it mapped the record.
func checkMapCanonical(t *testing.T, name string, m *transform.Mapper, c *transform.Canonicalizer, rec decant.Record,
	want transform.Output, wantFail *transform.Failure) (transform.Output, bool) {
	t.Helper()
	canon, out, f, ok := m.MapCanonical(rec, "s", c, []byte("p:"))
	if !ok {
		if string(canon) != "p:" {
			t.Fatalf("%s: MapCanonical(%.200s) gave up but left %q", name, rec.Raw, canon)
		}
		return out, false
	}
	if !reflect.DeepEqual(f, wantFail) || !reflect.DeepEqual(out, want) {
		t.Fatalf("%s: MapCanonical(%.200s) = %#v, %v; decoding gives %#v, %v", name, rec.Raw, out, f, want, wantFail)
	}
	v, err := transform.DecodeJSON(rec.Raw)
	if err != nil {
		t.Fatalf("%s: MapCanonical(%.200s) wrote a record DecodeJSON refuses: %v", name, rec.Raw, err)
	}
	if wantCanon, _ := transform.AppendJSON([]byte("p:"), v); string(canon) != string(wantCanon) {
		t.Fatalf("%s: MapCanonical(%.200s) wrote %q, AppendJSON(DecodeJSON) %q", name, rec.Raw, canon, wantCanon)
	}
	return out, true
}

func fastMappers(t testing.TB) map[string]*transform.Mapper {
	ms := map[string]*transform.Mapper{}
	for name, spec := range fastSpecs(t) {
		m, err := transform.NewMapper(spec, fastTables)
		if err != nil {
			t.Fatal(err)
		}
		ms[name] = m
	}
	return ms
}

// Map reads the values of a step of member chains from the text, and
// gives for random records (members missing, twice, escaped, of every
// type, broken documents) exactly what decoding them gives.
func TestMapFastMatchesDecoding(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	ms := fastMappers(t)
	fast := map[string]int{}
	for i := range 3000 {
		raw := randomRecord(r)
		for name, m := range ms {
			checkFastMap(t, fmt.Sprintf("record %d, step %s", i, name), m, raw)
			if m.ReadsText(raw) {
				fast[name]++
			}
		}
	}
	// The comparison is worth something only if the fast path ran: about
	// a third to a half of the random records are valid objects whose
	// chains can be read (the others hold invalid text or are broken).
	for _, name := range []string{"int", "text", "nested", "odd_names", "kinds", "marked"} {
		if fast[name] < 600 {
			t.Errorf("step %s read %d of 3000 records from the text, want at least 600", name, fast[name])
		}
	}
	for _, name := range []string{"expr", "routed", "let", "fields"} {
		if fast[name] != 0 {
			t.Errorf("step %s read %d records from the text; it is not member chains alone", name, fast[name])
		}
	}
}

// MapCanonical, with one Canonicalizer for many records (as a hasher
// keeps it), maps random records as decoding does and writes their
// canonical JSON, and does so for most of those whose text Map reads;
// and the outputs it gave, whose values share its blocks, are still
// those after all of them and a garbage collection.
func TestMapCanonicalMatchesDecoding(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(9, 10))
	ms := fastMappers(t)
	wrote := map[string]int{}
	var c transform.Canonicalizer
	recs := make([][]byte, 0, 2100)
	for range 2000 {
		recs = append(recs, randomRecord(r))
	}
	for i := range 100 {
		recs = append(recs, flat.Make(2, int64(i+1)).AppendJSON(nil))
	}
	// Members unsorted at every level, spaced, escaped: the canonical
	// JSON of extra (a JSON column of kinds) is not its text.
	for _, raw := range []string{
		`{"name":"x","id":1,"extra":{"b":1, "a":[2.0,{"d":1,"c":2}]},"meta":{"z":1,"id":3,"a":2}}`,
		` { "extra" : { "\u0062" : -0.0 , "a" : "\u00e9" } , "id" : 2 } `,
		`{"extra":[{"y":1e3,"x":null}],"id":3,"n":1}`,
		`{"extra":{"k":{"b":{"d":1,"c":2},"a":1}},"meta":{"id":4,"org":5},"id":4}`,
	} {
		recs = append(recs, []byte(raw))
	}
	ms["bench"] = benchMapper(t, false) // attrs, an unsorted object, into a JSON column
	type kept struct {
		name      string
		got, want transform.Output
	}
	var outs []kept
	for i, raw := range recs {
		for name, m := range ms {
			rec := decant.Record{Key: "k1", Raw: raw, Where: "f.jsonl:3"}
			if !m.ReadsJSONText(rec) {
				continue
			}
			want, wantFail := m.MapDecoded(rec, "s")
			what := fmt.Sprintf("record %d, step %s", i, name)
			if out, ok := checkMapCanonical(t, what, m, &c, rec, want, wantFail); ok {
				wrote[name]++
				outs = append(outs, kept{what, out, want})
			}
		}
	}
	runtime.GC()
	for _, k := range outs {
		if !reflect.DeepEqual(k.got, k.want) {
			t.Fatalf("%s: MapCanonical's output became %#v after the other records, want %#v", k.name, k.got, k.want)
		}
	}
	for _, name := range []string{"int", "text", "nested", "odd_names", "kinds", "marked"} {
		if wrote[name] < 600 {
			t.Errorf("step %s: MapCanonical mapped %d of 2100 records, want at least 600", name, wrote[name])
		}
	}
	if wrote["bench"] < 100 {
		t.Errorf("MapCanonical mapped %d of the 100 benchmark records", wrote["bench"])
	}
}

// DecodeJSON's edge documents (numbers at int64's bounds and with
// exponents, escapes, duplicates, invalid UTF-8, nesting at and past
// MaxDepth, trailing data), as the record and as the value of a mapped
// or an unmapped member, map as decoding maps them.
func TestMapFastEdgeDocuments(t *testing.T) {
	t.Parallel()
	ms := fastMappers(t)
	for _, doc := range transform.EquivDocs {
		for _, raw := range []string{doc, `{"id":1,"name":` + doc + `}`, `{"id":1,"extra":` + doc + `}`,
			`{"id":1,"n":` + doc + `}`, `{"meta":{"id":` + doc + `},"n":1}`, `{"id":` + doc + `}`,
			`{"extra":` + doc + `,"id":2,"name":"x"}`} {
			for name, m := range ms {
				checkFastMap(t, "step "+name, m, []byte(raw))
			}
		}
	}
}

// The cases the fast path must not decide differently, each named.
func TestMapFastCases(t *testing.T) {
	t.Parallel()
	ms := fastMappers(t)
	cases := []struct {
		name, raw string
		fast      bool   // read from the text
		fail      string // the failure's message, "" when it maps
	}{
		{"plain", `{"id":1,"name":"a","n":2}`, true, ""},
		{"escaped name and value", `{"i\u0064":1,"name":"a\"\u00e9\n","n":2}`, true, ""},
		{"duplicate mapped member", `{"id":1,"id":2}`, true, ""},
		{"duplicate unmapped member", `{"id":1,"x":1,"x":2}`, true, ""},
		{"duplicate in an unmapped value", `{"id":1,"x":{"a":1,"a":2}}`, true, ""},
		{"duplicate mapped member, the last unusable", `{"id":1,"id":"x"}`, true, "invalid value for id"},
		{"missing member", `{"id":1}`, true, ""},
		{"missing key", `{"name":"a"}`, true, "key column id is empty"},
		{"int64 max", `{"id":9223372036854775807}`, true, ""},
		{"past int64", `{"id":9223372036854775808}`, true, "invalid value for id"},
		{"exponent", `{"id":1e3,"n":2}`, true, ""},
		{"invalid UTF-8 unmapped", "{\"id\":1,\"x\":\"\xff\"}", false, "record is not valid UTF-8 at /x (byte 13)"},
		{"trailing data", `{"id":1} x`, false, "record is not valid JSON"},
		{"not an object", `[1]`, false, "cannot compute column name: invalid operation: int(string)"},
		{"chain through a text", `{"id":1,"name":"a"}`, true, ""},
	}
	m := ms["int"]
	for _, c := range cases {
		raw := []byte(c.raw)
		checkFastMap(t, c.name, m, raw)
		if got := m.ReadsText(raw); got != c.fast {
			t.Errorf("%s: read from the text = %v, want %v", c.name, got, c.fast)
		}
		_, f := m.Map(decant.Record{Key: "k", Raw: raw, Where: "f.jsonl:1"}, "s")
		if msg := ""; f != nil {
			msg = f.Message
			if msg != c.fail {
				t.Errorf("%s: failure %q, want %q", c.name, msg, c.fail)
			}
		} else if c.fail != "" {
			t.Errorf("%s: mapped, want failure %q", c.name, c.fail)
		}
	}
	// A chain through a value that is not an object is left to decoding.
	if ms["nested"].ReadsText([]byte(`{"meta":"text"}`)) {
		t.Error("record.meta.id through a text was read from the text")
	}
	checkFastMap(t, "chain through a text", ms["nested"], []byte(`{"meta":"text"}`))
}

// A record without a key, a record a source decoded (Doc) and a record a
// source could not read map as before.
func TestMapFastOtherRecords(t *testing.T) {
	t.Parallel()
	m := fastMappers(t)["int"]
	for _, rec := range []decant.Record{
		{Raw: []byte(`{"id":1}`), Where: "f.jsonl:1"},
		{Key: "1", Raw: []byte(`{"id":1}`), Invalid: "line too long", Where: "f.jsonl:2"},
	} {
		got, gf := m.Map(rec, "s")
		want, wf := m.MapDecoded(rec, "s")
		if gf == nil || !reflect.DeepEqual(gf, wf) || !reflect.DeepEqual(got, want) {
			t.Errorf("Map(%+v) = %v, want the failure %v", rec, gf, wf)
		}
	}
}

// Clones read on their own readers; a clone and its mapper interleaved
// give each record's own values.
func TestMapFastClones(t *testing.T) {
	t.Parallel()
	m := fastMappers(t)["kinds"]
	c := m.Clone()
	for i := range 50 {
		a := []byte(fmt.Sprintf(`{"id":%d,"name":"a%d","extra":[%d]}`, i, i, i))
		b := []byte(fmt.Sprintf(`{"id":%d,"n":%d.5}`, 1000+i, i))
		checkFastMap(t, "mapper", m, a)
		checkFastMap(t, "clone", c, b)
	}
}

func FuzzMapFast(f *testing.F) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 40 {
		f.Add(randomRecord(r))
	}
	for _, doc := range transform.EquivDocs {
		if len(doc) < 4096 {
			f.Add([]byte(`{"id":1,"name":` + doc + `}`))
		}
	}
	f.Add([]byte(strings.Repeat(`{"id":`, 10001) + "1" + strings.Repeat("}", 10001)))
	f.Add([]byte(`{"id":1,"name":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`))
	ms := fastMappers(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		for name, m := range ms {
			checkFastMap(t, name, m, raw)
		}
	})
}

// benchMapper maps the benchmark's flat records: every member, as
// bench/jsonl.yaml does, when few is false; else id and name alone.
func benchMapper(b testing.TB, few bool) *transform.Mapper {
	cols := []decant.Column{col("id", decant.KindInt), col("name", decant.KindText), col("email", decant.KindText),
		col("created_at", decant.KindTimestamp), col("amount", decant.KindDecimal), col("attrs", decant.KindJSON)}
	pairs := []string{"id", "record.id", "name", "record.name", "email", "record.email",
		"created_at", "record.created_at", "amount", "record.amount", "attrs", "record.attrs"}
	if few {
		pairs = pairs[:4]
	}
	m, err := transform.NewMapper(transform.Spec{Step: "flat", Key: []string{"id"}, To: transform.Route{Table: "flat"},
		Map: exprs(b, false, nil, pairs...)}, map[string][]decant.Column{"flat": cols})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

func BenchmarkMapFast(b *testing.B) {
	var recs []decant.Record
	for i := range 1024 {
		raw := flat.Make(1, int64(i+1)).AppendJSON(nil)
		recs = append(recs, decant.Record{Key: fmt.Sprint(i + 1), Raw: raw, Where: "f.jsonl:1"})
	}
	for _, few := range []bool{false, true} {
		m := benchMapper(b, few)
		for _, c := range []struct {
			name string
			map1 func(decant.Record, string) (transform.Output, *transform.Failure)
		}{{"text", m.Map}, {"decoded", m.MapDecoded}} {
			b.Run(fmt.Sprintf("few=%v/%s", few, c.name), func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if _, f := c.map1(recs[i%len(recs)], "s"); f != nil {
						b.Fatal(f)
					}
					i++
				}
			})
		}
	}
}

// Map makes a record's values from blocks its mapper shares between the
// records it maps (a verify keeps millions of outputs): the outputs it
// gave are still what decoding gives after the other records, a garbage
// collection, and a caller's writing another value into an output's row,
// as a verify does with the JSON it spells again.
func TestMapKeepsOutputs(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(11, 12))
	var recs [][]byte
	for range 1500 {
		recs = append(recs, randomRecord(r))
	}
	for i := range 600 {
		recs = append(recs, flat.Make(3, int64(i+1)).AppendJSON(nil))
	}
	for _, text := range []bool{false, true} {
		ms := fastMappers(t)
		ms["bench"] = benchMapper(t, false)
		if text {
			for _, m := range ms {
				m.KeepJSONText()
			}
		}
		type kept struct {
			name      string
			got, want transform.Output
		}
		var outs []kept
		read := 0
		for i, raw := range recs {
			for name, m := range ms {
				rec := decant.Record{Key: "k1", Raw: raw, Where: "f.jsonl:3"}
				if !m.ReadsText(raw) {
					continue
				}
				read++
				got, f := m.Map(rec, "s")
				if f != nil {
					continue
				}
				want, _ := m.Clone().Map(rec, "s") // values of blocks of its own
				outs = append(outs, kept{fmt.Sprintf("text %v, record %d, step %s", text, i, name), got, want})
				for _, row := range got.Rows { // what the next record's values must not see
					for j, v := range row.Vals {
						if _, ok := v.(decant.JSON); ok {
							row.Vals[j] = decant.JSON(`"spelled"`)
						}
					}
				}
			}
		}
		runtime.GC()
		for _, k := range outs {
			for _, row := range k.want.Rows {
				for j, v := range row.Vals {
					if _, ok := v.(decant.JSON); ok {
						row.Vals[j] = decant.JSON(`"spelled"`)
					}
				}
			}
			if !reflect.DeepEqual(k.got, k.want) {
				t.Fatalf("%s: Map's output became %#v after the other records, want %#v", k.name, k.got, k.want)
			}
		}
		if read < 2000 {
			t.Errorf("text %v: %d records read from the text, want at least 2000", text, read)
		}
	}
}

// Ensure a member given twice maps by its last value on every path that
// reads a record: from the text (Map, MapKey, MapCanonical, with a JSON
// column kept as its text or not) and by decoding it (MapDecoded), at the
// top and through a chain, and that its canonical JSON (the source hash)
// keeps the last value alone.
func TestMapFastDuplicateNameLastWins(t *testing.T) {
	t.Parallel()
	ms := fastMappers(t)
	kept := fastMappers(t)["kinds"]
	kept.KeepJSONText()
	raw := []byte(`{"id":1,"name":"first","a.b":{},"meta":{"id":1,"org":"o","id":2},"n":2,"extra":{"k":1,"k":2},` +
		`"name":"2024-03-10T04:30:00Z","meta":{"id":3,"org":"p","id":4},"id":7}`)
	want := map[string]map[string]any{
		"int":    {"id": int64(7), "name": "2024-03-10T04:30:00Z", "n": int64(2)},
		"nested": {"id": int64(4), "org": "p", "n": int64(2)},
		"kinds":  {"id": int64(7), "name": "2024-03-10T04:30:00Z", "ts": time.Date(2024, 3, 10, 4, 30, 0, 0, time.UTC), "j": decant.JSON(`{"k":2}`), "m": "p", "d": decant.Decimal("4")},
	}
	rec := decant.Record{Key: "k1", Raw: raw, Where: "f.jsonl:3"}
	for step, cols := range want {
		m := ms[step]
		if !m.ReadsText(raw) {
			t.Errorf("step %s: the record was not read from its text", step)
		}
		var c transform.Canonicalizer
		for path, mapIt := range map[string]func() (transform.Output, *transform.Failure){
			"Map":        func() (transform.Output, *transform.Failure) { return m.Map(rec, "s") },
			"MapDecoded": func() (transform.Output, *transform.Failure) { return m.MapDecoded(rec, "s") },
			"MapKey":     func() (transform.Output, *transform.Failure) { return m.MapKey(rec, "s") },
			"MapCanonical": func() (transform.Output, *transform.Failure) {
				// It gives up on a name twice (the caller then decodes).
				if _, out, f, ok := m.MapCanonical(rec, "s", &c, nil); ok {
					return out, f
				}
				return m.Map(rec, "s")
			},
		} {
			out, f := mapIt()
			if f != nil || len(out.Rows) != 1 {
				t.Fatalf("step %s, %s: %+v, %v", step, path, out, f)
			}
			for col, v := range cols {
				if path == "MapKey" && col != "id" && !(step == "nested" && col == "org") {
					continue
				}
				if got := valueIn(out.Rows[0], col); !reflect.DeepEqual(got, v) {
					t.Errorf("step %s, %s: column %s = %#v, want the last value %#v", step, path, col, got, v)
				}
			}
		}
	}
	out, f := kept.Map(rec, "s")
	if f != nil || valueIn(out.Rows[0], "j") != nil && string(valueIn(out.Rows[0], "j").(decant.JSON)) != `{"k":1,"k":2}` {
		// The text is kept as the record spells it; verify compares it by
		// its canonical form, which keeps the last value.
		t.Errorf("KeepJSONText: j = %v, %v", valueIn(out.Rows[0], "j"), f)
	}
	var c transform.Canonicalizer
	canon, ok := c.AppendCanonical(nil, raw)
	v, err := transform.DecodeJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	wantCanon, _ := transform.AppendJSON(nil, v)
	if ok && string(canon) != string(wantCanon) {
		t.Errorf("AppendCanonical = %s, want %s", canon, wantCanon)
	}
	if s := string(wantCanon); s != `{"a.b":{},"extra":{"k":2},"id":7,"meta":{"id":4,"org":"p"},"n":2,"name":"2024-03-10T04:30:00Z"}` {
		t.Errorf("canonical JSON = %s, want the last values alone", s)
	}
}

// valueIn is the value of column col in row r, nil when r has none.
func valueIn(r transform.Row, col string) any {
	for i, c := range r.Cols {
		if c == col {
			return r.Vals[i]
		}
	}
	return nil
}

// Ensure a decimal column read with decimal_comma gets the same value on
// every path, the fast ones making decimals from their blocks included:
// "1.234" is 1234 there, not 1.234.
func TestMapFastDecimalComma(t *testing.T) {
	t.Parallel()
	spec := fastSpecs(t)["kinds"]
	spec.Columns = map[string]transform.Coercion{"d": {Kind: decant.KindDecimal, DecimalComma: true}}
	m, err := transform.NewMapper(spec, fastTables)
	if err != nil {
		t.Fatal(err)
	}
	for raw, want := range map[string]decant.Decimal{
		`{"id":1,"meta":{"id":"1.234"},"a.b":{}}`:   "1234",
		`{"id":1,"meta":{"id":"1.234,5"},"a.b":{}}`: "1234.5",
		`{"id":1,"meta":{"id":1.5},"a.b":{}}`:       "1.5",
	} {
		rec := decant.Record{Key: "k1", Raw: []byte(raw), Where: "f.jsonl:1"}
		var c transform.Canonicalizer
		_, canonOut, f, ok := m.MapCanonical(rec, "s", &c, nil)
		if !ok || f != nil {
			t.Fatalf("MapCanonical(%s): %v, %v", raw, ok, f)
		}
		out, f := m.MapDecoded(rec, "s")
		if f != nil {
			t.Fatalf("MapDecoded(%s): %v", raw, f)
		}
		for path, o := range map[string]transform.Output{"MapCanonical": canonOut, "MapDecoded": out} {
			if got := valueIn(o.Rows[0], "d"); got != want {
				t.Errorf("%s(%s): d = %#v, want %#v", path, raw, got, want)
			}
		}
	}
}
