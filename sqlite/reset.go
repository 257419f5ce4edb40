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

// heldElsewhereSQL finds the ledger's scopes by walking the blocks' index
// (scope, step, id) one scope at a time, then reads the blocks of step ?1
// of each scope but ?2 that where picks for the asked keys ?3: no index
// on (step, key) is needed.
func heldElsewhereSQL(where string) string {
	return `WITH RECURSIVE scopes(scope) AS (
  SELECT min(scope) FROM decant_ledger_blocks
  UNION ALL
  SELECT (SELECT min(b.scope) FROM decant_ledger_blocks b WHERE b.scope > s.scope)
  FROM scopes s WHERE s.scope IS NOT NULL
), asked(key) AS (SELECT value FROM json_each(?3))
SELECT key, scope FROM (` + lastEntries("b.scope IN (SELECT scope FROM scopes WHERE scope IS NOT NULL AND scope <> ?2) AND b.step = ?1 AND "+where) + `)
WHERE status <> '` + decant.StatusDeleted + `'
ORDER BY key, scope`
}

// HeldElsewhere returns which of keys another scope's ledger of step
// holds, not as deleted, with those scopes.
func (s *Store) HeldElsewhere(ctx context.Context, scope, step string, keys []string) (map[string][]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	where, args := asking(keys)
	rows, err := s.read.QueryContext(ctx, heldElsewhereSQL(where), append([]any{step, scope}, args...)...)
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
