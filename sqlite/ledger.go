package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/decanthq/decant"
)

const ledgerByKeySQL = `
SELECT key, source_hash, target_hash, status, updated FROM decant_ledger
WHERE scope = ? AND step = ? AND key IN (SELECT value FROM json_each(?))`

// Ledger returns the ledger rows of (scope, step) for keys that have one;
// none when decant has not written to the database yet.
func (s *Store) Ledger(ctx context.Context, scope, step string, keys []string) ([]decant.LedgerRow, error) {
	list, _ := json.Marshal(append([]string{}, keys...))
	rows, err := s.read.QueryContext(ctx, ledgerByKeySQL, scope, step, string(list))
	if err != nil {
		none, err := s.noState(ctx, err)
		if none {
			return nil, nil
		}
		return nil, fmt.Errorf("sqlite: read ledger of %s/%s: %w", scope, step, err)
	}
	defer rows.Close()
	var out []decant.LedgerRow
	for rows.Next() {
		var l decant.LedgerRow
		var updated string
		if err := rows.Scan(&l.Key, &l.SourceHash, &l.TargetHash, &l.Status, &updated); err != nil {
			return nil, fmt.Errorf("sqlite: read ledger of %s/%s: %w", scope, step, err)
		}
		l.Updated = parseStamp(updated)
		out = append(out, l)
	}
	return out, rows.Err()
}
