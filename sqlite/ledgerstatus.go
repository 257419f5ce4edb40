package sqlite

import (
	"context"
	"fmt"

	"github.com/decanthq/decant"
)

var _ decant.LedgerStatusLister = (*Store)(nil)

// LedgerKeysByStatus returns up to limit ledger keys of (scope, step) with
// status, after after, in byte order (SQLite's BINARY collation).
func (s *Store) LedgerKeysByStatus(ctx context.Context, scope, step, status, after string, limit int) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT key FROM decant_ledger
WHERE scope = ? AND step = ? AND status = ? AND key > ? ORDER BY key LIMIT ?`, scope, step, status, after, limit)
	if err != nil {
		none, err := s.noState(ctx, err)
		if none {
			return nil, nil
		}
		return nil, fmt.Errorf("sqlite: %s ledger keys of %s/%s: %w", status, scope, step, err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("sqlite: %s ledger keys of %s/%s: %w", status, scope, step, err)
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}
