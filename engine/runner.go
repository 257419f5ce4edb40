package engine

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/decanthq/decant"
)

// Runner is one long-lived run of a plan's steps for one scope: the CLI's
// migrate drives one, and so can a dashboard or an application. It is
// started once; Stop asks for a graceful end, Abort for an immediate one,
// and Wait returns the result. Its progress is a snapshot that is replaced
// as the run goes, with a signal that never blocks the run: a reader that
// is slow, or absent, misses intermediate states, never stalls a batch.
//
//	r, err := engine.NewRunner(cfg)
//	if err := r.Start(ctx); err != nil { ... }
//	go func() { for range r.Changed() { show(r.Progress()) } }()
//	res, err := r.Wait()
type Runner struct {
	cfg Config

	stopOnce sync.Once
	stop     chan struct{} // closed by Stop
	done     chan struct{} // closed when the run has ended
	changed  chan struct{} // capacity 1: a pending "progress changed"
	cancel   context.CancelCauseFunc

	mu      sync.Mutex
	started bool
	ended   bool // changed is closed; guarded by mu so notify never sends on it
	aborted bool
	prog    Snapshot
	res     *Result
	err     error
}

// ErrAborted is wrapped by the error of a run that Abort ended: the batch
// in flight rolled back, and the next run resumes from the last checkpoint.
var ErrAborted = errors.New("the run was aborted: the batch in flight rolled back; the next run resumes from the last checkpoint")

// Run states, as Snapshot.State reports them.
const (
	StateNew      = "new"
	StateRunning  = "running"
	StateStopping = "stopping"
	StateDone     = "done"
	StateFailed   = "failed"
)

// Snapshot is a Runner's progress at one moment. It is a copy: the run
// goes on while the caller reads it.
type Snapshot struct {
	Scope string `json:"scope"`
	State string `json:"state"`
	// Steps are the steps started so far, in the order they started.
	Steps []StepProgress `json:"steps"`
	// Rounds counts the rounds begun (more than one with Follow).
	Rounds int `json:"rounds"`
	// Err is the run's error once State is failed, or the last error a
	// Follow run survived.
	Err     string    `json:"error,omitempty"`
	Started time.Time `json:"started"`
	Updated time.Time `json:"updated"`
}

// StepProgress is one step's counts in a Snapshot, summed over rounds.
type StepProgress struct {
	Step string `json:"step"`
	// Total is the source's estimate of the records of the current round,
	// -1 when it cannot tell.
	Total   int64  `json:"total"`
	Read    int64  `json:"read"`
	Written int64  `json:"written"`
	Failed  int64  `json:"failed"`
	Batches int64  `json:"batches"`
	Cursor  string `json:"cursor,omitempty"`
	Done    bool   `json:"done"`
	Err     string `json:"error,omitempty"`
}

// NewRunner checks cfg and returns a Runner ready to Start.
func NewRunner(cfg Config) (*Runner, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if _, err := selectSteps(cfg.Plan, cfg.Only); err != nil {
		return nil, err
	}
	r := &Runner{
		stop: make(chan struct{}), done: make(chan struct{}), changed: make(chan struct{}, 1),
		prog: Snapshot{Scope: cfg.Scope, State: StateNew, Steps: []StepProgress{}},
	}
	user := cfg.Progress
	cfg.Progress = &runnerProgress{r: r, next: user}
	r.cfg = cfg
	return r, nil
}

// Start begins the run in the background. ctx bounds the whole run:
// cancelling it aborts like Abort. A Runner starts once.
func (r *Runner) Start(ctx context.Context) error {
	r.mu.Lock()
	if r.started {
		r.mu.Unlock()
		return errors.New("engine: the runner has already started; make a new one")
	}
	r.started = true
	now := time.Now()
	r.prog.State, r.prog.Started, r.prog.Updated = StateRunning, now, now
	ctx, r.cancel = context.WithCancelCause(ctx)
	r.mu.Unlock()
	go func() {
		res, err := run(ctx, r.cfg, r.stop)
		r.finish(res, err)
	}()
	r.notify()
	return nil
}

// Stop asks the run to end gracefully: the batches already read are
// written and saved, then the run ends without error. It does not wait;
// call Wait. Stopping twice, or a run that has ended, is harmless.
func (r *Runner) Stop() {
	r.stopOnce.Do(func() {
		close(r.stop)
		r.update(func(s *Snapshot) {
			if s.State == StateRunning {
				s.State = StateStopping
			}
		})
	})
}

