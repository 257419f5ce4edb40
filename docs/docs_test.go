// Package docs_test holds the claims of the documentation to the code: the
// pages stand on their own, their links resolve, and every expression they
// show can be pasted into a plan as it is written.
package docs_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// pages lists the documentation a reader of the repository sees: the
// README, docs/ with its decisions, and every example's README.
func pages(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pattern := range []string{"../README.md", "*.md", "decisions/*.md", "../examples/*/README.md"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	if len(out) < 10 {
		t.Fatalf("found only %d pages: %v", len(out), out)
	}
	return out
}

// rel names a page from the repository root, as a reader finds it.
func rel(page string) string { return filepath.Join("docs", page) }

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Ensure no page sends the reader to a file that is not in the repository:
// the design notes and seed documents the project started from live
// outside it.
func TestDocs_StandOnTheirOwn(t *testing.T) {
	t.Parallel()
	for _, p := range pages(t) {
		for i, line := range strings.Split(read(t, p), "\n") {
			if bad := outside.FindString(line); bad != "" {
				t.Errorf("%s:%d cites %q, which is not in the repository; say what it meant here instead:\n%s", rel(p), i+1, bad, line)
			}
		}
	}
}

// outside matches the names of the design notes and seed documents the
// project started from, which live outside the repository.
var outside = regexp.MustCompile(`DESIGN\.md|\.\./shared|seeds/`)

var (
	mdLink  = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	heading = regexp.MustCompile(`(?m)^#{1,6} (.+)$`)
	fence   = regexp.MustCompile("(?ms)^```.*?^```")
)

// slug is GitHub's anchor for a heading: lower case, punctuation dropped,
// spaces as hyphens.
func slug(h string) string {
	h = strings.ToLower(strings.ReplaceAll(h, "`", ""))
	var b strings.Builder
	for _, r := range h {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func anchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	text := fence.ReplaceAllString(read(t, path), "")
	for _, m := range heading.FindAllStringSubmatch(text, -1) {
		out[slug(strings.TrimSpace(m[1]))] = true
	}
	return out
}

// Ensure every relative link of every page names a file that exists and,
// with #anchor, a heading of that file.
func TestDocs_LinksResolve(t *testing.T) {
	t.Parallel()
	for _, p := range pages(t) {
		text := fence.ReplaceAllString(read(t, p), "")
		for _, m := range mdLink.FindAllStringSubmatch(text, -1) {
			link := m[1]
			if strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(link, "#")
			target := p
			if file != "" {
				target = filepath.Join(filepath.Dir(p), file)
			}
			info, err := os.Stat(target)
			if err != nil {
				t.Errorf("%s links to %s, which does not exist", rel(p), link)
				continue
			}
			if anchor != "" && !info.IsDir() && !anchors(t, target)[anchor] {
				t.Errorf("%s links to %s: %s has no heading with the anchor #%s", rel(p), link, rel(target), anchor)
			}
		}
	}
}

// yamlValue reads s as the value of a plan key, as the plan loader's YAML
// parser does.
func yamlValue(s string) (any, error) {
	var m map[string]any
	err := yaml.Unmarshal([]byte("column: "+s+"\n"), &m)
	return m["column"], err
}

// unlabeledBlocks returns the lines of the fenced blocks that name no
// language: in docs/plan.md, the expression examples.
func unlabeledBlocks(doc string) []string {
	var out []string
	in, label := false, ""
	for _, line := range strings.Split(doc, "\n") {
		switch {
		case strings.HasPrefix(line, "```") && !in:
			in, label = true, strings.TrimPrefix(line, "```")
		case strings.HasPrefix(line, "```"):
			in = false
		case in && label == "":
			out = append(out, line)
		}
	}
	return out
}

var (
	comment    = regexp.MustCompile(`\s{2,}#.*$`)
	builtinRow = regexp.MustCompile("(?m)^\\| `[^|]*\\| `([^`]+)`")
)

// Ensure every expression docs/plan.md shows, in its function examples
// and its table of built-ins, is a YAML string as written: an expression
// that YAML rejects or changes unquoted must be shown quoted.
func TestDocs_ExpressionExamplesAreYAML(t *testing.T) {
	t.Parallel()
	doc := read(t, "plan.md")
	var exprs []string
	for _, line := range unlabeledBlocks(doc) {
		if e := strings.TrimSpace(comment.ReplaceAllString(line, "")); e != "" {
			exprs = append(exprs, e)
		}
	}
	_, builtins, ok := strings.Cut(doc, "### expr-lang built-ins worth knowing")
	if !ok {
		t.Fatal(`docs/plan.md has no "expr-lang built-ins worth knowing" section`)
	}
	builtins, _, _ = strings.Cut(strings.TrimLeft(builtins, "\n"), "\n\n")
	for _, m := range builtinRow.FindAllStringSubmatch(builtins, -1) {
		exprs = append(exprs, m[1])
	}
	if len(exprs) < 25 {
		t.Fatalf("found only %d expression examples in docs/plan.md; has its layout changed?", len(exprs))
	}
	for _, e := range exprs {
		v, err := yamlValue(e)
		if err != nil {
			t.Errorf("docs/plan.md shows `%s`, which YAML rejects as a value: quote it (%v)", e, strings.SplitN(err.Error(), "\n", 2)[0])
			continue
		}
		if s, ok := v.(string); !ok || (s != e && s != strings.Trim(e, "'")) {
			t.Errorf("docs/plan.md shows `%s`, which YAML reads as %#v: quote it", e, v)
		}
	}
}

// Ensure the "When to quote" rule holds for the characters it names: each
// one, at the start of an expression or as ": " or " #" inside it, changes
// or breaks the value unless the expression is quoted, and quoting keeps it.
func TestDocs_WhenToQuote(t *testing.T) {
	t.Parallel()
	doc := read(t, "plan.md")
	if !strings.Contains(doc, "### When to quote") {
		t.Fatal(`docs/plan.md has no "When to quote" section`)
	}
	for _, e := range []string{
		`{"a": 1}.a`, `[1, 2][0]`, `*x`, `&x`, `!record.gift`, `%x`, `@x`, "`x`", `| x`, `> x`,
		`"visit-" + string(record.n)`, `'a' + record.b`,
		`record.sex == "F" ? "female" : "male"`, `map(record.items, # * 2)`,
	} {
		if v, err := yamlValue(e); err == nil && v == e {
			t.Errorf("%s is read unchanged without quotes; the rule in docs/plan.md is wrong", e)
		}
		quoted := "'" + strings.ReplaceAll(e, "'", "''") + "'"
		if v, err := yamlValue(quoted); err != nil || v != e {
			t.Errorf("quoted, %s reads as %#v (%v), want it as written", quoted, v, err)
		}
	}
}
