package sqlite

import (
	"context"
	"fmt"

	"github.com/decanthq/decant"
)

var _ decant.ScriptRunner = (*Store)(nil)

// RunScript runs a SQL script of one or more statements in one transaction.
func (s *Store) RunScript(ctx context.Context, script string) error {
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("run script: %w", err)
	}
	if _, err := tx.ExecContext(ctx, script); err != nil {
		tx.Rollback()
		return fmt.Errorf("run script: %w", err)
	}
	return tx.Commit()
}
