package engine

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/bench/flat"
	"github.com/decanthq/decant/transform"
)

// hashTextDocs are records for the flat mapper: the benchmark's, ones
// whose names and numbers are spelled otherwise, ones that do not map,
// and ones that are not JSON DecodeJSON takes.
func hashTextDocs() []string {
	docs := []string{
		`{"id":1,"name":"a","email":"e","created_at":"2024-01-01T00:00:00Z","amount":"1.50","attrs":{"b":1,"a":[2.0,1e3,-0.0]}}`,
		` {"attrs":{"z":"\u00e9\n","y":null},"amount":"2","created_at":"2024-01-01T00:00:00Z","email":"\u0065","name":"b","id":2} `,
		`{"id":3,"name":"c","email":"e","created_at":"2024-01-01T00:00:00Z","amount":"1","attrs":{"n":12345678901234567890,"f":1.0000000000000001}}`,
		`{"id":4,"name":"d","email":"e","created_at":"not a time","amount":"1","attrs":{}}`,
		`{"id":5,"name":"e","email":"e","created_at":"2024-01-01T00:00:00Z","amount":"x","attrs":[]}`,
		`{"id":6,"name":"f","email":"e","created_at":"2024-01-01T00:00:00Z","amount":"1","attrs":{"a":1,"a":2}}`,
		`{"id":7,"name":"g","id":7}`,
		`{"id":8,"name":"\ud800","email":"e"}`,
		"{\"id\":9,\"name\":\"\xff\"}",
		`{"id":10,"name":"h"} trailing`,
		`{"id":11,"name":`,
		`[{"id":12}]`,
		`{"id":13,"attrs":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}`,
		`{"id":14,"extra":{"q":1,"p":2},"name":null,"email":"e","created_at":"2024-01-01T00:00:00Z","amount":1.5,"attrs":"s"}`,
		`{"id":null,"name":"no id"}`,
	}
	for i := range 100 {
		docs = append(docs, string(flat.Make(9, int64(100+i)).AppendJSON(nil)))
	}
	return docs
}

// docBatch is a read batch of the documents as lines of in.jsonl, keyed
// by their line numbers.
func docBatch(docs []string) readBatch {
	var b readBatch
	for i, doc := range docs {
		b.recs = append(b.recs, decant.Record{Key: fmt.Sprint(i + 1), Raw: []byte(doc), Where: fmt.Sprintf("in.jsonl:%d", i+1)})
	}
	return b
}

// Ensure the mapper stage gives each JSON record the source hash, rows
// and failure it gave when it decoded every record (transform.RecordValue,
// hasher.value, MapValue), now that it hashes the text of the records the
// mapper reads from their text, and that it does take that path for the
// benchmark's records.
func TestMapBatchHashesTextAsDecoded(t *testing.T) {
	t.Parallel()
	m := flatMapper(t)
	b := docBatch(hashTextDocs())
	b.recs = append(b.recs, decant.Record{Key: "", Raw: b.recs[0].Raw, Where: "in.jsonl:keyless"},
		decant.Record{Key: "x", Raw: b.recs[1].Raw, Where: "in.jsonl:invalid", Invalid: "line too long"})
	got := mapBatch([]*transform.Mapper{m}, decant.DefaultScope, b)

	var h hasher
	textPath := 0
	for i, rec := range b.recs {
		// What mapRange did before it hashed text.
		var want sums
		var out transform.Output
		var fail *transform.Failure
		if v, err := transform.RecordValue(rec); err != nil {
			out, fail = m.Map(rec, decant.DefaultScope)
			want.source = h.raw(rec.Raw)
		} else {
			want.source = h.value(v)
			out, fail = m.MapValue(rec, v, decant.DefaultScope)
			if fail == nil {
				want.target = h.rows(out.Rows)
			}
		}
		if got.sums[i] != want {
			t.Errorf("%s: sums %+v, want %+v as decoding gives", rec.Where, got.sums[i], want)
		}
		if !reflect.DeepEqual(got.outs[i], out) || !reflect.DeepEqual(got.fails[i], fail) {
			t.Errorf("%s: output %+v, failure %v; want %+v, %v as decoding gives", rec.Where, got.outs[i], got.fails[i], out, fail)
		}
		if m.ReadsJSONText(rec) {
			if sum, _, _, ok := h.mapText(m, rec, decant.DefaultScope); ok && h.sumsOf(sum, nil).source == want.source {
				textPath++
			}
		}
	}
	if textPath < 100 {
		t.Errorf("%d records hashed from their text, want at least the 100 benchmark records", textPath)
	}
}

// Ensure hasher.text gives the hash hasher.value gives the decoded
// document, and gives up on what it cannot be sure of.
func TestHasherText(t *testing.T) {
	t.Parallel()
	var h hasher
	for _, doc := range hashTextDocs() {
		got, ok := h.text([]byte(doc))
		v, err := transform.DecodeJSON([]byte(doc))
		switch {
		case ok && err != nil:
			t.Errorf("text(%.60q) hashed a document DecodeJSON refuses: %v", doc, err)
		case ok && got != h.value(v):
			t.Errorf("text(%.60q) = %s, value gives %s", doc, got, h.value(v))
		}
	}
	// A pinned hash: the ledger's source_hash of this record must not
	// change with the way it is computed.
	doc := ` {"b":[1.0,"\u00e9"],"a":{"d":-0,"c":1e3}} `
	want := "80414e889f4564c3b6e89872817cf548" // of {"a":{"c":1000,"d":0},"b":[1,"é"]}, as computed before text was hashed
	if got, ok := h.text([]byte(doc)); !ok || got != want {
		t.Errorf("text(%s) = %s, %v; want %s", doc, got, ok, want)
	}
	if v, err := transform.DecodeJSON([]byte(doc)); err != nil || h.value(v) != want {
		t.Errorf("value(%s) = %s, %v; want %s", doc, h.value(v), err, want)
	}
}

// BenchmarkSourceHash compares the source hash of a benchmark record
// decoded (transform.RecordValue and hasher.value, as mapRange did) with
// the hash of its text (hasher.text); and mapping and hashing it both
// ways, as mapRange does.
func BenchmarkSourceHash(b *testing.B) {
	recs := make([]decant.Record, 1024)
	for i := range recs {
		recs[i] = decant.Record{Key: fmt.Sprint(i + 1), Raw: flat.Make(1, int64(i+1)).AppendJSON(nil), Where: "bench"}
	}
	m := flatMapper(b)
	run := func(name string, f func(h *hasher, rec decant.Record)) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var h hasher
			i := 0
			for b.Loop() {
				f(&h, recs[i%len(recs)])
				i++
			}
		})
	}
	run("hash/decoded", func(h *hasher, rec decant.Record) {
		v, err := transform.RecordValue(rec)
		if err != nil {
			b.Fatal(err)
		}
		h.value(v)
	})
	run("hash/text", func(h *hasher, rec decant.Record) {
		if _, ok := h.text(rec.Raw); !ok {
			b.Fatal("gave up")
		}
	})
	run("map+hash/decoded", func(h *hasher, rec decant.Record) {
		v, err := transform.RecordValue(rec)
		if err != nil {
			b.Fatal(err)
		}
		h.value(v)
		if _, f := m.MapValue(rec, v, decant.DefaultScope); f != nil {
			b.Fatal(f)
		}
	})
	run("map+hash/text", func(h *hasher, rec decant.Record) {
		if _, _, f, ok := h.mapText(m, rec, decant.DefaultScope); !ok || f != nil {
			b.Fatal(ok, f)
		}
	})
}
