package decant_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/decanthq/decant"
)

func TestExpandScope(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, scope string
		escape    func(string) string
		want      string
	}{
		{"domain=${scope}", "acme", nil, "domain=acme"},
		{"/a/${scope}/b/${scope}", "x", nil, "/a/x/b/x"},
		{"no ref", "x", nil, "no ref"},
		{"${SCOPE}", "x", nil, "${SCOPE}"},
		{"q=${scope}", "a b&c", url.QueryEscape, "q=a+b%26c"},
	} {
		if got := decant.ExpandScope(c.in, c.scope, c.escape); got != c.want {
			t.Errorf("ExpandScope(%q, %q) = %q, want %q", c.in, c.scope, got, c.want)
		}
	}
}

// Ensure BindScope never puts the scope in the SQL: it leaves a mark, also
// in place of a quoted '${scope}', whose quotes would otherwise make the
// mark a literal.
func TestBindScope(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"domain = ${scope}", "domain = $3", true},
		{"domain = '${scope}' OR owner = ${scope}", "domain = $3 OR owner = $3", true},
		{"domain = 'x'", "domain = 'x'", false},
		{"id LIKE '${scope}-%'", "id LIKE ('' || $3 || '-%')", true},
		{"name = 'org-${scope}'", "name = ('org-' || $3 || '')", true},
		{"note = 'it''s ${scope}' AND d = ${scope}", "note = ('it''s ' || $3 || '') AND d = $3", true},
		{"d = 'x' -- ${scope} only in a comment", "d = 'x' -- ${scope} only in a comment", false},
		{"d = ${scope} -- the tenant's ${scope}\nAND x = 'y'", "d = $3 -- the tenant's ${scope}\nAND x = 'y'", true},
		{"/* '${scope}' */ d = '${scope}'", "/* '${scope}' */ d = $3", true},
		{`SELECT "it's" FROM t WHERE d = ${scope}`, `SELECT "it's" FROM t WHERE d = $3`, true},
	} {
		got, ok := decant.BindScope(c.in, "$3")
		if got != c.want || ok != c.ok {
			t.Errorf("BindScope(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// Ensure a ${scope} in a quoted name is refused, saying why, and one in a
// value, a comment or a literal is not.
func TestCheckScopeSQL(t *testing.T) {
	t.Parallel()
	if err := decant.CheckScopeSQL(`CREATE SCHEMA IF NOT EXISTS "t_${scope}"`); err == nil ||
		!strings.Contains(err.Error(), `${scope} in the quoted name "t_${scope}": a name cannot take the scope`) {
		t.Errorf("a scope in a quoted name: %v", err)
	}
	for _, ok := range []string{`d = ${scope}`, `d = '${scope}' -- "x${scope}"`, `"d" LIKE 'a"${scope}'`} {
		if err := decant.CheckScopeSQL(ok); err != nil {
			t.Errorf("CheckScopeSQL(%q) = %v, want nil", ok, err)
		}
	}
}
