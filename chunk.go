package decant

import "context"

// Chunker is an optional ability of a Source: split the records after pos
// into key ranges that can be read at once, each by its own reader, for a
// step with `parallel: N`. A relational source has it.
//
// Each position returned starts one chunk and holds the chunk's bounds, so
// that [Source.Read] from it, and from the position of any record it
// yields, reads only the keys of that chunk. The engine stores the
// positions before it reads, so a resumed run reuses the same bounds even
// when rows were added since; the first chunk starts at pos and the last
// has no upper bound, so together they read every record a plain Read
// from pos would.
type Chunker interface {
	// Chunks plans up to n chunks of the records after pos, in key order:
	// fewer when there are fewer records, one (from pos, unbounded) when
	// there are none.
	Chunks(ctx context.Context, scope string, pos Position, n int) ([]Position, error)
}

// ChunkCheckpointer is the role of a Store that keeps a checkpoint per
// chunk of a step read in parallel (decant_chunks), written by WriteBatch
// for a [Batch] whose Chunk is set. The step's own checkpoint
// ([Store.Checkpoint]) is the one of a step read by one reader.
type ChunkCheckpointer interface {
	// ChunkCheckpoints returns the stored positions of the chunks of
	// (scope, step), by chunk name; none when the step was never read in
	// chunks, also when decant has not written to the database yet.
	ChunkCheckpoints(ctx context.Context, scope, step string) (map[string]Position, error)
}
