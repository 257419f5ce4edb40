package transform

import (
	"fmt"
	"maps"

	"github.com/antchfx/xmlquery"
	"github.com/antchfx/xpath"
	"github.com/expr-lang/expr/ast"

	"github.com/decanthq/decant/internal/xmldoc"
)

// The XML functions read XML text with XPath 1.0 (docs/plan.md, "XML"):
// xml_value(doc, xpath[, namespaces]) is the string value of the first
// node selected (null when none), xml_values(...) the list of every
// selected node's string value, xml_nodes(...) every selected element as
// a record (xmldoc.Record). A null document gives null or an empty list;
// text that is not well-formed XML is an error naming the argument and
// the line and column, which fails the record.
//
// Compile gives each call two hidden arguments (xmlPatch): the
// environment's cache of parsed documents, so that several expressions
// reading one document of a record parse it once, and an *xmlCall
// describing the call as written.
var xmlFuncNames = []string{"xml_value", "xml_values", "xml_nodes"}

// xmlStateVar is the variable through which an Env lends the XML functions
// its cache. It is not a name a plan can write.
const xmlStateVar = "$decant_xml"

// xmlCall is one call of an XML function as the plan wrote it.
type xmlCall struct {
	fn string
	// doc is the document argument as written (record.details_xml), so
	// that an error says where the bad XML came from.
	doc string
	// ns binds the plan's prefixes (xml_namespaces).
	ns map[string]string
	// path is the XPath compiled at load, when it and the namespaces are
	// literals.
	path *xpath.Expr
}

// maxCachedDocs bounds the documents an environment keeps for one record.
const maxCachedDocs = 8

// xmlDocs is an environment's cache of parsed documents and compiled
// XPaths. Documents are dropped when the record changes (Env.Set).
type xmlDocs struct {
	docs  map[string]xmlParsed
	paths map[string]*xpath.Expr
}

type xmlParsed struct {
	doc *xmlquery.Node
	err error
}

func (c *xmlDocs) reset() { clear(c.docs) }

// parse returns text's tree, parsing it on its first use in the record.
func (c *xmlDocs) parse(text string) (*xmlquery.Node, error) {
	if c == nil {
		return xmldoc.Parse(text)
	}
	if p, ok := c.docs[text]; ok {
		return p.doc, p.err
	}
	doc, err := xmldoc.Parse(text)
	if c.docs == nil {
		c.docs = map[string]xmlParsed{}
	}
	if len(c.docs) >= maxCachedDocs {
		clear(c.docs)
	}
	c.docs[text] = xmlParsed{doc, err}
	return doc, err
}

// compile returns the compiled XPath of a call whose XPath is not a
// literal; calls without their own namespaces share a cache.
func (c *xmlDocs) compile(src string, ns map[string]string, own bool) (*xpath.Expr, error) {
	if own || c == nil {
		return xmldoc.Compile(src, ns)
	}
	if e, ok := c.paths[src]; ok {
		return e, nil
	}
	e, err := xmldoc.Compile(src, ns)
	if err != nil {
		return nil, err
	}
	if c.paths == nil || len(c.paths) >= 64 {
		c.paths = map[string]*xpath.Expr{}
	}
	c.paths[src] = e
	return e, nil
}

// xmlFunc returns the function name, which evaluates a selection with
// result.
func xmlFunc(name string, result func(value any, nodes []xmldoc.Match) (any, error)) Func {
	return func(args ...any) (any, error) {
		call, docs, args := xmlHidden(name, args)
		if err := argCount(name, args, 2, 3); err != nil {
			return nil, err
		}
		var text string
		switch v := args[0].(type) {
		case nil:
			return result(nil, nil)
		case string:
			text = v
		case []byte:
			text = string(v)
		default:
			return nil, fmt.Errorf("%s: %s is %T, want XML text", name, call.doc, args[0])
		}
		path, err := call.xpath(docs, args)
		if err != nil {
			return nil, err
		}
		doc, err := docs.parse(text)
		if err != nil {
			return nil, fmt.Errorf("%s: %s is not well-formed XML: %w", name, call.doc, err)
		}
		value, nodes, err := xmldoc.Eval(doc, path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out, err := result(value, nodes)
		if err != nil {
			return nil, fmt.Errorf("%s: xpath %q: %w", name, path.String(), err)
		}
		return out, nil
	}
}

// xmlHidden takes the hidden arguments off a call's arguments.
func xmlHidden(name string, args []any) (*xmlCall, *xmlDocs, []any) {
	call := &xmlCall{fn: name, doc: "the document"}
	var docs *xmlDocs
	if n := len(args); n >= 2 {
		if c, ok := args[n-1].(*xmlCall); ok {
			call = c
			docs, _ = args[n-2].(*xmlDocs)
			args = args[:n-2]
		}
	}
	return call, docs, args
}

// xpath is the call's XPath: compiled at load, or now from its arguments.
func (c *xmlCall) xpath(docs *xmlDocs, args []any) (*xpath.Expr, error) {
	if c.path != nil {
		return c.path, nil
	}
	src, ok := args[1].(string)
	if !ok {
		return nil, fmt.Errorf("%s: the xpath is %T, want a string", c.fn, args[1])
	}
	ns, own := c.ns, len(args) > 2
	if own {
		var err error
		if ns, err = mergeNamespaces(c.fn, c.ns, args[2]); err != nil {
			return nil, err
		}
	}
	e, err := docs.compile(src, ns, own)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.fn, err)
	}
	return e, nil
}

