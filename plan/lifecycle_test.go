package plan_test

import (
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant/plan"
)

const liveStep = "  - name: a\n    from: {connection: data, key: id}\n    key: id\n    to: {table: a}\n    map: {id: record.id}\n"

// Ensure live: and hooks: load with their durations parsed, the time
// expression compiled and a hook's timeout defaulted.
func TestParse_LiveAndHooks(t *testing.T) {
	t.Parallel()
	src := header + liveStep + `live:
  lag: 1h
  time: record.server_modified_on
hooks:
  on_finish: {command: [fence, on], timeout: 5s}
  on_commit: {url: "https://app.example/hooks/commit"}
`
	p := mustParse(t, src, plan.Options{})
	if p.Live == nil || p.Live.LagDuration != time.Hour || p.Live.TimeProg == nil || p.Live.Zone == nil {
		t.Fatalf("live = %+v", p.Live)
	}
	h := p.Hook("on_finish")
	if h == nil || h.Name != "on_finish" || strings.Join(h.Command, " ") != "fence on" || h.TimeoutDuration != 5*time.Second {
		t.Errorf("on_finish = %+v", h)
	}
	if h := p.Hook("on_commit"); h == nil || h.TimeoutDuration != plan.DefaultHookTimeout {
		t.Errorf("on_commit = %+v, want the default timeout", h)
	}
	if p.Hook("on_unfinish") != nil {
		t.Errorf("on_unfinish is set though the plan has none")
	}
}

// Ensure each mistake in live: or hooks: fails at its position and says
// how to fix it, and a hook URL's password is not printed.
func TestParse_LiveAndHooksErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, extra string
		line, col   int
		want        string
	}{
		{"NoTime", "live: {lag: 1h}\n", 12, 7, "live needs both lag (as 1h) and time"},
		{"BadLag", "live: {lag: an hour, time: record.t}\n", 12, 13, `live.lag "an hour" is not a duration: write it as 1h`},
		{"BadTime", "live:\n  lag: 1h\n  time: recrod.t\n", 14, 9, `unknown name "recrod"`},
		{"Now", "live:\n  lag: 1h\n  time: now()\n", 14, 9, "uses now()"},
		{"Both", "hooks:\n  on_finish: {command: [x], url: 'http://h/'}\n", 13, 14, "hooks.on_finish sets both command and url"},
		{"Neither", "hooks:\n  on_commit: {timeout: 1s}\n", 13, 14, "hooks.on_commit has neither command nor url"},
		{"BadURL", "hooks:\n  on_commit:\n    url: ftp://h/x\n", 14, 10, `url "ftp://h/x" is not an http:// or https:// URL`},
		{"BadTimeout", "hooks:\n  on_unfinish:\n    command: [x]\n    timeout: soon\n", 15, 14, `hooks.on_unfinish: timeout "soon" is not a positive duration`},
		{"Password", "hooks:\n  on_commit:\n    url: https://u:hunter%zz2@h/x\n", 14, 10, "hooks.on_commit: the password in"},
		{"UnknownHook", "hooks:\n  on_finnish: {command: [x]}\n", 13, 3, `unknown field "on_finnish"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := parseErr(t, header+liveStep+tt.extra, plan.Options{})
			if e.Line != tt.line || e.Col != tt.col {
				t.Errorf("position = %d:%d, want %d:%d (%v)", e.Line, e.Col, tt.line, tt.col, e)
			}
			if strings.Contains(e.Error(), "hunter2") {
				t.Errorf("the error prints the hook URL's password: %v", e)
			}
			if !strings.Contains(e.Msg, tt.want) {
				t.Errorf("message = %q, want it to contain %q", e.Msg, tt.want)
			}
		})
	}
}
