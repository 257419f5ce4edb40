package xmldoc_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/internal/xmldoc"
)

// Ensure every kind of fault is a *SyntaxError at the line and column
// where it is, never a panic and never a tree.
func TestParseErrors(t *testing.T) {
	for text, want := range map[string]string{
		"":                 "line 1, column 1: no element",
		"<a>\n  <b>\n</a>": "line 3, column 1: element <b> closed by </a>",
		"<a>":              "line 1, column 4: the text ends inside <a>",
		"<a></a>trailing":  "text outside the root element",
		"<a x='1' x='2'/>": "line 1, column 1: <a>: attribute x is given twice",
		"<a>&bogus;</a>":   "invalid character entity &bogus;",
		"<p:a/>":           `line 1, column 1: <p:a>: namespace prefix "p" is not declared`,
		"<a p:x='1'/>":     `attribute p:x: namespace prefix "p" is not declared`,
		"</a>":             "closes no element",
		// A second root is not a document: its values would be half lost.
		"<a>1</a>\n <a>2</a>": "line 2, column 2: a second root element <a>",
		// Text that is not UTF-8 is refused whatever it declares.
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9</a>": "invalid UTF-8",
	} {
		doc, err := xmldoc.Parse(text)
		var se *xmldoc.SyntaxError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, %v; want a SyntaxError containing %q", text, doc, err, want)
		}
	}
}

// Ensure a stream refuses a second root element instead of reading its
// elements as if the text were one document.
func TestStreamRefusesSecondRoot(t *testing.T) {
	e, err := xmldoc.Compile("//app", nil)
	if err != nil {
		t.Fatal(err)
	}
	st := xmldoc.NewStream(strings.NewReader(`<r><app id="1"/></r>`+"\n"+`<r><app id="2"/></r>`), e)
	if _, err := st.Next(); err != nil {
		t.Fatalf("first element: %v", err)
	}
	_, err = st.Next()
	var se *xmldoc.SyntaxError
	if !errors.As(err, &se) || se.Line != 2 || se.Col != 1 || se.Msg != "a second root element <r>" {
		t.Errorf("second root: %v, want a SyntaxError at line 2, column 1", err)
	}
}

// Ensure a document's declared encoding is not held against it: a Go
// string (a column's value) is already text, whatever the declaration
// says about the bytes it once was.
func TestParseIgnoresDeclaredEncoding(t *testing.T) {
	for _, enc := range []string{"ISO-8859-1", "windows-1252", "UTF-16", "utf8"} {
		doc, err := xmldoc.Parse(`<?xml version="1.0" encoding="` + enc + `"?><a>café</a>`)
		if err != nil || doc.FirstChild.FirstChild.Data != "café" {
			t.Errorf("Parse with encoding %s = %v, %v; want café", enc, doc, err)
		}
	}
}

