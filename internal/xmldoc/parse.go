// Package xmldoc is decant's one reading of XML, shared by the expression
// functions (package transform) and the xml file source (package files),
// which must not import each other: a document or a stream of elements
// becomes antchfx/xmlquery nodes for XPath, each element becomes a record
// by one mapping (Record), and every syntax error carries its line and
// column.
//
// It walks encoding/xml's raw tokens itself instead of calling
// xmlquery.Parse or its stream parser, because those hide the decoder: a
// syntax error would have no column and a streamed element no byte offset,
// which the errors and the file positions need. Namespaces are resolved
// here (prefix to URI, per element), and end tags are checked against
// their start tags, as encoding/xml's Token would.
package xmldoc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/antchfx/xmlquery"
)

// xmlNamespace is the URI the prefix "xml" is bound to without a
// declaration.
const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// SyntaxError is XML that cannot be read, at a line and column (1-based)
// of its text.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
}

// Parse reads a whole document into a tree whose root is an
// xmlquery.DocumentNode. Comments and processing instructions are left
// out; text and CDATA become text nodes. A document without an element is
// an error. A leading byte order mark is skipped.
func Parse(text string) (*xmlquery.Node, error) {
	// A byte order mark is not text outside the root element.
	t := newTokens(strings.NewReader(strings.TrimPrefix(text, "\ufeff")), keepText)
	doc := &xmlquery.Node{Type: xmlquery.DocumentNode}
	cur := doc
	seen := false
	for {
		tok, err := t.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok.kind {
		case startTok:
			xmlquery.AddChild(cur, tok.node)
			cur, seen = tok.node, true
		case endTok:
			cur = cur.Parent
		case textTok:
			if cur != doc {
				xmlquery.AddChild(cur, &xmlquery.Node{Type: xmlquery.TextNode, Data: tok.text})
			}
		}
	}
	if !seen {
		return nil, &SyntaxError{Line: 1, Col: 1, Msg: "no element: the text is not an XML document"}
	}
	return doc, nil
}

type tokKind int

const (
	startTok tokKind = iota + 1
	endTok
	textTok
)

// token is one step through a document: an element's start (its node,
// not yet in a tree), its end, or text.
type token struct {
	kind tokKind
	node *xmlquery.Node
	text string
	// line and offset are where the token starts.
	line   int
	offset int64
}

// tokens reads raw tokens, resolves namespaces and checks nesting.
type tokens struct {
	d   *xml.Decoder
	src *boundReader
	// open holds the raw names of the open elements and the namespaces
	// each declares.
	open []openElem
	// rooted is set once the root element has started: a document has
	// one, and a second would be read as if it were part of the first.
	rooted bool
}

type openElem struct {
	raw xml.Name
	ns  map[string]string // prefix ("" for the default) -> URI
}

// newTokens reads r; charset is given the encoding a declaration names
// (<?xml encoding="..."?>) when it is not UTF-8.
func newTokens(r io.Reader, charset func(label string, r io.Reader) (io.Reader, error)) *tokens {
	src := &boundReader{r: r, stop: -1}
	d := xml.NewDecoder(src)
	d.Strict = true
	d.CharsetReader = charset
	return &tokens{d: d, src: src}
}

// keepText reads a Go string as it is, whatever encoding it declares: a
// column's value was decoded by its database or JSON already, and the
// declaration only says what its bytes once were. Text that is not UTF-8
// is still refused, by the decoder.
func keepText(_ string, r io.Reader) (io.Reader, error) { return r, nil }

// utf8Only reads bytes declared as UTF-8 (or ASCII, its subset) under
// another spelling, and refuses any other encoding with the way out.
func utf8Only(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf8", "us-ascii", "ascii":
		return r, nil
	}
	return nil, fmt.Errorf("the text declares encoding %q: decant reads UTF-8 only; convert it first (iconv -f %s -t UTF-8)", label, label)
}

// offset is the byte offset just after the last token read.
func (t *tokens) offset() int64 { return t.d.InputOffset() }

