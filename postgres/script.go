package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
)

var _ decant.ScriptRunner = (*Store)(nil)

// setupLock is the advisory lock key that serializes scripts: runs of
// several scopes at once (--parallel) run the same setup script, and two
// CREATE TABLE IF NOT EXISTS of one table at once fail in PostgreSQL.
const setupLock = 0x646563616e743032

// lockScript is the statement that takes setupLock until the script's
// transaction ends.
var lockScript = fmt.Sprintf("SELECT pg_advisory_xact_lock(%d);\n", int64(setupLock))

// RunScript runs a SQL script of one or more statements. Without arguments
// pgx uses the simple query protocol, in which PostgreSQL runs all the
// statements of one query string in one implicit transaction, which first
// takes setupLock.
func (s *Store) RunScript(ctx context.Context, script string) error {
	if _, err := s.Pool().Exec(ctx, lockScript+script); err != nil {
		return fmt.Errorf("run script: %w", err)
	}
	return nil
}

var _ decant.ScopedScriptRunner = (*Store)(nil)

// RunScopedScript runs script as RunScript does, in one transaction, with
// each ${scope} read from a setting of that transaction that holds scope:
// the scope is bound as a parameter, and the script still runs in the
// simple query protocol, which alone takes several statements.
func (s *Store) RunScopedScript(ctx context.Context, script, scope string) error {
	bound, _ := decant.BindScope(script, "current_setting('decant.scope')")
	err := pgx.BeginFunc(ctx, s.Pool(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('decant.scope', $1, true)", scope); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, lockScript+bound)
		return err
	})
	if err != nil {
		return fmt.Errorf("run script: %w", err)
	}
	return nil
}
