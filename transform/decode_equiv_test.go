package transform

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/decanthq/decant/bench/flat"
)

// sameDecoded reports where a and b differ, telling apart the Go types of
// numbers (int64, float64, json.Number), nil, empty and absent values,
// and floats bit for bit (so -0 is not 0); "" when they are the same.
func sameDecoded(a, b any, at string) string {
	switch x := a.(type) {
	case nil:
		if b != nil {
			return fmt.Sprintf("%s: nil, other %T %v", at, b, b)
		}
		return ""
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || (x == nil) != (y == nil) || len(x) != len(y) {
			return fmt.Sprintf("%s: %T %v, other %T %v", at, a, a, b, b)
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok {
				return fmt.Sprintf("%s: name %q missing in other", at, k)
			}
			if d := sameDecoded(v, w, at+"/"+k); d != "" {
				return d
			}
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok || (x == nil) != (y == nil) || len(x) != len(y) {
			return fmt.Sprintf("%s: %T %v, other %T %v", at, a, a, b, b)
		}
		for i := range x {
			if d := sameDecoded(x[i], y[i], fmt.Sprintf("%s/%d", at, i)); d != "" {
				return d
			}
		}
		return ""
	case float64:
		y, ok := b.(float64)
		if !ok || math.Float64bits(x) != math.Float64bits(y) {
			return fmt.Sprintf("%s: float64 %v, other %T %v", at, x, b, b)
		}
		return ""
	case string, bool, int64, json.Number:
		if fmt.Sprintf("%T", a) != fmt.Sprintf("%T", b) || a != b {
			return fmt.Sprintf("%s: %T %q, other %T %q", at, a, a, b, b)
		}
		return ""
	}
	return fmt.Sprintf("%s: unexpected type %T", at, a)
}

// problemOf is the "record ..." words a failure would carry, for either
// implementation's error type.
func problemOf(err error) string {
	var de *decodeError
	if errors.As(err, &de) {
		return de.problem
	}
	var rde *refDecodeError
	if errors.As(err, &rde) {
		return rde.problem
	}
	return ""
}

// checkSameAsReference fails t if DecodeJSON and the reference disagree
// on doc: in the value (and number types), or in the error's words.
func checkSameAsReference(t *testing.T, doc []byte) {
	t.Helper()
	orig := string(doc)
	want, wantErr := refDecodeJSON(doc)
	got, gotErr := DecodeJSON(doc)
	if string(doc) != orig {
		t.Fatalf("DecodeJSON(%q) changed its input to %q", orig, doc)
	}
	switch {
	case (wantErr == nil) != (gotErr == nil):
		t.Fatalf("DecodeJSON(%q) error %v, reference %v", doc, gotErr, wantErr)
	case wantErr != nil:
		if gotErr.Error() != wantErr.Error() || problemOf(gotErr) != problemOf(wantErr) {
			t.Fatalf("DecodeJSON(%q) error %q (%q), reference %q (%q)",
				doc, gotErr, problemOf(gotErr), wantErr, problemOf(wantErr))
		}
		if got != nil {
			t.Fatalf("DecodeJSON(%q) = %v with an error", doc, got)
		}
	default:
		if d := sameDecoded(got, want, ""); d != "" {
			t.Fatalf("DecodeJSON(%q) differs from the reference at %s", doc, d)
		}
	}
}

// equivDocs are documents at the edges of what DecodeJSON decides:
// number types, escapes, duplicates, UTF-8, nesting, trailing data.
var equivDocs = []string{
	``, ` `, `null`, `true`, `false`, `0`, `-0`, `1`, `-1`, `255`, `256`, `-129`,
	`9223372036854775807`, `9223372036854775808`, `-9223372036854775808`, `-9223372036854775809`,
	`123456789012345678`, `1234567890123456789`, `12345678901234567890123`,
	`0.0`, `-0.0`, `1.5`, `1e3`, `1E3`, `1e+3`, `1e-3`, `-1.5e-7`, `1e400`, `-1e400`, `1e-400`,
	`123456789012345.6`, `1234567890123456.7`, `0.000000000000001234567890123456`,
	`100000000000000000000.0`, `0.1`, `0.30000000000000004`, `1.0000000000000001`,
	`""`, `"a"`, `"\u00e9"`, `"\ud83d\ude00"`, `"a\nb\"c\\d\/e"`, `"\u0000"`, "\"\xff\"", `"\ud800"`,
	`[]`, `{}`, `[[]]`, `[{}]`, `{"a":[]}`, `[1,"a",true,null,1.5,{"b":2}]`,
	`{"a":1,"b":{"c":[1,2,{"d":null}]},"e":"f"}`, `{"a":1,"a":2}`, `{"a":{"b":1,"b":2}}`,
	`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17,"a":18}`,
	`{"\u0061":1,"a":2}`, `{"a\u0000":1,"a":2}`, `{"":1,"":2}`, "{\"k\xff\":1}", `{"a":"x\ud800"}`,
	`{{`, `{[`, `{1}`, `{"a":1,{`, `{"a":1 "b"`, `{"a":"b":1}`, `["a":1]`, `{"a"}`, `{"a\u00"}`,
	`{"a":1,}`, `[1,]`, `[1 2]`, `{"a" 1}`, `{"a":}`, `{1:2}`, `[`, `{`, `{"a":`, `"abc`, `tru`, `nul`, `01`, `-`, `1.`, `.5`,
	`{} {}`, `1 2`, `{}x`, "{} \t\r\n ", "{}\n\n}", `[1]]`, `{"a":1,"a":2} x`, `{"a":1} {"a":1,"a":2}`,
	strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth),
	strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1),
	`{"a":1,"a":` + strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1) + `}`,
	strings.Repeat("[", MaxDepth+1) + `{"a":1,"a":2}` + strings.Repeat("]", MaxDepth+1),
	`{"a":` + strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth) + `}`,
	`["` + strings.Repeat("x", 5000) + `","` + strings.Repeat(`\n`, 3000) + `"]`,
}

