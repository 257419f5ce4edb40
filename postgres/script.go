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

// RunScript runs a SQL script of one or more statements, under setupLock.
// Without arguments pgx uses the simple query protocol, in which
// PostgreSQL runs all the statements of one query string in one implicit
// transaction; a script of one statement runs alone, so a statement that
// refuses a transaction block (CREATE INDEX CONCURRENTLY) still works.
func (s *Store) RunScript(ctx context.Context, script string) error {
	return s.locked(ctx, func(c *pgx.Conn) error {
		_, err := c.Exec(ctx, script)
		return err
	})
}

var _ decant.ScopedScriptRunner = (*Store)(nil)

// RunScopedScript runs script as RunScript does, with each ${scope} read
// from a setting of the session that holds scope: the scope is bound as a
// parameter, and the script still runs in the simple query protocol,
// which alone takes several statements. The setting is cleared after.
func (s *Store) RunScopedScript(ctx context.Context, script, scope string) error {
	bound, _ := decant.BindScope(script, "current_setting('decant.scope')")
	return s.locked(ctx, func(c *pgx.Conn) error {
		if _, err := c.Exec(ctx, "SELECT set_config('decant.scope', $1, false)", scope); err != nil {
			return err
		}
		_, err := c.Exec(ctx, bound)
		if _, rerr := c.Exec(context.WithoutCancel(ctx), "RESET decant.scope"); err == nil {
			err = rerr
		}
		return err
	})
}

// locked runs fn on one connection of the pool that holds setupLock, a
// session lock taken and released around it, so that the script's own
// statements decide its transactions. A connection whose lock could not
// be released is closed, which releases it.
func (s *Store) locked(ctx context.Context, fn func(*pgx.Conn) error) error {
	conn, err := s.Pool().Acquire(ctx)
	if err != nil {
		return fmt.Errorf("run script: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(setupLock)); err != nil {
		return fmt.Errorf("run script: lock: %w", err)
	}
	err = fn(conn.Conn())
	if _, uerr := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(setupLock)); uerr != nil {
		conn.Conn().Close(context.WithoutCancel(ctx))
	}
	if err != nil {
		return fmt.Errorf("run script: %w", err)
	}
	return nil
}
