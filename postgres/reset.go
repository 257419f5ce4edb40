package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
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
