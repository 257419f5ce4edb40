package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// Run runs the plan's steps in order for one scope and waits for the end:
// a Runner for callers that need nothing more. Closing stop asks for a
// graceful end: the batches already read are written and saved, and Run
// returns without error. Cancelling ctx aborts at once; the batch in flight
// rolls back and the next run resumes from the last checkpoint.
func Run(ctx context.Context, cfg Config, stop <-chan struct{}) (*Result, error) {
	r, err := NewRunner(cfg)
	if err != nil {
		return nil, err
	}
	if err := r.Start(ctx); err != nil {
		return nil, err
	}
	go func() {
		select {
		case <-stop:
			r.Stop()
		case <-r.Done():
		}
	}()
	return r.Wait()
}

// run is the body of a Runner: cfg has its defaults.
func run(ctx context.Context, cfg Config, stop <-chan struct{}) (*Result, error) {
	steps, err := selectSteps(cfg.Plan, cfg.Only)
	if err != nil {
		return nil, err
	}
	if err := cfg.checkPhase(); err != nil {
		return nil, err
	}
	if !cfg.DryRun {
		// Refused by the scope's state: refused before anything changes.
		// A store without the role is refused after the roles a run
		// needs first (state, lease, scripts), by newLifecycle below.
		if _, ok := decant.As[decant.Lifecycler](cfg.Store); ok {
			life, err := newLifecycle(ctx, cfg, cfg.command())
			if err != nil {
				return nil, err
			}
			if err := life.allows(); err != nil {
				return &Result{Scope: cfg.Scope, Lifecycle: life.res}, err
			}
		}
		release, leaseCtx, err := prepareTarget(ctx, cfg)
		if err != nil {
			return nil, err
		}
		defer release()
		ctx = leaseCtx
	}
	mappers, err := prepare(ctx, cfg.Store, steps)
	if err != nil {
		return nil, err
	}
	if cfg.staged() {
		if err := prepareStaging(ctx, cfg, steps); err != nil {
			return nil, err
		}
	}
	res := &Result{Scope: cfg.Scope, DryRun: cfg.DryRun}
	var life *lifecycle
	if !cfg.DryRun {
		if life, err = newLifecycle(ctx, cfg, cfg.command()); err != nil {
			return res, err
		}
		res.Lifecycle = life.res
		if err := life.begin(ctx); err != nil {
			return res, err
		}
	}
	if cfg.Mode == ModeFinish {
		return res, finish(ctx, cfg, life, steps, mappers, stop, res)
	}
	follow := cfg.Follow || cfg.Mode == ModeLive
	for {
		res.Rounds++
		round, err := runRound(ctx, cfg, steps, mappers, stop, res)
		var soe *SourceOpenError
		if err != nil && (!follow || ctx.Err() != nil || errors.As(err, &soe)) {
			// A source that cannot be opened is a plan mistake, which
			// the next round would meet again: following ends.
			return res, err
		}
		if err != nil {
			cfg.Progress.RoundError(err)
		}
		// A round that ran every step to its end (to the source's end or
		// the lag window) counts even when a stop came after it.
		if err == nil && life != nil && len(round) == len(steps) && !slices.ContainsFunc(round, isStopped) {
			if err := life.roundDone(ctx); err != nil {
				return res, err
			}
			if cfg.AutoFinish && !stopped(stop) && life.state() == decant.StateLive && caughtUp(round) {
				return res, autoFinish(ctx, cfg, life, steps, mappers, stop, res)
			}
		}
		if !follow || stopped(stop) {
			return res, nil
		}
		select {
		case <-stop:
			return res, nil
		case <-ctx.Done():
			return res, context.Cause(ctx)
		case <-time.After(cfg.Interval):
		}
	}
}

func isStopped(r StepResult) bool { return r.Stopped }

func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

// prepare builds a mapper for every step, checking each against the target
// tables before anything is written.
func prepare(ctx context.Context, st decant.Store, steps []*plan.Step) (map[string]*transform.Mapper, error) {
	mappers := map[string]*transform.Mapper{}
	var probs []error
	for _, s := range steps {
		tables, err := TargetColumns(ctx, st, s.Spec)
		if err != nil {
			return nil, err
		}
		m, err := transform.NewMapper(s.Spec, tables)
		if err != nil {
			probs = append(probs, err)
			continue
		}
		mappers[s.Name] = m
	}
	if len(probs) > 0 {
		// "no records": by now a real run has created decant's state tables.
		return nil, fmt.Errorf("the plan does not match the target (no records were written): %w\n"+
			"to fix: create or change the table with a migration (plan key migrations) or a setup script (plan key setup), or fix the step's to/map",
			errors.Join(probs...))
	}
	return mappers, nil
}

