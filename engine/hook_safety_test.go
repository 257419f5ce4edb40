package engine_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/engine"
	"github.com/decanthq/decant/plan"
)

// Ensure an HTTP hook that answers with a redirect fails, naming where it
// redirects (redacted) and saying to point the hook at the final URL:
// followed, a 301/302/303 turns the POST into a GET, and the fence would
// count as up without the POST having arrived. 307 and 308, which keep
// the method, are refused too.
func TestHooks_RedirectIsAFailure(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var arrived []string // the requests the redirects' target got
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/final") {
			mu.Lock()
			arrived = append(arrived, r.Method+" "+r.URL.Path)
			mu.Unlock()
			io.WriteString(w, "fenced")
			return
		}
		code := map[string]int{"/moved": 301, "/found": 302, "/temporary": 307, "/permanent": 308}[r.URL.Path]
		http.Redirect(w, r, "/final?token=t0psecret", code)
	}))
	t.Cleanup(srv.Close)
	for _, path := range []string{"/moved", "/found", "/temporary", "/permanent"} {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			t.Parallel()
			e := liveScope(t, "hooks:\n  on_finish: {url: \""+srv.URL+path+"\"}")
			res, err := engine.Run(context.Background(), e.config(engine.ModeFinish), nil)
			var he *engine.HookError
			if !errors.As(err, &he) {
				t.Fatalf("finish with a redirecting hook = %v, want a *engine.HookError", err)
			}
			for _, want := range []string{"decant follows no redirect", "point the hook (plan key hooks.on_finish.url) at the final URL, where it redirects: " + srv.URL + "/final?token=xxxxx; scope s stays live"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "t0psecret") || strings.Contains(res.Lifecycle.Hooks[0].Error, "t0psecret") {
				t.Errorf("the redirect's secret is printed: %v", err)
			}
			if s := e.state(t); s != decant.StateLive {
				t.Errorf("state after the redirected hook = %s, want live", s)
			}
		})
	}
	t.Cleanup(func() {
		if len(arrived) > 0 {
			t.Errorf("the redirects were followed: the final URL got %v", arrived)
		}
	})
}