// mergeNamespaces is the plan's namespaces with a call's own over them.
func mergeNamespaces(fn string, plan map[string]string, own any) (map[string]string, error) {
	out := maps.Clone(plan)
	if out == nil {
		out = map[string]string{}
	}
	switch m := own.(type) {
	case nil:
	case map[string]any:
		for k, v := range m {
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("%s: namespace %s is %T, want a URI string", fn, k, v)
			}
			out[k] = s
		}
	case map[string]string:
		maps.Copy(out, m)
	default:
		return nil, fmt.Errorf("%s: namespaces are %T, want a map of prefix to URI", fn, own)
	}
	return out, nil
}

func xmlValueResult(value any, nodes []xmldoc.Match) (any, error) {
	if nodes == nil {
		return value, nil
	}
	if len(nodes) == 0 {
		return nil, nil
	}
	return nodes[0].Value, nil
}

func xmlValuesResult(value any, nodes []xmldoc.Match) (any, error) {
	if nodes == nil {
		if value == nil {
			return []any{}, nil
		}
		return []any{value}, nil
	}
	out := make([]any, len(nodes))
	for i, n := range nodes {
		out[i] = n.Value
	}
	return out, nil
}

func xmlNodesResult(value any, nodes []xmldoc.Match) (any, error) {
	if nodes == nil {
		if value == nil {
			return []any{}, nil
		}
		return nil, fmt.Errorf("gives a %T, not nodes", value)
	}
	out := make([]any, len(nodes))
	for i, n := range nodes {
		if n.Attr || n.Node.Type != xmlquery.ElementNode {
			out[i] = n.Value
			continue
		}
		out[i] = xmldoc.Record(n.Node)
	}
	return out, nil
}

// xmlPatch gives each call of a built-in XML function its hidden
// arguments, compiling the XPath when it is a literal so that a bad one
// fails the plan at load.
type xmlPatch struct {
	funcs *Funcs
	err   error
}

func (p *xmlPatch) Visit(node *ast.Node) {
	call, ok := (*node).(*ast.CallNode)
	if !ok {
		return
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok || !p.funcs.xml[id.Value] {
		return
	}
	c := &xmlCall{fn: id.Value, doc: "the document", ns: p.funcs.xmlNS}
	if len(call.Arguments) > 0 {
		c.doc = call.Arguments[0].String()
	}
	if src, ns, ok := p.literalXPath(call); ok {
		e, err := xmldoc.Compile(src, ns)
		if err != nil && p.err == nil {
			p.err = fmt.Errorf("%s: %w", id.Value, err)
		}
		c.path = e
	}
	call.Arguments = append(call.Arguments, &ast.IdentifierNode{Value: xmlStateVar}, &ast.ConstantNode{Value: c})
}

// literalXPath returns a call's XPath and namespaces when both are
// written as literals.
func (p *xmlPatch) literalXPath(call *ast.CallNode) (string, map[string]string, bool) {
	if len(call.Arguments) < 2 || len(call.Arguments) > 3 {
		return "", nil, false
	}
	src, ok := call.Arguments[1].(*ast.StringNode)
	if !ok {
		return "", nil, false
	}
	ns := maps.Clone(p.funcs.xmlNS)
	if len(call.Arguments) == 2 {
		return src.Value, ns, true
	}
	m, ok := call.Arguments[2].(*ast.MapNode)
	if !ok {
		return "", nil, false
	}
	if ns == nil {
		ns = map[string]string{}
	}
	for _, pn := range m.Pairs {
		pair, ok := pn.(*ast.PairNode)
		if !ok {
			return "", nil, false
		}
		k, kok := pair.Key.(*ast.StringNode)
		v, vok := pair.Value.(*ast.StringNode)
		if !kok || !vok {
			return "", nil, false
		}
		ns[k.Value] = v.Value
	}
	return src.Value, ns, true
}
