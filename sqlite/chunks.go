package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/decanthq/decant"
)

var _ decant.ChunkCheckpointer = (*Store)(nil)

// ChunkCheckpoints returns the stored positions of the chunks of (scope,
// step) by chunk name. State tables without decant_chunks (none yet, or
// older than version 8, as a dry run may read them) hold no chunk.
func (s *Store) ChunkCheckpoints(ctx context.Context, scope, step string) (map[string]decant.Position, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT chunk, position FROM decant_chunks WHERE scope = ? AND step = ?", scope, step)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil, nil
		}
		return nil, fmt.Errorf("sqlite: read the chunks of %s/%s: %w", scope, step, err)
	}
	defer rows.Close()
	out := map[string]decant.Position{}
	for rows.Next() {
		var chunk, pos string
		if err := rows.Scan(&chunk, &pos); err != nil {
			return nil, fmt.Errorf("sqlite: read the chunks of %s/%s: %w", scope, step, err)
		}
		out[chunk] = decant.Position(pos)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: read the chunks of %s/%s: %w", scope, step, err)
	}
	return out, nil
}
