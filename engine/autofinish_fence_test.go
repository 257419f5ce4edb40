package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
)

// fenceHooks put up and lift a "fence" file in the plan's directory, as a
// legacy application's fence would; onFinish runs after the fence is up.
func fenceHooks(onFinish, onUnfinish string) string {
	return `hooks:
  on_finish: {command: [sh, -c, 'touch fence; ` + onFinish + `']}
  on_unfinish: {command: [sh, -c, '` + onUnfinish + `']}`
}

func (e *lifeEnv) fenceUp() bool {
	_, err := os.Stat(filepath.Join(e.dir, "fence"))
	return err == nil
}

func hookNames(hs []engine.HookResult) string {
	var names []string
	for _, h := range hs {
		names = append(names, h.Hook)
	}
	return strings.Join(names, ",")
}

// Ensure an unattended --auto-finish lifts the fence it put up when what
// comes after on_finish fails: the drain (here the source is gone), the
// run is stopped, or on_commit fails. on_unfinish runs, the scope is live
// again, and the error says both what failed and that the fence is down.
func TestAutoFinish_FailureAfterTheFenceLiftsIt(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, onFinish, onCommit string
		stop                     bool
		want                     []string
		hooks                    string
	}{
		{name: "SourceError", onFinish: "rm in.jsonl",
			want:  []string{"step people:", "in.jsonl", "on_unfinish lifted the fence: scope s is live again", "run decant migrate --live --auto-finish again"},
			hooks: "on_finish,on_unfinish"},
		{name: "Stopped", onFinish: "touch fencing; sleep 0.5", stop: true,
			hooks: "on_finish,on_unfinish"},
		{name: "CommitHookFails", onFinish: "true", onCommit: "exit 4",
			want:  []string{"hook on_commit", "exit status 4", "on_unfinish lifted the fence: scope s is live again"},
			hooks: "on_finish,on_commit,on_unfinish"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hooks := fenceHooks(tt.onFinish, "rm fence")
			if tt.onCommit != "" {
				hooks += "\n  on_commit: {command: [sh, -c, '" + tt.onCommit + "']}"
			}
			e := openLife(t, "sqlite", hooks)
			e.add(t, 3*time.Hour, 1, 2, 3)
			cfg := e.config(engine.ModeLive)
			cfg.AutoFinish = true
			stop := make(chan struct{})
			if tt.stop {
				go func() { // a Ctrl-C while on_finish runs: after the fence is up
					for !fileExists(filepath.Join(e.dir, "fencing")) {
						time.Sleep(5 * time.Millisecond)
					}
					close(stop)
				}()
			}
			res, err := engine.Run(context.Background(), cfg, stop)
			if len(tt.want) == 0 && err != nil {
				t.Fatalf("auto-finish stopped after the fence = %v, want no error", err)
			}
			if len(tt.want) > 0 && err == nil {
				t.Fatalf("auto-finish = nil, want an error saying %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if e.fenceUp() {
				t.Errorf("the fence is still up")
			}
			if s := e.state(t); s != decant.StateLive || res.Lifecycle.State != decant.StateLive {
				t.Errorf("state = %s (result %s), want live", s, res.Lifecycle.State)
			}
			if got := hookNames(res.Lifecycle.Hooks); got != tt.hooks {
				t.Errorf("hooks ran: %s, want %s", got, tt.hooks)
			}
			if !strings.Contains(res.Lifecycle.Summary, "on_unfinish lifted the fence") {
				t.Errorf("summary %q does not say the fence was lifted", res.Lifecycle.Summary)
			}
		})
	}
}

// Ensure an --auto-finish aborted during the drain, after the fence went
// up (a second Ctrl-C), still lifts it, though the run's context is
// cancelled.
func TestAutoFinish_AbortAfterTheFenceLiftsIt(t *testing.T) {
	t.Parallel()
	e := openLife(t, "sqlite", fenceHooks("true", "rm fence"))
	e.add(t, 3*time.Hour, 1, 2, 3)
	cfg := e.config(engine.ModeLive)
	cfg.AutoFinish = true
	var r *engine.Runner
	// As the drain's step starts: the live round's was the first.
	cfg.Progress = &cancelOnStart{n: 2, cancel: func() { r.Abort() }}
	r, err := engine.NewRunner(cfg)
	must(t, err)
	must(t, r.Start(context.Background()))
	res, err := r.Wait()
	if !errors.Is(err, engine.ErrAborted) || !strings.Contains(err.Error(), "on_unfinish lifted the fence") {
		t.Errorf("aborted auto-finish = %v, want the abort and the fence lifted", err)
	}
	if e.fenceUp() {
		t.Errorf("the fence is still up after the abort")
	}
	if s := e.state(t); s != decant.StateLive || res.Lifecycle.State != decant.StateLive {
		t.Errorf("state = %s (result %s), want live", s, res.Lifecycle.State)
	}
}

