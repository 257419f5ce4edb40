package verify

import (
	"encoding/json"
	"strings"
	"testing"
)

// jsonSeeds are documents where a canonicalizer is easy to get subtly
// wrong: each is checked against the reference, and seeds the fuzzer.
var jsonSeeds = []string{
	``, ` `, `null`, `true`, `false`, `0`, `-0`, `-0.0`, `0.000`, `1.50`, `10.0`, `100.25`, `0.05`,
	`1e0`, `1E+2`, `15e-1`, `-1.5e-10`, `1e1001`, `1e-1001`, `1e300000`, `1e999999999999999999999`,
	`123456789012345678901234567890`, `1` + strings.Repeat("0", 1001), `0.` + strings.Repeat("0", 1001) + `1`,
	`01`, `-`, `1.`, `.5`, `+1`, `1e`, `NaN`, `Infinity`,
	`{"a":1,"a":2}`, `{"b":{"x":1},"a":[1,{"z":1,"y":2}],"b":{"y":2}}`, `{"a":1e300000,"a":1}`,
	`{"b":1e300000,"a":1e300001}`, `[1e300000,1e300001]`, `{"a":1e300000,"a":1}x`,
	`"\u2028\u2029<>&"`, `"\ud800"`, `"\ud800\udc00"`, `"\udc00\ud800"`, `"\ud800\u0041"`, `"\ud800x"`,
	`"\b\f\n\r\t\/\\\"\u0000\u001f\u007f"`, "\"\x7f\"", "\"\xff\xfe\"", "\"\xed\xa0\x80\"", "\"a\x01\"",
	"{\"\xff\":1,\"\xfe\":2}", `{"\u00e9":1,"e\u0301":2}`, `{"e\u0301":2,"\u00e9":1}`, "{\"e\u0301\":1,\"\u00e9\":2,\"\\u00e9\":3}",
	`"e\u0301"`, "\"\u1e0b\u0323\"", `{"z":1,"é":2,"Z":3,"":4}`,
	` {} `, "\t[ ]\r\n", `{} {}`, `1 2`, `1x`, `[1]]`, `{"a":1,}`, `[1,]`, `{"a"}`, `{1:2}`, `"abc`,
	`nul`, `truex`, "\ufeff{}", `[` + strings.Repeat(`[`, 10000) + strings.Repeat(`]`, 10001),
	strings.Repeat(`[`, 10000) + strings.Repeat(`]`, 10000), strings.Repeat(`{"a":`, 3000) + `1` + strings.Repeat(`}`, 3000),
	`{"tier":"gold","score":417,"tags":["alpha","echo"],"active":true}`,
}