// Abort ends the run at once: the batch in flight rolls back, and the next
// run resumes from the last checkpoint. Wait returns the abort's error.
func (r *Runner) Abort() {
	r.mu.Lock()
	cancel := r.cancel
	if cancel != nil && !r.ended {
		r.aborted = true
	}
	r.mu.Unlock()
	if cancel != nil {
		cancel(ErrAborted)
	}
}

// Done is closed when the run has ended.
func (r *Runner) Done() <-chan struct{} { return r.done }

// Wait blocks until the run ends and returns its result: the steps' counts
// and the error that ended it, if any. It fails at once if Start was
// never called.
func (r *Runner) Wait() (*Result, error) {
	r.mu.Lock()
	started := r.started
	r.mu.Unlock()
	if !started {
		return nil, errors.New("engine: Wait before Start")
	}
	<-r.done
	return r.res, r.err
}

// Progress returns a copy of the run's progress now.
func (r *Runner) Progress() Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.prog
	s.Steps = append([]StepProgress(nil), r.prog.Steps...)
	return s
}

// Changed receives a value after the progress changed. It holds at most
// one pending signal, so a reader that falls behind gets one signal for
// many changes and reads the latest Progress; the run never waits for it.
// It is closed when the run has ended.
func (r *Runner) Changed() <-chan struct{} { return r.changed }

func (r *Runner) finish(res *Result, err error) {
	r.mu.Lock()
	if err != nil && r.aborted && (errors.Is(err, context.Canceled) || errors.Is(err, ErrAborted)) {
		// The step's own error is the cancellation's echo ("context
		// canceled" from the driver); say what happened instead. An
		// auto-finish's error also says where the fence stands.
		var af *AutoFinishError
		if errors.As(err, &af) {
			af.Err = ErrAborted
		} else {
			err = ErrAborted
		}
	}
	r.res, r.err = res, err
	r.prog.State = StateDone
	if err != nil {
		r.prog.State, r.prog.Err = StateFailed, err.Error()
	}
	r.prog.Updated = time.Now()
	r.ended = true
	close(r.changed)
	r.mu.Unlock()
	r.cancel(nil)
	close(r.done)
}

func (r *Runner) update(fn func(*Snapshot)) {
	r.mu.Lock()
	fn(&r.prog)
	r.prog.Updated = time.Now()
	r.mu.Unlock()
	r.notify()
}

// notify leaves a signal on changed unless one is pending already, or
// the run has ended and changed is closed. It holds mu, so finish cannot
// close changed between the check and the send.
func (r *Runner) notify() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ended {
		return
	}
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

// step returns the progress of step, adding it when it is new. Called
// with r.mu held.
func (s *Snapshot) step(name string) *StepProgress {
	for i := range s.Steps {
		if s.Steps[i].Step == name {
			return &s.Steps[i]
		}
	}
	s.Steps = append(s.Steps, StepProgress{Step: name, Total: -1})
	return &s.Steps[len(s.Steps)-1]
}

// runnerProgress keeps the Runner's snapshot and passes every event on to
// the caller's Progress.
type runnerProgress struct {
	r    *Runner
	next Progress
}

func (p *runnerProgress) StepStarted(step string, total int64) {
	p.r.update(func(s *Snapshot) {
		st := s.step(step)
		st.Total, st.Done, st.Err = total, false, ""
		if len(s.Steps) == 1 || s.Steps[0].Step == step {
			s.Rounds++
		}
	})
	p.next.StepStarted(step, total)
}

func (p *runnerProgress) Batch(step string, a decant.BatchAudit) {
	p.r.update(func(s *Snapshot) {
		st := s.step(step)
		st.Read += int64(a.Total)
		st.Written += int64(a.OK)
		st.Failed += int64(a.Failed)
		st.Batches++
		if a.CursorTo != "" {
			st.Cursor = a.CursorTo
		}
	})
	p.next.Batch(step, a)
}

func (p *runnerProgress) StepDone(sr StepResult) {
	p.r.update(func(s *Snapshot) {
		st := s.step(sr.Step)
		st.Done = true
		if sr.Err != nil {
			st.Err = sr.Err.Error()
		}
	})
	p.next.StepDone(sr)
}

func (p *runnerProgress) RoundError(err error) {
	p.r.update(func(s *Snapshot) { s.Err = err.Error() })
	p.next.RoundError(err)
}
