package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
)

// liveScope returns a SQLite scope that is live, with the plan's hooks
// (they do not depend on the store).
func liveScope(t *testing.T, hooks string) *lifeEnv {
	t.Helper()
	e := openLife(t, "sqlite", hooks)
	e.add(t, 3*time.Hour, 1)
	e.live(t)
	return e
}

// Ensure a hook that fails, hangs past its timeout or answers HTTP 500
// stops the finish before the scope moves: it stays live, and the error
// says which hook, why, its output, and what to do; secrets in a hook's
// URL are not printed.
func TestHooks_FailureLeavesStateUnchanged(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, "boom")
	}))
	t.Cleanup(srv.Close)
	for _, tt := range []struct {
		name, hook string
		want       []string
		within     time.Duration
	}{
		{"Fails", `{command: [sh, -c, "echo no fence >&2; exit 3"]}`,
			[]string{"hook on_finish (sh -c echo no fence >&2; exit 3) failed: exit status 3", "scope s stays live", "fix the hook (plan key hooks.on_finish)", "no fence"}, 0},
		{"Hangs", `{command: [sleep, "30"], timeout: 300ms}`,
			[]string{"did not end within its timeout of 300ms (plan key hooks.on_finish.timeout)", "scope s stays live"}, 10 * time.Second},
		{"HTTP500", `{url: "` + srv.URL + `/fence?token=s3cret"}`,
			[]string{"failed: HTTP status 500 Internal Server Error", "POST " + srv.URL + "/fence?token=xxxxx", "boom"}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := liveScope(t, "hooks:\n  on_finish: "+tt.hook)
			start := time.Now()
			res, err := engine.Run(context.Background(), e.config(engine.ModeFinish), nil)
			var he *engine.HookError
			if !errors.As(err, &he) {
				t.Fatalf("finish with a failing hook = %v, want a *engine.HookError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("the error prints the hook URL's secret: %v", err)
			}
			if tt.within > 0 && time.Since(start) > tt.within {
				t.Errorf("the hanging hook held the finish for %s", time.Since(start))
			}
			if s := e.state(t); s != decant.StateLive {
				t.Errorf("state after the failed hook = %s, want live", s)
			}
			if len(res.Lifecycle.Hooks) != 1 || res.Lifecycle.Hooks[0].Error == "" {
				t.Errorf("hooks in the result = %+v, want the failed one", res.Lifecycle.Hooks)
			}
			if got := e.ids(t); got != "1" {
				t.Errorf("the failed finish drained the source anyway: target holds %s", got)
			}
		})
	}
}

// Ensure a command hook runs from the plan's directory with the scope,
// the hook and the state in its environment, an HTTP hook gets them as a
// JSON body, their output is kept, and the transitions go through.
func TestHooks_Succeed(t *testing.T) {
	t.Parallel()
	var body map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			json.NewDecoder(r.Body).Decode(&body)
		}
		io.WriteString(w, "switched")
	}))
	t.Cleanup(srv.Close)
	e := liveScope(t, `hooks:
  on_finish: {command: [sh, -c, 'echo "$DECANT_SCOPE $DECANT_HOOK $DECANT_STATE" > hook.out; echo fenced']}
  on_commit: {url: "`+srv.URL+`/commit"}`)
	res, err := engine.Run(context.Background(), e.config(engine.ModeFinish), nil)
	if err != nil {
		t.Fatalf("finish: %v", err)
	}
	out, err := os.ReadFile(filepath.Join(e.dir, "hook.out"))
	if err != nil || string(out) != "s on_finish live\n" {
		t.Errorf("the hook's environment wrote %q (%v), want \"s on_finish live\"", out, err)
	}
	if h := res.Lifecycle.Hooks; len(h) != 1 || h[0].Hook != "on_finish" || h[0].Output != "fenced\n" || h[0].Error != "" {
		t.Errorf("hooks = %+v, want on_finish with its output", h)
	}
	lr, err := engine.Commit(context.Background(), e.config(engine.ModeBulk))
	if err != nil || lr.State != decant.StateCommitted {
		t.Fatalf("commit = %+v, %v", lr, err)
	}
	if body["scope"] != "s" || body["hook"] != "on_commit" || body["state"] != "finished" {
		t.Errorf("the HTTP hook got %v, want {scope: s, hook: on_commit, state: finished}", body)
	}
	if h := lr.Hooks; len(h) != 1 || h[0].Status != 200 || h[0].Output != "switched" {
		t.Errorf("commit hooks = %+v, want on_commit with status 200 and its body", h)
	}
}
