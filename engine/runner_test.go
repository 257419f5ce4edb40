package engine_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
)

// Ensure a Runner's progress ends equal to its result, and that nobody
// reading its progress signal does not stall the run.
func TestRunner_ProgressAndResult(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 500, "people: [person]", func(i int) string {
		if i%100 == 0 {
			return `{"id":1000,"name":"x","kind":"robot"}` // unknown route
		}
		return ""
	})
	r, err := engine.NewRunner(f.config(t))
	must(t, err)
	if _, err := r.Wait(); err == nil {
		t.Errorf("Wait before Start succeeded")
	}
	if got := r.Progress().State; got != engine.StateNew {
		t.Errorf("state before Start = %s, want %s", got, engine.StateNew)
	}
	must(t, r.Start(context.Background()))
	if err := r.Start(context.Background()); err == nil {
		t.Errorf("a second Start succeeded")
	}
	// 50 batches, and Changed is never read: a blocking signal would hang here.
	res, err := r.Wait()
	must(t, err)
	p := r.Progress()
	if p.State != engine.StateDone || p.Rounds != 1 || len(p.Steps) != 1 {
		t.Fatalf("progress after the run = %+v", p)
	}
	s, want := p.Steps[0], res.Steps[0]
	if s.Read != want.Read || s.Written != want.Written || s.Failed != want.Failed || s.Batches != want.Batches || !s.Done {
		t.Errorf("progress %+v, result %+v: they must agree", s, want)
	}
	if s.Read != 500 || s.Failed != 5 || s.Batches != 50 {
		t.Errorf("progress %+v, want 500 read, 5 failed, 50 batches", s)
	}
	if _, open := <-r.Changed(); open {
		// One pending signal may remain; the channel must then be closed.
		if _, open := <-r.Changed(); open {
			t.Errorf("Changed is still open after the run ended")
		}
	}
}

// stopRunner stops a Runner after n batches, from inside the run.
type stopRunner struct {
	n, seen int
	r       *engine.Runner
}

func (s *stopRunner) StepStarted(string, int64) {}
func (s *stopRunner) Batch(string, decant.BatchAudit) {
	if s.seen++; s.seen == s.n {
		s.r.Stop()
		s.r.Stop() // twice is harmless
	}
}
func (s *stopRunner) StepDone(engine.StepResult) {}
func (s *stopRunner) RoundError(error)           {}

// Ensure Stop ends a run gracefully, saved and without error, and Abort
// ends one at once with an error.
func TestRunner_StopAndAbort(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 3000, "people: [person]", nil)
	cfg := f.config(t)
	sr := &stopRunner{n: 3}
	cfg.Progress = sr
	r, err := engine.NewRunner(cfg)
	must(t, err)
	sr.r = r
	must(t, r.Start(context.Background()))
	res, err := r.Wait()
	must(t, err)
	if s := res.Steps[0]; !s.Stopped || s.Read >= 3000 {
		t.Errorf("stopped run: %+v, want stopped before the end", s)
	}
	// The batches read before the stop are written too (the queues hold a
	// few); every one reported is saved.
	if got, want := f.query(t, "SELECT count(*) FROM decant_batches"), fmt.Sprint(res.Steps[0].Batches); got != want || res.Steps[0].Batches < 3 {
		t.Errorf("batches saved after a stop at the third: %s, reported %s", got, want)
	}

	cfg = f.config(t)
	cfg.Follow = true // runs until stopped: only the abort ends it
	r, err = engine.NewRunner(cfg)
	must(t, err)
	must(t, r.Start(context.Background()))
	r.Abort()
	if _, err := r.Wait(); !errors.Is(err, engine.ErrAborted) {
		t.Errorf("an aborted run returned %v, want ErrAborted", err)
	}
	if p := r.Progress(); p.State != engine.StateFailed || p.Err == "" {
		t.Errorf("progress after abort = %+v, want failed with the error", p)
	}
	// The lease is free again: a new run of the scope starts.
	if _, err := engine.Run(context.Background(), f.config(t), nil); errors.Is(err, decant.ErrLeaseHeld) {
		t.Errorf("the aborted run kept the lease: %v", err)
	}
}

// bareStore hides every role of a store, so a run fails at once.
type bareStore struct{ decant.Store }

// Ensure a run that ends while Stop signals progress never sends on the
// closed progress channel (it once panicked: "send on closed channel").
func TestRunner_StopRacesTheEnd(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 1, "people: [person]", nil)
	cfg := f.config(t)
	cfg.Store = bareStore{cfg.Store}
	for range 2000 {
		r, err := engine.NewRunner(cfg)
		must(t, err)
		must(t, r.Start(context.Background()))
		go r.Stop()
		if _, err := r.Wait(); err == nil {
			t.Fatal("a run on a store without roles succeeded")
		}
	}
}
