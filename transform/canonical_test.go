package transform

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/decanthq/decant/bench/flat"
)

// canonicalOracle is what AppendCanonical must write for doc:
// AppendJSON(DecodeJSON(doc)), after prefix; ok false when DecodeJSON
// refuses doc.
func canonicalOracle(t testing.TB, prefix, doc []byte) (want []byte, ok bool) {
	t.Helper()
	v, err := DecodeJSON(doc)
	if err != nil {
		return nil, false
	}
	want, err = AppendJSON(bytes.Clone(prefix), v)
	if err != nil {
		t.Fatalf("AppendJSON(DecodeJSON(%q)): %v", doc, err)
	}
	return want, true
}

// checkCanonical fails t unless c writes doc as AppendJSON(DecodeJSON(doc))
// after a prefix, or gives up leaving the prefix as it was, and leaves doc
// as it was. It reports whether c wrote it, and whether DecodeJSON
// decodes it.
func checkCanonical(t testing.TB, c *Canonicalizer, doc []byte) (wrote, valid bool) {
	t.Helper()
	orig := string(doc)
	prefix := []byte("prefix:")
	got, ok := c.AppendCanonical(bytes.Clone(prefix), doc)
	if string(doc) != orig {
		t.Fatalf("AppendCanonical(%q) changed its input to %q", orig, doc)
	}
	want, valid := canonicalOracle(t, prefix, doc)
	switch {
	case !ok:
		if !bytes.Equal(got, prefix) {
			t.Fatalf("AppendCanonical(%q) gave up but left %q, want the prefix %q", doc, got, prefix)
		}
	case !valid:
		t.Fatalf("AppendCanonical(%q) = %q, but DecodeJSON refuses the document", doc, got)
	case !bytes.Equal(got, want):
		t.Fatalf("AppendCanonical(%q)\n = %q\nwant %q (AppendJSON(DecodeJSON))", doc, got, want)
	}
	return ok, valid
}

// Ensure AppendCanonical writes what AppendJSON(DecodeJSON) writes for
// DecodeJSON's edge documents, the benchmark's records and wide ones,
// with one Canonicalizer throughout (as a hasher reuses it), and that it
// writes every valid one of them but the too deeply nested.
func TestAppendCanonical_SameAsDecoding(t *testing.T) {
	t.Parallel()
	var c Canonicalizer
	docs := [][]byte{}
	for _, d := range equivDocs {
		docs = append(docs, []byte(d))
	}
	docs = append(docs, benchDocs(200)...)
	docs = append(docs, wideDocs(20)...)
	for round := range 2 {
		for _, doc := range docs {
			ok, valid := checkCanonical(t, &c, doc)
			deep := bytes.Count(doc, []byte("[")) > maxCanonicalDepth
			if valid && !deep && !ok {
				t.Errorf("round %d: AppendCanonical gave up on %.80q, which DecodeJSON decodes", round, doc)
			}
		}
	}
}

