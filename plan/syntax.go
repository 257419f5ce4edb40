package plan

import (
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// checkTags refuses YAML tags other than !!str on a scalar. A plan is plain
// YAML: there is no !include, and the decoder mishandles a tag on a list
// or map (it panicked on "steps: !x"), so none reach it.
func checkTags(root ast.Node) error {
	var err error
	ast.Walk(visitorFunc(func(n ast.Node) {
		t, ok := n.(*ast.TagNode)
		if !ok || err != nil {
			return
		}
		if _, scalar := t.Value.(ast.ScalarNode); scalar && t.Start.Value == "!!str" {
			return
		}
		p := t.Start.Position
		// The tag is not named: it may be the start of an unquoted secret.
		err = &Error{Line: p.Line, Col: p.Column, Msg: "YAML tags (a value starting with !) are not supported: " +
			"a plan is plain YAML, without includes or custom types (if this is text, put it in quotes)"}
	}), root)
	return err
}

// boolsFromEnv turns each scalar that ${VAR} expansion made exactly "true"
// or "false" into a boolean (quoted or not: inside {...} it must be quoted), as if the value had been written in the
// plan, so that insecure_skip_verify: ${TLS_SKIP:-false} loads. Numbers need
// no such step: the decoder reads them from strings. A string key given
// such a value still reads "true" or "false".
func boolsFromEnv(root ast.Node, expanded map[*ast.StringNode]bool) {
	toBool := func(n ast.Node) ast.Node {
		s, ok := n.(*ast.StringNode)
		if !ok || !expanded[s] || (s.Value != "true" && s.Value != "false") {
			return n
		}
		tk := s.Token.Clone()
		tk.Type, tk.Value = token.BoolType, s.Value
		return ast.Bool(tk)
	}
	ast.Walk(visitorFunc(func(n ast.Node) {
		switch v := n.(type) {
		case *ast.MappingValueNode:
			v.Value = toBool(v.Value)
		case *ast.SequenceNode:
			for i, x := range v.Values {
				v.Values[i] = toBool(x)
			}
		}
	}), root)
}

// quoteHint is advice to add to a YAML error on line: when the value on the
// line starts with a character YAML gives a meaning to, or holds ": ", the
// usual cause is an expression or text written without quotes. It never
// repeats the value, which may be a secret.
func quoteHint(line string) string {
	v := lineValue(line)
	if v == "" || (!strings.ContainsRune("{[*&!%@`", rune(v[0])) && !strings.Contains(v, ": ")) {
		return ""
	}
	return " (if the value is an expression or text, put it in quotes: YAML reads a value that starts with " +
		"{ [ * & ! % @ or a backquote, or that holds \": \", as YAML syntax; write e.g. key: 'text')"
}

// lineValue is the value part of a plan line: what follows "key:" or "- ",
// without a trailing comment.
func lineValue(line string) string {
	v := strings.TrimSpace(line)
	for strings.HasPrefix(v, "- ") || v == "-" {
		v = strings.TrimSpace(v[1:])
	}
	if i := strings.Index(v, ": "); i >= 0 && !strings.ContainsAny(v[:i], "{[\"'") {
		v = strings.TrimSpace(v[i+2:])
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v
}
