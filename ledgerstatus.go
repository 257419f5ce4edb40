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
