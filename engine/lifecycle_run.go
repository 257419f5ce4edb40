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
// *NotCleanError) when not. A stop before the drain ends, or a failure,
// leaves it finishing with the fence up, to run again: a person ran it.
func finish(ctx context.Context, cfg Config, life *lifecycle, steps []*plan.Step, mappers map[string]*transform.Mapper,
	stop <-chan struct{}, res *Result) error {
	if err := drain(ctx, cfg, steps, mappers, stop, res); err != nil {
		return fmt.Errorf("%w\nscope %s stays finishing: fix the cause and run decant migrate --finish again", err, cfg.Scope)
	}
	if stopped(stop) {
		life.res.Summary = "stopped before the sources were drained: the scope stays finishing; run decant migrate --finish again"
		return nil
	}
	return life.finishVerify(ctx, life.res.Command)
}

// drain reads every step's source to its end, with no lag window: the
// fence is up.
func drain(ctx context.Context, cfg Config, steps []*plan.Step, mappers map[string]*transform.Mapper,
	stop <-chan struct{}, res *Result) error {
	cfg.Mode = ModeFinish
	res.Rounds++
	_, err := runRound(ctx, cfg, steps, mappers, stop, res)
	return err
}

// autoFinishCommand is --auto-finish's command as a user types it.
const autoFinishCommand = "migrate --live --auto-finish"

// autoFinish finishes a live scope that has caught up, under the same
// lease: on_finish, drain, verify; then commit when clean (nothing was
// written since the verify, the lease being held). Nobody is there to
// lift the fence that on_finish put up, so every other end lifts it
// (on_unfinish, back to live): a verify that is not clean (a
// *NotCleanError), a stop, and a failure of the drain, the verify or
// on_commit (an *AutoFinishError).
func autoFinish(ctx context.Context, cfg Config, life *lifecycle, steps []*plan.Step, mappers map[string]*transform.Mapper,
	stop <-chan struct{}, res *Result) error {
	const command = autoFinishCommand
	if err := life.enterFinishing(ctx, command); err != nil {
		return err
	}
	if err := drain(ctx, cfg, steps, mappers, stop, res); err != nil {
		return life.liftFence(ctx, fmt.Errorf("the drain after on_finish failed: %w", err))
	}
	if stopped(stop) {
		return life.liftFence(ctx, errStoppedFinishing)
	}
	err := life.finishVerify(ctx, command)
	var nc *NotCleanError
	if errors.As(err, &nc) {
		if err := life.liftFence(ctx, nc); err != nil {
			return err
		}
		nc.State = life.state()
		life.res.Summary = "left live: " + nc.Summary
		return nc
	}
	if err != nil {
		return life.liftFence(ctx, err)
	}
	if err := life.commit(ctx, command); err != nil {
		var he *HookError
		if errors.As(err, &he) { // on_commit failed: the scope was not switched over
			return life.liftFence(ctx, err)
		}
		return err // on_commit ran: the scope is switched over, and the fence must stay
	}
	life.res.Summary = "committed: " + life.res.Summary
	return nil
}

// errStoppedFinishing is an auto-finish stopped after on_finish, before
// the drain ended.
var errStoppedFinishing = errors.New("stopped after on_finish, before the sources were drained")

// liftFence runs unfinish (on_unfinish, back to live) after an auto-finish
// ended with cause once on_finish had put the fence up. It returns nil
// for a stop or a verify that was not clean whose fence it lifted (the
// caller says what happened), else an *AutoFinishError. An abort (ctx
// cancelled) still lifts the fence, within on_unfinish's timeout; a lost
// lease does not, since another run may hold the scope now.
func (l *lifecycle) liftFence(ctx context.Context, cause error) error {
	e := &AutoFinishError{Scope: l.cfg.Scope, Err: cause}
	if ctx.Err() != nil {
		why := context.Cause(ctx)
		if !errors.Is(why, ErrAborted) && !errors.Is(why, context.Canceled) && !errors.Is(why, context.DeadlineExceeded) {
			e.Unfinish, e.State = fmt.Errorf("on_unfinish was not run: %w", why), l.state()
			l.res.Summary = e.summary()
			return e
		}
		if errors.Is(why, ErrAborted) {
			e.Err = ErrAborted // the cause is the abort's echo ("context canceled")
		}
		ctx = context.WithoutCancel(ctx)
	}
	e.Unfinish = l.unfinish(ctx, autoFinishCommand, autoFinishCommand+": on_unfinish lifted the fence: "+cause.Error())
	e.Lifted, e.State = e.Unfinish == nil, l.state()
	l.res.Summary = e.summary()
	var nc *NotCleanError
	switch {
	case e.Lifted && cause == errStoppedFinishing:
		l.res.Summary = cause.Error() + ": " + e.summary()
		return nil
	case e.Lifted && errors.As(cause, &nc):
		return nil
	}
	return e
}

// AutoFinishError is an --auto-finish that failed, was stopped or was
// aborted after on_finish put the fence up. Nobody being there to lift
// it, the run lifted it (on_unfinish, back to live) when Lifted; when not,
// Unfinish says why, and the fence is still up.
type AutoFinishError struct {
	Scope string
	// Err is what ended the auto-finish.
	Err error
	// Lifted tells whether on_unfinish ran and the scope is live again.
	Lifted bool
	// Unfinish is why the fence could not be lifted, nil when it was.
	Unfinish error
	// State is where the scope stands now.
	State decant.ScopeState
}

func (e *AutoFinishError) Error() string {
	if e.Lifted {
		return fmt.Sprintf("%s: %v\n%s; fix the cause and run decant %s again", autoFinishCommand, e.Err, e.summary(), autoFinishCommand)
	}
	return fmt.Sprintf("%s: %v\nlifting the fence failed: %v\n%s", autoFinishCommand, e.Err, e.Unfinish, e.summary())
}

// Unwrap gives the cause and, when the fence could not be lifted, why.
func (e *AutoFinishError) Unwrap() []error {
	if e.Unfinish == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Unfinish}
}

// summary says in one line where the fence and the scope stand, and
// what to do.
func (e *AutoFinishError) summary() string {
	if e.Lifted {
		return fmt.Sprintf("on_unfinish lifted the fence: scope %s is live again", e.Scope)
	}
	by := "finish by hand with decant migrate --finish --scope " + e.Scope
	if e.State == decant.StateFinished {
		by = "commit it with decant commit --scope " + e.Scope
	}
	return fmt.Sprintf("THE FENCE IS STILL UP: scope %s stays %s; lift it with decant unfinish --scope %s once on_unfinish works, or %s",
		e.Scope, e.State, e.Scope, by)
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
