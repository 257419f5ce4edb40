package sqlite

import (
	"context"
	"database/sql"
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

var _ decant.ScopedScriptRunner = (*Store)(nil)

// RunScopedScript runs script as RunScript does, with each ${scope} a
// named parameter bound to scope in every statement that names it.
func (s *Store) RunScopedScript(ctx context.Context, script, scope string) error {
	bound, _ := decant.BindScope(script, "$decant_scope")
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("run script: %w", err)
	}
	if _, err := tx.ExecContext(ctx, bound, sql.Named("decant_scope", scope)); err != nil {
		tx.Rollback()
		return fmt.Errorf("run script: %w", err)
	}
	return tx.Commit()
}
