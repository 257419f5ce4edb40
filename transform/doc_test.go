package transform_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// rowDoc is a record's decoded document, as a CSV source hands it over.
type rowDoc map[string]any

func (d rowDoc) Value() any { return map[string]any(d) }

// Ensure the mapper reads a record's Doc when its source decoded it, and
// does not decode Raw (here deliberately not JSON, and disagreeing): a CSV
// row is mapped from its fields, not from JSON built out of them. A record
// without a Doc is still decoded from Raw, and an invalid record fails with
// its source's reason whatever its Doc.
func TestMapper_ReadsDoc(t *testing.T) {
	t.Parallel()
	m := mustMapper(t, transform.Spec{
		Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Map: exprs(t, false, nil, "id", "record.id", "name", "record.name"),
	})
	doc := rowDoc{"id": "f1", "name": "Asha"}
	r := decant.Record{Key: "f1", Raw: []byte(`not json {"name":"Raw"}`), Doc: doc, Where: "people.csv:2"}
	out, f := m.Map(r, "default")
	if f != nil {
		t.Fatalf("Map of a record with a Doc: %+v", f)
	}
	want := []transform.Row{{Table: "forms", Cols: []string{"id", "name"}, Vals: []any{"f1", "Asha"}}}
	if d := cmp.Diff(want, out.Rows); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	v, err := transform.RecordValue(r)
	if err != nil || !cmp.Equal(v, doc.Value()) {
		t.Errorf("RecordValue = %v, %v; want the Doc's value", v, err)
	}

	r.Doc = nil
	if _, f := m.Map(r, "default"); f == nil || f.Message != "record is not valid JSON" {
		t.Errorf("Map of the same record without a Doc = %+v, want Raw decoded (and refused)", f)
	}

	r.Doc, r.Invalid = doc, "row has 1 field, the header has 2"
	if _, f := m.Map(r, "default"); f == nil || f.Message != "row has 1 field, the header has 2 (people.csv:2)" {
		t.Errorf("Map of an invalid record with a Doc = %+v, want the source's reason", f)
	}
}
