package engine

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/files"
	"github.com/decanthq/decant/transform"
)

// trickyCSVAttrs are attrs documents (bench/csv.yaml decodes them into a
// JSON column) that take every path of decoding and writing JSON: nesting,
// unicode escapes, numbers spelled many ways, names out of order, space
// around the document, large documents, and what decoding refuses or
// what is not an object or an array.
var trickyCSVAttrs = []string{
	`{"tier":"t1","n":1}`,
	`{"b":{"d":[1,{"y":2,"x":1}],"c":null},"a":[],"":{}}`,
	`{"s":"\u00e9\ud83d\ude00\u2028\u0000","\u0041":"\/","é":"\"q\" \\ \t"}`,
	`[1.0,1e3,-0,-0.0,0.1,1E-7,1e21,123456789012345678901234567890,1.5e300,-1e-400,0e5]`,
	"  [ 1 , {\"b\" : 2 , \"a\" : 1} ]\n\t",
	`{"big":"` + strings.Repeat("x", 700) + `","n":[` + strings.Repeat("1,", 100) + `1]}`,
	`{"a":"\ud800"}`,
	`{"a":1}x`,
	`{"a":`,
	`{"a":"\x"}`,
	`{'a':1}`,
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	`"just a string"`,
	`5`,
	`1.50`,
	`null`,
	`true`,
	``,
	"{\"ctl\":\"a\x01b\"}",
	"{\"bad\":\"\xff\"}",
}

