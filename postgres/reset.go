package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
)

// ForgetCheckpoints deletes the checkpoints of scope's steps in one
// transaction: the steps' own and their chunks'.
func (s *Store) ForgetCheckpoints(ctx context.Context, scope string, steps []string) error {
	names := make([]string, len(steps))
	for i, st := range steps {
		names[i] = stateText(st)
	}
	var b pgx.Batch
	b.Queue(`DELETE FROM decant_checkpoints WHERE scope = $1 AND step = ANY($2)`, stateText(scope), names)
	b.Queue(`DELETE FROM decant_chunks WHERE scope = $1 AND step = ANY($2)`, stateText(scope), names)
	err := pgx.BeginFunc(ctx, s.pool, func(t pgx.Tx) error { return t.SendBatch(ctx, &b).Close() })
	if err != nil {
		return fmt.Errorf("postgres: forget the checkpoints of %s: %w", scope, err)
	}
	return nil
}

// heldElsewhereSQL finds the ledger's scopes by a loose index scan of its
// primary key (scope, step, key), then looks the keys up in each other
// scope by that key: no index on (step, key) is needed, and a chunk costs
// a few index probes per scope rather than a scan of the ledger.
const heldElsewhereSQL = `WITH RECURSIVE scopes(scope) AS (
  (SELECT scope FROM decant_ledger ORDER BY scope LIMIT 1)
  UNION ALL
  SELECT (SELECT l.scope FROM decant_ledger l WHERE l.scope > s.scope ORDER BY l.scope LIMIT 1)
  FROM scopes s WHERE s.scope IS NOT NULL
)
SELECT l.key, l.scope FROM scopes s
JOIN decant_ledger l ON l.scope = s.scope AND l.step = $2 AND l.key = ANY($3)
WHERE s.scope <> $1 AND l.status <> '` + decant.StatusDeleted + `'
ORDER BY l.key, l.scope`

// HeldElsewhere returns which of keys another scope's ledger of step
// holds, not as deleted, with those scopes.
func (s *Store) HeldElsewhere(ctx context.Context, scope, step string, keys []string) (map[string][]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, heldElsewhereSQL, stateText(scope), stateText(step), keys)
	if err != nil {
		return nil, fmt.Errorf("postgres: keys of %s/%s other scopes hold: %w", scope, step, err)
	}
	defer rows.Close()
	held := map[string][]string{}
	var key, other string
	_, err = pgx.ForEachRow(rows, []any{&key, &other}, func() error {
		held[key] = append(held[key], other)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: keys of %s/%s other scopes hold: %w", scope, step, err)
	}
	return held, nil
}
