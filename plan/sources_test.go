package plan_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/files"
	"github.com/decanthq/decant/httpfeed"
	"github.com/decanthq/decant/plan"
)

// fromStep is a complete step at 4 spaces whose from is the given text.
func fromStep(name, from string) string {
	return "  - name: " + name + "\n    from: " + from + "\n    key: id\n    to: {table: a}\n    map: {id: record.id}\n"
}

// Ensure each step's from options are decoded into the options type of the
// source that reads its connection's scheme.
func TestParse_SourceOptionsTyped(t *testing.T) {
	t.Parallel()
	p := mustParse(t, header+
		fromStep("a", "{connection: feed, key: id, cursor: v, page_size: 7, retries: 0, timeout: 2m, header: {X-Tenant: t1}}")+
		fromStep("b", "{connection: data, key: id, format: csv, delimiter: ';'}")+
		fromStep("c", "{connection: feed, key: id, cursor: v}"), plan.Options{})
	zero := 0
	want := []any{
		&httpfeed.Options{PageSize: 7, Retries: &zero, Timeout: 2 * time.Minute, Header: map[string]string{"X-Tenant": "t1"}},
		&files.Options{Format: "csv", Delimiter: ";"},
		&httpfeed.Options{},
	}
	for i, s := range p.Steps {
		if diff := cmp.Diff(want[i], s.From.Options); diff != "" {
			t.Errorf("step %s options (-want +got):\n%s", s.Name, diff)
		}
	}
	if got := p.Steps[0].From.OptionKeys(); !slices.Equal(got, []string{"page_size", "retries", "timeout", "header"}) {
		t.Errorf("OptionKeys = %q, want the option keys in plan order", got)
	}
}

// Ensure a plan loaded without Sources keeps the options as written, and
// SourceOptions later decodes them with the errors a load with Sources
// gives, at the same file:line:col.
func TestParse_SourceOptionsDeferred(t *testing.T) {
	t.Parallel()
	src := header + fromStep("a", "{connection: feed, key: id, cursor: v, cursor_type: float}")
	p, err := plan.Parse("p.yaml", []byte(src), plan.Options{LookupEnv: noEnv})
	if err != nil {
		t.Fatalf("Parse without Sources: %v", err)
	}
	if p.Steps[0].From.Options != nil {
		t.Errorf("Options = %#v before decoding, want nil", p.Steps[0].From.Options)
	}
	_, late := p.SourceOptions(p.Steps[0], connect.DefaultSources())
	early := parseErr(t, src, plan.Options{})
	var pe *plan.Error
	if !errors.As(late, &pe) || pe.Error() != early.Error() {
		t.Fatalf("SourceOptions error:\n%v\nwant the load error:\n%v", late, early)
	}
	if pe.Line != 8 || pe.Col != 63 || !strings.Contains(pe.Msg, `from.cursor_type: want "int" or "string", not "float"`) {
		t.Errorf("got %d:%d %q, want 8:63 and the cursor type refused", pe.Line, pe.Col, pe.Msg)
	}
}

// Ensure a connection whose scheme no source reads loads with its options
// undecoded: opening it fails and names the schemes that work.
func TestParse_SourceOptionsUnknownScheme(t *testing.T) {
	t.Parallel()
	src := strings.Replace(header, "  target:", "  legacy: 'oracle://db/app'\n  target:", 1) + fromStep("a", "{connection: legacy, key: id, table: orders}")
	p := mustParse(t, src, plan.Options{})
	if p.Steps[0].From.Options != nil || !slices.Equal(p.Steps[0].From.OptionKeys(), []string{"table"}) {
		t.Errorf("from = %+v, want no decoded options and the table key kept", p.Steps[0].From)
	}
}

// Ensure anchors, aliases and merge keys still work under from, as they do
// in the rest of the plan (plans written before options moved to their
// sources load unchanged).
func TestParse_SourceOptionsAnchors(t *testing.T) {
	t.Parallel()
	p := mustParse(t, header+
		fromStep("a", "&feed {connection: feed, key: id, cursor: v, page_size: 5}")+
		fromStep("b", "*feed")+
		"  - name: c\n    from:\n      <<: *feed\n      timeout: 3s\n    key: id\n    to: {table: a}\n    map: {id: record.id}\n", plan.Options{})
	for i, want := range []*httpfeed.Options{{PageSize: 5}, {PageSize: 5}, {PageSize: 5, Timeout: 3 * time.Second}} {
		s := p.Steps[i]
		if diff := cmp.Diff(want, s.From.Options); diff != "" || s.From.Connection != "feed" || s.From.Cursor != "v" {
			t.Errorf("step %s: from %+v, options (-want +got):\n%s", s.Name, s.From, diff)
		}
	}
	e := parseErr(t, header+fromStep("a", "&feed {connection: feed, key: id, page_size: 5}")+
		"  - name: b\n    from:\n      <<: *feed\n      page_size: 7\n", plan.Options{})
	if !strings.Contains(e.Msg, "page_size") || e.Line < 13 {
		t.Errorf("got %v, want the repeated page_size refused", e)
	}
}

