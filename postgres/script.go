package postgres

import (
	"context"
	"fmt"

	"github.com/decanthq/decant"
)

var _ decant.ScriptRunner = (*Store)(nil)

// RunScript runs a SQL script of one or more statements. Without arguments
// pgx uses the simple query protocol, in which PostgreSQL runs all the
// statements of one query string in one implicit transaction.
func (s *Store) RunScript(ctx context.Context, script string) error {
	if _, err := s.Pool().Exec(ctx, script); err != nil {
		return fmt.Errorf("run script: %w", err)
	}
	return nil
}
