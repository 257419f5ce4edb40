package transform_test

import (
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/bench/flat"
	"github.com/decanthq/decant/transform"
)

// Ensure a record spelled with spaces after its colons is mapped as one
// spelled without: a member mapped whole into a JSON column is taken from
// the canonical text the same pass wrote, not decoded and written again
// (which would cost more allocations than the compact record's).
func TestMapCanonicalSpacedMembers(t *testing.T) {
	m := benchMapper(t, false)
	var c transform.Canonicalizer
	allocs := func(raw string) float64 {
		rec := decant.Record{Key: "1", Raw: []byte(raw), Where: "f:1"}
		buf := make([]byte, 0, 1024)
		return testing.AllocsPerRun(200, func() { m.MapCanonical(rec, "s", &c, buf[:0]) })
	}
	compact := allocs(`{"id":1,"name":"n","attrs":{"k1":"v","k2":[1,2,{"x":1,"y":"zz"}],"k3":{"a":1,"b":2}}}`)
	spaced := allocs(`{"id": 1, "name": "n", "attrs": {"k1": "v", "k2": [1, 2, {"x": 1, "y": "zz"}], "k3": {"a": 1, "b": 2}}}`)
	if spaced > compact {
		t.Errorf("the spaced record took %.0f allocations, the compact one %.0f: its JSON member was decoded again", spaced, compact)
	}
}

// Ensure MapCanonical makes the values of the benchmark's records from
// its blocks: a record took 14 allocations before they were shared by
// the records one Canonicalizer maps, and takes a fraction of one now
// (a new block every few dozen records).
func TestMapCanonicalAllocs(t *testing.T) {
	if transform.RaceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	m := benchMapper(t, false)
	recs := make([]decant.Record, 512)
	for i := range recs {
		recs[i] = decant.Record{Key: "1", Raw: flat.Make(3, int64(i+1)).AppendJSON(nil), Where: "f:1"}
	}
	var c transform.Canonicalizer
	buf := make([]byte, 0, 1024)
	allocs := testing.AllocsPerRun(5, func() {
		for _, rec := range recs {
			if _, _, f, ok := m.MapCanonical(rec, "s", &c, buf[:0]); !ok || f != nil {
				t.Fatal(ok, f)
			}
		}
	})
	if per := allocs / float64(len(recs)); per > 0.5 {
		t.Errorf("MapCanonical took %.2f allocations a benchmark record, want at most 0.5", per)
	}
}
