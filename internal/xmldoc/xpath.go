package xmldoc

import (
	"fmt"
	"maps"
	"strings"

	"github.com/antchfx/xmlquery"
	"github.com/antchfx/xpath"
)

// Compile compiles an XPath 1.0 expression whose prefixes are bound by ns
// (prefix -> namespace URI). A prefix that ns does not bind is an error,
// so a name never matches by the prefix a document happens to use; a name
// without a prefix matches elements written without one, whatever their
// default namespace. The prefix xml is always bound, as in every
// document (xml:lang, xml:id).
func Compile(expr string, ns map[string]string) (*xpath.Expr, error) {
	// Not nil even when empty: xpath then refuses unbound prefixes.
	bound := make(map[string]string, len(ns)+1)
	maps.Copy(bound, ns)
	bound["xml"] = xmlNamespace
	e, err := xpath.CompileWithNS(expr, bound)
	if err != nil {
		return nil, fmt.Errorf("xpath %q: %w", expr, err)
	}
	if err := refusePrefixWildcard(expr, bound); err != nil {
		return nil, fmt.Errorf("xpath %q: %w", expr, err)
	}
	return e, nil
}

// refusePrefixWildcard refuses p:* (any element of p's namespace), which
// antchfx/xpath compiles but never matches: it would select nothing
// without a word.
func refusePrefixWildcard(expr string, ns map[string]string) error {
	for _, t := range lexXPath(expr) {
		if prefix, ok := strings.CutSuffix(t.text, ":*"); ok && isName(t.text) {
			return fmt.Errorf("%s never matches here; write *[namespace-uri()='%s'] (@*[...] for attributes)", t.text, ns[prefix])
		}
	}
	return nil
}

// Match is one node an XPath selected: an element (Attr false) or an
// attribute or text, of which only Value counts.
type Match struct {
	Node  *xmlquery.Node
	Attr  bool
	Value string
}

// Eval evaluates e at doc: the nodes it selects, or the value it computes
// (a string, a float64 or a bool: count(...), string(...), a comparison)
// with nodes nil. A panic inside the XPath library becomes an error.
func Eval(doc *xmlquery.Node, e *xpath.Expr) (value any, nodes []Match, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("xpath %q: %v", e.String(), r)
		}
	}()
	res := e.Evaluate(xmlquery.CreateXPathNavigator(doc))
	it, ok := res.(*xpath.NodeIterator)
	if !ok {
		return res, nil, nil
	}
	nodes = []Match{}
	for it.MoveNext() {
		nav, ok := it.Current().(*xmlquery.NodeNavigator)
		if !ok {
			continue
		}
		nodes = append(nodes, Match{Node: nav.Current(), Attr: nav.NodeType() == xpath.AttributeNode, Value: nav.Value()})
	}
	return nil, nodes, nil
}

// SelectsNodes reports whether e gives nodes rather than a value (as
// count(...) does), by evaluating it on an empty document.
func SelectsNodes(e *xpath.Expr) bool {
	doc := &xmlquery.Node{Type: xmlquery.DocumentNode}
	xmlquery.AddChild(doc, &xmlquery.Node{Type: xmlquery.ElementNode, Data: "_"})
	v, _, err := Eval(doc, e)
	return err == nil && v == nil
}
