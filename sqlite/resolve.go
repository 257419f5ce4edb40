package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/decanthq/decant"
)

var _ decant.ErrorResolver = (*Store)(nil)

const resolveByHandSQL = `
UPDATE decant_errors SET resolved = 1, updated = ?, history = history || ?
WHERE resolved = 0 AND scope = ?
  AND (json_array_length(?) = 0 OR id IN (SELECT value FROM json_each(?)))
  AND (? = '' OR step = ?)
RETURNING id, scope, step, key, ` + errorExtras + `, message, detail, coalesce(payload, ''), attempts, resolved, created, updated`

// ResolveErrors closes by hand the open errors r selects, appending
// r.Reason to their history, and returns them. Errors already resolved are
// left as they are; an ID that names no open error is an error wrapping
// decant.ErrNotFound, and nothing is resolved.
func (s *Store) ResolveErrors(ctx context.Context, r decant.ResolveRequest) ([]decant.RecordError, error) {
	if err := decant.CheckResolve(r); err != nil {
		return nil, err
	}
	now := time.Now()
	line := decant.HistoryTime(now) + " " + decant.ResolvedByHand + " " + r.Reason + "\n"
	ids, _ := json.Marshal(append([]int64{}, r.IDs...))
	var out []decant.RecordError
	err := s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, resolveByHandSQL, stamp(now), line, r.Scope,
			string(ids), string(ids), r.Step, r.Step)
		if err != nil {
			return err
		}
		if out, err = scanErrors(rows); err != nil {
			return err
		}
		return decant.MissingResolved(r, out)
	})
	if err != nil {
		if errors.Is(err, decant.ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("sqlite: resolve errors: %w", err)
	}
	return out, nil
}
