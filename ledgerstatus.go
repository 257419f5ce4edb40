package decant

import "context"

// LedgerStatusLister is the role of a Store that lists a step's ledger
// keys of one status. Verify uses it to learn the keys whose last record
// the source reported deleted (StatusDeleted): a source read again may
// not give its deleted records back (CouchDB's bulk read omits them), and
// with on_delete ignore or mark their kept rows are then neither expected
// nor extra. It writes nothing.
type LedgerStatusLister interface {
	// LedgerKeysByStatus returns up to limit ledger keys of (scope, step)
	// with status, greater than after, in ascending byte order; none when
	// decant has not written to the database yet.
	LedgerKeysByStatus(ctx context.Context, scope, step, status, after string, limit int) ([]string, error)
}

// LedgerCompactor is the role of a Store that keeps its ledger in blocks,
// one per written batch (see docs/state.md): a key written again gets a
// new entry in a later block, and its older entries stay until the step's
// blocks are compacted. The engine calls CompactLedger, under the scope's
// lease, at the end of each step a run finishes (not one a signal
// stopped), and before a reset pages through a step's keys. Compaction
// changes no
// key's fate, only how many entries the readers scan.
type LedgerCompactor interface {
	// CompactLedger rewrites the blocks of (scope, step) so that each key
	// keeps only its last entry, when the step's blocks may hold
	// superseded entries and enough was written since the last compaction
	// to pay for it (the store's rule, documented in docs/state.md). It
	// reports what it found and did.
	CompactLedger(ctx context.Context, scope, step string) (LedgerCompaction, error)
}

// LedgerCompaction is what a CompactLedger call found and did.
type LedgerCompaction struct {
	// Entries is the number of entries the step's blocks held before.
	Entries int64 `json:"entries"`
	// Kept is the number they hold after: the step's keys (and forgotten
	// keys dropped) when it compacted, Entries when it did not.
	Kept int64 `json:"kept"`
	// Checked says whether the store looked for superseded entries (a
	// scan of the step's keys); false when too little was written since
	// the last compaction.
	Checked bool `json:"checked"`
	// Rewrote says whether it rewrote the blocks.
	Rewrote bool `json:"rewrote"`
}

// StatusForgotten is the status of a ledger entry that says its key no
// longer names a record (a reset chunk, a moved error's old key). Stores
// that keep their ledger in blocks write it; no reader ever returns it: a
// key whose last entry is forgotten has no ledger row.
const StatusForgotten = "forgotten"