// Ensure a stream (a file's bytes) refuses a declared encoding other than
// UTF-8 with the way out, and reads UTF-8 however it is spelled.
func TestStreamDeclaredEncoding(t *testing.T) {
	e, err := xmldoc.Compile("//a", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = xmldoc.NewStream(strings.NewReader(`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`), e).Next()
	if err == nil || !strings.Contains(err.Error(), `declares encoding "ISO-8859-1": decant reads UTF-8 only; convert it first (iconv -f ISO-8859-1 -t UTF-8)`) {
		t.Errorf("latin1 file: %v, want it refused with iconv", err)
	}
	for _, enc := range []string{"utf8", "US-ASCII"} {
		if _, err := xmldoc.NewStream(strings.NewReader(`<?xml version="1.0" encoding="`+enc+`"?><a/>`), e).Next(); err != nil {
			t.Errorf("%s file: %v", enc, err)
		}
	}
}

func TestParseSkipsByteOrderMark(t *testing.T) {
	doc, err := xmldoc.Parse("\ufeff<a>x</a>")
	if err != nil || doc.FirstChild.Data != "a" {
		t.Errorf("Parse with a BOM = %v, %v", doc, err)
	}
}

func TestRecordMapping(t *testing.T) {
	doc, err := xmldoc.Parse(`<a id="1" xmlns:q="urn:q" q:k="v" k="plain" q:id="other">lead<b>x</b><b>y</b><c/><d z="1">t<![CDATA[<u>]]></d><q:e><f>1</f></q:e><!-- no --></a>`)
	if err != nil {
		t.Fatal(err)
	}
	got := xmldoc.Record(doc.FirstChild)
	want := map[string]any{
		// A prefixed attribute keeps its prefix, so that it never
		// overwrites (or becomes the key instead of) a plain one.
		"@id": "1", "@k": "plain", "@q:k": "v", "@q:id": "other", "#text": "lead",
		"b": []any{"x", "y"}, "c": "",
		"d": map[string]any{"@z": "1", "#text": "t<u>"},
		"e": map[string]any{"f": "1"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
}

// Ensure a stream yields the selected elements with their lines and end
// offsets, treats elements nested in a selected one as its content, and
// stops at a fault after the elements before it.
func TestStream(t *testing.T) {
	text := "<r>\n<app id=\"1\"><app id=\"inner\"/></app>\n<other/><app id=\"2\"/>\n<app id=\"3\"></bad></r>"
	e, err := xmldoc.Compile("//app", nil)
	if err != nil {
		t.Fatal(err)
	}
	st := xmldoc.NewStream(strings.NewReader(text), e)
	var got []string
	for {
		el, err := st.Next()
		if errors.Is(err, io.EOF) {
			t.Fatal("no fault reported")
		}
		if err != nil {
			if !strings.Contains(err.Error(), "line 4, column 13: element <app> closed by </bad>") {
				t.Errorf("fault = %v", err)
			}
			break
		}
		rec := xmldoc.Record(el.Node)
		got = append(got, rec["@id"].(string)+"@"+string(rune('0'+el.Line))+":"+text[el.End-6:el.End])
	}
	want := []string{`1@2:</app>`, `2@3:="2"/>`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("elements (-want +got):\n%s", diff)
	}
}

// Ensure CheckStreamable refuses every record XPath a stream would answer
// wrongly without a word, and accepts paths and attribute predicates.
func TestCheckStreamable(t *testing.T) {
	for _, ok := range []string{
		"//app", "/r/app", "app", "/r//app", "//p:app", "/r/*", "//app[@id='1']", "//app[@status='C' and not(@x)]",
		"//p:app[@p:k!='v']", "//child::app", "descendant::app", "./app", "//app | //other",
		"//app[local-name()='app']", "//*[namespace-uri()='urn:x']", `//r[@v="1"]/app[starts-with(@id, 'A')]`, "//app[attribute::id]",
	} {
		if err := xmldoc.CheckStreamable(ok); err != nil {
			t.Errorf("CheckStreamable(%q) = %v, want it accepted", ok, err)
		}
	}
	for xp, want := range map[string]string{
		"/r/app[1]":                "a number (1)",
		"/r/app[2]":                "a number (2)",
		"//app[@n > 5]":            "a number (5)",
		"//app[position()=1]":      "position()",
		"//app[last()]":            "last()",
		"//app[ref='x']":           "a child element (ref)",
		"//app[*]":                 "a child element (*)",
		"//app[v/@id='1']":         "a child element (v)",
		"//app[.='x']":             `"." in a predicate`,
		"//app[text()='x']":        "text() in a predicate",
		"//app[string()='x']":      "string() in a predicate",
		"//app[child::v]":          "the axis child::",
		"//app/@id":                `step "@id" does not select elements`,
		"//app/text()":             `step "text()" does not select elements`,
		"//app/..":                 `step ".." does not select elements`,
		"//app/node()":             `step "node()" does not select elements`,
		"//a/following-sibling::b": `step "following-sibling::b"`,
		"/":                        `step "" does not select elements`,
		"//app | //app/@id":        `step "@id"`,
		"//r/app/.":                `step "." does not select elements`,
	} {
		err := xmldoc.CheckStreamable(xp)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckStreamable(%q) = %v, want an error containing %q", xp, err, want)
		}
	}
}

// Ensure p:* is refused with the way out: the XPath library never matches
// it, so it would select nothing without a word.
func TestCompileRefusesPrefixWildcard(t *testing.T) {
	for _, xp := range []string{"//p:*", "/a/p:*[@id]", "count(//p:*)"} {
		_, err := xmldoc.Compile(xp, map[string]string{"p": "urn:p"})
		if err == nil || !strings.Contains(err.Error(), `p:* never matches here; write *[namespace-uri()='urn:p']`) {
			t.Errorf("Compile(%q) = %v, want p:* refused with its rewriting", xp, err)
		}
	}
	for _, xp := range []string{"//*", "//child::*", "//p:a", "//*[namespace-uri()='urn:p']", "//a[@x='p:*']", "//@p:*"} {
		if _, err := xmldoc.Compile(xp, map[string]string{"p": "urn:p"}); err != nil && !strings.Contains(xp, "@p:*") {
			t.Errorf("Compile(%q) = %v", xp, err)
		}
	}
	// The rewriting selects what p:* means.
	doc, err := xmldoc.Parse(`<a xmlns:p="urn:p" xmlns:q="urn:p"><p:b>1</p:b><b>2</b><q:c>3</q:c></a>`)
	if err != nil {
		t.Fatal(err)
	}
	e, err := xmldoc.Compile("/a/*[namespace-uri()='urn:p']", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, nodes, err := xmldoc.Eval(doc, e)
	var got []string
	for _, n := range nodes {
		got = append(got, n.Value)
	}
	if err != nil || !cmp.Equal(got, []string{"1", "3"}) {
		t.Errorf("the rewriting selects %v, %v; want 1 and 3", got, err)
	}
}

// Ensure a stream keeps nothing of the text it has passed: each element
// it yields is out of the tree, and the elements before it that were not
// selected are gone too, so memory holds the open ancestors only (here
// the document and <r>), whatever the text's length.
func TestStreamKeepsOnlyOpenAncestors(t *testing.T) {
	e, err := xmldoc.Compile("/r/app", nil)
	if err != nil {
		t.Fatal(err)
	}
	st := xmldoc.NewStream(strings.NewReader(`<r><other/><app id="1"/><other><x/></other><app id="2"/><app id="3"/></r>`), e)
	n := 0
	for {
		el, err := st.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if el.Node.Parent != nil {
			t.Errorf("element %d is still in the tree", n)
		}
		if got := xmldoc.TreeNodes(st); got != 2 {
			t.Errorf("after element %d the stream holds %d nodes, want 2 (the document and <r>)", n, got)
		}
	}
	if n != 3 {
		t.Errorf("read %d elements, want 3", n)
	}
}
