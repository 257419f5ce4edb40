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
		"<a>1</a>\n <a>2</a>":                             "line 2, column 2: a second root element <a>",
		`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`: "ISO-8859-1",
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
