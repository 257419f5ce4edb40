package cli_test

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decanthq/decant/internal/testenv"
)

// postgresPlan is a plan whose target is the PostgreSQL URL target.
func postgresPlan(t *testing.T, target string) string {
	t.Helper()
	return writePlan(t, fmt.Sprintf(`version: 1
connections:
  orders: file:%s
  target: '%s'
steps:
  - name: orders
    from: {connection: orders, key: id}
    key: id
    to: {table: orders}
    map: {id: record.id}
`, filepath.Join(quickstart(t), "data", "orders.jsonl"), target))
}

// The password of a postgres:// target never appears in what decant
// prints, on success or on failure, with or without --json.
func TestPostgresPasswordHidden(t *testing.T) {
	u, err := url.Parse(testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	// The test server may have a password of its own; else add one, which a
	// server that trusts local connections ignores.
	secret, ok := u.User.Password()
	if !ok || secret == "" {
		secret = "Sekr1t-pw-4-decant"
		u.User = url.UserPassword(u.User.Username(), secret)
	}
	reachable := u.String()
	u.Host = "127.0.0.1:1" // nothing listens on port 1
	unreachable := u.String()

	for _, tt := range []struct {
		name   string
		target string
		args   []string
		code   int
		want   string // in stdout or stderr
	}{
		{"StatusJSON", reachable, []string{"status", "--json"}, 0, "[]"},
		{"Status", reachable, []string{"status"}, 0, "scope default"},
		{"Check", reachable, []string{"check"}, 2, ":xxxxx@"},
		{"CheckJSON", reachable, []string{"check", "--json"}, 2, ":xxxxx@"},
		{"StatusJSONUnreachable", unreachable, []string{"status", "--json"}, 1, "127.0.0.1:1"},
		{"CheckUnreachable", unreachable, []string{"check"}, 2, ":xxxxx@127.0.0.1:1"},
		{"MigrateUnreachable", unreachable, []string{"migrate"}, 1, "127.0.0.1:1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, append([]string{"-c", postgresPlan(t, tt.target)}, tt.args...)...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d", r.code, tt.code)
			}
			if !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Errorf("output lacks %q", tt.want)
			}
			if strings.Contains(r.stdout+r.stderr, secret) {
				t.Errorf("output shows the password")
			}
			if t.Failed() {
				t.Logf("%s", strings.ReplaceAll(r.String(), secret, "<PASSWORD>"))
			}
		})
	}
}