// next returns the next element start, element end or text; io.EOF at
// the end of a well-formed text.
func (t *tokens) next() (token, error) {
	for {
		line, col := t.d.InputPos()
		off := t.d.InputOffset()
		raw, err := t.d.RawToken()
		if errors.Is(err, errPastBound) {
			return token{}, err
		}
		if errors.Is(err, io.EOF) {
			if len(t.open) > 0 {
				return token{}, t.errorf("the text ends inside <%s>", rawName(t.open[len(t.open)-1].raw))
			}
			return token{}, io.EOF
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return token{}, t.errorf("%s", se.Msg)
			}
			return token{}, t.errorf("%v", err)
		}
		switch v := raw.(type) {
		case xml.StartElement:
			if len(t.open) == 0 && t.rooted {
				return token{}, errorAt(line, col, "a second root element <%s>", rawName(v.Name))
			}
			t.rooted = true
			n, err := t.start(v, line, col)
			if err != nil {
				return token{}, err
			}
			return token{kind: startTok, node: n, line: line, offset: off}, nil
		case xml.EndElement:
			if err := t.end(v, line, col); err != nil {
				return token{}, err
			}
			return token{kind: endTok, line: line}, nil
		case xml.CharData:
			if len(t.open) == 0 {
				if len(bytes.TrimSpace(v)) > 0 {
					return token{}, t.errorf("text outside the root element")
				}
				continue
			}
			return token{kind: textTok, text: string(v), line: line}, nil
		}
	}
}

// errorf is a SyntaxError at the decoder's position.
func (t *tokens) errorf(format string, args ...any) error {
	line, col := t.d.InputPos()
	return errorAt(line, col, format, args...)
}

// errorAt is a SyntaxError at line and col, where a token starts.
func errorAt(line, col int, format string, args ...any) error {
	return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// start opens an element: its declarations, its name and attributes
// resolved to namespace URIs.
func (t *tokens) start(se xml.StartElement, line, col int) (*xmlquery.Node, error) {
	e := openElem{raw: se.Name}
	attrs := make([]xmlquery.Attr, 0, len(se.Attr))
	for i, a := range se.Attr {
		for _, b := range se.Attr[:i] {
			if a.Name == b.Name {
				return nil, errorAt(line, col, "<%s>: attribute %s is given twice", rawName(se.Name), rawName(a.Name))
			}
		}
		switch {
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			e.declare("", a.Value)
		case a.Name.Space == "xmlns":
			e.declare(a.Name.Local, a.Value)
		default:
			attrs = append(attrs, xmlquery.Attr{Name: a.Name, Value: a.Value})
		}
	}
	t.open = append(t.open, e)
	n := &xmlquery.Node{Type: xmlquery.ElementNode, Data: se.Name.Local, Prefix: se.Name.Space}
	uri, ok := t.resolve(se.Name.Space)
	if !ok {
		return nil, errorAt(line, col, "<%s>: namespace prefix %q is not declared", rawName(se.Name), se.Name.Space)
	}
	n.NamespaceURI = uri
	for i := range attrs {
		if p := attrs[i].Name.Space; p != "" {
			uri, ok := t.resolve(p)
			if !ok {
				return nil, errorAt(line, col, "<%s>: attribute %s: namespace prefix %q is not declared", rawName(se.Name), rawName(attrs[i].Name), p)
			}
			attrs[i].NamespaceURI = uri
		}
	}
	n.Attr = attrs
	return n, nil
}

func (e *openElem) declare(prefix, uri string) {
	if e.ns == nil {
		e.ns = map[string]string{}
	}
	e.ns[prefix] = uri
}

// resolve returns the URI a prefix is bound to where the parser is; the
// empty prefix without a default namespace is no namespace.
func (t *tokens) resolve(prefix string) (string, bool) {
	if prefix == "xml" {
		return xmlNamespace, true
	}
	for i := len(t.open) - 1; i >= 0; i-- {
		if uri, ok := t.open[i].ns[prefix]; ok {
			return uri, true
		}
	}
	return "", prefix == ""
}

func (t *tokens) end(ee xml.EndElement, line, col int) error {
	if len(t.open) == 0 {
		return errorAt(line, col, "</%s> closes no element", rawName(ee.Name))
	}
	top := t.open[len(t.open)-1].raw
	if top != ee.Name {
		return errorAt(line, col, "element <%s> closed by </%s>", rawName(top), rawName(ee.Name))
	}
	t.open = t.open[:len(t.open)-1]
	return nil
}

func rawName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}
