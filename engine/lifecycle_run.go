package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// finish drains a finishing scope's sources to their end, with no lag
// window, then verifies it: finished when clean, finishing (and a
// *NotCleanError) when not. A stop before the drain ends leaves it
// finishing, to run again.
func finish(ctx context.Context, cfg Config, life *lifecycle, steps []*plan.Step, mappers map[string]*transform.Mapper,
	stop <-chan struct{}, res *Result) error {
	command := life.res.Command
	cfg.Mode = ModeFinish // no lag window: the fence is up
	res.Rounds++
	if _, err := runRound(ctx, cfg, steps, mappers, stop, res); err != nil {
		return fmt.Errorf("%w\nscope %s stays finishing: fix the cause and run decant migrate --finish again", err, cfg.Scope)
	}
	if stopped(stop) {
		life.res.Summary = "stopped before the sources were drained: the scope stays finishing; run decant migrate --finish again"
		return nil
	}
	return life.finishVerify(ctx, command)
}

// autoFinish finishes a live scope that has caught up, under the same
// lease: on_finish, drain, verify; then commit when clean (nothing was
// written since the verify, the lease being held), or unfinish, back to
// live, when not.
func autoFinish(ctx context.Context, cfg Config, life *lifecycle, steps []*plan.Step, mappers map[string]*transform.Mapper,
	stop <-chan struct{}, res *Result) error {
	const command = "migrate --live --auto-finish"
	if err := life.enterFinishing(ctx, command); err != nil {
		return err
	}
	err := finish(ctx, cfg, life, steps, mappers, stop, res)
	var nc *NotCleanError
	if errors.As(err, &nc) {
		if uerr := life.unfinish(ctx, command, command+": verify not clean: "+nc.Summary); uerr != nil {
			return errors.Join(err, uerr)
		}
		nc.State = life.state()
		life.res.Summary = "left live: " + nc.Summary
		return nc
	}
	if err != nil || life.state() != decant.StateFinished {
		return err
	}
	if err := life.commit(ctx, command); err != nil {
		return err
	}
	life.res.Summary = "committed: " + life.res.Summary
	return nil
}

// Unfinish moves cfg.Scope from finishing or finished back to live, after
// the plan's on_unfinish hook (which lifts the fence); a failing hook
// leaves the state as it was. It holds the scope's lease, so it is
// refused while a run holds the scope.
func Unfinish(ctx context.Context, cfg Config) (*LifecycleResult, error) {
	return withScope(ctx, cfg, "unfinish", func(ctx context.Context, l *lifecycle) error {
		if err := l.unfinish(ctx, "unfinish", "unfinish: the scope is live again"); err != nil {
			return err
		}
		l.res.Summary = "live again: run decant migrate --live, then --finish"
		return nil
	})
}

// Commit moves cfg.Scope from finished to committed, for good: it
// verifies the scope again under its lease (nothing may have been written
// since the finish, by decant or by hand), refuses with a *NotCleanError
// when that is not clean, then runs the plan's on_commit hook and moves.
func Commit(ctx context.Context, cfg Config) (*LifecycleResult, error) {
	return withScope(ctx, cfg, "commit", func(ctx context.Context, l *lifecycle) error {
		if l.state() != decant.StateFinished {
			return l.refuse("commit")
		}
		clean, err := l.verified(ctx)
		if err != nil {
			return err
		}
		if !clean {
			return &NotCleanError{Scope: cfg.Scope, Command: "commit", State: l.state(), Summary: l.res.Summary}
		}
		if err := l.commit(ctx, "commit"); err != nil {
			return err
		}
		l.res.Summary = "committed: " + l.res.Summary
		return nil
	})
}

// withScope runs fn on the scope's lifecycle with the state tables
// created or upgraded and the scope's lease held.
func withScope(ctx context.Context, cfg Config, command string, fn func(context.Context, *lifecycle) error) (*LifecycleResult, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if err := initState(ctx, cfg.Store); err != nil {
		return nil, err
	}
	release, leaseCtx, err := holdLease(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer release()
	l, err := newLifecycle(leaseCtx, cfg, command)
	if err != nil {
		return nil, err
	}
	err = fn(leaseCtx, l)
	return l.res, err
}
