package engine

import (
	"fmt"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/bench/flat"
	"github.com/decanthq/decant/transform"
)

// BenchmarkMapStage is the mapper stage of the JSONL benchmark per record:
// mapping a record of bench/gen's, its source hash and its target hash
// (mapStepBatch with one mapper, as one worker runs it).
func BenchmarkMapStage(b *testing.B) {
	const n = 1000
	var rb readBatch
	for i := range n {
		rb.recs = append(rb.recs, decant.Record{Key: fmt.Sprint(i + 1), Raw: flat.Make(1, int64(i+1)).AppendJSON(nil), Where: "bench"})
	}
	ms := []*transform.Mapper{flatMapper(b)}
	b.ReportAllocs()
	for b.Loop() {
		rb.keys = nil
		if mb := mapBatch(ms, decant.DefaultScope, rb); mb.fails[0] != nil {
			b.Fatal(mb.fails[0])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
	b.ReportMetric(0, "ns/op")
}