// Ensure AppendCanonical spells each edge of numbers, strings, names and
// objects as the ledger's hashes always have (the spelling is pinned, not
// only compared with decoding), and gives up where it must.
func TestAppendCanonical_Cases(t *testing.T) {
	t.Parallel()
	const no = "(gives up)"
	cases := []struct{ doc, want string }{
		// Numbers: DecodeJSON's types, AppendJSON's spelling.
		{`0`, `0`}, {`-0`, `0`}, {`-0.0`, `-0`}, {`0.0`, `0`}, {`1.0`, `1`}, {`1e3`, `1000`}, {`1E+3`, `1000`},
		{`25e-1`, `2.5`}, {`1e-7`, `1e-7`}, {`0.000001`, `0.000001`}, {`1e21`, `1e+21`}, {`-1.5e-7`, `-1.5e-7`},
		{`1e20`, `100000000000000000000`}, {`1e400`, `1e400`}, {`-1E400`, `-1E400`}, {`1e-400`, `0`},
		{`9223372036854775807`, `9223372036854775807`}, {`-9223372036854775808`, `-9223372036854775808`},
		{`9223372036854775808`, `9223372036854775808`}, {`12345678901234567890123`, `12345678901234567890123`},
		{`123456789012345.6`, `123456789012345.6`}, {`1234567890123456.7`, `1234567890123456.7`},
		{`1.0000000000000001`, `1.0000000000000001`}, {`0.30000000000000004`, `0.30000000000000004`},
		{`100000000000000000000.0`, `100000000000000000000.0`} /* 22 digits: kept as text */, {`0.1`, `0.1`},
		{`01`, no}, {`-`, no}, {`1.`, no}, {`.5`, no}, {`+1`, no}, {`1e`, no}, {`NaN`, no}, {`-Infinity`, no},
		// Strings: unescaped, then quoted as jsontext quotes.
		{`""`, `""`}, {`"\u0061"`, `"a"`}, {`"\u00e9"`, `"é"`}, {`"é"`, `"é"`}, {`"\ud83d\ude00"`, `"😀"`},
		{`"\/"`, `"/"`}, {`"a\nb\"c\\d\/e\tf\r\b\f"`, `"a\nb\"c\\d/e\tf\r\b\f"`}, {`"\u0000\u001f"`, `"\u0000\u001f"`},
		{`"\u007f"`, "\"\x7f\""}, {"\"\x7f ~\"", "\"\x7f ~\""}, {"{\"\x7f\":1,\"~\":2}", "{\"~\":2,\"\x7f\":1}"}, {`"<>&"`, `"<>&"`}, {`"\u2028\u2029"`, "\"\u2028\u2029\""},
		{`"\ud800"`, no}, {`"\udc00"`, no}, {`"\ud800\u0041"`, no}, {"\"\xff\"", no}, {"\"\xc3\"", no},
		{"\"a\tb\"", no}, {`"\x"`, no}, {`"\u00"`, no}, {`"abc`, no},
		// Literals, whitespace, trailing data.
		{` true `, `true`}, {"\t\r\nfalse\n", `false`}, {`null`, `null`}, {`tru`, no}, {`nul`, no}, {`truex`, no},
		{``, no}, {` `, no}, {`1 2`, no}, {`{}x`, no}, {`{} {}`, no}, {"\ufeff{}", no},
		// Objects: names sorted by their text, bytewise.
		{`{}`, `{}`}, {`[]`, `[]`}, {` { } `, `{}`}, {`[ ]`, `[]`},
		{`{"b":1,"a":2}`, `{"a":2,"b":1}`}, {`{"a":1,"b":2}`, `{"a":1,"b":2}`},
		{`{"b":{"d":1,"c":[{"f":1,"e":2}]},"a":0}`, `{"a":0,"b":{"c":[{"e":2,"f":1}],"d":1}}`},
		{`{"\u007a":1,"b":2}`, `{"b":2,"z":1}`},                          // the escape sorts before b, its text after
		{`{"a\nb":1,"a":2,"a\u0000":3}`, `{"a":2,"a\u0000":3,"a\nb":1}`}, // names that are written escaped
		{`{"é":1,"z":2,"\u00e9t\u00e9":3}`, `{"z":2,"é":1,"été":3}`},
		{"{\"\x7f\":1,\"~\":2}", "{\"~\":2,\"\x7f\":1}"}, {`{"":1,"A":2,"a":3}`, `{"":1,"A":2,"a":3}`},
		{`{"B":1,"":2}`, `{"":2,"B":1}`}, {`{"ab":1,"a":2}`, `{"a":2,"ab":1}`},
		{`{ "b" : [ 1 , 2 ] , "a" : { } }`, `{"a":{},"b":[1,2]}`},
		// Names twice: the last value wins, as in DecodeJSON.
		{`{"a":1,"a":2}`, `{"a":2}`}, {`{"a":1,"b":2,"a":3}`, `{"a":3,"b":2}`}, {`{"b":1,"a":2,"b":3}`, `{"a":2,"b":3}`},
		{`{"a":1,"\u0061":2}`, `{"a":2}`}, {`{"":1,"":2}`, `{"":2}`}, {`{"x":{"a":1,"a":2}}`, `{"x":{"a":2}}`},
		{`[{"a":1},{"b":{"c":1,"c":2,"c":3}}]`, `[{"a":1},{"b":{"c":3}}]`}, {`{"b":{"z":1},"a":0,"b":[]}`, `{"a":0,"b":[]}`},
		// Syntax.
		{`{`, no}, {`{"a"}`, no}, {`{"a":}`, no}, {`{"a" 1}`, no}, {`{"a":1,}`, no}, {`{,"a":1}`, no}, {`{1:2}`, no},
		{`{"a":1 "b":2}`, no}, {`[1,]`, no}, {`[,1]`, no}, {`[1 2]`, no}, {`[1]]`, no}, {`["a":1]`, no}, {`{"a":1]`, no},
		{`[1}`, no},
	}
	var c Canonicalizer
	for _, tc := range cases {
		got, ok := c.AppendCanonical(nil, []byte(tc.doc))
		switch {
		case tc.want == no && ok:
			t.Errorf("AppendCanonical(%q) = %q, want it to give up", tc.doc, got)
		case tc.want != no && (!ok || string(got) != tc.want):
			t.Errorf("AppendCanonical(%q) = %q, %v; want %q", tc.doc, got, ok, tc.want)
		}
		checkCanonical(t, &c, []byte(tc.doc))
	}
}