// Ensure DecodeJSON gives what the reference gives for documents at the
// edges: the same values, number types and error messages.
func TestDecodeJSON_SameAsReference(t *testing.T) {
	t.Parallel()
	for _, doc := range equivDocs {
		checkSameAsReference(t, []byte(doc))
	}
	for i := int64(1); i <= 200; i++ {
		checkSameAsReference(t, flat.Make(7, i).AppendJSON(nil))
	}
	for _, doc := range wideDocs(20) {
		if _, err := DecodeJSON(doc); err != nil {
			t.Fatalf("DecodeJSON(%s): %v", doc, err)
		}
		checkSameAsReference(t, doc)
	}
}

// Ensure DecodeJSON's values do not change when the bytes they were
// decoded from are reused, as a source reader may reuse its buffer.
func TestDecodeJSON_DoesNotAliasInput(t *testing.T) {
	t.Parallel()
	doc := []byte(`{"name":"ada","tags":["x","y"],"n":12345678901234567890,"f":1.5,"long":"` + strings.Repeat("z", 100) + `"}`)
	v, err := DecodeJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := refDecodeJSON(doc)
	for i := range doc {
		doc[i] = '#'
	}
	if d := sameDecoded(v, want, ""); d != "" {
		t.Fatalf("value changed with its input's bytes at %s", d)
	}
}

