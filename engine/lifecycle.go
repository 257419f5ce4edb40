package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/decanthq/decant"
)

// Mode is the lifecycle command a run is. Each moves the scope's
// lifecycle state (decant.ScopeState) as docs/commands.md describes:
//
//	migrate            new|migrating → migrating, and stays there
//	migrate --live     new|migrating → migrating → live once a round has
//	                   read the source up to the lag window; live stays live
//	migrate --finish   live → finishing (after the on_finish hook), drain,
//	                   verify → finished when clean; finishing runs again
//
// A mode refuses every other state with a *decant.TransitionError.
type Mode int

// The modes of a run.
const (
	// ModeBulk is a plain migrate: a bulk read to the source's end.
	ModeBulk Mode = iota
	// ModeLive follows the source round after round (as Follow), leaving
	// alone the records changed within the plan's live.lag.
	ModeLive
	// ModeFinish drains the source to its end, verifies, and finishes the
	// scope when clean.
	ModeFinish
)

// Command is the mode as a user types it.
func (m Mode) Command() string {
	switch m {
	case ModeLive:
		return "migrate --live"
	case ModeFinish:
		return "migrate --finish"
	}
	return "migrate"
}

// command is the run's lifecycle command as a user types it.
func (c *Config) command() string {
	if c.AutoFinish && c.Mode == ModeLive {
		return "migrate --live --auto-finish"
	}
	return c.Mode.Command()
}

// LifecycleResult is what a lifecycle command did to its scope.
type LifecycleResult struct {
	Scope   string `json:"scope"`
	Command string `json:"command"`
	// From is the scope's state when the command began, State and
	// StateSince where it stands at the end.
	From       decant.ScopeState `json:"from"`
	State      decant.ScopeState `json:"state"`
	StateSince time.Time         `json:"state_since"`
	// Hooks are the hooks the command ran, in order.
	Hooks []HookResult `json:"hooks"`
	// Verify is the verify a finish or a commit ran.
	Verify *VerifyResult `json:"verify,omitempty"`
	// Summary says in one line how it ended ("left live: 3 diffs, 1 missing").
	Summary string `json:"summary"`
}

// NextCommands lists the commands a scope in state allows, as a user
// types them: what a *decant.TransitionError suggests.
func NextCommands(state decant.ScopeState) []string {
	switch state {
	case decant.StateNew:
		return []string{"migrate", "migrate --live"}
	case decant.StateMigrating:
		return []string{"migrate", "migrate --live", "reset"}
	case decant.StateLive:
		return []string{"migrate --live", "migrate --finish", "reset"}
	case decant.StateFinishing:
		return []string{"migrate --finish", "unfinish", "reset"}
	case decant.StateFinished:
		return []string{"commit", "unfinish", "reset"}
	}
	return nil
}

// NotCleanError is a finish or a commit whose verify was not clean: the
// scope did not move on (an auto-finish moved it back to live).
type NotCleanError struct {
	Scope   string
	Command string
	// State is where the scope stands now.
	State decant.ScopeState
	// Summary counts what verify found ("3 diffs, 1 missing").
	Summary string
}

func (e *NotCleanError) Error() string {
	return fmt.Sprintf("%s: scope %s is not clean (%s); it stays %s. decant diffs --scope %s lists the findings "+
		"and decant errors list the records that fail: fix them (the plan, decant errors retry, decant patch) and run it again",
		e.Command, e.Scope, e.Summary, e.State, e.Scope)
}

// lifecycle is a command's hold on its scope's lifecycle state.
type lifecycle struct {
	lc  decant.Lifecycler
	cfg Config
	res *LifecycleResult
}

// newLifecycle reads the scope's state for command.
func newLifecycle(ctx context.Context, cfg Config, command string) (*lifecycle, error) {
	lc, err := decant.Require[decant.Lifecycler](cfg.Store, "keep the scope's lifecycle state, which "+command+" moves")
	if err != nil {
		return nil, err
	}
	cur, err := lc.Lifecycle(ctx, cfg.Scope)
	if err != nil {
		return nil, fmt.Errorf("read the lifecycle of scope %s: %w", cfg.Scope, err)
	}
	return &lifecycle{lc: lc, cfg: cfg, res: &LifecycleResult{Scope: cfg.Scope, Command: command, From: cur.State,
		State: cur.State, StateSince: cur.Since, Hooks: []HookResult{}}}, nil
}

func (l *lifecycle) state() decant.ScopeState { return l.res.State }

