package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/decanthq/decant"
)

var _ decant.ChunkCheckpointer = (*Store)(nil)

// ChunkCheckpoints returns the stored positions of the chunks of (scope,
// step) by chunk name. State tables without decant_chunks (none yet, or
// older than version 8, as a dry run may read them) hold no chunk.
func (s *Store) ChunkCheckpoints(ctx context.Context, scope, step string) (map[string]decant.Position, error) {
	rows, err := s.pool.Query(ctx, "SELECT chunk, position FROM decant_chunks WHERE scope = $1 AND step = $2", scope, step)
	if err == nil {
		defer rows.Close()
		out := map[string]decant.Position{}
		for rows.Next() {
			var chunk, pos string
			if err := rows.Scan(&chunk, &pos); err != nil {
				return nil, fmt.Errorf("postgres: read the chunks of %s/%s: %w", scope, step, err)
			}
			out[chunk] = decant.Position(pos)
		}
		err = rows.Err()
		if err == nil {
			return out, nil
		}
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "42P01" { // undefined_table
		return nil, nil
	}
	return nil, fmt.Errorf("postgres: read the chunks of %s/%s: %w", scope, step, err)
}
