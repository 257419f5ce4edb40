package plan

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// unknownKey is the error for a key that the plan does not have at its
// place: the first unknown key of its mapping in plan order (the decoder
// picks one at random), with the known key it is probably a typo of, or
// else the keys that go there.
func (p *Plan) unknownKey(root ast.Node, tk *token.Token) *Error {
	name, pos := tk.Value, tk.Position
	m, t := findMapping(root, reflect.TypeFor[Plan](), tk)
	if m == nil { // not expected: suggest from every key of the plan
		msg := fmt.Sprintf("unknown field %q", name)
		if near := nearest(name, allKeys()); near != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", near)
		}
		return p.errAt(pos.Line, pos.Column, msg)
	}
	known := OptionNames(reflect.New(t).Interface())
	var first ast.Node
	for _, v := range m {
		if !slices.Contains(known, keyName(v.Key)) && (first == nil || offset(v.Key) < offset(first)) {
			first = v.Key
		}
	}
	if first != nil {
		name, pos = keyName(first), first.GetToken().Position
	}
	msg := fmt.Sprintf("unknown field %q", name)
	if near := nearest(name, known); near != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", near)
	} else {
		msg += fmt.Sprintf(" (%s takes %s)", placeName(t), strings.Join(known, ", "))
	}
	return p.errAt(pos.Line, pos.Column, msg)
}

// allKeys lists the keys of every part of the plan.
func allKeys() []string {
	var out []string
	for _, v := range []any{Plan{}, Step{}, To{}, ColumnSpec{}, Child{}, Verify{}, VerifyRule{}} {
		out = append(out, OptionNames(v)...)
	}
	return out
}

func offset(n ast.Node) int { return n.GetToken().Position.Offset }

// placeName names the part of the plan a struct type decodes, for errors.
func placeName(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[Plan]():
		return "the top level"
	case reflect.TypeFor[Step]():
		return "a step"
	case reflect.TypeFor[To]():
		return "to"
	case reflect.TypeFor[ColumnSpec]():
		return "a column"
	case reflect.TypeFor[Child]():
		return "a child"
	case reflect.TypeFor[Verify]():
		return "verify"
	case reflect.TypeFor[VerifyRule]():
		return "a verify rule"
	}
	return "this map"
}

// findMapping walks the plan's nodes along the Go types they decode into,
// from t, and returns the entries of the mapping that holds the key token
// tk, with the struct type that mapping decodes into; nil if not found.
func findMapping(n ast.Node, t reflect.Type, tk *token.Token) ([]*ast.MappingValueNode, reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch v := n.(type) {
	case *ast.AnchorNode:
		return findMapping(v.Value, t, tk)
	case *ast.SequenceNode:
		if t.Kind() != reflect.Slice {
			return nil, nil
		}
		for _, x := range v.Values {
			if m, mt := findMapping(x, t.Elem(), tk); m != nil {
				return m, mt
			}
		}
	case *ast.MappingValueNode:
		return findInMapping([]*ast.MappingValueNode{v}, t, tk)
	case *ast.MappingNode:
		return findInMapping(v.Values, t, tk)
	}
	return nil, nil
}

func findInMapping(values []*ast.MappingValueNode, t reflect.Type, tk *token.Token) ([]*ast.MappingValueNode, reflect.Type) {
	for _, v := range values {
		if t.Kind() == reflect.Struct && v.Key.GetToken() == tk {
			return values, t
		}
		var vt reflect.Type
		switch t.Kind() {
		case reflect.Map:
			vt = t.Elem()
		case reflect.Struct:
			vt = fieldType(t, keyName(v.Key))
		}
		if vt == nil || v.Value == nil {
			continue
		}
		if m, mt := findMapping(v.Value, vt, tk); m != nil {
			return m, mt
		}
	}
	return nil, nil
}

// fieldType is the type of the field of struct t that the YAML key name
// decodes into, or nil.
func fieldType(t reflect.Type, name string) reflect.Type {
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && yamlName(f) == name {
			return f.Type
		}
	}
	return nil
}