// Ensure a command hook runs with everything it started in its own
// process group, killed whole when the hook times out or fails: a child
// left running could put the fence up after decant said the hook failed
// and left the scope live.
func TestHooks_FailureKillsTheHooksChildren(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, hook string }{
		// The shell waits for its child; the timeout comes first.
		{"TimeoutForeground", `{command: [sh, -c, "(sleep 1; touch fenced); echo done"], timeout: 200ms}`},
		// The child runs in the background, holding the output open.
		{"TimeoutBackground", `{command: [sh, -c, "(sleep 1; touch fenced) & sleep 30"], timeout: 200ms}`},
		// The hook fails at once and leaves a detached child behind.
		{"FailsWithChild", `{command: [sh, -c, "(sleep 1; touch fenced) >/dev/null 2>&1 & exit 3"]}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := liveScope(t, "hooks:\n  on_finish: "+tt.hook)
			start := time.Now()
			_, err := engine.Run(context.Background(), e.config(engine.ModeFinish), nil)
			var he *engine.HookError
			if !errors.As(err, &he) {
				t.Fatalf("migrate --finish: %v, want a HookError", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("the failed hook held the finish for %s", d)
			}
			time.Sleep(2 * time.Second)
			if _, err := os.Stat(filepath.Join(e.dir, "fenced")); err == nil {
				t.Errorf("the hook's child ran on after the hook failed and put the fence up; the scope is %s", e.state(t))
			}
			if s := e.state(t); s != decant.StateLive {
				t.Errorf("state %s after the failed hook, want live", s)
			}
		})
	}
}

// Ensure a command hook's arguments are printed (in its error, to
// cfg.Hook that the hook log prints, and in the result that --json
// prints) with their secrets hidden: URL passwords and secret parameters,
// the value after a secret-looking flag or header name, and the values of
// secret-looking environment variables the plan put in; its output and
// error hide the same values. The hook itself gets them whole.
func TestHooks_CommandSecretsHidden(t *testing.T) {
	t.Parallel()
	e := liveScope(t, `hooks:
  on_finish:
    command: [sh, -c, 'echo "$1" > got; echo "token $1 url $2 pw $4"; exit 3', hook, "${FENCE_TOKEN:-none}",
      "https://admin:s3cretpw@hq.example/fence?token=abc123", --password, pw-hunter2,
      "Authorization: Bearer bearer-xyz", "--api-key=key-789", "plain"]`)
	env := map[string]string{"FENCE_TOKEN": "tok-s3cr3t-value"}
	p, err := plan.Load(e.p.File, plan.Options{LookupEnv: func(name string) (string, bool) { v, ok := env[name]; return v, ok }})
	must(t, err)
	cfg := e.config(engine.ModeFinish)
	cfg.Plan = p
	var logged []engine.HookResult
	cfg.Hook = func(r engine.HookResult) { logged = append(logged, r) }
	res, err := engine.Run(context.Background(), cfg, nil)
	var he *engine.HookError
	if !errors.As(err, &he) {
		t.Fatalf("finish = %v, want the hook's error", err)
	}
	if len(logged) != 1 || len(res.Lifecycle.Hooks) != 1 {
		t.Fatalf("hooks logged %d, in the result %d; want 1 and 1", len(logged), len(res.Lifecycle.Hooks))
	}
	r := res.Lifecycle.Hooks[0]
	shown := map[string]string{"error": err.Error(), "command": strings.Join(r.Command, " "), "output": r.Output,
		"logged command": strings.Join(logged[0].Command, " "), "logged output": logged[0].Output}
	for what, text := range shown {
		for _, secret := range []string{"tok-s3cr3t-value", "s3cretpw", "abc123", "pw-hunter2", "bearer-xyz", "key-789"} {
			if strings.Contains(text, secret) {
				t.Errorf("the hook's %s shows %q: %s", what, secret, text)
			}
		}
	}
	want := []string{"sh", "-c", `echo "$1" > got; echo "token $1 url $2 pw $4"; exit 3`, "hook", "xxxxx",
		"https://admin:xxxxx@hq.example/fence?token=xxxxx", "--password", "xxxxx", "Authorization: xxxxx",
		"--api-key=xxxxx", "plain"}
	if got := r.Command; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("command shown as\n%q\nwant\n%q", got, want)
	}
	if !strings.Contains(r.Output, "token xxxxx url https://admin:xxxxx@hq.example/fence?token=xxxxx pw xxxxx") {
		t.Errorf("output = %q, want its secrets hidden and the rest kept", r.Output)
	}
	if got, _ := os.ReadFile(filepath.Join(e.dir, "got")); string(got) != "tok-s3cr3t-value\n" {
		t.Errorf("the hook got %q as its argument, want the token whole", got)
	}
}

// Ensure a hook's ${scope} is the run's scope when it runs: in a command's
// arguments as is, in a URL's path and query escaped.
func TestHooks_ScopeIsPutIn(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got *url.URL
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.URL
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	e := openLife(t, "sqlite", `hooks:
  on_finish: {command: [sh, -c, 'printf "%s|%s" "$1" "$2" > args', hook, "${scope}", "tenant=${scope}.x"]}
  on_commit: {url: "`+srv.URL+`/tenants/${scope}/switch?tenant=${scope}&v=1"}`)
	e.add(t, 3*time.Hour, 1)
	cfg := e.config(engine.ModeLive)
	cfg.Scope = "a/b c&d"
	cfg.AutoFinish = true
	res, err := engine.Run(context.Background(), cfg, nil)
	if err != nil {
		t.Fatalf("auto-finish: %v", err)
	}
	args, err := os.ReadFile(filepath.Join(e.dir, "args"))
	must(t, err)
	if string(args) != "a/b c&d|tenant=a/b c&d.x" {
		t.Errorf("the command hook got %q, want the scope put in as is", args)
	}
	mu.Lock()
	defer mu.Unlock()
	if got == nil {
		t.Fatal("the URL hook was not called")
	}
	if got.EscapedPath() != "/tenants/a%2Fb%20c&d/switch" || got.Query().Get("tenant") != "a/b c&d" || got.Query().Get("v") != "1" {
		t.Errorf("the URL hook got path %s and query %s, want the scope escaped in both", got.EscapedPath(), got.RawQuery)
	}
	if h := res.Lifecycle.Hooks; len(h) != 2 || h[0].Command[4] != "a/b c&d" || !strings.Contains(h[1].URL, "/tenants/a%2Fb%20c&d/switch") {
		t.Errorf("hooks shown as %+v, want the scope put in", h)
	}
}
