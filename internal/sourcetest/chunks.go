package sourcetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/google/go-cmp/cmp"
)

// chunkCounts are the numbers of chunks the suite asks for: one, a few
// that do not divide its record counts, and more than there are records.
var chunkCounts = []int{1, 2, 3, 4, 7, 100}

// runChunks runs the chunk tests of a source that is a decant.Chunker.
func runChunks(t *testing.T, h Harness) {
	probe := h.New(t, nil)
	_, ok := probe.(decant.Chunker)
	closeSource(t, probe)
	if !ok {
		return
	}
	t.Run("Chunks", func(t *testing.T) {
		keys := Keys(29)
		src := h.New(t, keys)
		ChunkedReads(t, src, keys)
		closeSource(t, src)
	})
	t.Run("ChunksEmpty", func(t *testing.T) {
		src := h.New(t, nil)
		ChunkedReads(t, src, nil)
		closeSource(t, src)
	})
	t.Run("ChunksFewerRowsThanN", func(t *testing.T) {
		keys := Keys(2)
		src := h.New(t, keys)
		if got := len(PlanChunks(t, src, nil, 4)); got != 2 {
			t.Errorf("4 chunks of 2 records: planned %d, want 2", got)
		}
		ChunkedReads(t, src, keys)
		closeSource(t, src)
	})
	t.Run("ChunksAfterPosition", func(t *testing.T) { testChunksAfter(t, h) })
	if h.Append != nil {
		t.Run("ChunksKeepTheirBounds", func(t *testing.T) { testChunksKeepBounds(t, h) })
	}
}

// ChunkedReads checks the chunks of src (a decant.Chunker) that holds the
// records of keys: for every number of chunks, the chunks together read
// every key once, and a read resumed from any record's position, after a
// JSON round trip, reads exactly the rest of its chunk. A source's own
// tests call it on tables the suite cannot make (keys of several columns).
func ChunkedReads(t *testing.T, src decant.Source, keys []string) {
	t.Helper()
	for _, n := range chunkCounts {
		starts := PlanChunks(t, src, nil, n)
		if want := max(min(n, len(keys)), 1); len(starts) != want {
			t.Errorf("%d chunks of %d records: planned %d, want %d", n, len(keys), len(starts), want)
		}
		var got []string
		for i, start := range starts {
			chunk := ReadAll(t, src, roundTrip(t, start))
			got = append(got, keysOf(chunk)...)
			for j, r := range chunk {
				rest := keysOf(ReadAll(t, src, roundTrip(t, r.Position)))
				if want := keysOf(chunk[j+1:]); !slices.Equal(rest, want) {
					t.Fatalf("%d chunks: chunk %d resumed after %q (%s) reads:\n%s", n, i+1, r.Key, r.Position, cmp.Diff(want, rest))
				}
			}
		}
		if !sameSet(keys, got) || len(got) != len(keys) {
			t.Errorf("%d chunks read other keys than the source's, or some twice:\n%s", n, cmp.Diff(sorted(keys), sorted(got)))
		}
	}
}

// PlanChunks asks src, a decant.Chunker, for up to n chunks after pos.
func PlanChunks(t testing.TB, src decant.Source, pos decant.Position, n int) []decant.Position {
	t.Helper()
	starts, err := src.(decant.Chunker).Chunks(context.Background(), "", pos, n)
	if err != nil {
		t.Fatalf("Chunks(%s, %d): %v", pos, n, err)
	}
	return starts
}

// testChunksAfter plans chunks after a record's position: together they
// read the records after it, once each.
func testChunksAfter(t *testing.T, h Harness) {
	keys := Keys(23)
	src := h.New(t, keys)
	all := ReadAll(t, src, nil)
	pos := all[6].Position
	var got []string
	for _, start := range PlanChunks(t, src, pos, 3) {
		got = append(got, keysOf(ReadAll(t, src, start))...)
	}
	if want := keysOf(all[7:]); !sameSet(want, got) || len(got) != len(want) {
		t.Errorf("chunks after %q read:\n%s", all[6].Key, cmp.Diff(sorted(want), sorted(got)))
	}
	closeSource(t, src)
}

// testChunksKeepBounds plans chunks, then adds records after the last: a
// chunk's stored start still reads the keys it read before, and only the
// last chunk, which has no end, reads the new ones.
func testChunksKeepBounds(t *testing.T, h Harness) {
	keys := Keys(12)
	src := h.New(t, keys[:9])
	starts := PlanChunks(t, src, nil, 3)
	before := make([][]string, len(starts))
	for i, start := range starts {
		before[i] = keysOf(ReadAll(t, src, start))
	}
	h.Append(t, src, keys[9:])
	for i, start := range starts {
		want := before[i]
		if i == len(starts)-1 {
			want = append(slices.Clone(want), keys[9:]...)
		}
		if got := keysOf(ReadAll(t, src, start)); !sameSet(want, got) || len(got) != len(want) {
			t.Errorf("chunk %d after an append reads:\n%s", i+1, cmp.Diff(sorted(want), sorted(got)))
		}
	}
	closeSource(t, src)
}

// CompositeRows are the rows (a, b) of a table keyed by both columns for
// [CompositeChunks]: 20 rows share a = 1, so that chunk boundaries fall
// among them, then one row for each a from 2 to 7. b values sort as text.
func CompositeRows() [][2]any {
	var rows [][2]any
	for i := range 20 {
		rows = append(rows, [2]any{1, fmt.Sprintf("b%02d", i)})
	}
	for a := 2; a <= 7; a++ {
		rows = append(rows, [2]any{a, "b00"})
	}
	return rows
}

// CompositeChunks checks the chunks of src, a read keyed by "a, b" of a
// table holding [CompositeRows]: every count of chunks reads every row
// once and resumes exactly, and with 3 chunks both boundaries fall inside
// the rows of a = 1, so that only the second column tells the chunks apart.
func CompositeChunks(t *testing.T, src decant.Source) {
	t.Helper()
	var keys []string
	for _, r := range ReadAll(t, src, nil) {
		keys = append(keys, r.Key)
	}
	if len(keys) != len(CompositeRows()) {
		t.Fatalf("read %d rows, want %d", len(keys), len(CompositeRows()))
	}
	ChunkedReads(t, src, keys)
	starts := PlanChunks(t, src, nil, 3)
	for i, start := range starts[1:] {
		first := ReadAll(t, src, start)
		if len(first) == 0 || !strings.HasPrefix(first[0].Key, "[1,") {
			t.Errorf("chunk %d of 3 starts at %v, want a key with a = 1 (start %s)", i+2, keysOf(first[:min(1, len(first))]), start)
		}
	}
}
