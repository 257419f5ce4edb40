package plan_test

import (
	"strings"
	"testing"

	"github.com/decanthq/decant/plan"
)

// Ensure the plan remembers the values it expanded from environment
// variables whose names look secret, and only those, so that text built
// from its strings (a hook's command line) can hide them when printed.
func TestParse_ExpandedSecrets(t *testing.T) {
	t.Parallel()
	env := map[string]string{"FENCE_TOKEN": "tok-value", "HOOK_KEY": "key-value", "DB_PASS": "pass-value",
		"APP_HOST": "app.example", "MONKEY": "banana", "SHORT_TOKEN": "ab"}
	src := header + liveStep + `hooks:
  on_finish: {command: [fence, "${FENCE_TOKEN}", "${HOOK_KEY}", "${DB_PASS}", "${APP_HOST}", "${MONKEY}", "${SHORT_TOKEN}", "${UNSET_TOKEN:-dflt}"]}
`
	p := mustParse(t, src, plan.Options{LookupEnv: func(name string) (string, bool) { v, ok := env[name]; return v, ok }})
	if got := strings.Join(p.Hook("on_finish").Command, " "); got != "fence tok-value key-value pass-value app.example banana ab dflt" {
		t.Fatalf("command = %s", got)
	}
	if got := strings.Join(p.ExpandedSecrets(), ","); got != "pass-value,tok-value,key-value" {
		t.Errorf("ExpandedSecrets = %s, want the secret-looking names' values, longest first", got)
	}
}