// Ensure an --auto-finish whose on_unfinish fails too says loudly that
// the fence is still up, how to lift it, and why both failed; the scope
// stays finishing.
func TestAutoFinish_UnfinishFailsSaysTheFenceIsUp(t *testing.T) {
	t.Parallel()
	e := openLife(t, "sqlite", fenceHooks("rm in.jsonl", "echo cannot reach the app >&2; exit 5"))
	e.add(t, 3*time.Hour, 1, 2, 3)
	cfg := e.config(engine.ModeLive)
	cfg.AutoFinish = true
	res, err := engine.Run(context.Background(), cfg, nil)
	if err == nil {
		t.Fatal("auto-finish = nil, want the drain's and on_unfinish's errors")
	}
	for _, w := range []string{"step people:", "in.jsonl", "THE FENCE IS STILL UP", "hook on_unfinish", "exit status 5",
		"cannot reach the app", "scope s stays finishing", "decant unfinish --scope s"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
	var he *engine.HookError
	if !errors.As(err, &he) || he.Result.Hook != "on_unfinish" {
		t.Errorf("errors.As(err, *HookError) = %+v, want on_unfinish's", he)
	}
	if s := e.state(t); s != decant.StateFinishing || res.Lifecycle.State != decant.StateFinishing {
		t.Errorf("state = %s (result %s), want finishing", s, res.Lifecycle.State)
	}
	if !strings.Contains(res.Lifecycle.Summary, "THE FENCE IS STILL UP") {
		t.Errorf("summary %q does not say the fence is up", res.Lifecycle.Summary)
	}
}

// Ensure an --auto-finish that lost its scope's lease after the fence
// went up does not run on_unfinish (another run may hold the scope now)
// and says that the fence is still up. The lease's loss is the run's
// context cancelled with a cause other than an abort.
func TestAutoFinish_LeaseLostLeavesTheFence(t *testing.T) {
	t.Parallel()
	e := openLife(t, "sqlite", fenceHooks("true", "rm fence"))
	e.add(t, 3*time.Hour, 1, 2, 3)
	cfg := e.config(engine.ModeLive)
	cfg.AutoFinish = true
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	lost := errors.New("lost the lease on scope s: taken over")
	cfg.Progress = &cancelOnStart{n: 2, cancel: func() { cancel(lost) }}
	res, err := engine.Run(ctx, cfg, nil)
	var af *engine.AutoFinishError
	if !errors.As(err, &af) || af.Lifted || !errors.Is(err, lost) {
		t.Fatalf("auto-finish that lost its lease = %v, want an AutoFinishError, not lifted, naming the loss", err)
	}
	for _, w := range []string{"on_unfinish was not run: lost the lease on scope s", "THE FENCE IS STILL UP", "decant unfinish --scope s"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
	if !e.fenceUp() || e.state(t) != decant.StateFinishing || hookNames(res.Lifecycle.Hooks) != "on_finish" {
		t.Errorf("fence up %v, state %s, hooks %s; want the fence up, finishing, on_finish only",
			e.fenceUp(), e.state(t), hookNames(res.Lifecycle.Hooks))
	}
}

// cancelOnStart calls cancel as the nth step starts.
type cancelOnStart struct {
	n, seen int
	cancel  func()
}

func (c *cancelOnStart) StepStarted(string, int64) {
	if c.seen++; c.seen == c.n {
		c.cancel()
	}
}
func (*cancelOnStart) Batch(string, decant.BatchAudit) {}
func (*cancelOnStart) StepDone(engine.StepResult)      {}
func (*cancelOnStart) RoundError(error)                {}

// Ensure a plain migrate --finish, run by a person, keeps the fence up
// when its drain fails: the scope stays finishing, as before.
func TestFinish_FailureKeepsTheFence(t *testing.T) {
	t.Parallel()
	e := openLife(t, "sqlite", fenceHooks("rm in.jsonl", "rm fence"))
	e.add(t, 3*time.Hour, 1)
	e.live(t)
	_, err := engine.Run(context.Background(), e.config(engine.ModeFinish), nil)
	if err == nil || !strings.Contains(err.Error(), "scope s stays finishing: fix the cause and run decant migrate --finish again") {
		t.Errorf("finish with the source gone = %v", err)
	}
	if !e.fenceUp() || e.state(t) != decant.StateFinishing {
		t.Errorf("fence up %v, state %s; want the fence up and finishing", e.fenceUp(), e.state(t))
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
