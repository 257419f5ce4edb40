package transform_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// textMappers are fastMappers that keep JSON columns' text (verify's).
func textMappers(t testing.TB) map[string]*transform.Mapper {
	ms := fastMappers(t)
	for _, m := range ms {
		m.KeepJSONText()
	}
	return ms
}

// canonicalJSON writes each JSON value of out again from its decoding, as
// the decoding path writes it, and counts the values that were not
// written so already.
func canonicalJSON(t *testing.T, out transform.Output) (transform.Output, int) {
	t.Helper()
	kept := 0
	if out.Rows == nil {
		return out, 0
	}
	rows := make([]transform.Row, len(out.Rows))
	for i, r := range out.Rows {
		r.Vals = append([]any(nil), r.Vals...)
		for j, v := range r.Vals {
			text, ok := v.(decant.JSON)
			if !ok {
				continue
			}
			d, err := transform.DecodeJSON(text)
			if err != nil {
				t.Fatalf("a kept JSON text %q does not decode: %v", text, err)
			}
			b, err := transform.AppendJSON(nil, d)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, text) {
				kept++
			}
			r.Vals[j] = decant.JSON(b)
		}
		rows[i] = r
	}
	out.Rows = rows
	return out, kept
}

// checkTextMap asserts that Map with KeepJSONText gives what decoding the
// record gives (the same failure, or the same rows) but for JSON values,
// which may be the member's text: the same document, written otherwise.
// It returns how many JSON values were kept as text unlike their canonical
// form.
func checkTextMap(t *testing.T, name string, m *transform.Mapper, raw []byte) int {
	t.Helper()
	rec := decant.Record{Key: "k1", Raw: raw, Where: "f.jsonl:3"}
	got, gotFail := m.Map(rec, "s")
	want, wantFail := m.MapDecoded(rec, "s")
	if !reflect.DeepEqual(gotFail, wantFail) {
		t.Fatalf("%s: Map(%.200s) failed with %v, decoding fails with %v", name, raw, gotFail, wantFail)
	}
	// Both are written again, twice: writing is not idempotent for every
	// number (-0.0 is written -0, which decodes as the integer 0).
	canon, kept := canonicalJSON(t, got)
	canon, _ = canonicalJSON(t, canon)
	wantCanon, _ := canonicalJSON(t, want)
	if wantCanon, _ = canonicalJSON(t, wantCanon); !reflect.DeepEqual(canon, wantCanon) {
		t.Fatalf("%s: Map(%.200s) = %#v, decoding gives %#v", name, raw, got, want)
	}
	return kept
}

// With KeepJSONText, random records and DecodeJSON's edge documents map
// as decoding maps them, JSON columns aside, which hold the same document.
func TestKeepJSONTextMatchesDecoding(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(9, 10))
	ms := textMappers(t)
	kept := 0
	for i := range 3000 {
		raw := randomRecord(r)
		for name, m := range ms {
			kept += checkTextMap(t, fmt.Sprintf("record %d, step %s", i, name), m, raw)
		}
	}
	for _, doc := range transform.EquivDocs {
		for _, raw := range []string{`{"id":1,"extra":` + doc + `}`, `{"extra":` + doc + `,"id":2,"name":"x"}`,
			`{"id":1,"meta":{},"a.b":{},"extra":` + doc + `}`, `{"a.b":{},"extra":{"z":` + doc + `,"a":[` + doc + `]},"meta":{},"id":2}`,
			`{"meta":{"id":1,"x":` + doc + `},"n":1}`} {
			for name, m := range ms {
				kept += checkTextMap(t, "step "+name, m, []byte(raw))
			}
		}
	}
	if kept < 30 {
		t.Errorf("%d JSON values kept as text unlike their canonical form, want at least 30: the text path did not run", kept)
	}
}

// The text is kept only for a JSON column that maps a whole member used by
// no other column, and only when it is an object or an array.
func TestKeepJSONTextCases(t *testing.T) {
	t.Parallel()
	ms := textMappers(t)
	for _, c := range []struct {
		step, raw string
		want      any // the JSON column's value
	}{
		{"kinds", `{"id":1,"meta":{"id":1},"a.b":{"é\"q":"2024-01-02"},"name":"2024-01-02T00:00:00Z","extra":{ "b" : 1, "a" : [1.50, "\u00e9"] }}`, decant.JSON(`{ "b" : 1, "a" : [1.50, "\u00e9"] }`)},
		{"kinds", `{"id":1,"meta":{"id":1},"a.b":{"é\"q":"2024-01-02"},"name":"2024-01-02T00:00:00Z","extra":[ ]}`, decant.JSON(`[ ]`)},
		{"kinds", `{"id":1,"meta":{"id":1},"a.b":{"é\"q":"2024-01-02"},"name":"2024-01-02T00:00:00Z","extra":null}`, nil},
		{"kinds", `{"id":1,"meta":{"id":1},"a.b":{"é\"q":"2024-01-02"},"name":"2024-01-02T00:00:00Z","extra":"text"}`, decant.JSON(`"text"`)},
		{"kinds", `{"id":1,"meta":{"id":1},"a.b":{"é\"q":"2024-01-02"},"name":"2024-01-02T00:00:00Z","extra":1.50}`, decant.JSON(`1.5`)}, // a number is decoded
		// meta is read by two columns: decoded, written canonically.
		{"marked", `{"n":1,"meta":{ "id":1, "b":2 }}`, decant.JSON(`{"b":2,"id":1}`)},
	} {
		out, f := ms[c.step].Map(decant.Record{Key: "k", Raw: []byte(c.raw), Where: "f.jsonl:1"}, "s")
		if f != nil {
			t.Fatalf("%s: %v", c.raw, f)
		}
		row := out.Rows[0]
		got := any(nil)
		for i, col := range row.Cols {
			if col == "j" {
				got = row.Vals[i]
			}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: j = %#v, want %#v", c.raw, got, c.want)
		}
	}
	// A duplicate name inside the kept text fails as decoding fails.
	checkTextMap(t, "duplicate in the text", ms["kinds"], []byte(`{"id":1,"extra":{"a":1,"a":2}}`))
	checkTextMap(t, "invalid UTF-8 in the text", ms["kinds"], []byte("{\"id\":1,\"extra\":[\"\xff\"]}"))
}
