package decant

import "context"

// ScopeResetter is the role of a Store that can take back what decant
// wrote for a scope, for decant reset. The engine deletes each step's
// target rows chunk by chunk with WriteBatch (Batch.Deletes and
// Batch.Forget, so a chunk's rows and ledger rows go together); this role
// lists what to delete and removes the rest of the scope's state.
type ScopeResetter interface {
	// LedgerKeys returns up to limit ledger keys of (scope, step) greater
	// than after, in ascending byte order; none when decant has not
	// written to the database yet.
	LedgerKeys(ctx context.Context, scope, step, after string, limit int) ([]string, error)
	// CountRows counts the rows d picks (its Mark is ignored).
	CountRows(ctx context.Context, d RowDeletes) (int64, error)
	// ResetState deletes, in one transaction, everything the state
	// tables keep of scope: checkpoints, ledger, errors, audit rows,
	// findings, verify runs and their progress, patches. With step not
	// empty, only that step's (verify runs, which span steps, stay). Its
	// lease and lifecycle rows stay. Other scopes are untouched.
	ResetState(ctx context.Context, scope, step string) error
	// ForgetCheckpoints deletes, in one transaction, the checkpoints of
	// scope's steps. A reset does it before its first chunk, so that a
	// migrate run after a stopped reset reads those steps from the start
	// and writes back the rows the chunks deleted.
	ForgetCheckpoints(ctx context.Context, scope string, steps []string) error
	// HeldElsewhere returns which of keys (ledger keys of step) the
	// ledger of a scope other than scope holds with a status other than
	// deleted, each with those scopes, sorted. A reset leaves the rows of
	// such a key when they are the other scope's too (its key columns
	// compute the same there): the document moved to that scope.
	HeldElsewhere(ctx context.Context, scope, step string, keys []string) (map[string][]string, error)
}
