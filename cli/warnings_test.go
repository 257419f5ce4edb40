package cli_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/decanthq/decant/internal/testenv"
	"github.com/decanthq/decant/sqlite"
)

// emptyFeed is a feed that has no records.
var emptyFeed = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, "[]")
})

// check, preview and migrate print each risky feed setting once, on stderr,
// with the feed's URL redacted: credentials over plain http, and TLS
// verification turned off.
func TestFeedWarnings(t *testing.T) {
	plain := httptest.NewServer(emptyFeed)
	defer plain.Close()
	tls := httptest.NewTLSServer(emptyFeed)
	defer tls.Close()
	plainURL, _ := url.Parse(plain.URL)
	tlsURL, _ := url.Parse(tls.URL)

	// The target table exists before any command runs, so that each
	// subtest can run alone.
	target := testenv.SQLite(t)
	st, err := sqlite.Open(context.Background(), strings.TrimPrefix(target, "sqlite:"), sqlite.Config{})
	if err != nil {
		t.Fatal(err)
	}
	err = st.RunScript(context.Background(), "CREATE TABLE items (id TEXT PRIMARY KEY)")
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	// Two steps read the plain feed: its warning is still printed once.
	cfg := writePlan(t, fmt.Sprintf(`version: 1
connections:
  plain: http://feeduser:PlainSecret1@%s/feed
  secure: %s/feed?token=TokenSecret2
  target: %s
steps:
  - name: one
    from: {connection: plain, key: id, cursor: v}
    key: id
    to: {table: items}
    map: {id: record.id}
  - name: two
    from: {connection: plain, key: id, cursor: v}
    key: id
    to: {table: items}
    map: {id: record.id}
  - name: three
    from: {connection: secure, key: id, cursor: v, insecure_skip_verify: true}
    key: id
    to: {table: items}
    map: {id: record.id}
`, plainURL.Host, tls.URL, target))

	plainWarning := fmt.Sprintf("decant: warning: connection plain (http://feeduser:xxxxx@%s/feed): credentials are sent to %s over plain http\n",
		plainURL.Host, plainURL.Host)
	tlsWarning := fmt.Sprintf("decant: warning: connection secure (%s/feed?token=xxxxx): TLS certificate verification is off for %s",
		tls.URL, tlsURL.Host)

	for _, tt := range []struct {
		name       string
		args       []string
		plain, tls int // how many times each warning is printed
	}{
		{"Migrate", []string{"migrate"}, 1, 1},
		{"MigrateOnly", []string{"migrate", "--only", "three"}, 0, 1},
		{"Check", []string{"check"}, 1, 1},
		{"PreviewPlain", []string{"preview", "two"}, 1, 0},
		{"PreviewTLS", []string{"preview", "three"}, 0, 1},
		{"StatusNone", []string{"status"}, 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRun(t, append([]string{"-c", cfg}, tt.args...)...)
			if got := strings.Count(r.stderr, plainWarning); got != tt.plain {
				t.Errorf("plain http warning printed %d times, want %d; want the line\n%s\ngot %s", got, tt.plain, plainWarning, r)
			}
			if got := strings.Count(r.stderr, tlsWarning); got != tt.tls {
				t.Errorf("TLS warning printed %d times, want %d; want the line\n%s\ngot %s", got, tt.tls, tlsWarning, r)
			}
			if strings.Contains(r.stdout, "warning") {
				t.Errorf("a warning went to stdout:\n%s", r)
			}
			for _, secret := range []string{"PlainSecret1", "TokenSecret2"} {
				if strings.Contains(r.stdout+r.stderr, secret) {
					t.Errorf("output shows the secret %s:\n%s", secret, r)
				}
			}
		})
	}
}
