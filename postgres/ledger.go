package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
)

const ledgerByKeySQL = `
SELECT key, source_hash, target_hash, status, updated FROM decant_ledger
WHERE scope = $1 AND step = $2 AND key = ANY($3::text[])`

// Ledger returns the ledger rows of (scope, step) for keys that have one;
// none when decant has not written to the database yet.
func (s *Store) Ledger(ctx context.Context, scope, step string, keys []string) ([]decant.LedgerRow, error) {
	rows, err := s.pool.Query(ctx, ledgerByKeySQL, stateText(scope), stateText(step), textsOf(keys))
	if err != nil {
		none, err := s.noState(ctx, err)
		if none {
			return nil, nil
		}
		return nil, fmt.Errorf("postgres: read ledger of %s/%s: %w", scope, step, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (decant.LedgerRow, error) {
		var l decant.LedgerRow
		err := r.Scan(&l.Key, &l.SourceHash, &l.TargetHash, &l.Status, &l.Updated)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: read ledger of %s/%s: %w", scope, step, err)
	}
	return out, nil
}