// Ensure objects of more members than are sorted by insertion, some
// with a name twice, are sorted as appendObject sorts them.
func TestAppendCanonical_ManyMembers(t *testing.T) {
	t.Parallel()
	var c Canonicalizer
	r := rand.New(rand.NewPCG(3, 4))
	for n := range 60 {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf(`"k%03d\u00e9%s"`, i, strings.Repeat("x", i%3))
		}
		r.Shuffle(n, func(i, j int) { names[i], names[j] = names[j], names[i] })
		var sb strings.Builder
		for i, name := range names {
			fmt.Fprintf(&sb, `,%s:{"v":%d,"u":[%d.5]}`, name, i, i)
		}
		doc := "{" + strings.TrimPrefix(sb.String(), ",") + "}"
		if ok, _ := checkCanonical(t, &c, []byte(doc)); !ok {
			t.Fatalf("AppendCanonical gave up on an object of %d members", n)
		}
		if n > 1 { // a name twice, its last value null; checkCanonical compares with DecodeJSON's
			dup := doc[:len(doc)-1] + "," + names[r.IntN(n)] + ":null}"
			if ok, _ := checkCanonical(t, &c, []byte(dup)); !ok {
				t.Fatalf("AppendCanonical gave up on an object of %d members with a name twice", n+1)
			}
		}
	}
}

// Ensure AppendCanonical writes documents nested up to
// maxCanonicalDepth, unsorted at every level, and leaves deeper ones to
// DecodeJSON (which refuses those deeper than MaxDepth).
func TestAppendCanonical_Depth(t *testing.T) {
	t.Parallel()
	nested := func(depth int) []byte {
		var sb strings.Builder
		for range depth - 1 {
			sb.WriteString(`{"z":1,"a":[`)
		}
		sb.WriteString(`{"y":2,"b":3}`)
		for range depth - 1 {
			sb.WriteString(`]}`)
		}
		return []byte(sb.String())
	}
	var c Canonicalizer
	for _, depth := range []int{1, 2, maxCanonicalDepth/2 - 1, maxCanonicalDepth / 2} {
		if ok, _ := checkCanonical(t, &c, nested(depth)); !ok { // each level is an object and an array
			t.Errorf("AppendCanonical gave up on %d nested objects", depth)
		}
	}
	if ok, _ := checkCanonical(t, &c, nested(maxCanonicalDepth/2+1)); ok {
		t.Errorf("AppendCanonical wrote a document nested deeper than %d", maxCanonicalDepth)
	}
	arrays := func(n int) []byte { return []byte(strings.Repeat("[", n) + strings.Repeat("]", n)) }
	if ok, _ := checkCanonical(t, &c, arrays(maxCanonicalDepth)); !ok {
		t.Errorf("AppendCanonical gave up on %d nested arrays", maxCanonicalDepth)
	}
	for _, n := range []int{maxCanonicalDepth + 1, MaxDepth, MaxDepth + 1} {
		if ok, _ := checkCanonical(t, &c, arrays(n)); ok {
			t.Errorf("AppendCanonical wrote %d nested arrays", n)
		}
	}
}

