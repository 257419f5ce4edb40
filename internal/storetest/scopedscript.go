package storetest

import (
	"strings"
	"testing"

	"github.com/decanthq/decant"
)

// testScopedScript runs a script of several statements that names the
// scope, bare and quoted: each ${scope} is the scope as a value, and a
// scope that tries to close the quote and add SQL is stored as it is,
// changing nothing else.
func testScopedScript(t *testing.T, e *env) {
	e.exec("CREATE TABLE tenants (name {text}, note {text})")
	sr := role[decant.ScopedScriptRunner](e)
	script := "INSERT INTO tenants (name, note) VALUES (${scope}, 'first');\n" +
		"INSERT INTO tenants (name, note) VALUES ('${scope}', 'second');\n" +
		"UPDATE tenants SET note = note || '!' WHERE name = ${scope};\n"
	for _, scope := range []string{"acme", "x'); DROP TABLE tenants; --", "y' OR '1'='1"} {
		if err := sr.RunScopedScript(e.ctx, script, scope); err != nil {
			t.Fatalf("RunScopedScript(%q): %v", scope, err)
		}
	}
	got := e.rows("SELECT name, note FROM tenants ORDER BY name, note")
	want := strings.Join([]string{
		"acme|first!", "acme|second!",
		"x'); DROP TABLE tenants; --|first!", "x'); DROP TABLE tenants; --|second!",
		"y' OR '1'='1|first!", "y' OR '1'='1|second!",
	}, "\n") + "\n"
	if got != want {
		t.Errorf("tenants after three scoped scripts:\n%s\nwant:\n%s", got, want)
	}
}
