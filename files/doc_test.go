package files_test

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"slices"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/files"
	"github.com/decanthq/decant/internal/sourcetest"
	"github.com/decanthq/decant/transform"
)

// Ensure a good CSV row comes with its decoded row (Doc): the fields by
// column name, as strings, so the engine maps it without decoding JSON;
// its Raw stays the JSON object stored errors have always kept. A row that
// did not parse has no Doc, and JSON Lines records have none either.
func TestCSVDoc(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "people.csv")
	writeFile(t, path, "id,name,note\n1,Asha,\"two\nlines, \"\"quoted\"\"\"\n2,Bo\n,Cy,\n")
	recs := sourcetest.ReadAll(t, newSource(t, path, files.Config{Key: "id"}), nil)
	if len(recs) != 3 {
		t.Fatalf("read %d records, want 3", len(recs))
	}
	want := []any{
		map[string]any{"id": "1", "name": "Asha", "note": "two\nlines, \"quoted\""},
		nil, // row has 2 fields, the header has 3
		map[string]any{"id": "", "name": "Cy", "note": ""},
	}
	for i, r := range recs {
		var got any
		if r.Doc != nil {
			got = r.Doc.Value()
		}
		if d := cmp.Diff(want[i], got); d != "" {
			t.Errorf("record %d (%s): Doc (-want +got):\n%s", i, r.Where, d)
		}
		sourcetest.CheckDoc(t, r)
	}
	if got := string(recs[0].Raw); got != `{"id":"1","name":"Asha","note":"two\nlines, \"quoted\""}` {
		t.Errorf("raw of a good row = %s, want the JSON object of its fields in column order", got)
	}

	jl := filepath.Join(dir, "a.jsonl")
	writeFile(t, jl, `{"id":"a"}`+"\n")
	if recs := sourcetest.ReadAll(t, newSource(t, jl, files.Config{Key: "id"}), nil); len(recs) != 1 || recs[0].Doc != nil {
		t.Errorf("JSON Lines record has a Doc: %+v", recs)
	}
}

// Ensure a good CSV row's Doc is a decant.RowDocument whose fields, by
// the header's columns, are its Value, and whose Columns is one slice for
// every row of a read: the mapper works out its plan for a header once,
// by that slice, and would work it out again for every row otherwise.
func TestCSVRowDocument(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "people.csv")
	writeFile(t, path, "id,name,note\n1,Asha,\"two\nlines\"\n2,Bo\n3,Cy,\n4,Di,x\n")
	var header []string
	good := 0
	for _, r := range sourcetest.ReadAll(t, newSource(t, path, files.Config{Key: "id"}), nil) {
		if r.Doc == nil {
			continue
		}
		rd, ok := r.Doc.(decant.RowDocument)
		if !ok {
			t.Fatalf("record %s: Doc is a %T, not a decant.RowDocument", r.Where, r.Doc)
		}
		good++
		cols, fields := rd.Columns(), rd.Fields()
		want := map[string]any{}
		for i, c := range cols {
			want[c] = fields[i]
		}
		if d := cmp.Diff(want, r.Doc.Value()); d != "" || len(fields) != len(cols) {
			t.Errorf("record %s: fields %q by columns %q are not its Value (-fields +value):\n%s", r.Where, fields, cols, d)
		}
		if header == nil {
			header = cols
		} else if unsafe.SliceData(cols) != unsafe.SliceData(header) {
			t.Errorf("record %s: Columns is another slice than the first row's", r.Where)
		}
	}
	if good != 3 || !slices.Equal(header, []string{"id", "name", "note"}) {
		t.Errorf("%d good rows with header %q, want 3 with id, name, note", good, header)
	}
}

// Ensure that for any rows a CSV file holds, each good row's Doc and Raw
// are one document: the ledger hashes the Doc, and a retry of a stored
// error maps the Raw, so the two must never drift apart.
func FuzzCSVDocMatchesRaw(f *testing.F) {
	for _, s := range [][]string{
		{"1", "plain", ""},
		{"2", "two\nlines", "ünïcödé"},
		{"3", `"quoted", comma`, "\t<&>\u2028"},
		{"", `{"json":1}`, "\\"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.Write([]string{"id", "b c", "c\"d"})
		_ = w.Write([]string{a, b, c})
		w.Flush()
		path := filepath.Join(t.TempDir(), "f.csv")
		writeFile(t, path, buf.String())
		recs, err := drain(newSource(t, path, files.Config{Key: "id"}), nil)
		if err != nil {
			t.Skip(err) // e.g. a field that empties the row: csv skips blank lines
		}
		for _, r := range recs {
			if r.Invalid != "" {
				if r.Doc != nil {
					t.Errorf("invalid row %q has a Doc", r.Invalid)
				}
				continue
			}
			sourcetest.CheckDoc(t, r)
			v, err := transform.DecodeJSON(r.Raw)
			if err != nil {
				t.Fatalf("raw %s: %v", r.Raw, err)
			}
			if d := cmp.Diff(v, r.Doc.Value()); d != "" {
				t.Errorf("Doc differs from raw decoded (-raw +doc):\n%s", d)
			}
		}
	})
}
