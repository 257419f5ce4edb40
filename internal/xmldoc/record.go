package xmldoc

import (
	"encoding/xml"
	"strings"

	"github.com/antchfx/xmlquery"
)

// Record is an element as a record, the mapping docs/plan.md gives with
// an example:
//
//   - each attribute is an entry "@name" holding its value, "@prefix:name"
//     for one written with a prefix (as in the text), so that q:id never
//     overwrites id;
//   - each child element is an entry under its local name (prefix
//     dropped): a leaf child (no attributes, no child elements) is its
//     text, "" when empty; any other child is a record made the same way;
//   - a name that repeats among the children is a list of their values
//     in document order (one child of a name is its value, not a list);
//   - the element's own text, when it has attributes or child elements
//     and text that is not only white space, is "#text".
//
// The element itself is always a record, even a leaf: <name>Asha</name>
// is {"#text": "Asha"}. Values are strings; columns convert them.
func Record(n *xmlquery.Node) map[string]any {
	m := make(map[string]any, len(n.Attr)+2)
	for _, a := range n.Attr {
		m[attrKey(a.Name)] = a.Value
	}
	var text strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case xmlquery.ElementNode:
			add(m, c.Data, value(c))
		case xmlquery.TextNode, xmlquery.CharDataNode:
			text.WriteString(c.Data)
		}
	}
	if s := text.String(); strings.TrimSpace(s) != "" {
		m["#text"] = s
	}
	return m
}

// attrKey is an attribute's entry: "@" and its name as written.
func attrKey(n xml.Name) string {
	if n.Space == "" {
		return "@" + n.Local
	}
	return "@" + n.Space + ":" + n.Local
}

// value is a child element's value: its text when it is a leaf, else its
// record.
func value(n *xmlquery.Node) any {
	if len(n.Attr) == 0 && !hasElement(n) {
		return leafText(n)
	}
	return Record(n)
}

func hasElement(n *xmlquery.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xmlquery.ElementNode {
			return true
		}
	}
	return false
}

func leafText(n *xmlquery.Node) string {
	if c := n.FirstChild; c != nil && c.NextSibling == nil {
		return c.Data // the common case, without a copy
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(c.Data)
	}
	return b.String()
}

// add sets m[name] to v, or appends v to the list the name already holds
// (making one from its first value).
func add(m map[string]any, name string, v any) {
	old, exists := m[name]
	if !exists {
		m[name] = v
		return
	}
	if list, ok := old.([]any); ok {
		m[name] = append(list, v)
		return
	}
	m[name] = []any{old, v}
}