// refuse is the error of command from the scope's state.
func (l *lifecycle) refuse(command string) error {
	return &decant.TransitionError{Scope: l.cfg.Scope, Command: command, State: l.state(), Next: l.next(l.state())}
}

// next is NextCommands for this run's plan: a staged plan never goes
// live, and finishes from migrating.
func (l *lifecycle) next(state decant.ScopeState) []string {
	cmds := NextCommands(state)
	if !l.cfg.Plan.Staging {
		return cmds
	}
	out := slices.DeleteFunc(slices.Clone(cmds), func(c string) bool { return c == "migrate --live" })
	if state == decant.StateMigrating {
		out = append(out, "migrate --finish")
	}
	return out
}

// move is the compare-and-set of the scope's state from one of from to to.
func (l *lifecycle) move(ctx context.Context, command string, from []decant.ScopeState, to decant.ScopeState, note string) error {
	got, err := l.lc.Transition(decant.WithTransitionCommand(ctx, command), l.cfg.Scope, from, to, note)
	var te *decant.TransitionError
	if errors.As(err, &te) {
		te.Command, te.Next = command, l.next(te.State)
		l.res.State = te.State
		return te
	}
	if err != nil {
		return err
	}
	l.res.State, l.res.StateSince = got.State, got.Since
	return nil
}

// allows refuses a run of cfg.Mode from the scope's state with a
// *decant.TransitionError. A run asks before it takes the lease, so that
// a refused run changes nothing (no migration, no setup script), and
// begin asks again once the lease is held.
func (l *lifecycle) allows() error {
	var from []decant.ScopeState
	switch l.cfg.Mode {
	case ModeFinish:
		from = []decant.ScopeState{decant.StateLive, decant.StateFinishing}
		if l.cfg.Plan.Staging {
			// A staged plan never goes live (--live is refused): its bulk
			// runs leave it migrating, and it finishes from there.
			from = append(from, decant.StateMigrating)
		}
	case ModeLive:
		from = []decant.ScopeState{decant.StateNew, decant.StateMigrating, decant.StateLive}
	default:
		from = []decant.ScopeState{decant.StateNew, decant.StateMigrating}
	}
	if !slices.Contains(from, l.state()) {
		return l.refuse(l.cfg.command())
	}
	return nil
}

// begin moves the scope as a run of cfg.Mode starts; the scope's lease
// is held.
func (l *lifecycle) begin(ctx context.Context) error {
	if err := l.allows(); err != nil {
		return err
	}
	cmd := l.cfg.command()
	switch s := l.state(); {
	case l.cfg.Mode == ModeFinish && (s == decant.StateLive || s == decant.StateMigrating):
		return l.enterFinishing(ctx, cmd)
	case s == decant.StateNew:
		return l.move(ctx, cmd, []decant.ScopeState{decant.StateNew}, decant.StateMigrating, cmd+": the bulk read began")
	}
	// migrating stays migrating, live stays live, and a finish that
	// stopped or was not clean runs again from finishing.
	return nil
}

// enterFinishing runs the on_finish hook, then moves live (a staged
// plan: migrating) → finishing; a
// failing hook leaves the scope live.
func (l *lifecycle) enterFinishing(ctx context.Context, command string) error {
	if err := runHook(ctx, l.cfg, "on_finish", l.state(), l.res); err != nil {
		return err
	}
	from := []decant.ScopeState{decant.StateLive}
	if l.cfg.Plan.Staging {
		from = append(from, decant.StateMigrating)
	}
	return l.move(ctx, command, from, decant.StateFinishing, command+": on_finish ran; draining and verifying")
}

// roundDone moves a live run's scope from migrating to live once a round
// has read every source up to the lag window without an error: each step
// read its source to the end, or was held at a record read in change
// order (the lag window holds no other, see lagGate), so every record
// before the window, the whole bulk included, has been read.
func (l *lifecycle) roundDone(ctx context.Context) error {
	if l.cfg.Mode != ModeLive || l.state() != decant.StateMigrating {
		return nil
	}
	return l.move(ctx, "migrate --live", []decant.ScopeState{decant.StateMigrating}, decant.StateLive,
		"migrate --live: every source was read up to the lag window; the bulk is done")
}

