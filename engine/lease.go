package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/decanthq/decant"
)

// acquireLease takes the scope's lease for cfg.Holder. When a run of this
// host holds it and that run's process is gone (killed, crashed), the lease
// cannot outlive it in any useful way: acquireLease breaks that holder's
// lease and tries once more instead of waiting for it to expire. A holder on
// another host, or one whose pid is alive, is never taken over.
func acquireLease(ctx context.Context, cfg Config, l decant.Leaser) error {
	err := l.AcquireLease(ctx, cfg.Scope, cfg.Holder, cfg.LeaseTTL)
	var le *decant.LeaseError
	if !errors.As(err, &le) || !deadHere(cfg.Holder, le.HeldBy) {
		return err
	}
	// BreakLease matches the dead holder exactly, so if another run got in
	// first it keeps the scope and the second AcquireLease names it.
	if err := l.BreakLease(ctx, cfg.Scope, le.HeldBy); err != nil {
		return fmt.Errorf("take over the lease of %s, which is no longer running: %w", le.Holder, err)
	}
	return l.AcquireLease(ctx, cfg.Scope, cfg.Holder, cfg.LeaseTTL)
}

// deadHere reports whether held names a process on self's host that no
// longer runs. Hosts are compared by name, so this trusts that one name
// means one PID namespace (see docs/operations.md).
func deadHere(self, held decant.Holder) bool {
	return held.Host != "" && held.Host == self.Host &&
		held.PID > 0 && held.PID != self.PID && !processAlive(held.PID)
}
