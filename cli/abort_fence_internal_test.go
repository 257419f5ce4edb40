package cli

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/decanthq/decant/engine"
)

// An aborted --auto-finish's error says where the fence stands: the abort
// is reported as ErrAborted, as any abort is, without losing that the
// fence is still up and how to lift it.
func TestAbortedAutoFinishKeepsTheFenceNews(t *testing.T) {
	t.Parallel()
	a := &abortable{}
	a.aborted.Store(true)
	af := &engine.AutoFinishError{Scope: "acme", Err: context.Canceled, Unfinish: errors.New("hook on_unfinish failed"), State: "finishing"}
	err := a.plain(&engine.Result{Steps: []engine.StepResult{{Step: "people", Err: context.Canceled}}}, af)
	if !errors.Is(err, ErrAborted) {
		t.Errorf("plain(AutoFinishError) = %v, want it to be ErrAborted", err)
	}
	for _, w := range []string{"aborted: the batch in flight rolled back", "lifting the fence failed: hook on_unfinish failed",
		"THE FENCE IS STILL UP", "decant unfinish --scope acme"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}
