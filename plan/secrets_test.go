package plan_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/plan"
)

// Ensure a load error shows neither in its message nor in the plan line
// under it the password of a connection URL, whatever delimiters the
// password holds, nor the value of a secret key such as password:.
//
// Failed before the fix: Error.Source was the plan line as written, so
// `target: postgres://app:Sec/ret@db:5432/w` was printed whole under "is
// not a URL", and `password: hunter2` under an unknown-key error.
func TestParse_ErrorLineHidesSecrets(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, src string
		secrets   []string
	}{
		{"SlashInURLPassword", "version: 1\nconnections:\n  target: postgres://app:Sec/ret@db:5432/w\nsteps: []\n", []string{"Sec/ret", "Sec"}},
		{"AtInURLPassword", "version: 1\nconnections:\n  target: 'postgres://app:Tr0ub@dor:x9Zq@db:5432/w'\nsteps: []\n", []string{"Tr0ub", "dor", "x9Zq"}},
		{"SpaceInQuotedURL", "version: 1\nconnections:\n  target: sqlite:out.db\n  feed: 'http://u:pa ss w0rd@h/f?x=%zz'\n", []string{"pa ss w0rd", "w0rd"}},
		{"BadEscape", "version: 1\nconnections:\n  target: sqlite:out.db\n  src: 'postgres://u:hunter2@db/x%zz'\n", []string{"hunter2"}},
		{"TokenParam", "version: 1\nconnections:\n  target: sqlite:out.db\n  feed: https://h/f?token=t0ken-s3cret&x=%zz\n", []string{"t0ken-s3cret"}},
		{"FlowPassword", "version: 1\nconnections: {target: 'sqlite:o.db', feed: 'https://h/f'}\nsteps:\n  - name: s\n    from: {connection: feed, key: id, password: hunter2, bogus: 1}\n", []string{"hunter2"}},
		{"BlockPassword", "version: 1\nconnections: {target: 'sqlite:o.db', feed: 'https://h/f'}\nsteps:\n  - name: s\n    from:\n      connection: feed\n      password: hunter2 # the feed's\n      bogus: 1\n", []string{"hunter2"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := plan.Parse("p.yaml", []byte(tt.src), plan.Options{LookupEnv: func(string) (string, bool) { return "", false }, Sources: connect.DefaultSources()})
			var pe *plan.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error = %v, want a *plan.Error", err)
			}
			if pe.Source == "" {
				t.Fatalf("error %q shows no plan line", err)
			}
			for _, s := range tt.secrets {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error shows %q:\n%s", s, err)
				}
			}
		})
	}
}

// Ensure the plan line keeps what holds no secret: ${VAR} references,
// expressions on the record, and the step's key.
func TestParse_ErrorLineKeepsTheRest(t *testing.T) {
	t.Parallel()
	src := "version: 1\nconnections: {target: 'sqlite:o.db', feed: 'https://h/f'}\nsteps:\n  - name: s\n    from: {connection: feed, key: id, password: '${FEED_PW}', bogus: 1}\n"
	_, err := plan.Parse("p.yaml", []byte(src), plan.Options{LookupEnv: func(string) (string, bool) { return "pw", true }, Sources: connect.DefaultSources()})
	var pe *plan.Error
	if !errors.As(err, &pe) {
		t.Fatalf("Parse error = %v, want a *plan.Error", err)
	}
	if want := "    from: {connection: feed, key: id, password: '${FEED_PW}', bogus: 1}"; pe.Source != want {
		t.Errorf("Source = %q, want %q", pe.Source, want)
	}
}
