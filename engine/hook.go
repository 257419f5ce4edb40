package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/plan"
)

// hookOutputMax bounds the output of a hook that is kept and printed.
const hookOutputMax = 4 << 10

// HookResult is one hook's run: what ran, how it ended and what it said.
type HookResult struct {
	// Hook is the plan key ("on_finish").
	Hook string `json:"hook"`
	// Command is the program and arguments of a command hook, with the
	// scope put in and their secrets hidden.
	Command []string `json:"command,omitempty"`
	// URL is an HTTP hook's URL with its secrets redacted.
	URL string `json:"url,omitempty"`
	// Status is an HTTP hook's response status, 0 when none came.
	Status int `json:"status,omitempty"`
	// Output is the command's stdout and stderr, or the response's body,
	// cut to 4 KiB.
	Output   string        `json:"output"`
	Duration time.Duration `json:"duration_ns"`
	// Error says why the hook failed, "" when it succeeded.
	Error string `json:"error,omitempty"`
}

// HookError is a hook that failed, timed out or could not run: the
// transition it came before did not happen, and the scope's state is
// unchanged.
type HookError struct {
	Result HookResult
	Scope  string
	// State is the scope's state, which the failure left as it was.
	State decant.ScopeState
}

func (e *HookError) Error() string {
	what := strings.Join(e.Result.Command, " ")
	if e.Result.URL != "" {
		what = "POST " + e.Result.URL
	}
	msg := fmt.Sprintf("hook %s (%s) failed: %s; scope %s stays %s: fix the hook (plan key hooks.%s) and run the command again",
		e.Result.Hook, what, e.Result.Error, e.Scope, e.State, e.Result.Hook)
	if out := strings.TrimSpace(e.Result.Output); out != "" {
		msg += "\nits output:\n" + out
	}
	return msg
}

// runHook runs the plan's hook named name for scope, whose state is state,
// when the plan has one; it reports the result to cfg.Hook and adds it to
// lr. A failure is a *HookError.
func runHook(ctx context.Context, cfg Config, name string, state decant.ScopeState, lr *LifecycleResult) error {
	h := cfg.Plan.Hook(name)
	if h == nil {
		return nil
	}
	start := time.Now()
	hctx, cancel := context.WithTimeout(ctx, h.TimeoutDuration)
	defer cancel()
	hide := newHookSecrets(cfg.Plan)
	var r HookResult
	var err error
	if h.URL != "" {
		r, err = postHook(hctx, h, cfg.Scope, state, hide)
	} else {
		r, err = commandHook(hctx, cfg.Plan, h, cfg.Scope, state, hide)
	}
	r.Hook, r.Duration = name, time.Since(start)
	r.Output = hide.text(r.Output)
	if err != nil && hctx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
		err = fmt.Errorf("it did not end within its timeout of %s (plan key hooks.%s.timeout)", h.TimeoutDuration, name)
	}
	if err != nil {
		r.Error = hide.text(err.Error())
	}
	lr.Hooks = append(lr.Hooks, r)
	if cfg.Hook != nil {
		cfg.Hook(r)
	}
	if err != nil {
		return &HookError{Result: r, Scope: cfg.Scope, State: state}
	}
	return nil
}

// commandHook runs a command hook from the plan file's directory, with
// the scope, the hook and the state in its environment and the scope put
// in for its arguments' ${scope}. A hook that fails, times out or is
// cancelled leaves nothing running: its process group is killed.
func commandHook(ctx context.Context, p *plan.Plan, h *plan.Hook, scope string, state decant.ScopeState,
	hide *hookSecrets) (HookResult, error) {
	args := make([]string, len(h.Command))
	for i, a := range h.Command {
		args[i] = decant.ExpandScope(a, scope, nil)
	}
	r := HookResult{Command: hide.command(args)}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = filepath.Dir(p.File)
	cmd.Env = append(os.Environ(), "DECANT_SCOPE="+scope, "DECANT_HOOK="+h.Name, "DECANT_STATE="+string(state))
	var out capped
	cmd.Stdout, cmd.Stderr = &out, &out
	ownGroup(cmd)
	// A child that keeps the output open must not keep the hook waiting
	// past its timeout.
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if err != nil {
		_ = killGroup(cmd) // what it started must not go on to put the fence up
	}
	r.Output = out.String()
	return r, err
}

// hookClient is the HTTP hooks' client: it follows no redirect, since a
// 301, 302 or 303 followed turns the POST into a GET, and the fence would
// count as up without the POST having arrived.
var hookClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// hookURL is a hook's URL with scope for its ${scope}, escaped for where it
// stands: in the path (and host) as a path segment, in the query as a
// parameter's value.
func hookURL(raw, scope string) string {
	path, query, hasQuery := strings.Cut(raw, "?")
	u := decant.ExpandScope(path, scope, url.PathEscape)
	if hasQuery {
		u += "?" + decant.ExpandScope(query, scope, url.QueryEscape)
	}
	return u
}

// postHook POSTs {scope, hook, state} to an HTTP hook. Errors name the URL
// redacted, never as net/http words them (with the URL whole). A redirect
// is a failure that names where it leads.
func postHook(ctx context.Context, h *plan.Hook, scope string, state decant.ScopeState, hide *hookSecrets) (HookResult, error) {
	u := hookURL(h.URL, scope)
	r := HookResult{URL: hide.url(u)}
	body, _ := json.Marshal(map[string]string{"scope": scope, "hook": h.Name, "state": string(state)})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return r, errors.New("cannot build the request")
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hookClient.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return r, err
	}
	defer resp.Body.Close()
	var out capped
	_, _ = io.Copy(&out, resp.Body)
	r.Status, r.Output = resp.StatusCode, out.String()
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		to := resp.Header.Get("Location")
		if loc, err := resp.Location(); err == nil {
			to = loc.String()
		}
		// The URL comes last: redacted text ends a URL at white space only.
		return r, fmt.Errorf("HTTP status %s: decant follows no redirect of a hook (a POST followed through 301, 302 "+
			"or 303 arrives as a GET); point the hook (plan key hooks.%s.url) at the final URL, where it redirects: %s",
			resp.Status, h.Name, hide.url(to))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return r, fmt.Errorf("HTTP status %s", resp.Status)
	}
	return r, nil
}

// capped keeps the first hookOutputMax bytes written to it and notes
// that more were cut.
type capped struct {
	buf bytes.Buffer
	cut bool
}

func (c *capped) Write(p []byte) (int, error) {
	if room := hookOutputMax - c.buf.Len(); room < len(p) {
		c.cut = true
		c.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return c.buf.Write(p)
}

func (c *capped) String() string {
	if c.cut {
		return c.buf.String() + "\n[cut at 4 KiB]"
	}
	return c.buf.String()
}
