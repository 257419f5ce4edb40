package engine_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/plan"
)

// lifeBase is the lifecycle tests' clock: records changed before
// lifeBase-1h are outside the lag window.
var lifeBase = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// lifeEnv is a scope's target and its JSONL source, which a test grows
// between rounds as the legacy application would.
type lifeEnv struct {
	dir, url string
	db       *sql.DB
	st       decant.Store
	p        *plan.Plan
	now      time.Time
}

// lifeTargets gives each test a SQLite and a PostgreSQL target.
func lifeTargets(t *testing.T, fn func(t *testing.T, open func(t *testing.T, hooks string) *lifeEnv)) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, func(t *testing.T, hooks string) *lifeEnv { return openLife(t, name, hooks) })
		})
	}
}

// openLife makes a scope on a new target of kind name (sqlite or
// postgres) with an empty source, and the plan's hooks.
func openLife(t *testing.T, name, hooks string) *lifeEnv {
	t.Helper()
	dir := t.TempDir()
	e := &lifeEnv{dir: dir, now: lifeBase}
	var err error
	if name == "sqlite" {
		e.url = "sqlite:t.db"
		e.db, err = sql.Open("sqlite", filepath.Join(dir, "t.db"))
	} else {
		e.url = testenv.Postgres(t)
		e.db, err = sql.Open("pgx", e.url)
	}
	must(t, err)
	t.Cleanup(func() { e.db.Close() })
	must(t, os.WriteFile(filepath.Join(dir, "schema.sql"), []byte("CREATE TABLE IF NOT EXISTS people (id BIGINT PRIMARY KEY, name TEXT);\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "in.jsonl"), nil, 0o644))
	src := fmt.Sprintf(`version: 1
connections:
  in: file:in.jsonl
  target: %s
setup: [schema.sql]
batch_size: 2
live: {lag: 1h, time: record.modified}
%s
steps:
  - name: people
    from: {connection: in, key: id}
    key: id
    to: {table: people}
    map: {id: record.id, name: record.name}
`, e.url, hooks)
	must(t, os.WriteFile(filepath.Join(dir, "decant.yaml"), []byte(src), 0o644))
	e.p, err = plan.Load(filepath.Join(dir, "decant.yaml"), plan.Options{})
	must(t, err)
	e.st, err = connect.Store(context.Background(), e.p)
	must(t, err)
	t.Cleanup(func() { e.st.Close() })
	return e
}

// add appends records to the source, each changed ago before the clock.
func (e *lifeEnv) add(t *testing.T, ago time.Duration, ids ...int) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(e.dir, "in.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	must(t, err)
	defer f.Close()
	for _, id := range ids {
		_, err := fmt.Fprintf(f, `{"id":%d,"name":"p%d","modified":%q}`+"\n", id, id, e.now.Add(-ago).Format(time.RFC3339))
		must(t, err)
	}
}

func (e *lifeEnv) config(mode engine.Mode) engine.Config {
	return engine.Config{Plan: e.p, Store: e.st, Sources: connect.Sources(e.p), Scope: "s", LeaseTTL: 3 * time.Second,
		Mode: mode, Interval: 10 * time.Millisecond, Now: func() time.Time { return e.now }}
}

// live runs migrate --live for one round: the stop comes as the round's
// last step ends, as a Ctrl-C would.
func (e *lifeEnv) live(t *testing.T) *engine.Result {
	t.Helper()
	stop := make(chan struct{})
	cfg := e.config(engine.ModeLive)
	cfg.Progress = &stopOnStepDone{stop: stop}
	res, err := engine.Run(context.Background(), cfg, stop)
	if err != nil {
		t.Fatalf("migrate --live: %v", err)
	}
	return res
}

// stopOnStepDone stops a live run when its step is first done. A loaded
// machine may let the run start another round before it sees the stop,
// whose StepDone must not close the channel again.
type stopOnStepDone struct {
	stop chan struct{}
	once sync.Once
}

func (*stopOnStepDone) StepStarted(string, int64)       {}
func (*stopOnStepDone) Batch(string, decant.BatchAudit) {}
func (s *stopOnStepDone) StepDone(engine.StepResult)    { s.once.Do(func() { close(s.stop) }) }
func (*stopOnStepDone) RoundError(error)                {}

func (e *lifeEnv) ids(t *testing.T) string {
	t.Helper()
	return strings.Join(testenv.Rows(t, e.db, "SELECT id FROM people ORDER BY id"), ",")
}

func (e *lifeEnv) state(t *testing.T) decant.ScopeState {
	t.Helper()
	l, err := decant.Require[decant.Lifecycler](e.st, "test")
	must(t, err)
	got, err := l.Lifecycle(context.Background(), "s")
	must(t, err)
	return got.State
}

// Ensure a scope goes new → migrating → live → finishing → finished →
// committed: the lag window holds back the record of a feed (read in
// change order) changed within the last hour and every record after it,
// and lets them in once they are older;
// a stop leaves the scope live; finish drains without the lag; commit
// re-verifies; committed refuses everything.
func TestLifecycle_FullPath(t *testing.T) {
	t.Parallel()
	lifeTargets(t, func(t *testing.T, open func(*testing.T, string) *lifeEnv) {
		e := open(t, "")
		e.serveFeed(t)
		if s := e.state(t); s != decant.StateNew {
			t.Fatalf("state before anything = %s, want new", s)
		}
		e.add(t, 3*time.Hour, 1, 2, 3)
		e.add(t, 10*time.Minute, 4) // still being edited in the legacy app
		e.add(t, 2*time.Hour, 5)    // older, but after 4 in the source
		res := e.live(t)
		if got := e.ids(t); got != "1,2,3" {
			t.Errorf("after the first live round the target holds %s, want 1,2,3 (4 is within the lag, 5 after it)", got)
		}
		if s := res.Steps[0]; s.HeldAt != "4" {
			t.Errorf("HeldAt = %q, want 4", s.HeldAt)
		}
		if s := e.state(t); s != decant.StateLive {
			t.Errorf("state after a live round and a stop = %s, want live", s)
		}
		// More writes arrive; an hour later 4 is out of the window.
		e.now = e.now.Add(61 * time.Minute)
		e.add(t, 0, 6)
		e.live(t)
		if got := e.ids(t); got != "1,2,3,4,5" {
			t.Errorf("after the second live round the target holds %s, want 1,2,3,4,5 (6 within the lag)", got)
		}
		res, err := engine.Run(context.Background(), e.config(engine.ModeFinish), nil)
		if err != nil {
			t.Fatalf("migrate --finish: %v", err)
		}
		if got := e.ids(t); got != "1,2,3,4,5,6" {
			t.Errorf("after finish the target holds %s, want every record: the finish has no lag", got)
		}
		if lr := res.Lifecycle; lr == nil || lr.State != decant.StateFinished || lr.From != decant.StateLive ||
			lr.Verify == nil || !lr.Verify.Clean || lr.Summary != "clean: 6 keys checked" {
			t.Errorf("finish lifecycle = %+v, want live → finished, clean: 6 keys checked", lr)
		}
		lr, err := engine.Commit(context.Background(), e.config(engine.ModeBulk))
		if err != nil || lr.State != decant.StateCommitted {
			t.Fatalf("commit = %+v, %v", lr, err)
		}
		want := "new>migrating|migrating>live|live>finishing|finishing>finished|finished>committed"
		if got := strings.Join(testenv.Rows(t, e.db, "SELECT from_state || '>' || to_state FROM decant_scope_history WHERE scope = 's' ORDER BY id"), "|"); got != want {
			t.Errorf("history = %s\nwant %s", got, want)
		}
		for _, m := range []engine.Mode{engine.ModeBulk, engine.ModeLive, engine.ModeFinish} {
			_, err := engine.Run(context.Background(), e.config(m), nil)
			var te *decant.TransitionError
			if !errors.As(err, &te) || te.State != decant.StateCommitted || !strings.Contains(err.Error(), "what it allows: none: it is final") {
				t.Errorf("%s on a committed scope = %v, want a TransitionError saying it is final", m.Command(), err)
			}
		}
		// Nor does any other write from the old source: the application
		// owns the rows now.
		for name, write := range map[string]func() error{
			"errors retry": func() error { _, err := engine.Retry(context.Background(), e.config(engine.ModeBulk)); return err },
			"patch": func() error {
				_, err := engine.Patch(context.Background(), e.config(engine.ModeBulk), engine.PatchOptions{All: true, Reason: "r"})
				return err
			},
			"reset": func() error {
				_, err := engine.Reset(context.Background(), e.config(engine.ModeBulk), engine.ResetOptions{})
				return err
			},
			"patch revert": func() error {
				_, err := engine.RevertPatches(context.Background(), e.config(engine.ModeBulk), []int64{1}, decant.RevertOptions{Reason: "r"})
				return err
			},
		} {
			var te *decant.TransitionError
			if err := write(); !errors.As(err, &te) || !strings.Contains(err.Error(), name+" is not allowed from committed") {
				t.Errorf("%s on a committed scope = %v, want a TransitionError", name, err)
			}
		}
	})
}

// Ensure each command refused by the scope's state says the state and the
// commands it allows, and changes nothing.
func TestLifecycle_IllegalTransitions(t *testing.T) {
	t.Parallel()
	lifeTargets(t, func(t *testing.T, open func(*testing.T, string) *lifeEnv) {
		e := open(t, "")
		e.add(t, 3*time.Hour, 1)
		ctx := context.Background()
		_, err := engine.Run(ctx, e.config(engine.ModeFinish), nil)
		assertRefused(t, err, "scope s is new: migrate --finish is not allowed from new; what it allows: migrate, migrate --live")
		_, err = engine.Commit(ctx, e.config(engine.ModeBulk))
		assertRefused(t, err, "scope s is new: commit is not allowed from new; what it allows: migrate, migrate --live")
		_, err = engine.Unfinish(ctx, e.config(engine.ModeBulk))
		assertRefused(t, err, "scope s is new: unfinish is not allowed from new")
		if _, err := e.db.Exec("SELECT 1 FROM people"); err == nil {
			t.Errorf("a refused finish ran the setup script: the table people exists")
		}
		if _, err := engine.Run(ctx, e.config(engine.ModeBulk), nil); err != nil {
			t.Fatal(err)
		}
		_, err = engine.Run(ctx, e.config(engine.ModeFinish), nil)
		assertRefused(t, err, "scope s is migrating: migrate --finish is not allowed from migrating; what it allows: migrate, migrate --live, reset")
		e.live(t)
		_, err = engine.Run(ctx, e.config(engine.ModeBulk), nil)
		assertRefused(t, err, "scope s is live: migrate is not allowed from live; what it allows: migrate --live, migrate --finish, reset")
		_, err = engine.Commit(ctx, e.config(engine.ModeBulk))
		assertRefused(t, err, "commit is not allowed from live")
		if s := e.state(t); s != decant.StateLive {
			t.Errorf("state after refusals = %s, want live", s)
		}
	})
}

func assertRefused(t *testing.T, err error, want string) {
	t.Helper()
	var te *decant.TransitionError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want a *decant.TransitionError containing %q", err, want)
	}
}

// Ensure a finish whose verify is not clean stays finishing with a
// *NotCleanError that counts the findings, that unfinish takes it back
// to live, and that a commit of a finished scope that is no longer clean
// is refused and leaves it finished.
func TestLifecycle_NotClean(t *testing.T) {
	t.Parallel()
	lifeTargets(t, func(t *testing.T, open func(*testing.T, string) *lifeEnv) {
		e := open(t, "")
		ctx := context.Background()
		e.add(t, 3*time.Hour, 1, 2, 3)
		e.live(t)
		_, err := e.db.Exec("UPDATE people SET name = 'edited' WHERE id = 2")
		must(t, err)
		_, err = e.db.Exec("INSERT INTO people (id, name) VALUES (99, 'stray')")
		must(t, err)
		res, err := engine.Run(ctx, e.config(engine.ModeFinish), nil)
		var nc *engine.NotCleanError
		if !errors.As(err, &nc) || nc.Summary != "1 diff, 1 extra" || nc.State != decant.StateFinishing {
			t.Fatalf("finish of a scope that is not clean = %v, want a NotCleanError: 1 diff, 1 extra, stays finishing", err)
		}
		if s := e.state(t); s != decant.StateFinishing || res.Lifecycle.State != decant.StateFinishing {
			t.Errorf("state = %s (result %s), want finishing", s, res.Lifecycle.State)
		}
		lr, err := engine.Unfinish(ctx, e.config(engine.ModeBulk))
		if err != nil || lr.State != decant.StateLive {
			t.Fatalf("unfinish = %+v, %v; want live", lr, err)
		}
		// Fixed, finished; then someone edits the target: commit refuses.
		_, err = e.db.Exec("DELETE FROM people WHERE id = 99")
		must(t, err)
		_, err = e.db.Exec("UPDATE people SET name = 'p2' WHERE id = 2")
		must(t, err)
		if _, err := engine.Run(ctx, e.config(engine.ModeFinish), nil); err != nil {
			t.Fatalf("finish after the fix: %v", err)
		}
		_, err = e.db.Exec("DELETE FROM people WHERE id = 3")
		must(t, err)
		_, err = engine.Commit(ctx, e.config(engine.ModeBulk))
		if !errors.As(err, &nc) || nc.Summary != "1 missing" || !strings.Contains(err.Error(), "it stays finished") {
			t.Errorf("commit of a scope no longer clean = %v, want a NotCleanError: 1 missing, stays finished", err)
		}
		if s := e.state(t); s != decant.StateFinished {
			t.Errorf("state after a refused commit = %s, want finished", s)
		}
	})
}

// Ensure --auto-finish follows until caught up, then finishes and commits
// a clean scope, and takes a scope that is not clean back to live with
// the findings in its summary.
func TestLifecycle_AutoFinish(t *testing.T) {
	t.Parallel()
	lifeTargets(t, func(t *testing.T, open func(*testing.T, string) *lifeEnv) {
		ctx := context.Background()
		for _, dirty := range []bool{false, true} {
			e := open(t, "")
			e.add(t, 3*time.Hour, 1, 2, 3)
			e.add(t, 5*time.Minute, 4)
			if dirty {
				_, err := engine.Run(ctx, e.config(engine.ModeBulk), nil) // creates the table
				if err == nil {
					_, err = e.db.Exec("INSERT INTO people (id, name) VALUES (99, 'stray')")
				}
				must(t, err)
			}
			cfg := e.config(engine.ModeLive)
			cfg.AutoFinish = true
			res, err := engine.Run(ctx, cfg, nil)
			var nc *engine.NotCleanError
			switch {
			case !dirty && (err != nil || res.Lifecycle.State != decant.StateCommitted || !strings.HasPrefix(res.Lifecycle.Summary, "committed: clean")):
				t.Errorf("auto-finish of a clean scope = %v, %+v; want committed", err, res.Lifecycle)
			case dirty && (!errors.As(err, &nc) || res.Lifecycle.State != decant.StateLive || res.Lifecycle.Summary != "left live: 1 extra"):
				t.Errorf("auto-finish of a scope that is not clean = %v, %+v; want left live: 1 extra", err, res.Lifecycle)
			}
			if got := e.ids(t); !strings.HasPrefix(got, "1,2,3,4") {
				t.Errorf("auto-finish left the target with %s, want 1..4: the finish drains past the lag", got)
			}
		}
	})
}

// Ensure a stop in the middle of a live run's bulk read leaves the scope
// migrating (the bulk is not done), and the next live run moves it to
// live once it has read the rest.
func TestLifecycle_StopDuringBulk(t *testing.T) {
	t.Parallel()
	lifeTargets(t, func(t *testing.T, open func(*testing.T, string) *lifeEnv) {
		e := open(t, "")
		ids := make([]int, 400) // 200 batches: the reader cannot be done when the stop comes
		for i := range ids {
			ids[i] = i + 1
		}
		e.add(t, 3*time.Hour, ids...)
		stop := make(chan struct{})
		cfg := e.config(engine.ModeLive)
		cfg.Progress = &stopAfter{n: 1, stop: stop}
		cfg.QueueDepth = 1
		res, err := engine.Run(context.Background(), cfg, stop)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Steps[0].Stopped {
			t.Fatalf("the step was not stopped: %+v", res.Steps[0])
		}
		if s := e.state(t); s != decant.StateMigrating {
			t.Errorf("state after a stop in the bulk = %s, want migrating", s)
		}
		e.live(t)
		if s, got := e.state(t), testenv.Rows(t, e.db, "SELECT count(*) FROM people"); s != decant.StateLive || got[0] != "400" {
			t.Errorf("after the next live round: state %s, target %s rows; want live, 400", s, got)
		}
	})
}

// Ensure a store without the Lifecycler role fails the lifecycle commands
// with an error naming the role, and a run with every other role too.
func TestLifecycle_MissingRole(t *testing.T) {
	t.Parallel()
	e := openLife(t, "sqlite", "")
	e.add(t, 3*time.Hour, 1)
	in, _ := decant.As[decant.StateInitializer](e.st)
	l, _ := decant.As[decant.Leaser](e.st)
	c, _ := decant.As[decant.Cataloger](e.st)
	sr, _ := decant.As[decant.ScriptRunner](e.st)
	cfg := e.config(engine.ModeBulk)
	cfg.Store = noLifecycle{noScripts{e.st, in, l, c}, sr}
	var re *decant.RoleError
	for name, run := range map[string]func() error{
		"migrate":  func() error { _, err := engine.Run(context.Background(), cfg, nil); return err },
		"unfinish": func() error { _, err := engine.Unfinish(context.Background(), cfg); return err },
		"commit":   func() error { _, err := engine.Commit(context.Background(), cfg); return err },
	} {
		if err := run(); !errors.As(err, &re) || re.Role != "decant.Lifecycler" || !strings.Contains(re.Need, name) {
			t.Errorf("%s on a store without Lifecycler = %v, want a *decant.RoleError naming it and %s", name, err, name)
		}
	}
}

// noLifecycle has every role decant's stores have but Lifecycler.
type noLifecycle struct {
	noScripts
	decant.ScriptRunner
}

// Ensure a library caller gets the flags' refusals too: a lifecycle run
// of some steps only, or AutoFinish without live.
func TestLifecycle_ConfigRefused(t *testing.T) {
	t.Parallel()
	e := openLife(t, "sqlite", "")
	cfg := e.config(engine.ModeLive)
	cfg.Only = []string{"people"}
	if _, err := engine.NewRunner(cfg); err == nil || !strings.Contains(err.Error(), "migrate --live runs every step of the scope") {
		t.Errorf("NewRunner(live, Only) = %v", err)
	}
	cfg = e.config(engine.ModeFinish)
	cfg.AutoFinish = true
	if _, err := engine.NewRunner(cfg); err == nil || !strings.Contains(err.Error(), "AutoFinish needs Mode ModeLive") {
		t.Errorf("NewRunner(finish, AutoFinish) = %v", err)
	}
}
