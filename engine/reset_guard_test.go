package engine_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
)

// finishedLife makes scope s finished with records 1, 2 and 3, the fence
// of hooks up.
func finishedLife(t *testing.T, e *lifeEnv) *lifeEnv {
	t.Helper()
	e.add(t, 3*time.Hour, 1, 2, 3)
	e.live(t)
	_, err := engine.Run(context.Background(), e.config(engine.ModeFinish), nil)
	must(t, err)
	if e.state(t) != decant.StateFinished || !e.fenceUp() {
		t.Fatalf("state = %s, fence up %v; want finished behind the fence", e.state(t), e.fenceUp())
	}
	return e
}

// Ensure a reset of a finished scope lifts the application's fence first
// (on_unfinish) and ends new: otherwise the fence stays up and unfinish,
// refused on a new scope, cannot lift it.
func TestReset_FinishedScopeLiftsTheFence(t *testing.T) {
	lifeTargets(t, func(t *testing.T, open func(t *testing.T, hooks string) *lifeEnv) {
		e := finishedLife(t, open(t, fenceHooks("true", "rm fence")))
		res, err := engine.Reset(context.Background(), e.config(engine.ModeBulk), engine.ResetOptions{})
		must(t, err)
		if e.fenceUp() {
			t.Error("the fence is still up after a reset of a finished scope: on_unfinish did not run")
		}
		if got := hookNames(res.Hooks); got != "on_unfinish" {
			t.Errorf("reset hooks = %q, want on_unfinish", got)
		}
		if s := e.state(t); s != decant.StateNew || res.State != decant.StateNew {
			t.Errorf("state = %s (result %s), want new", s, res.State)
		}
		if got := e.ids(t); got != "" || res.Records != 3 {
			t.Errorf("people after the reset = %q (%d records deleted), want none of 3", got, res.Records)
		}
	})
}

// Ensure a reset of a finished scope whose on_unfinish fails deletes
// nothing, keeps the scope finished, and says the fence is up and how to
// go on.
func TestReset_UnfinishFailsDeletesNothing(t *testing.T) {
	t.Parallel()
	e := finishedLife(t, openLife(t, "sqlite", fenceHooks("true", "echo cannot reach the app >&2; exit 5")))
	res, err := engine.Reset(context.Background(), e.config(engine.ModeBulk), engine.ResetOptions{})
	if err == nil {
		t.Fatal("reset = nil, want on_unfinish's error")
	}
	for _, w := range []string{"cannot reset scope s", "hook on_unfinish", "exit status 5", "cannot reach the app",
		"the fence is still up", "stays finished", "nothing was deleted", "hooks.on_unfinish", "decant reset"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
	var he *engine.HookError
	if !errors.As(err, &he) || he.Result.Hook != "on_unfinish" {
		t.Errorf("errors.As(err, *HookError) = %+v, want on_unfinish's", he)
	}
	if res != nil && res.Records != 0 {
		t.Errorf("result = %+v, want nothing deleted", res)
	}
	if got := e.ids(t); got != "1,2,3" || e.state(t) != decant.StateFinished || !e.fenceUp() {
		t.Errorf("after a refused reset: people %q, state %s, fence up %v; want 1,2,3, finished, up", got, e.state(t), e.fenceUp())
	}
}

// Ensure a migrate run after a reset stopped part way (rather than the
// reset run again) writes every row back: the reset forgets the steps'
// checkpoints before its first chunk, so the migrate reads from the start.
func TestReset_StoppedThenMigrateWritesEverythingBack(t *testing.T) {
	t.Parallel()
	want := resetFixture(t, 25, scopedKey)
	want.migrateScopes(t, "a", "b")

	f := resetFixture(t, 25, scopedKey)
	f.migrateScopes(t, "a", "b")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	chunks := 0
	_, err := engine.Reset(ctx, resetConfig(t, f, "a"), engine.ResetOptions{ChunkSize: 10, Chunked: func(string, int) {
		if chunks++; chunks == 1 {
			cancel()
		}
	}})
	if err == nil {
		t.Fatal("want the reset stopped after a chunk")
	}
	if got := f.query(t, "SELECT count(*) FROM decant_checkpoints WHERE scope = 'a'"); got != "0" {
		t.Errorf("scope a keeps %s checkpoints after a stopped reset, want 0", got)
	}
	if got := f.query(t, "SELECT count(*) FROM pets WHERE id LIKE 'a-%'"); got != "15" { // the last step goes first
		t.Fatalf("scope a has %s pets after one chunk of 10, want 15", got)
	}
	f.migrateScopes(t, "a")
	for _, q := range []string{"SELECT id, name FROM people ORDER BY id", "SELECT person_id, tag FROM tags ORDER BY person_id, tag",
		"SELECT id, name FROM pets ORDER BY id", "SELECT scope, step, key, status FROM decant_ledger ORDER BY scope, step, key",
		"SELECT scope, step FROM decant_checkpoints ORDER BY scope, step"} {
		if got, w := f.query(t, q), want.query(t, q); got != w {
			t.Errorf("%s after a stopped reset and a migrate:\n%s\nwant (an uninterrupted migrate):\n%s", q, got, w)
		}
	}
}

// ownedConfig is the config of scope on f, whose source gives the scope
// only the records it owns (ownedSource).
func ownedConfig(t *testing.T, f *fixture, scope string) engine.Config {
	t.Helper()
	cfg := f.config(t)
	cfg.Scope = scope
	open := connect.Sources(cfg.Plan)
	cfg.Sources = func(ctx context.Context, s *plan.Step) (decant.Source, error) {
		src, err := open(ctx, s)
		return ownedSource{src}, err
	}
	return cfg
}

// Ensure a reset leaves the row of a document that moved to another
// scope (the old scope's ledger still has its key), reports the key, and
// still deletes the old scope's ledger row of it.
func TestReset_LeavesDocumentMovedToOtherScope(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 4, "people: [person]", func(i int) string {
		return fmt.Sprintf(`{"id":%d,"name":"p%d","kind":"person","score":"1","tags":["t"],"owner":"a"}`, i, i)
	})
	_, err := engine.Run(context.Background(), ownedConfig(t, f, "a"), nil)
	must(t, err)
	f.appendLines(t, `{"id":3,"name":"moved","kind":"person","score":"1","tags":["t"],"owner":"b"}`)
	for _, sc := range []string{"a", "b"} {
		_, err = engine.Run(context.Background(), ownedConfig(t, f, sc), nil)
		must(t, err)
	}
	if got := f.query(t, "SELECT name FROM people WHERE id = 3"); got != "moved" {
		t.Fatalf("row 3 = %q, want b's", got)
	}
	var counted *engine.ResetResult
	res, err := engine.Reset(context.Background(), ownedConfig(t, f, "a"), engine.ResetOptions{Confirm: func(r *engine.ResetResult) bool {
		counted = r
		return true
	}})
	must(t, err)
	if got := f.query(t, "SELECT id, name FROM people ORDER BY id"); got != "3 moved" {
		t.Errorf("people after resetting a = %q, want only b's row 3", got)
	}
	if got := f.query(t, "SELECT count(*) FROM tags WHERE person_id = 3"); got != "1" {
		t.Errorf("row 3 has %s tags after resetting a, want b's 1", got)
	}
	if got := f.query(t, "SELECT scope, key FROM decant_ledger ORDER BY scope, key"); got != "b 3" {
		t.Errorf("ledger after resetting a = %q, want only b's key 3", got)
	}
	for _, r := range []*engine.ResetResult{counted, res} {
		if len(r.Steps) != 1 || !slices.Equal(r.Steps[0].HeldElsewhere, []string{"3"}) || r.Records != 4 || r.Steps[0].Tables["people"] != 3 {
			t.Errorf("result = %+v, want 4 records, 3 people rows, key 3 held elsewhere", r)
		}
	}
}

