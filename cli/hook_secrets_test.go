package cli_test

import (
	"strings"
	"testing"
	"time"
)

// A failing hook's command line hides its secrets wherever decant prints
// it: the hook log on stderr, the error, and hooks[].command in --json.
func TestHookSecretsHiddenInLogAndJSON(t *testing.T) {
	t.Parallel()
	tn := newTenant(t, "sqlite")
	tn.withHook(t, `{command: [sh, -c, 'echo "calling $1"; exit 3', hook, "https://admin:s3cretpw@hq.example/fence?token=abc123", --token, tok-789]}`)
	tn.feed.add(3*time.Hour, 1)
	tn.liveRound(t)
	r := run(t, "migrate", "--finish", "--json", "-c", tn.plan, "--scope", "acme")
	var res struct {
		Lifecycle struct {
			State string
			Hooks []struct {
				Command []string
				Output  string
				Error   string
			}
		}
	}
	decodeJSON(t, r, &res)
	if r.code != 1 || res.Lifecycle.State != "live" || len(res.Lifecycle.Hooks) != 1 {
		t.Fatalf("finish with a failing hook: %+v\n%s", res.Lifecycle, r)
	}
	h := res.Lifecycle.Hooks[0]
	if got := strings.Join(h.Command, " "); got != `sh -c echo "calling $1"; exit 3 hook https://admin:xxxxx@hq.example/fence?token=xxxxx --token xxxxx` {
		t.Errorf("--json command = %s", got)
	}
	if h.Output != "calling https://admin:xxxxx@hq.example/fence?token=xxxxx\n" {
		t.Errorf("--json output = %q", h.Output)
	}
	for _, secret := range []string{"s3cretpw", "abc123", "tok-789"} {
		if strings.Contains(r.stdout, secret) || strings.Contains(r.stderr, secret) {
			t.Errorf("%q is printed:\n%s", secret, r)
		}
	}
	if !strings.Contains(r.stderr, "hook on_finish of scope acme: FAILED: exit status 3") || !strings.Contains(r.stderr, "  | calling https://admin:xxxxx@") {
		t.Errorf("the hook log:\n%s", r.stderr)
	}
}
