package plan

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/decanthq/decant"
)

// Expr is an expression as written in the plan, with its position so that a
// compile error points at it.
type Expr struct {
	Src  string
	Line int
	Col  int
}

// UnmarshalYAML keeps the scalar's text and position.
func (e *Expr) UnmarshalYAML(n ast.Node) error {
	s, tk, err := scalar(n)
	if err != nil {
		return err
	}
	*e = Expr{Src: s, Line: tk.Position.Line, Col: tk.Position.Column}
	return nil
}

// NamedExpr is one entry of an ordered name -> expression map.
type NamedExpr struct {
	Name string
	Expr Expr
}

// Exprs is an ordered map of names to expressions (map, let): order is kept
// because later lets may use earlier ones and columns print in plan order.
type Exprs []NamedExpr

// UnmarshalYAML reads a mapping of scalars, keeping order and positions.
func (es *Exprs) UnmarshalYAML(n ast.Node) error {
	if _, ok := n.(*ast.NullNode); ok {
		return nil
	}
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		return &Error{Line: n.GetToken().Position.Line, Col: n.GetToken().Position.Column,
			Msg: fmt.Sprintf("want a map of name: expression, got %s", n.Type()), quotable: true}
	}
	seen := map[string]bool{}
	for _, v := range values {
		name := v.Key.GetToken().Value
		if seen[name] {
			p := v.Key.GetToken().Position
			return &Error{Line: p.Line, Col: p.Column, Msg: fmt.Sprintf("%s is set twice", name)}
		}
		seen[name] = true
		var e Expr
		if err := e.UnmarshalYAML(v.Value); err != nil {
			return err
		}
		*es = append(*es, NamedExpr{Name: name, Expr: e})
	}
	return nil
}

func scalar(n ast.Node) (string, *token.Token, error) {
	tk := n.GetToken()
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, tk, nil
	case *ast.LiteralNode:
		return v.Value.Value, tk, nil
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return tk.Value, tk, nil
	case *ast.NullNode:
		return "nil", tk, nil
	case *ast.TagNode: // only !!str on a scalar gets past checkTags
		if _, ok := v.Value.(ast.ScalarNode); ok {
			_, vtk, err := scalar(v.Value)
			if err != nil {
				return "", nil, err
			}
			return vtk.Value, vtk, nil
		}
	}
	return "", nil, &Error{Line: tk.Position.Line, Col: tk.Position.Column,
		Msg: fmt.Sprintf("want an expression (a string), got %s", n.Type()), quotable: true}
}

// StringList accepts one string or a list of strings.
type StringList []string

// UnmarshalYAML accepts a scalar or a sequence of scalars.
func (l *StringList) UnmarshalYAML(n ast.Node) error {
	if seq, ok := n.(*ast.SequenceNode); ok {
		for _, v := range seq.Values {
			s, _, err := scalar(v)
			if err != nil {
				return err
			}
			*l = append(*l, s)
		}
		return nil
	}
	s, _, err := scalar(n)
	if err != nil {
		return err
	}
	*l = StringList{s}
	return nil
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}`)

// scopeVar is the reserved name of ${scope}: the run's scope, which
// expandEnv keeps for sources, SQL and expressions to put in at run time.
const scopeVar = "scope"

// expandEnv replaces ${VAR} and ${VAR:-default} in every string scalar of
// the document, in place, and returns the scalars it expanded. Expanding
// scalars (not the raw text) means an environment value can never inject
// YAML structure. A ${VAR} that is unset and has no default is an error at
// its position. ${scope} is kept as written, whatever the environment
// holds (see decant.ScopeRef).
func expandEnv(root ast.Node, lookup func(string) (string, bool)) (map[*ast.StringNode]bool, error) {
	var firstErr error
	expanded := map[*ast.StringNode]bool{}
	ast.Walk(visitorFunc(func(n ast.Node) {
		s, ok := n.(*ast.StringNode)
		if !ok || firstErr != nil || !strings.Contains(s.Value, "${") {
			return
		}
		expanded[s] = true
		s.Value = envRef.ReplaceAllStringFunc(s.Value, func(ref string) string {
			m := envRef.FindStringSubmatch(ref)
			if m[1] == scopeVar {
				// The run's scope, put in at run time: never the
				// environment's, and never unset.
				if ref != decant.ScopeRef && firstErr == nil {
					p := s.GetToken().Position
					firstErr = &Error{Line: p.Line, Col: p.Column,
						Msg: fmt.Sprintf("%s: ${scope} is the run's scope (--scope, --scopes), which always has a value: write it without a default", ref)}
				}
				return ref
			}
			if v, ok := lookup(m[1]); ok && v != "" {
				return v
			}
			if strings.Contains(ref, ":-") {
				return m[2]
			}
			if firstErr == nil {
				p := s.GetToken().Position
				firstErr = &Error{Line: p.Line, Col: p.Column,
					Msg: fmt.Sprintf("environment variable %s is not set (write ${%s:-default} to give a default)", m[1], m[1])}
			}
			return ref
		})
	}), root)
	return expanded, firstErr
}

type visitorFunc func(ast.Node)

func (f visitorFunc) Visit(n ast.Node) ast.Visitor {
	f(n)
	return f
}

func osLookup(name string) (string, bool) { return os.LookupEnv(name) }