// TargetColumns reads the columns of every table spec writes. A table that
// does not exist is left out of the map, so transform.Check reports it.
func TargetColumns(ctx context.Context, st decant.Store, spec transform.Spec) (map[string][]decant.Column, error) {
	cat, err := decant.Require[decant.Cataloger](st, "describe the tables the plan writes")
	if err != nil {
		return nil, err
	}
	names := spec.To.All()
	for _, c := range spec.Children {
		names = append(names, c.To.All()...)
	}
	tables := map[string][]decant.Column{}
	for _, t := range names {
		cols, err := cat.Columns(ctx, t)
		if errors.Is(err, decant.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read columns of %s: %w", t, err)
		}
		tables[t] = cols
	}
	return tables, nil
}

// runRound runs every step once and returns the round's own results
// (res sums them over rounds): in a staged run, every step's extract,
// then every step's load. Only the loads are returned, the steps' own
// results, which say whether the round got to the end of them.
func runRound(ctx context.Context, cfg Config, steps []*plan.Step, mappers map[string]*transform.Mapper, stop <-chan struct{}, res *Result) ([]StepResult, error) {
	if cfg.staged() && cfg.Phase != PhaseLoad {
		for _, s := range steps {
			if stopped(stop) {
				return nil, nil
			}
			if _, err := runOne(ctx, cfg, s, res, func() (StepResult, error) { return runExtract(ctx, cfg, s, stop) }); err != nil {
				return nil, err
			}
		}
		if cfg.Phase == PhaseExtract {
			return nil, nil
		}
	}
	var round []StepResult
	for _, s := range steps {
		if stopped(stop) {
			return round, nil
		}
		r, err := runOne(ctx, cfg, s, res, func() (StepResult, error) { return runStep(ctx, cfg, s, mappers[s.Name], stop) })
		round = append(round, r)
		if err != nil {
			return round, err
		}
	}
	return round, nil
}

// runOne runs one step (or its extract) and reports its result.
func runOne(ctx context.Context, cfg Config, s *plan.Step, res *Result, fn func() (StepResult, error)) (StepResult, error) {
	r, err := fn()
	r.Err = err
	res.add(r)
	done := r
	if r.Phase == string(PhaseExtract) {
		// Progress heard of the extract by its state name.
		done.Step = decant.ExtractStep(r.Step)
	}
	if err == nil && !r.Stopped && !cfg.DryRun {
		// Compaction is housekeeping: the step's data is committed, and the
		// next run compacts what this one could not. A failure (a lock
		// timeout, a busy SQLite file) is reported, not the step's error.
		if cerr := compactLedger(ctx, cfg, done.Step); cerr != nil {
			cfg.Progress.RoundError(fmt.Errorf("step %s: %w (its rows and ledger are committed; a later run compacts it)", s.Name, cerr))
		}
	}
	cfg.Progress.StepDone(done)
	if err != nil {
		if r.Phase == string(PhaseExtract) {
			return r, fmt.Errorf("step %s (extract): %w", s.Name, err)
		}
		return r, fmt.Errorf("step %s: %w", s.Name, err)
	}
	return r, nil
}

// compactLedger lets a store that keeps its ledger in blocks drop the
// entries that the step's run superseded (decant.LedgerCompactor), while
// the run still holds the scope's lease. The store decides whether enough
// was written to look; a step stopped by a signal is left for its next
// run, so that stopping stays quick.
func compactLedger(ctx context.Context, cfg Config, step string) error {
	c, ok := decant.As[decant.LedgerCompactor](cfg.Store)
	if !ok {
		return nil
	}
	if _, err := c.CompactLedger(ctx, cfg.Scope, step); err != nil {
		return fmt.Errorf("compact the ledger: %w", err)
	}
	return nil
}

func (res *Result) add(r StepResult) {
	for i := range res.Steps {
		if res.Steps[i].Step == r.Step && res.Steps[i].Phase == r.Phase {
			s := &res.Steps[i]
			s.Read += r.Read
			s.Written += r.Written
			s.Failed += r.Failed
			s.Batches += r.Batches
			s.Unmapped = mergeUnmapped(s.Unmapped, r.Unmapped)
			s.Duration += r.Duration
			if r.Cursor != "" {
				s.Cursor = r.Cursor
			}
			s.Stopped = r.Stopped
			s.HeldAt = r.HeldAt
			s.Err = r.Err
			return
		}
	}
	res.Steps = append(res.Steps, r)
}