// writeTrickyCSV writes a flat CSV file of one row per trickyCSVAttrs
// document, with names, emails, times and amounts that take the source
// hash's quoting and the coercions' paths, and a row without a key and
// one whose id is not a number.
func writeTrickyCSV(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tricky.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	rows := [][]string{{"id", "name", "email", "created_at", "amount", "attrs"}}
	names := []string{"plain", `quote " back \ slash`, "tab\there", "café \u2028 😀", "\x7f del", "", "line\nbreak\r"}
	for i, a := range trickyCSVAttrs {
		rows = append(rows, []string{fmt.Sprint(i + 1), names[i%len(names)], fmt.Sprintf("c%d@example.com", i),
			fmt.Sprintf("2024-03-%02dT10:00:00.5+02:00", 1+i%28), fmt.Sprintf(" %d.%02d", i, i), a})
	}
	rows = append(rows, []string{"", "no key", "e", "2024-01-01T00:00:00Z", "1", `{"a":1}`},
		[]string{"x", "not a number", "e", "2024-01-01T00:00:00Z", "1", `{"a":1}`})
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// readCSVBatch reads the whole CSV file at path as the pipeline's reader
// does.
func readCSVBatch(t *testing.T, path string) readBatch {
	t.Helper()
	src, err := files.New(path, files.Config{Key: "id"})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := src.Read(context.Background(), decant.DefaultScope, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b readBatch
	for rows.Next(context.Background()) {
		b.recs = append(b.recs, rows.Record())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b
}

// csvOutcome spells what the mapper stage made of each record: its key,
// its hashes, and its failure or its attrs column.
func csvOutcome(b readBatch, mb mappedBatch) []string {
	var out []string
	for i, rec := range b.recs {
		s := fmt.Sprintf("%q %s %s ", rec.Key, mb.sums[i].source, mb.sums[i].target)
		if f := mb.fails[i]; f != nil {
			s += strings.ReplaceAll("failed: "+f.Message+": "+f.Detail, rec.Where, "WHERE")
		} else {
			row := mb.outs[i].Rows[0]
			s += fmt.Sprintf("%s=%T:%.80s", row.Cols[5], row.Vals[5], row.Vals[5])
		}
		out = append(out, s)
	}
	return out
}

// Ensure the records of a CSV file whose attrs a plan decodes
// (json_decode(record.attrs), bench/csv.yaml) keep the source hashes,
// target hashes, JSON values and failures they had before CSV rows were
// mapped and hashed from their fields: existing ledgers compare against
// these hashes. The pins were computed by the code of commit 06c1e4d,
// which built each row's map, hashed it and ran the expression; never
// update them to make this test pass. The duplicate-name document is in
// TestCSVRowPathIsMapPath, which holds the two paths equal whatever rule
// decoding has for it.
func TestCSVDecodedAttrsGolden(t *testing.T) {
	t.Parallel()
	b := readCSVBatch(t, writeTrickyCSV(t))
	got := csvOutcome(b, mapBatch([]*transform.Mapper{flatCSVMapper(t)}, decant.DefaultScope, b))
	want := []string{
		"\"1\" a7362e3f54b588f215ae673f69e2ea19 0787f42fe171ba44e45877f499c4f331 attrs=decant.JSON:{\"n\":1,\"tier\":\"t1\"}",
		"\"2\" 74bf5a05396fc1bc10e15c88ba07d0f6 8a7ca699bd0df145da184f344c42cf81 attrs=decant.JSON:{\"\":{},\"a\":[],\"b\":{\"c\":null,\"d\":[1,{\"x\":1,\"y\":2}]}}",
		"\"3\" c1bdec61fa138c8df86a63343b5bb779 e30f6fb90cfa00d5032554268ce22bf6 attrs=decant.JSON:{\"A\":\"/\",\"s\":\"é😀\u2028\\u0000\",\"é\":\"\\\"q\\\" \\\\ \\t\"}",
		"\"4\" 2bb3de31392c23289696b45e3be089d1 71e253b638490a74aed33f96c9c28f6f attrs=decant.JSON:[1,1000,0,-0,0.1,1e-7,1e+21,123456789012345678901234567890,1.5e+300,-0,0]",
		"\"5\" 1b2be7c6bb2d0221d3b47a4ad4dbdada a6c3651ebcff9c74e43606f7074a4542 attrs=decant.JSON:[1,{\"a\":1,\"b\":2}]",
		"\"6\" 542b33312cf85b0cab587859d16024d4 1331006a2145fb580b2e6c5172c7df34 attrs=decant.JSON:{\"big\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		"\"7\" 5b7090b481f0d24ecb93285421c808c3  failed: cannot compute column attrs: invalid UTF-8 at /a (byte 6): invalid surrogate pair `\\ud800\"}` in string: table flat, column attrs = json_decode(record.attrs): invalid UTF-8 at /a (byte 6): invalid surrogate pair `\\ud800\"}` in string (at line 1, column 1 of the expression)\n | json_decode(record.attrs)\n | ^",
		"\"8\" e517d6a14010e21b3e04421231e98bbc  failed: cannot compute column attrs: unexpected data after the JSON value at byte 7: table flat, column attrs = json_decode(record.attrs): unexpected data after the JSON value at byte 7 (at line 1, column 1 of the expression)\n | json_decode(record.attrs)\n | ^",
		"\"9\" 6a001aa637fd27fa400f2d209edb55dd  failed: cannot compute column attrs: unexpected EOF within \"/a\" after offset 5: table flat, column attrs = json_decode(record.attrs): unexpected EOF within \"/a\" after offset 5 (at line 1, column 1 of the expression)\n | json_decode(record.attrs)\n | ^",
		"\"10\" 43d7dabda4a023a4e617969299bfab3d  failed: cannot compute column attrs: invalid escape sequence `\\x` in string within \"/a\" after offset 6: table flat, column attrs = json_decode(record.attrs): invalid escape sequence `\\x` in string within \"/a\" after offset 6 (at line 1, column 1 of the expression)\n | json_decode(record.attrs)\n | ^",
		"\"11\" 4289ac670e81e7530c933f4c6c49d3e2  failed: cannot compute column attrs: invalid character '\\'' at start of value after offset 1: table flat, column attrs = json_decode(record.attrs): invalid character '\\'' at start of value after offset 1 (at line 1, column 1 of the expression)\n | json_decode(record.attrs)\n | ^",
		"\"12\" 8f72dbd23ea399e0599bb4d23113039a  failed: cannot compute column attrs: nested deeper than 10000 levels, at byte 10000: table flat, column attrs = json_decode(record.attrs): nested deeper than 10000 levels, at byte 10000 (at line 1, column 1 of the expression)\n | json_decode(record.attrs)\n | ^",
		"\"13\" cf050cff4365abd22ab4f7ee6b22bf29 88ee5846eb50fb41ff669e5219f861ae attrs=decant.JSON:\"just a string\"",
		"\"14\" d8c9cf214d1aa195afca4c25903f4965 3747fc43cd19b8a04639dd36c615e6ca attrs=decant.JSON:5",
		"\"15\" 15c3a9f5dd30e57a73a0820b52744e8a 24bc420c0124391e16960d160adf70a9 attrs=decant.JSON:1.5",
		"\"16\" 835bfbc4e107efcc2ded177f53cd4f42 a0acb9813c53d70dfaf0bd3bfebdd416 attrs=<nil>:%!s(<nil>)",
		"\"17\" bd9f7609b88cd9c9d88f34e55db673ba 4e5af8382aba890ef91991230bad0882 attrs=decant.JSON:true",
		"\"18\" b3a3f8e45618ee5c2148bd7e6cc8cd2a  failed: cannot compute column attrs: EOF: empty input: table flat, column attrs = json_decode(record.attrs): EOF: empty input (at line 1, column 1 of the expression)\n | json_decode(record.attrs)\n | ^",
		"\"19\" 04933756e8ff95d151d4a276fe739ae9  failed: cannot compute column attrs: invalid character '\\x01' in string (expecting non-control character) within \"/ctl\" after offset 9: table flat, column attrs = json_decode(record.attrs): invalid character '\\x01' in string (expecting non-control character) within \"/ctl\" after offset 9 (at line 1, column 1 of the expression)\n | json_decode(record.attrs)\n | ^",
		"\"20\" 35b4ab7aeea7f1d4db8c8802e3fcf98f  failed: column \"attrs\" is not valid UTF-8 at byte 8 of its value (WHERE): WHERE: column \"attrs\" is not valid UTF-8 at byte 8 of its value",
		"\"\" b5a100f1ad1f484c2fc3973ee11f3ab0  failed: record has no key: WHERE: the key is missing or empty",
		"\"x\" 1fc3cd9f3be5ca14397118944e3234e6  failed: invalid value for id: table flat: column id: cannot convert \"x\" to int: not a whole number",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("CSV outcome differs from the pinned one (-pinned +got):\n%s", d)
		for _, s := range got {
			t.Logf("%#v,", s)
		}
	}
}

// valueDoc hides a row's fields: the mapper stage then maps and hashes
// the object of them, as it did before rows were read from their fields.
type valueDoc struct{ d decant.Document }

func (v valueDoc) Value() any { return v.d.Value() }

// Ensure the mapper stage gives a CSV row read from its fields exactly
// what it gives the object of its fields (the map path): hashes, values,
// failures, on the tricky documents and on names that repeat in an object,
// whatever rule decoding has for those. It fails if the row path differs
// in a single byte.
func TestCSVRowPathIsMapPath(t *testing.T) {
	t.Parallel()
	trickyCSVAttrs := append(slices.Clone(trickyCSVAttrs), `{"a":1,"a":2}`, `{"b":{"x":1,"x":[2]},"a":0}`, `[{"k":1,"k":1}]`)
	path := filepath.Join(t.TempDir(), "dups.csv")
	var sb strings.Builder
	sb.WriteString("id,name,email,created_at,amount,attrs\n")
	for i, a := range trickyCSVAttrs {
		fmt.Fprintf(&sb, "%d,n,e,2024-01-01T00:00:00Z,1.5,\"%s\"\n", i+1, strings.ReplaceAll(a, `"`, `""`))
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{writeTrickyCSV(t), path} {
		rows := readCSVBatch(t, file)
		values := readBatch{recs: slices.Clone(rows.recs)}
		for i, rec := range values.recs {
			if rec.Doc != nil {
				values.recs[i].Doc = valueDoc{rec.Doc}
			}
		}
		m := flatCSVMapper(t)
		got := csvOutcome(rows, mapBatch([]*transform.Mapper{m}, decant.DefaultScope, rows))
		want := csvOutcome(values, mapBatch([]*transform.Mapper{m}, decant.DefaultScope, values))
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: the row path differs from the map path (-map +row):\n%s", filepath.Base(file), d)
		}
	}
}
