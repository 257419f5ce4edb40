package plan_test

import (
	"strings"
	"testing"

	"github.com/decanthq/decant/httpfeed"
	"github.com/decanthq/decant/plan"
)

// okStep is a complete step for the data connection of header, at 4 spaces.
const okStep = `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: record.id}
`

// Ensure malformed plans that used to panic the loader (an empty list item,
// an unknown YAML tag) fail with a positioned error instead.
func TestParse_MalformedNoPanic(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		src       string
		line, col int
		msg       string
	}{
		{"EmptyStep", header + "  -\n", 7, 3, "step 1 is empty"},
		{"EmptyStepAfterOne", header + okStep + "  -\n", 12, 3, "step 2 is empty"},
		{"EmptyChild", header + okStep + "    children:\n      -\n", 13, 7, "step a: child 1 is empty"},
		{"IncludeTag", "setup: !include schema.sql\n" + header + okStep, 1, 8, "YAML tags (a value starting with !) are not supported"},
		{"TagOnList", header + "  !x\n    - name: a\n", 7, 3, "YAML tags"},
		{"TagOnMap", strings.Replace(header, "connections:", "connections: !conn", 1) + okStep, 2, 14, "YAML tags"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := parseErr(t, tt.src, plan.Options{})
			if e.Line != tt.line || e.Col != tt.col || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got %d:%d %q, want %d:%d and %q", e.Line, e.Col, e.Msg, tt.line, tt.col, tt.msg)
			}
		})
	}
}

// Ensure !!str still forces a scalar to be text.
func TestParse_StrTag(t *testing.T) {
	t.Parallel()
	p := mustParse(t, header+strings.Replace(okStep, "key: id\n    to", "key: !!str 010\n    to", 1), plan.Options{})
	if got := p.Steps[0].Key; len(got) != 1 || got[0] != "010" {
		t.Errorf("key = %q, want [010]", got)
	}
}

// Ensure a YAML error caused by an unquoted expression or text suggests
// quoting, at the value's line and column, without repeating the value.
func TestParse_QuoteHint(t *testing.T) {
	t.Parallel()
	step := func(value string) string {
		return header + "  - name: a\n    from: {connection: data, key: id}\n    key: id\n    to: {table: a}\n    map:\n      id: " + value + "\n"
	}
	for _, tt := range []struct {
		name, value string
		col         int
	}{
		{"Brace", "{record.id}", 11},
		{"Bracket", "[record.id, 1", 11},
		{"Backquote", "`id`", 11},
		{"At", "@id", 11},
		{"ColonSpace", "record.a: b", 11},
		{"Alias", "*id", 12},
		{"Anchor", "&id", 11},
		{"Bang", "!id", 11},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := parseErr(t, step(tt.value), plan.Options{})
			if e.Line != 12 || e.Col != tt.col || !strings.Contains(e.Msg, "put it in quotes") {
				t.Errorf("got %d:%d %q, want 12:%d and advice to quote", e.Line, e.Col, e.Msg, tt.col)
			}
			if strings.Contains(e.Msg, tt.value) {
				t.Errorf("message %q repeats the value %q", e.Msg, tt.value)
			}
		})
	}
	// The same text quoted loads, and an ordinary error gets no advice.
	mustParse(t, step(`"record.a + ': b'"`), plan.Options{})
	if e := parseErr(t, step("record."), plan.Options{}); strings.Contains(e.Msg, "quotes") {
		t.Errorf("bad expression got quoting advice: %q", e.Msg)
	}
}

// Ensure booleans and numbers can come from the environment, as the docs
// say, in block and flow style, and a value that is not one is refused at
// its position without printing the expanded value.
func TestParse_EnvTypedValues(t *testing.T) {
	t.Parallel()
	src := func(from string) string {
		return header + "  - name: a\n    key: id\n    to: {table: a}\n    map: {id: record.id}\n    from:\n      connection: feed\n      key: id\n" + from
	}
	vars := map[string]string{"YES": "true", "NO": "false", "N": "7", "BAD": "maybe"}
	for _, tt := range []struct {
		name, from string
		check      func(*httpfeed.Options) bool
	}{
		{"BoolDefault", "      insecure_skip_verify: ${X:-false}\n", func(f *httpfeed.Options) bool { return !f.InsecureSkipVerify }},
		{"BoolDefaultTrue", "      insecure_skip_verify: ${X:-true}\n", func(f *httpfeed.Options) bool { return f.InsecureSkipVerify }},
		{"BoolSet", "      insecure_skip_verify: ${YES}\n", func(f *httpfeed.Options) bool { return f.InsecureSkipVerify }},
		{"BoolQuoted", "      insecure_skip_verify: '${YES}'\n", func(f *httpfeed.Options) bool { return f.InsecureSkipVerify }},
		{"BoolFlow", "      {insecure_skip_verify: '${NO:-true}'}\n", nil},
		{"PageSize", "      page_size: ${N}\n", func(f *httpfeed.Options) bool { return f.PageSize == 7 }},
		{"Retries", "      retries: ${X:-3}\n", func(f *httpfeed.Options) bool { return f.Retries != nil && *f.Retries == 3 }},
		{"MaxBody", "      max_body: ${N}\n", func(f *httpfeed.Options) bool { return f.MaxBody == 7 }},
		{"Timeout", "      timeout: ${X:-3s}\n", func(f *httpfeed.Options) bool { return f.Timeout.String() == "3s" }},
		// A string key given "true" keeps the text.
		{"StringKeepsText", "      username: ${YES}\n", func(f *httpfeed.Options) bool { return f.Username == "true" }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.check == nil {
				return
			}
			p := mustParse(t, src(tt.from), plan.Options{LookupEnv: env(vars)})
			if f := feedOptions(t, p.Steps[0].From); !tt.check(f) {
				t.Errorf("from options = %+v", f)
			}
		})
	}
	flow := header + "  - name: a\n    key: id\n    to: {table: a}\n    map: {id: record.id}\n    from: {connection: feed, key: id, insecure_skip_verify: '${YES}'}\n"
	if p := mustParse(t, flow, plan.Options{LookupEnv: env(vars)}); !feedOptions(t, p.Steps[0].From).InsecureSkipVerify {
		t.Errorf("flow style: insecure_skip_verify = false, want true")
	}
	p := mustParse(t, header+"  - name: a\n    key: id\n    batch_size: ${N}\n    to: {table: a}\n    map: {id: record.id}\n    from: {connection: feed, key: id}\n",
		plan.Options{LookupEnv: env(vars)})
	if p.Steps[0].BatchSize != 7 {
		t.Errorf("batch_size = %d, want 7", p.Steps[0].BatchSize)
	}
	e := parseErr(t, src("      insecure_skip_verify: ${BAD}\n"), plan.Options{LookupEnv: env(vars)})
	if e.Line != 14 || e.Col != 29 || !strings.Contains(e.Msg, "boolean") || strings.Contains(e.Msg, "maybe") {
		t.Errorf("got %d:%d %q, want 14:29, a boolean error, and not the value", e.Line, e.Col, e.Msg)
	}
}