// holdLease takes the scope's lease (taking it over from a dead run of this
// host, see acquireLease) and renews it until release is called. If renewal
// fails (another process took the scope over after a long stall), the
// returned context is cancelled so no batch commits without it.
func holdLease(ctx context.Context, cfg Config) (release func(), leaseCtx context.Context, err error) {
	l, err := decant.Require[decant.Leaser](cfg.Store, "hold the scope's lease, which a run that writes needs")
	if err != nil {
		return nil, nil, err
	}
	if err := acquireLease(ctx, cfg, l); err != nil {
		return nil, nil, err
	}
	leaseCtx, cancel := context.WithCancelCause(ctx)
	done := make(chan struct{})
	renewed := make(chan struct{}) // closed when the renewal goroutine has returned
	go func() {
		defer close(renewed)
		t := time.NewTicker(cfg.LeaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-leaseCtx.Done():
				return
			case <-t.C:
				if err := l.AcquireLease(leaseCtx, cfg.Scope, cfg.Holder, cfg.LeaseTTL); err != nil && leaseCtx.Err() == nil {
					cancel(fmt.Errorf("lost the lease on scope %s: %w", cfg.Scope, err))
					return
				}
			}
		}
	}()
	release = func() {
		close(done)
		cancel(nil)
		// A renewal in flight must not land after the release and take
		// the lease back for a run that has ended.
		<-renewed
		// Release even when ctx was cancelled, so the next run does not wait.
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer rcancel()
		_ = l.ReleaseLease(rctx, cfg.Scope, cfg.Holder)
	}
	return release, leaseCtx, nil
}

// prepareTarget creates decant's state tables, takes the scope's lease,
// applies the target's migrations, then runs the setup scripts: each may
// use what the one before made, and a second run of the scope fails on the
// lease before it changes the schema under the first. It returns the
// lease's release and the context that ends if the lease is lost.
func prepareTarget(ctx context.Context, cfg Config) (func(), context.Context, error) {
	if err := initState(ctx, cfg.Store); err != nil {
		return nil, nil, err
	}
	release, leaseCtx, err := holdLease(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	if cfg.Migrate != nil {
		err = cfg.Migrate(leaseCtx)
	}
	if err == nil {
		err = runSetup(leaseCtx, cfg.Plan, cfg.Store, cfg.Scope)
	}
	if err != nil {
		release()
		return nil, nil, err
	}
	return release, leaseCtx, nil
}

// runSetup runs the plan's setup scripts on the target, for scope: a
// script that names ${scope} runs with the scope bound as a parameter.
func runSetup(ctx context.Context, p *plan.Plan, st decant.Store, scope string) error {
	if len(p.Setup) == 0 {
		return nil
	}
	sr, err := decant.Require[decant.ScriptRunner](st, "run the plan's setup scripts")
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	for _, f := range p.Setup {
		b, err := os.ReadFile(p.Path(f))
		if err != nil {
			return fmt.Errorf("setup: %w", err)
		}
		if err := runScript(ctx, st, sr, string(b), scope); err != nil {
			return fmt.Errorf("setup %s: %w", f, err)
		}
	}
	return nil
}

// runScript runs one setup script, through the store's ScopedScriptRunner
// when it names ${scope}.
func runScript(ctx context.Context, st decant.Store, sr decant.ScriptRunner, script, scope string) error {
	if !decant.HasScopeRef(script) {
		return sr.RunScript(ctx, script)
	}
	if err := decant.CheckScopeSQL(script); err != nil {
		return err
	}
	ssr, err := decant.Require[decant.ScopedScriptRunner](st, "run a setup script that names ${scope}")
	if err != nil {
		return err
	}
	return ssr.RunScopedScript(ctx, script, scope)
}

// initState creates or upgrades decant's state tables, which a run that
// writes needs.
func initState(ctx context.Context, st decant.Store) error {
	in, err := decant.Require[decant.StateInitializer](st, "create its state tables, which a run that writes needs")
	if err != nil {
		return err
	}
	if err := in.Init(ctx); err != nil {
		return fmt.Errorf("prepare state tables: %w", err)
	}
	return nil
}

// SourceOpenError is a step's source that could not be opened: its
// options or its URL are wrong (opening reads nothing), so trying again
// changes nothing, and a --follow or --live run stops on it instead of
// retrying it every round.
type SourceOpenError struct {
	Step string
	Err  error
}

func (e *SourceOpenError) Error() string { return "open source: " + e.Err.Error() }

// Unwrap returns the opener's error.
func (e *SourceOpenError) Unwrap() error { return e.Err }