// Ensure a record like the benchmark's is decoded by the fast path,
// allocating little more than the values it returns (the reference takes
// 45 allocations, most of them a copy of every name and number), and that
// sequences of documents with other names in the same places (which the
// decoder predicts from the last one) decode as the reference does.
func TestDecodeJSON_FastPath(t *testing.T) {
	doc := flat.Make(3, 42).AppendJSON(nil)
	// 2 maps of 2 allocations each, 1 slice, the 2 blocks the 7 strings
	// are made from (text and headers), 2 boxed numbers, and slack for the
	// runtime's version.
	n := testing.AllocsPerRun(100, func() {
		if _, err := DecodeJSON(doc); err != nil {
			t.Fatal(err)
		}
	})
	if n > 12 && !raceEnabled {
		t.Errorf("DecodeJSON(bench record) allocates %v times, want at most 12", n)
	}
	for _, doc := range []string{
		`{"a":1,"b":2}`, `{"b":1,"a":2}`, `{"a":1,"a":2}`, `{"b":{"a":1},"a":[{"b":2}]}`,
		`{"a":1,"b":2,"c":3}`, `{"a":1}`, `{"a":1,"b":2,"c":3}`, `{"\u0061":1,"b":{"a":2}}`,
	} {
		checkSameAsReference(t, []byte(doc))
	}
	// More names than the cache keeps, some too long for it, and then a
	// duplicate among them.
	var sb strings.Builder
	for i := range 3 * maxInternedNames {
		fmt.Fprintf(&sb, `,"name_%d%s":%d`, i, strings.Repeat("x", i%100), i)
	}
	many := "{" + sb.String()[1:]
	for range 2 {
		checkSameAsReference(t, []byte(many+"}"))
	}
	dup := []byte(many + `,"name_17` + strings.Repeat("x", 17) + `":-1}`)
	v, err := DecodeJSON(dup)
	if err != nil {
		t.Fatalf("DecodeJSON(many names, one twice): %v", err)
	}
	if got := v.(map[string]any)["name_17"+strings.Repeat("x", 17)]; got != int64(-1) {
		t.Errorf("DecodeJSON(many names, one twice): the name has %v, want its last value -1", got)
	}
	checkSameAsReference(t, dup)
}

// Ensure a name given twice in one object keeps its last value, at the
// top and nested, in objects short and long, escaped or not, by both of
// DecodeJSON's parsers: the fast one and jsontext's, which reads the
// documents the fast one gives up on.
func TestDecodeJSON_DuplicateNameLastWins(t *testing.T) {
	t.Parallel()
	var long strings.Builder
	for i := range 40 {
		fmt.Fprintf(&long, `"k%d":%d,`, i, i)
	}
	for _, c := range []struct{ doc, want string }{
		{`{"id":"first","id":"last"}`, `{"id":"last"}`},
		{`{"a":1,"b":2,"a":3}`, `{"a":3,"b":2}`},
		{`{"a":{"x":1,"y":2,"x":{"z":3}}}`, `{"a":{"x":{"z":3},"y":2}}`},
		{`{"\u0061":1,"a":2,"b":[{"c":1,"c":null}]}`, `{"a":2,"b":[{"c":null}]}`},
		{`{` + long.String() + `"k3":"again","k39":"again"}`, ""},
	} {
		want := c.want
		if want == "" {
			want = strings.NewReplacer(`"k3":3,`, `"k3":"again",`, `"k39":39`, `"k39":"again"`).Replace(
				`{` + strings.TrimSuffix(long.String(), ",") + `}`)
			wv, err := decodeChecked([]byte(want))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := AppendJSON(nil, wv)
			want = string(b)
		}
		for name, decode := range map[string]func([]byte) (any, error){
			"DecodeJSON": DecodeJSON, "jsontext": decodeChecked,
		} {
			v, err := decode([]byte(c.doc))
			if err != nil {
				t.Fatalf("%s(%s): %v", name, c.doc, err)
			}
			if got, _ := AppendJSON(nil, v); string(got) != want {
				t.Errorf("%s(%.60s) = %s, want %s", name, c.doc, got, want)
			}
		}
	}
}

