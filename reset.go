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
}
