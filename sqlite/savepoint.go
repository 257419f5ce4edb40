package sqlite

import (
	"context"
	"fmt"

	"github.com/decanthq/decant"
)

var _ decant.Savepointer = (*tx)(nil)

// Savepoint marks a point in the transaction that RollbackTo returns to.
func (t *tx) Savepoint(ctx context.Context, name string) error {
	return t.spExec(ctx, "SAVEPOINT ", name)
}

// RollbackTo undoes what followed the savepoint name.
func (t *tx) RollbackTo(ctx context.Context, name string) error {
	return t.spExec(ctx, "ROLLBACK TO ", name)
}

// Release forgets the savepoint name, keeping what followed it.
func (t *tx) Release(ctx context.Context, name string) error {
	return t.spExec(ctx, "RELEASE ", name)
}

func (t *tx) spExec(ctx context.Context, verb, name string) error {
	if _, err := t.ExecContext(ctx, verb+quote(name)); err != nil {
		return fmt.Errorf("sqlite: %s%s: %w", verb, name, err)
	}
	return nil
}
