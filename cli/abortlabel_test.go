package cli

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/decanthq/decant/engine"
)

// Ensure an abort relabels only what it cut short: a step that failed for
// a reason of its own in an earlier --follow round keeps its error.
func TestAbortKeepsOtherFailures(t *testing.T) {
	t.Parallel()
	own := errors.New("lost the lease on scope default")
	res := &engine.Result{Steps: []engine.StepResult{
		{Step: "cut", Err: fmt.Errorf("write batch: %w", context.Canceled)},
		{Step: "failed earlier", Err: own},
		{Step: "done"},
	}}
	a := &abortable{}
	a.aborted.Store(true)
	if err := a.plain(res, fmt.Errorf("step cut: %w", context.Canceled)); !errors.Is(err, ErrAborted) {
		t.Errorf("the run's error = %v, want ErrAborted", err)
	}
	if !errors.Is(res.Steps[0].Err, ErrAborted) || res.Steps[1].Err != own || res.Steps[2].Err != nil {
		t.Errorf("steps after the abort: %v, %v, %v; want aborted, its own error, none",
			res.Steps[0].Err, res.Steps[1].Err, res.Steps[2].Err)
	}
}
