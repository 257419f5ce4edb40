package engine

import (
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// flatDoc is a record's decoded document, as a CSV source hands it over.
type flatDoc map[string]any

func (d flatDoc) Value() any { return map[string]any(d) }

// Ensure the mapper stage maps and hashes a record's Doc, not its Raw: the
// Raw here is not JSON, so decoding it would fail the record. The source
// hash is that of the same document read as JSON, so a CSV row keeps the
// hash it had when it went through JSON, and a retry of its stored payload
// hashes alike.
func TestMapBatch_UsesDoc(t *testing.T) {
	t.Parallel()
	doc := flatDoc{"id": "7", "name": "Asha", "email": "a@example.com", "created_at": "2024-03-10T10:00:00Z",
		"amount": "12.50", "attrs": `{"tier":"t1"}`}
	asJSON := `{"id":"7","name":"Asha","email":"a@example.com","created_at":"2024-03-10T10:00:00Z","amount":"12.50","attrs":"{\"tier\":\"t1\"}"}`
	recs := []decant.Record{
		{Key: "7", Raw: []byte("7,Asha,not json"), Doc: doc, Where: "flat.csv:2"},
		{Key: "7", Raw: []byte(asJSON), Where: "flat.jsonl:1"},
	}
	mb := mapBatch([]*transform.Mapper{flatMapper(t)}, decant.DefaultScope, readBatch{recs: recs})
	for i, f := range mb.fails {
		if f != nil {
			t.Fatalf("record %d (%s) failed: %+v", i, recs[i].Where, f)
		}
	}
	if mb.sums[0] != mb.sums[1] {
		t.Errorf("hashes of the Doc %+v differ from those of the same document as JSON %+v", mb.sums[0], mb.sums[1])
	}
	if mb.keys[0] != "7" {
		t.Errorf("ledger key %q, want 7", mb.keys[0])
	}
}