// verified verifies the scope now and tells whether it is clean enough to
// finish or commit: no missing, extra, diff or duplicate, no pending key
// (nothing may be in flight under the fence) and no open error (a record
// that failed was not migrated). It stores the findings for decant diffs.
func (l *lifecycle) verified(ctx context.Context) (bool, error) {
	cfg := l.cfg
	cfg.Only, cfg.Mode, cfg.AutoFinish = nil, ModeBulk, false // a verify of the whole scope
	v, err := Verify(ctx, cfg, VerifyOptions{Keep: true})
	if err != nil {
		return false, fmt.Errorf("verify scope %s: %w", cfg.Scope, err)
	}
	l.res.Verify = v
	clean := v.Clean
	for _, s := range v.Steps {
		clean = clean && s.Pending == 0 && s.Errors == 0
	}
	l.res.Summary = verifySummary(v)
	return clean, nil
}

// finishVerify verifies a finishing scope and moves it to finished when
// clean; when not, it stays finishing and the error is a *NotCleanError.
func (l *lifecycle) finishVerify(ctx context.Context, command string) error {
	clean, err := l.verified(ctx)
	if err != nil {
		return err
	}
	if !clean {
		return &NotCleanError{Scope: l.cfg.Scope, Command: command, State: l.state(), Summary: l.res.Summary}
	}
	return l.move(ctx, command, []decant.ScopeState{decant.StateFinishing}, decant.StateFinished, command+": verify "+l.res.Summary)
}

// unfinish runs on_unfinish, then moves finishing|finished → live.
func (l *lifecycle) unfinish(ctx context.Context, command, note string) error {
	if s := l.state(); s != decant.StateFinishing && s != decant.StateFinished {
		return l.refuse(command)
	}
	if err := runHook(ctx, l.cfg, "on_unfinish", l.state(), l.res); err != nil {
		return err
	}
	return l.move(ctx, command, []decant.ScopeState{decant.StateFinishing, decant.StateFinished}, decant.StateLive, note)
}

// commit runs on_commit, then moves finished → committed. The caller has
// verified the scope clean under the lease it still holds.
func (l *lifecycle) commit(ctx context.Context, command string) error {
	if err := runHook(ctx, l.cfg, "on_commit", l.state(), l.res); err != nil {
		return err
	}
	return l.move(ctx, command, []decant.ScopeState{decant.StateFinished}, decant.StateCommitted, command+": verify "+l.res.Summary)
}

// verifySummary counts a verify's findings in one line: "clean: 120 keys
// checked", or "3 diffs, 1 missing".
func verifySummary(v *VerifyResult) string {
	var c VerifyCounts
	errs := 0
	for _, s := range v.Steps {
		c.Checked += s.Checked
		c.Diffs += s.Diffs
		c.Missing += s.Missing
		c.Extra += s.Extra
		c.Duplicates += s.Duplicates
		c.Pending += s.Pending
		errs += s.Errors
	}
	var parts []string
	for _, p := range []struct {
		n          int
		one, other string
	}{
		{c.Diffs, "diff", "diffs"}, {c.Missing, "missing", "missing"}, {c.Extra, "extra", "extra"},
		{c.Duplicates, "duplicate", "duplicates"}, {c.Pending, "pending", "pending"}, {errs, "open error", "open errors"},
	} {
		switch {
		case p.n == 1:
			parts = append(parts, "1 "+p.one)
		case p.n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.other))
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("clean: %d keys checked", c.Checked)
	}
	return strings.Join(parts, ", ")
}

// caughtUp tells whether a live round has caught up with the source: no
// step stopped or failed, and each either read its source to the end or
// read nothing before the lag window held it. The window holds only a
// record read in change order (lagGate), after which every record changed
// later still: all that is left changed within the window. A read in key
// order is never held, so a round cannot look caught up with a bulk read
// half done.
func caughtUp(round []StepResult) bool {
	return !slices.ContainsFunc(round, func(r StepResult) bool {
		return r.Stopped || r.Err != nil || (r.HeldAt != "" && r.Read > 0)
	})
}

// refuseCommitted refuses command, a write to the target outside the
// lifecycle (errors retry, patch, patch revert, reset), on a committed
// scope: the application owns its rows now, and a write from the old
// source would undo what it wrote since. A store without the Lifecycler
// role keeps no state to refuse by. The caller holds the scope's lease.
func refuseCommitted(ctx context.Context, cfg Config, command string) error {
	lc, ok := decant.As[decant.Lifecycler](cfg.Store)
	if !ok {
		return nil
	}
	cur, err := lc.Lifecycle(ctx, cfg.Scope)
	if err != nil {
		return fmt.Errorf("read the lifecycle of scope %s: %w", cfg.Scope, err)
	}
	if cur.State == decant.StateCommitted {
		return &decant.TransitionError{Scope: cfg.Scope, Command: command, State: cur.State}
	}
	return nil
}
