package decant

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// A ScopeState is where a scope (a tenant) stands in its migration's
// lifecycle. The states follow one another as
//
//	new → migrating → live → finishing → finished → committed
//
// with unfinish (finishing|finished → live) and reset (any state but
// committed → new) going back. committed is final.
type ScopeState string

// The states of a scope's lifecycle.
const (
	// StateNew is a scope nothing was migrated for, or one that was reset.
	StateNew ScopeState = "new"
	// StateMigrating is a scope whose bulk read runs or was interrupted.
	StateMigrating ScopeState = "migrating"
	// StateLive is a scope whose bulk read ended and whose source's later
	// changes are followed, behind a lag window; the source stays in use.
	StateLive ScopeState = "live"
	// StateFinishing is a scope whose source writes are fenced (the
	// on_finish hook ran) and that is drained and verified; it stays here
	// when verify finds differences.
	StateFinishing ScopeState = "finishing"
	// StateFinished is a scope drained to its end and verified clean.
	StateFinished ScopeState = "finished"
	// StateCommitted is a scope whose migration was committed: final.
	StateCommitted ScopeState = "committed"
)

// ScopeStates lists the states in lifecycle order.
var ScopeStates = []ScopeState{StateNew, StateMigrating, StateLive, StateFinishing, StateFinished, StateCommitted}

// Lifecycle is one scope's lifecycle as a [Lifecycler] keeps it.
type Lifecycle struct {
	Scope string     `json:"scope"`
	State ScopeState `json:"state"`
	// Since is when the scope entered State; zero for a scope never seen.
	Since time.Time `json:"since"`
	// Note says why the last transition happened ("verify found 3 diffs").
	Note string `json:"note"`
}

// Lifecycler is the role of a Store that keeps each scope's lifecycle
// state in its state tables.
type Lifecycler interface {
	// Lifecycle returns scope's lifecycle; a scope never seen is new, with
	// a zero Since.
	Lifecycle(ctx context.Context, scope string) (Lifecycle, error)
	// Lifecycles lists the lifecycles of every scope the store has seen,
	// ordered by scope.
	Lifecycles(ctx context.Context) ([]Lifecycle, error)
	// Transition moves scope to state to, in one transaction, when its
	// current state is one of from; otherwise it changes nothing and
	// returns a *TransitionError. note is kept with the new state.
	Transition(ctx context.Context, scope string, from []ScopeState, to ScopeState, note string) (Lifecycle, error)
}

// TransitionError reports a lifecycle command that the scope's current
// state does not allow.
type TransitionError struct {
	Scope string
	// Command is what was asked ("commit").
	Command string
	// State is the scope's current state.
	State ScopeState
	// Next lists the commands that the current state allows, as a user
	// types them ("migrate --finish").
	Next []string
}

func (e *TransitionError) Error() string {
	next := "none: it is final"
	if len(e.Next) > 0 {
		next = strings.Join(e.Next, ", ")
	}
	return fmt.Sprintf("scope %s is %s: %s is not allowed from %s; what it allows: %s", e.Scope, e.State, e.Command, e.State, next)
}

// transitionCommandKey is the context key of [WithTransitionCommand].
type transitionCommandKey struct{}

// WithTransitionCommand returns ctx carrying command, the command a
// [Lifecycler.Transition] made with it is for ("migrate --finish"). The
// store keeps it in the scope's history of transitions; the interface
// stays small, and a caller that sets none leaves the history's command
// empty.
func WithTransitionCommand(ctx context.Context, command string) context.Context {
	return context.WithValue(ctx, transitionCommandKey{}, command)
}

// TransitionCommand returns the command [WithTransitionCommand] put in
// ctx, "" when none.
func TransitionCommand(ctx context.Context) string {
	s, _ := ctx.Value(transitionCommandKey{}).(string)
	return s
}
