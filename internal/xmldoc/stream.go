package xmldoc

import (
	"errors"
	"io"

	"github.com/antchfx/xmlquery"
	"github.com/antchfx/xpath"
)

// Element is one element a Stream yields, with where it is in the text.
type Element struct {
	Node *xmlquery.Node
	// Line is the line of its start tag.
	Line int
	// End is the byte offset just after its end tag, EndLine that tag's
	// line.
	End     int64
	EndLine int
}

// Stream yields the elements of a text that an XPath selects, one at a
// time, in memory bounded by the largest element: outside the element
// being read it keeps only the open ancestors (their names and
// attributes), against which the XPath is tested when an element starts.
// Paths and predicates on ancestors' and the element's attributes work;
// predicates on content or position (item[2], item[name='x']) see an
// element without its content or siblings (CheckStreamable refuses such
// an XPath). Elements inside a selected one are part of it, not yielded
// on their own.
type Stream struct {
	// MaxElement, when not 0, is the longest selected element, in bytes
	// from its start tag to the end of its end tag; Next returns a
	// *TooLongError past it, and never holds much more of it in memory.
	MaxElement int64

	t     *tokens
	match *xpath.Expr
	root  *xmlquery.Node
	cur   *xmlquery.Node
	rec   *xmlquery.Node
	line  int
	start int64 // offset of rec's start tag
}

// NewStream reads r for the elements match selects.
func NewStream(r io.Reader, match *xpath.Expr) *Stream {
	root := &xmlquery.Node{Type: xmlquery.DocumentNode}
	return &Stream{t: newTokens(r, utf8Only), match: match, root: root, cur: root}
}

// Next returns the next selected element; io.EOF after the last one in a
// well-formed text, a *SyntaxError at a fault.
func (s *Stream) Next() (Element, error) {
	for {
		tok, err := s.t.next()
		if s.tooLong(err) {
			return Element{}, &TooLongError{Line: s.line, Max: s.MaxElement}
		}
		if err != nil {
			return Element{}, err
		}
		switch tok.kind {
		case startTok:
			xmlquery.AddChild(s.cur, tok.node)
			s.cur = tok.node
			if s.rec == nil && s.selects(tok.node) {
				s.begin(tok)
			}
		case endTok:
			done := s.cur
			s.cur = done.Parent
			if done == s.rec {
				s.rec = nil
				s.t.src.stop = -1
				xmlquery.RemoveFromTree(done)
				endLine, _ := s.t.d.InputPos()
				return Element{Node: done, Line: s.line, End: s.t.offset(), EndLine: endLine}, nil
			}
			if s.rec == nil {
				xmlquery.RemoveFromTree(done) // not selected: keep only open ancestors
			}
		case textTok:
			if s.rec != nil {
				xmlquery.AddChild(s.cur, &xmlquery.Node{Type: xmlquery.TextNode, Data: tok.text})
			}
		}
	}
}

// tooLong reports whether the element being read has passed MaxElement,
// err being what the last read of a token returned.
func (s *Stream) tooLong(err error) bool {
	if s.rec == nil || s.MaxElement == 0 {
		return false
	}
	return errors.Is(err, errPastBound) || s.t.offset()-s.start > s.MaxElement
}

// begin starts reading a selected element: reads from the text stop a
// little past where the element would be too long.
func (s *Stream) begin(tok token) {
	s.rec, s.line, s.start = tok.node, tok.line, tok.offset
	if s.MaxElement > 0 {
		s.t.src.stop = s.start + s.MaxElement + readAhead
	}
}

// Offset is the byte offset just after what the stream has read.
func (s *Stream) Offset() int64 { return s.t.offset() }

// selects reports whether the XPath selects n in the tree as it stands.
func (s *Stream) selects(n *xmlquery.Node) bool {
	_, nodes, err := Eval(s.root, s.match)
	if err != nil {
		return false
	}
	for _, m := range nodes {
		if m.Node == n && !m.Attr {
			return true
		}
	}
	return false
}