// Ensure the strings and integers DecodeJSON makes from a document's
// blocks stay as decoded while other documents are decoded and the
// garbage collector runs: documents of changing shapes (more strings,
// longer, fewer than the last one, which sizes the blocks), all kept,
// then compared with the reference after collections.
func TestDecodeJSON_StringsKeptAcrossDocuments(t *testing.T) {
	var docs [][]byte
	for i := range 300 {
		var sb strings.Builder
		fmt.Fprintf(&sb, `{"id":%d,"ints":[%d,-%d,%d]`, i*1000+7, i, i*i, 1<<40+i)
		for j := range i % 40 {
			fmt.Fprintf(&sb, `,"s%d":"%s","e":[""],"l%d":"%s"`, j, strings.Repeat(string(rune('a'+j%26)), (i+j)%70), j,
				strings.Repeat("é", i%3))
		}
		sb.WriteString(`,"list":["x","y",{"k":"v` + fmt.Sprint(i) + `"}]}`)
		docs = append(docs, []byte(strings.ReplaceAll(sb.String(), `"e":[""],`, "")))
	}
	docs = append(docs, benchDocs(50)...)
	docs = append(docs, wideDocs(20)...)
	got := make([]any, len(docs))
	for round := range 3 {
		for i, doc := range docs {
			v, err := DecodeJSON(doc)
			if err != nil {
				t.Fatalf("DecodeJSON(%s): %v", doc, err)
			}
			if round == 0 {
				got[i] = v
			}
		}
		runtime.GC()
	}
	for i, doc := range docs {
		want, _ := refDecodeJSON(doc)
		if d := sameDecoded(got[i], want, ""); d != "" {
			t.Fatalf("document %d changed after others were decoded, at %s", i, d)
		}
	}
}

// FuzzDecodeJSON compares DecodeJSON with the reference on any input.
func FuzzDecodeJSON(f *testing.F) {
	for _, doc := range equivDocs {
		if len(doc) < 4096 {
			f.Add([]byte(doc))
		}
	}
	f.Add(flat.Make(1, 1).AppendJSON(nil))
	f.Fuzz(func(t *testing.T, doc []byte) {
		checkSameAsReference(t, doc)
	})
}

// benchDocs are records as the benchmark's flat source writes them.
func benchDocs(n int) [][]byte {
	docs := make([][]byte, n)
	for i := range docs {
		docs[i] = flat.Make(1, int64(i+1)).AppendJSON(nil)
	}
	return docs
}

func benchmarkDecode(b *testing.B, decode func([]byte) (any, error)) {
	docs := benchDocs(1024)
	size := 0
	for _, d := range docs {
		size += len(d)
	}
	b.SetBytes(int64(size / len(docs)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := decode(docs[i%len(docs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkDecodeJSON(b *testing.B) {
	b.Run("new", func(b *testing.B) { benchmarkDecode(b, DecodeJSON) })
	b.Run("reference", func(b *testing.B) { benchmarkDecode(b, refDecodeJSON) })
}

// wideDocs are records of other shapes: many members (more than are
// scanned for duplicates), escapes, non-ASCII text, big and decimal numbers.
func wideDocs(n int) [][]byte {
	docs := make([][]byte, n)
	for i := range docs {
		var sb strings.Builder
		sb.WriteString(`{"id":"` + fmt.Sprint(i) + `","note":"line one\nline \"two\" \u00e9t\u00e9","city":"Zürich ☃"`)
		for j := range 30 {
			fmt.Fprintf(&sb, `,"field_%d":%d.%d`, j, i*j, j)
		}
		fmt.Fprintf(&sb, `,"big":%d1234567890123,"list":[1,2.5,"x",null,true,{"k":"v"}]}`, i+1)
		docs[i] = []byte(sb.String())
	}
	return docs
}

func BenchmarkDecodeJSONWide(b *testing.B) {
	docs := wideDocs(256)
	for _, impl := range []struct {
		name   string
		decode func([]byte) (any, error)
	}{{"new", DecodeJSON}, {"reference", refDecodeJSON}} {
		b.Run(impl.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := impl.decode(docs[i%len(docs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkDecodeJSONParallel decodes on all cores, as the mapper's
// workers do.
func BenchmarkDecodeJSONParallel(b *testing.B) {
	docs := benchDocs(1024)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := DecodeJSON(docs[i%len(docs)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
