package plan_test

import (
	"strings"
	"testing"

	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// scopePlan names ${scope} in a feed's URL and options, the step's verify
// where and its expressions.
const scopePlan = `version: 1
connections:
  feed: http://feed.example/forms?domain=${scope}
  target: sqlite:out.db
steps:
  - name: a
    from: {connection: feed, key: id, cursor: v, header: {X-Domain: '${scope}'}}
    key: id
    to: {table: a}
    verify: {where: "domain = ${scope}"}
    map:
      id: record.id
      domain: ${scope}
      label: '"org-${scope}-" + record.id'
      quoted: |
        'it\'s ${scope}'
`

// Ensure ${scope} survives the load as written wherever it is, whether
// or not the environment has a variable named scope: it is the run's
// scope, put in at run time, never read from the environment and never
// an unset variable.
func TestParse_ScopeKept(t *testing.T) {
	for name, vars := range map[string]map[string]string{"unset": nil, "set": {"scope": "from-env", "SCOPE": "X"}} {
		t.Run(name, func(t *testing.T) {
			p := mustParse(t, scopePlan, plan.Options{LookupEnv: env(vars)})
			if got, want := p.Connections["feed"], "http://feed.example/forms?domain=${scope}"; got != want {
				t.Errorf("feed = %q, want %q", got, want)
			}
			if got, want := feedOptions(t, p.Steps[0].From).Header["X-Domain"], "${scope}"; got != want {
				t.Errorf("header = %q, want %q", got, want)
			}
			if got, want := p.Steps[0].Verify.Where, "domain = ${scope}"; got != want {
				t.Errorf("verify where = %q, want %q", got, want)
			}
		})
	}
}

// Ensure ${scope} in an expression is the scope variable, alone or inside
// a string literal of any quote, and its value is never expression text.
func TestParse_ScopeInExpressions(t *testing.T) {
	p := mustParse(t, scopePlan, plan.Options{LookupEnv: env(nil)})
	e := transform.NewEnv()
	e.Set("record", map[string]any{"id": "7"})
	scope := `x" + "y`
	e.Set("scope", scope)
	want := map[string]any{"domain": scope, "label": "org-" + scope + "-7", "quoted": "it's " + scope}
	for _, m := range p.Steps[0].Spec.Map {
		w, ok := want[m.Name]
		if !ok {
			continue
		}
		got, err := e.Eval(m.Prog)
		if err != nil || got != w {
			t.Errorf("%s = %v, %v; want %q", m.Name, got, err, w)
		}
	}
}

// Ensure ${scope} takes no default: the scope always has a value, and a
// default would suggest it is read from the environment.
func TestParse_ScopeDefaultRefused(t *testing.T) {
	e := parseErr(t, header+`  - name: a
    from:
      connection: feed
      password: ${scope:-x}
`, plan.Options{LookupEnv: env(nil)})
	if e.Line != 10 || !strings.Contains(e.Msg, "${scope} is the run's scope") {
		t.Errorf("got %d:%d %q, want line 10 naming ${scope}", e.Line, e.Col, e.Msg)
	}
}
