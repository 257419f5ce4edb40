package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/decanthq/decant"
)

// ForgetCheckpoints deletes the checkpoints of scope's steps in one
// transaction.
func (s *Store) ForgetCheckpoints(ctx context.Context, scope string, steps []string) error {
	names, err := json.Marshal(steps)
	if err != nil {
		return fmt.Errorf("sqlite: forget the checkpoints of %s: %w", scope, err)
	}
	err = s.inTx(ctx, func(ctx context.Context, t *sql.Tx) error {
		for _, table := range []string{"decant_checkpoints", "decant_chunks"} {
			q := "DELETE FROM " + table + " WHERE scope = ? AND step IN (SELECT value FROM json_each(?))"
			if _, err := t.ExecContext(ctx, q, scope, string(names)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: forget the checkpoints of %s: %w", scope, err)
	}
	return nil
}

// heldElsewhereSQL finds the ledger's scopes by walking its primary key
// (scope, step, key) one scope at a time, then looks the keys up in each
// other scope by that key: no index on (step, key) is needed.
const heldElsewhereSQL = `WITH RECURSIVE scopes(scope) AS (
  SELECT min(scope) FROM decant_ledger
  UNION ALL
  SELECT (SELECT min(l.scope) FROM decant_ledger l WHERE l.scope > s.scope)
  FROM scopes s WHERE s.scope IS NOT NULL
)
SELECT l.key, l.scope FROM scopes s
JOIN decant_ledger l ON l.scope = s.scope AND l.step = ? AND l.key IN (SELECT value FROM json_each(?))
WHERE s.scope <> ? AND l.status <> '` + decant.StatusDeleted + `'
ORDER BY l.key, l.scope`

// HeldElsewhere returns which of keys another scope's ledger of step
// holds, not as deleted, with those scopes.
func (s *Store) HeldElsewhere(ctx context.Context, scope, step string, keys []string) (map[string][]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, fmt.Errorf("sqlite: keys of %s/%s other scopes hold: %w", scope, step, err)
	}
	rows, err := s.read.QueryContext(ctx, heldElsewhereSQL, step, string(list), scope)
	if err != nil {
		return nil, fmt.Errorf("sqlite: keys of %s/%s other scopes hold: %w", scope, step, err)
	}
	defer rows.Close()
	held := map[string][]string{}
	for rows.Next() {
		var key, other string
		if err := rows.Scan(&key, &other); err != nil {
			return nil, fmt.Errorf("sqlite: keys of %s/%s other scopes hold: %w", scope, step, err)
		}
		held[key] = append(held[key], other)
	}
	return held, rows.Err()
}