// Ensure a Canonicalizer reused across random documents (unsorted names,
// escapes, numbers of every type, nesting, now and then a name twice or
// broken syntax) always writes what decoding writes, and writes the
// valid ones.
func TestAppendCanonical_Random(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	var c Canonicalizer
	wrote, valid := 0, 0
	for range 10000 {
		doc := randomJSON(r, 0)
		if r.IntN(20) == 0 { // break it somewhere
			i := r.IntN(len(doc) + 1)
			const breakers = "{}[],:\"\\ 0e.-x\xff"
			doc = doc[:i] + string(breakers[r.IntN(len(breakers))]) + doc[i:]
		}
		ok, isValid := checkCanonical(t, &c, []byte(doc))
		if ok {
			wrote++
		}
		if isValid {
			valid++
		}
	}
	if wrote != valid {
		t.Errorf("AppendCanonical wrote %d of %d random documents DecodeJSON decodes, want all", wrote, valid)
	}
	if valid < 7500 {
		t.Errorf("only %d of the random documents are valid: the test exercises little", valid)
	}
}

var (
	randomNames   = []string{`"a"`, `"b"`, `"ab"`, `"B"`, `""`, `"\u0061"`, `"a\nb"`, `"é"`, `"\u00e9"`, `"z\u0000"`, `"\ud83d\ude00"`, `"\/"`, `"~"`, "\"\x7f\""}
	randomScalars = []string{
		`0`, `-0`, `-0.0`, `1`, `255`, `256`, `-129`, `1.5`, `1e3`, `1E-7`, `2.50`, `1e21`, `1e400`, `-1e400`, `1e-400`,
		`9223372036854775807`, `9223372036854775808`, `123456789012345678901234567890`, `1.0000000000000001`,
		`0.1`, `123456789012345.6`, `1234567890123456.7`, `""`, `"x"`, `"\"q\""`, `"\u2028"`, `"<&>"`, `"\t"`,
		`"été"`, `"\ud83d\ude00"`, `"\u0000"`, `true`, `false`, `null`,
	}
)