// commitOnLease is a store on which a commit of the scope finishes just
// before the reset takes the lease.
type commitOnLease struct {
	decant.Store
	once   sync.Once
	commit func()
}

func (c *commitOnLease) Unwrap() decant.Store { return c.Store }

func (c *commitOnLease) AcquireLease(ctx context.Context, scope string, h decant.Holder, ttl time.Duration) error {
	c.once.Do(c.commit)
	return c.leaser().AcquireLease(ctx, scope, h, ttl)
}

func (c *commitOnLease) ReleaseLease(ctx context.Context, scope string, h decant.Holder) error {
	return c.leaser().ReleaseLease(ctx, scope, h)
}

func (c *commitOnLease) BreakLease(ctx context.Context, scope string, dead decant.Holder) error {
	return c.leaser().BreakLease(ctx, scope, dead)
}

func (c *commitOnLease) leaser() decant.Leaser {
	l, _ := decant.As[decant.Leaser](c.Store)
	return l
}

// Ensure a reset asks whether the scope is committed once it holds the
// lease: a commit that finishes before the lease is taken is refused,
// nothing deleted.
func TestReset_CommitBeforeLeaseRefused(t *testing.T) {
	t.Parallel()
	e := finishedLife(t, openLife(t, "sqlite", fenceHooks("true", "rm fence")))
	cfg := e.config(engine.ModeBulk)
	cfg.Store = &commitOnLease{Store: e.st, commit: func() {
		_, err := engine.Commit(context.Background(), e.config(engine.ModeBulk))
		must(t, err)
	}}
	_, err := engine.Reset(context.Background(), cfg, engine.ResetOptions{})
	var te *decant.TransitionError
	if !errors.As(err, &te) || te.State != decant.StateCommitted {
		t.Fatalf("reset of a scope committed before its lease = %v, want a *TransitionError from committed", err)
	}
	if got := e.ids(t); got != "1,2,3" || e.state(t) != decant.StateCommitted {
		t.Errorf("after the refused reset: people %q, state %s; want 1,2,3 and committed", got, e.state(t))
	}
}

// Ensure a reset of a finishing scope (the fence up, not verified clean
// yet) lifts the fence first too.
func TestReset_FinishingScopeLiftsTheFence(t *testing.T) {
	t.Parallel()
	e := openLife(t, "sqlite", fenceHooks("true", "rm fence"))
	e.add(t, 3*time.Hour, 1, 2)
	e.live(t)
	lc, err := decant.Require[decant.Lifecycler](e.st, "test")
	must(t, err)
	_, err = lc.Transition(context.Background(), "s", []decant.ScopeState{decant.StateLive}, decant.StateFinishing, "test: on_finish ran")
	must(t, err)
	must(t, os.WriteFile(filepath.Join(e.dir, "fence"), nil, 0o644))
	res, err := engine.Reset(context.Background(), e.config(engine.ModeBulk), engine.ResetOptions{})
	must(t, err)
	if e.fenceUp() || hookNames(res.Hooks) != "on_unfinish" || e.state(t) != decant.StateNew || e.ids(t) != "" {
		t.Errorf("after resetting a finishing scope: fence up %v, hooks %q, state %s, people %q; want the fence lifted by on_unfinish, new, none",
			e.fenceUp(), hookNames(res.Hooks), e.state(t), e.ids(t))
	}
}
