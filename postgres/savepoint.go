package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/decanthq/decant"
)

var _ decant.Savepointer = (*tx)(nil)

// Savepoint marks a point in the transaction that RollbackTo returns to.
func (t *tx) Savepoint(ctx context.Context, name string) error {
	return t.spExec(ctx, "SAVEPOINT ", name)
}

// RollbackTo undoes what followed the savepoint name; it also ends the
// aborted state an error leaves a PostgreSQL transaction in.
func (t *tx) RollbackTo(ctx context.Context, name string) error {
	return t.spExec(ctx, "ROLLBACK TO SAVEPOINT ", name)
}

// Release forgets the savepoint name, keeping what followed it.
func (t *tx) Release(ctx context.Context, name string) error {
	return t.spExec(ctx, "RELEASE SAVEPOINT ", name)
}

func (t *tx) spExec(ctx context.Context, verb, name string) error {
	if _, err := t.Exec(ctx, verb+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("postgres: %s%s: %w", verb, name, err)
	}
	return nil
}