// randomJSON is a random JSON document of the things AppendCanonical
// must write as decoding does; rarely with a name twice.
func randomJSON(r *rand.Rand, depth int) string {
	ws := func() string { return []string{"", "", "", " ", "\n\t", "\r\n "}[r.IntN(6)] }
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	k := r.IntN(10)
	if depth > 4 {
		k = 9
	}
	switch {
	case k < 3:
		n := r.IntN(6)
		if r.IntN(10) == 0 {
			n = 17 + r.IntN(8)
		}
		var parts []string
		seen, twice := map[any]bool{}, false
		for i := range n {
			name := pick(randomNames)
			if i >= len(randomNames) || r.IntN(4) == 0 {
				name = fmt.Sprintf(`"n%d"`, r.IntN(1000))
			}
			text, _ := DecodeJSON([]byte(name)) // a name may be spelled two ways
			twice = twice || seen[text]
			seen[text] = true
			parts = append(parts, ws()+name+ws()+":"+ws()+randomJSON(r, depth+1)+ws())
		}
		if twice && r.IntN(10) > 0 {
			return randomJSON(r, depth) // mostly without a name twice
		}
		return "{" + strings.Join(parts, ",") + "}"
	case k < 5:
		var parts []string
		for range r.IntN(5) {
			parts = append(parts, ws()+randomJSON(r, depth+1)+ws())
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	return pick(randomScalars)
}

// FuzzAppendCanonical holds AppendCanonical to AppendJSON(DecodeJSON) on
// any input: the same bytes, or it gives up.
func FuzzAppendCanonical(f *testing.F) {
	for _, doc := range equivDocs {
		if len(doc) < 4096 {
			f.Add([]byte(doc))
		}
	}
	for _, doc := range []string{
		`{"b":1,"a":2}`, `{"\u007a":1,"b":2}`, `{"a\nb":1,"a":2,"a\u0000":3}`, `{"é":1,"z":2,"\u00e9t\u00e9":3}`,
		`{"b":{"d":1,"c":[{"f":1,"e":2}]},"a":0}`, `[-0,-0.0,1e21,1e-7,1e400,25e-1,1.0000000000000001]`,
		`{"a":1,"b":2,"a":3}`, `{"a":1,"\u0061":2}`, `["\u2028","\u007f","\ud800\u0041"]`,
		`{"p":1,"o":2,"n":3,"m":4,"l":5,"k":6,"j":7,"i":8,"h":9,"g":10,"f":11,"e":12,"d":13,"c":14,"b":15,"a":16,"q":17}`,
	} {
		f.Add([]byte(doc))
	}
	f.Add(flat.Make(1, 1).AppendJSON(nil))
	f.Add(wideDocs(1)[0])
	var reused Canonicalizer // state left by one input must not change the next
	f.Fuzz(func(t *testing.T, doc []byte) {
		var fresh Canonicalizer
		a, valid := checkCanonical(t, &fresh, doc)
		b, _ := checkCanonical(t, &reused, doc)
		if a != b {
			t.Fatalf("AppendCanonical(%q) wrote it with one Canonicalizer (%v) and not with another (%v)", doc, a, b)
		}
		if valid && !a && bytes.Count(doc, []byte("{"))+bytes.Count(doc, []byte("[")) <= maxCanonicalDepth {
			t.Fatalf("AppendCanonical gave up on %q, which DecodeJSON decodes", doc)
		}
	})
}

// Ensure AppendCanonical allocates nothing for a record like the
// benchmark's once its buffers have grown.
func TestAppendCanonical_Allocs(t *testing.T) {
	doc := flat.Make(3, 42).AppendJSON(nil)
	var c Canonicalizer
	buf, _ := c.AppendCanonical(nil, doc)
	n := testing.AllocsPerRun(100, func() {
		var ok bool
		if buf, ok = c.AppendCanonical(buf[:0], doc); !ok {
			t.Fatal("gave up")
		}
	})
	if n > 0 {
		t.Errorf("AppendCanonical(bench record) allocates %v times, want 0", n)
	}
}

// BenchmarkCanonical compares AppendCanonical with what it replaces,
// AppendJSON(DecodeJSON), on the benchmark's records and wide ones.
func BenchmarkCanonical(b *testing.B) {
	for _, set := range []struct {
		name string
		docs [][]byte
	}{{"bench", benchDocs(1024)}, {"wide", wideDocs(256)}} {
		b.Run(set.name+"/decode", func(b *testing.B) {
			b.ReportAllocs()
			var buf []byte
			i := 0
			for b.Loop() {
				v, err := DecodeJSON(set.docs[i%len(set.docs)])
				if err != nil {
					b.Fatal(err)
				}
				buf, _ = AppendJSON(buf[:0], v)
				i++
			}
		})
		b.Run(set.name+"/canonical", func(b *testing.B) {
			b.ReportAllocs()
			var c Canonicalizer
			var buf []byte
			i := 0
			for b.Loop() {
				var ok bool
				if buf, ok = c.AppendCanonical(buf[:0], set.docs[i%len(set.docs)]); !ok {
					b.Fatal("gave up")
				}
				i++
			}
		})
	}
}
