package cli

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/sqlite"
)

// lifecycled is a real store with a lifecycle kept beside it, as a store
// with the Lifecycler role keeps one in its state tables.
type lifecycled struct {
	decant.Store
	states map[string]decant.ScopeState
}

func (l lifecycled) Unwrap() decant.Store { return l.Store }

func (l lifecycled) Lifecycle(_ context.Context, scope string) (decant.Lifecycle, error) {
	state, ok := l.states[scope]
	if !ok {
		state = decant.StateNew
	}
	return decant.Lifecycle{Scope: scope, State: state}, nil
}

func (l lifecycled) Lifecycles(context.Context) ([]decant.Lifecycle, error) { return nil, nil }

func (l lifecycled) Transition(context.Context, string, []decant.ScopeState, decant.ScopeState, string) (decant.Lifecycle, error) {
	panic("stats must not change a lifecycle")
}

// roleless is a store that shows none of its roles: decant's own stores
// are Lifecyclers, a store of another make may not be.
type roleless struct{ decant.Store }

// Ensure stats shows the state a Lifecycler keeps, through a wrapper as
// connect wraps stores, and, on a store without one, new for a scope
// nothing was migrated for and unknown for one that was.
func TestScopeState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"), sqlite.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lc := lifecycled{Store: st, states: map[string]decant.ScopeState{"a": decant.StateLive}}
	for _, c := range []struct {
		st    decant.Store
		scope string
		seen  bool
		want  string
	}{
		{lc, "a", true, "live"},
		{lc, "b", false, "new"},
		{roleless{st}, "a", true, StateUnknown},
		{roleless{st}, "b", false, "new"},
	} {
		got, err := scopeState(ctx, c.st, c.scope, c.seen)
		if err != nil || got != c.want {
			t.Errorf("scopeState(%T, %s, seen %v) = %q, %v; want %q", c.st, c.scope, c.seen, got, err, c.want)
		}
	}
}
