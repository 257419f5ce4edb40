package plan_test

import (
	"strings"
	"testing"

	"github.com/decanthq/decant/plan"
)

// Ensure a connection URL whose password holds a raw '@', '/', '?', '#' or
// a bad '%' is refused at its line with the escape to write, and without
// the password or any piece of it.
//
// Failed before the fix: 'postgres://u:pass#1@127.0.0.1:5432/db' gave
// `"postgres://u:xxxxx@127.0.0.1:5432/db" is not a URL`, which looks valid
// and names no escape, and raw '@', '/' and '?' loaded, to be misread later.
func TestParse_PasswordNeedsEscape(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, prefix, pw, rest string
		escapes                []string
	}{
		{"Hash", "postgres://u:", "pazz#1", "@127.0.0.1:5432/db?sslmode=disable", []string{"'#' as %23"}},
		{"HashFeed", "http://u:", "pa#ss", "@127.0.0.1:18777/feed", []string{"'#' as %23"}},
		{"Question", "postgres://u:", "Qu1?zzt", "@db:5432/w", []string{"'?' as %3F"}},
		{"Slash", "postgres://app:", "Sec/ret", "@db:5432/w", []string{"'/' as %2F"}},
		{"At", "postgres://app:", "Tr0ub@dor", "@db:5432/w", []string{"'@' as %40"}},
		{"BadPercent", "postgres://u:", "100%off", "@db/w", []string{"'%' as %25"}},
		{"PercentAtEnd", "https://u:", "hunter2%", "@h/feed", []string{"'%' as %25"}},
		{"Several", "postgres://u:", "a#bQQ?c/ddd@e%g", "@db/w", []string{"'@' as %40", "'/' as %2F", "'?' as %3F", "'#' as %23", "'%' as %25"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := "connections:\n  target: sqlite:out.db\n  src: '" + tt.prefix + tt.pw + tt.rest + "'\n"
			e := parseErr(t, src, plan.Options{})
			if e.Line != 3 || e.Col != 8 {
				t.Errorf("position = %d:%d, want 3:8", e.Line, e.Col)
			}
			if !strings.Contains(e.Msg, "connection src: the password in") || strings.Contains(e.Msg, "is not a URL") {
				t.Errorf("message = %q, want it to say the password is the problem", e.Msg)
			}
			for _, want := range tt.escapes {
				if !strings.Contains(e.Msg, want) {
					t.Errorf("message = %q, want it to say to write %s", e.Msg, want)
				}
			}
			pieces := strings.FieldsFunc(tt.pw, func(r rune) bool { return strings.ContainsRune("@/?#%", r) })
			for _, piece := range append(pieces, tt.pw) {
				if len(piece) >= 3 && strings.Contains(e.Error(), piece) {
					t.Errorf("error shows %q of the password:\n%s", piece, e)
				}
			}
		})
	}
}

// Ensure the escaped forms of the same passwords load.
func TestParse_EscapedPasswordLoads(t *testing.T) {
	t.Parallel()
	for _, u := range []string{
		"postgres://u:pass%231@127.0.0.1:5432/db?sslmode=disable",
		"http://u:pa%23ss@127.0.0.1:18777/feed",
		"postgres://app:Tr0ub%40dor%2Fx%3Fy:z@db:5432/w",
		"postgres://u:100%25off@db/w",
	} {
		src := "connections:\n  target: '" + u + "'\n  data: file:data.jsonl\nsteps:\n  - name: a\n    from: {connection: data, key: id}\n    key: id\n    to: {table: a}\n    map: {id: record.id}\n"
		mustParse(t, src, plan.Options{})
	}
}
