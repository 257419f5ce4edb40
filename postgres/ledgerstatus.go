package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
)

var _ decant.LedgerStatusLister = (*Store)(nil)

const ledgerKeysByStatusSQL = `SELECT key FROM decant_ledger
WHERE scope = $1 AND step = $2 AND status = $3 AND key > $4 ORDER BY key LIMIT $5`

// LedgerKeysByStatus returns up to limit ledger keys of (scope, step) with
// status, after after, in byte order (the ledger's keys are COLLATE "C").
func (s *Store) LedgerKeysByStatus(ctx context.Context, scope, step, status, after string, limit int) ([]string, error) {
	rows, err := s.pool.Query(ctx, ledgerKeysByStatusSQL, stateText(scope), stateText(step), status, after, limit)
	if err != nil {
		none, err := s.noState(ctx, err)
		if none {
			return nil, nil
		}
		return nil, fmt.Errorf("postgres: %s ledger keys of %s/%s: %w", status, scope, step, err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: %s ledger keys of %s/%s: %w", status, scope, step, err)
	}
	return keys, nil
}
