package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
)

var _ decant.ErrorResolver = (*Store)(nil)

const resolveByHandSQL = `
UPDATE decant_errors SET resolved = true, updated = now(), history = history || $4::text
WHERE NOT resolved AND scope = $1 AND (cardinality($2::bigint[]) = 0 OR id = ANY($2)) AND ($3 = '' OR step = $3)
RETURNING id, scope, step, key, ` + errorExtras + `, message, detail, coalesce(payload, ''), attempts, resolved, created, updated`

// ResolveErrors closes by hand the open errors r selects, appending
// r.Reason to their history, and returns them. Errors already resolved are
// left as they are; an ID that names no open error is an error wrapping
// decant.ErrNotFound, and nothing is resolved.
func (s *Store) ResolveErrors(ctx context.Context, r decant.ResolveRequest) ([]decant.RecordError, error) {
	if err := decant.CheckResolve(r); err != nil {
		return nil, err
	}
	line := decant.HistoryTime(time.Now()) + " " + decant.ResolvedByHand + " " + stateText(r.Reason) + "\n"
	var out []decant.RecordError
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, resolveByHandSQL, r.Scope, nonNil(r.IDs), r.Step, line)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, scanError)
		if err != nil {
			return err
		}
		return decant.MissingResolved(r, out)
	})
	if err != nil {
		if errors.Is(err, decant.ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("postgres: resolve errors: %w", err)
	}
	return out, nil
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}