// checkJSONCanonical fails t when jsonValue and the reference disagree on s.
func checkJSONCanonical(t *testing.T, s string) {
	t.Helper()
	for _, o := range []Options{{}, {NormalizeUnicode: true}} {
		want, wantErr := refJSONValue(s, o)
		got, gotErr := jsonValue(s, o)
		if errText(gotErr) != errText(wantErr) || got != want {
			t.Fatalf("jsonValue(%q, normalize %t) = %q, %v; the reference gives %q, %v",
				s, o.NormalizeUnicode, got.text, gotErr, want.text, wantErr)
		}
		// A document pgx decoded takes writeJSON: hold it to the reference too.
		var doc any
		if json.Unmarshal([]byte(s), &doc) == nil {
			want, wantErr = refJSONValue(map[string]any{s: doc, "k": []any{s}}, o)
			got, gotErr = jsonValue(map[string]any{s: doc, "k": []any{s}}, o)
			if errText(gotErr) != errText(wantErr) || got != want {
				t.Fatalf("jsonValue(decoded %q, normalize %t) = %q, %v; the reference gives %q, %v",
					s, o.NormalizeUnicode, got.text, gotErr, want.text, wantErr)
			}
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestJSONCanonicalSeeds(t *testing.T) {
	t.Parallel()
	for _, s := range jsonSeeds {
		checkJSONCanonical(t, s)
	}
}

// FuzzJSONCanonical holds jsonValue to the reference implementation it
// replaced: the same text, or the same error, for every input.
func FuzzJSONCanonical(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add(s)
	}
	f.Fuzz(checkJSONCanonical)
}

// benchAttrs is a document like the benchmark's attrs column.
const benchAttrs = `{"tier":"platinum","score":417,"tags":["charlie","foxtrot"],"active":true}`

func BenchmarkJSONValue(b *testing.B) {
	for _, bc := range []struct {
		name string
		o    Options
	}{{"strict", Options{}}, {"normalize_unicode", Options{NormalizeUnicode: true}}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := jsonValue(benchAttrs, bc.o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Keys and scalars that meet in FuzzJSONCanonicalDocs: keys that are one
// key once decoded (é escaped or not, two invalid bytes that are both
// U+FFFD) or once normalized (é composed or not), and numbers that are one
// number once canonical.
var (
	fuzzKeys    = []string{`"a"`, `"b"`, `""`, `"\u00e9"`, `"é"`, `"e\u0301"`, "\"e\u0301\"", "\"\xff\"", "\"\xfe\"", `"\ufffd"`, `"\ud800"`, `"Z"`, `"\u2028"`}
	fuzzScalars = []string{`1`, `-0`, `1.50`, `1.5`, `15e-1`, `1e2`, `100`, `0.000`, `1e300000`, `true`, `false`, `null`, `"x"`, `"<&>"`, "\"e\u0301\"", `"\u00e9"`, `"\t\u0001\""`, "\"\x80\"", `123456789012345678901234567890.0`}
	fuzzSpaces  = []string{``, ``, ` `, "\n\t\r "}
)

// fuzzDoc builds a valid document from the bytes of p, so that the
// fuzzer spends its time on how documents render, not on whether they
// parse.
func fuzzDoc(p *[]byte, b *strings.Builder, depth int) {
	next := func() int {
		if len(*p) == 0 {
			return 0
		}
		n := int((*p)[0])
		*p = (*p)[1:]
		return n
	}
	b.WriteString(fuzzSpaces[next()%len(fuzzSpaces)])
	switch n := next(); {
	case n%4 == 0 && depth < 6:
		b.WriteByte('{')
		for i := range next() % 5 {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(fuzzKeys[next()%len(fuzzKeys)])
			b.WriteString(fuzzSpaces[next()%len(fuzzSpaces)] + ":")
			fuzzDoc(p, b, depth+1)
		}
		b.WriteByte('}')
	case n%4 == 1 && depth < 6:
		b.WriteByte('[')
		for i := range next() % 4 {
			if i > 0 {
				b.WriteByte(',')
			}
			fuzzDoc(p, b, depth+1)
		}
		b.WriteByte(']')
	default:
		b.WriteString(fuzzScalars[next()%len(fuzzScalars)])
	}
	b.WriteString(fuzzSpaces[next()%len(fuzzSpaces)])
}

// FuzzJSONCanonicalDocs is FuzzJSONCanonical on valid documents built
// from colliding keys and equal numbers, which arbitrary bytes seldom are.
func FuzzJSONCanonicalDocs(f *testing.F) {
	f.Add([]byte{0, 0, 4, 0, 3, 0, 0, 0, 0, 0, 4, 0, 0, 5, 0, 0, 0, 0})
	f.Add([]byte{0, 0, 3, 0, 8, 0, 0, 0, 0, 9, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, p []byte) {
		var b strings.Builder
		fuzzDoc(&p, &b, 0)
		checkJSONCanonical(t, b.String())
	})
}

// TestJSONCanonicalText pins a few renderings by their text, so that the
// reference and the new code cannot drift together.
func TestJSONCanonicalText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, want  string
		normalize bool
	}{
		{in: `{"b": 1, "a": [1.50, -0, 1e2, 0.010]}`, want: `{"a":[1.5,0,100,0.01],"b":1}`},
		{in: `{"a":1,"a":{"x":2}}`, want: `{"a":{"x":2}}`},
		{in: `"<\u2028\u00e9\ud800\/>"`, want: `"<\u2028é` + "\ufffd" + `/>"`},
		{in: "\"\xff\"", want: "\"\ufffd\""}, // decoding made it U+FFFD
		{in: "{\"\u00e9\":1,\"e\u0301\":2}", want: `{"e` + "\u0301" + `":2,"é":1}`},
		{in: "{\"\u00e9\":1,\"e\u0301\":2}", want: `{"é":1}`, normalize: true},
		{in: `{"a":1} x`, want: "text:" + quote(`{"a":1} x`)},
	} {
		got, err := jsonValue(c.in, Options{NormalizeUnicode: c.normalize})
		if err != nil || got.text != c.want {
			t.Errorf("jsonValue(%q, normalize %t) = %q, %v; want %q", c.in, c.normalize, got.text, err, c.want)
		}
	}
	_, err := jsonValue(`[1e300000]`, Options{})
	if err == nil || !strings.Contains(err.Error(), `"1e300000"`) {
		t.Errorf("jsonValue([1e300000]) error = %v; want one naming the number", err)
	}
}