// Ensure every mistake in a source's options is a *plan.Error at the key or
// value, naming the step and the option in the plan's words.
func TestParse_SourceOptionErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, from string
		col        int
		msg        string
	}{
		{"Typo", "{connection: feed, curser: v}", 30, `step a: unknown field "curser" in from (did you mean cursor?)`},
		{"Unknown", "{connection: feed, bogus: v}", 30, `unknown field "bogus" in from (connection feed reads connection, key, cursor, bearer_token,`},
		{"OtherKind", "{connection: data, format: csv, page_size: 10}", 43, "step a: from.page_size does not apply to connection data (file:data.jsonl)"},
		{"NotAMap", "feed", 11, "from must be a map of options"},
		{"HeaderList", "{connection: feed, header: [a]}", 38, "step a: from.header must be a map of text values"},
		{"UsernameList", "{connection: feed, username: [a]}", 40, "step a: from.username must be text, not a list"},
		{"Negative", "{connection: feed, max_body: -1}", 40, "from.max_body must be a whole number of at least 0, not -1"},
		{"Hex", "{connection: feed, retries: 0x10}", 39, "from.retries must be a whole number, not 0x10"},
		{"Overflow", "{connection: feed, page_size: 99999999999999999999}", 41, "not 99999999999999999999"},
		{"BadBool", "{connection: feed, insecure_skip_verify: 1}", 52, "from.insecure_skip_verify must be a boolean (true or false)"},
		{"BadFormat", "{connection: data, format: yaml}", 38, `step a: from.format: want "jsonl", "csv" or "xml", not "yaml"`},
		{"XMLWithoutRecord", "{connection: data, format: xml}", 0, "step a: from.record: an xml file needs record"},
		{"RecordNotXML", "{connection: data, format: csv, record: //a}", 0, "step a: from.record: only for an xml file"},
		{"BadRecord", "{connection: data, format: xml, record: \"//a[\"}", 0, `step a: from.record: xpath "//a["`},
		{"BadDelimiter", "{connection: data, delimiter: ';;'}", 41, "from.delimiter: want one character"},
		{"BadStart", "{connection: feed, start: abc}", 37, `from.start: "abc" is not an integer`},
		{"BearerAndBasic", "{connection: feed, username: u, bearer_token: t}", 57, "from.bearer_token: cannot be used with username"},
		{"NegativeTimeout", "{connection: feed, timeout: -3s}", 39, "from.timeout: must not be negative"},
		{"SetTwice", "{connection: feed, page_size: 1, page_size: 2}", 0, "page_size"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := parseErr(t, header+fromStep("a", tt.from), plan.Options{})
			if e.Line != 8 || (tt.col != 0 && e.Col != tt.col) || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got %d:%d %q, want 8:%d and %q", e.Line, e.Col, e.Msg, tt.col, tt.msg)
			}
			if e.Source == "" {
				t.Errorf("error %v shows no plan line", e)
			}
		})
	}
}

// Ensure a source option holding a secret is never repeated in an error
// about it, even when ${VAR} put the secret there.
func TestParse_SourceOptionSecretNotShown(t *testing.T) {
	t.Parallel()
	e := parseErr(t, header+fromStep("a", "{connection: feed, insecure_skip_verify: '${PW}'}"),
		plan.Options{LookupEnv: env(map[string]string{"PW": "hunter2"})})
	if strings.Contains(e.Error(), "hunter2") || !strings.Contains(e.Msg, "boolean") {
		t.Errorf("error = %v, want a boolean error without the value", e)
	}
}

// kinds is a plan.SourceKinds with one made-up source, as a library that
// registers its own would have.
type kinds map[string]func() any

func (k kinds) Schemes() []string {
	var out []string
	for s := range k {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func (k kinds) NewOptions(scheme string) any {
	if f, ok := k[scheme]; ok {
		return f()
	}
	return nil
}

// tableOptions are the options of a made-up relational source.
type tableOptions struct {
	Table   string        `yaml:"table"`
	Chunk   int           `yaml:"chunk" min:"10"`
	Columns []string      `yaml:"columns"`
	Wait    time.Duration `yaml:"wait"`
	skipped string        // unexported fields are not keys
}

func (o *tableOptions) Validate() error {
	if o.Table == "" {
		return &decant.OptionError{Option: "table", Err: errors.New("is required")}
	}
	return nil
}

// Ensure a source the plan package has never heard of gets its options
// decoded and validated by the same rules: adding a source needs no change
// in package plan.
func TestParse_SourceOptionsOfAnyKind(t *testing.T) {
	t.Parallel()
	k := kinds{"mysql": func() any { return new(tableOptions) }}
	src := strings.Replace(header, "  target:", "  legacy: 'mysql://db/app'\n  target:", 1)
	p := mustParse(t, src+fromStep("a", "{connection: legacy, key: id, table: orders, chunk: 500, columns: [id, total], wait: 1s}"), plan.Options{Sources: k})
	want := &tableOptions{Table: "orders", Chunk: 500, Columns: []string{"id", "total"}, Wait: time.Second}
	if diff := cmp.Diff(want, p.Steps[0].From.Options, cmp.AllowUnexported(tableOptions{})); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	for _, tt := range []struct{ from, msg string }{
		{"{connection: legacy, key: id, table: orders, chunk: 5}", "from.chunk must be a whole number of at least 10, not 5"},
		{"{connection: legacy, key: id}", "step a: from.table: is required"},
		{"{connection: legacy, key: id, table: t, skipped: x}", `unknown field "skipped"`},
	} {
		e := parseErr(t, src+fromStep("a", tt.from), plan.Options{Sources: k})
		if !strings.Contains(e.Msg, tt.msg) || e.Line != 9 {
			t.Errorf("%s: got %v, want line 9 and %q", tt.from, e, tt.msg)
		}
	}
}
