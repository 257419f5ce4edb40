// Package transform turns a source record into target rows: expressions
// (expr-lang), JSON paths, double-encoded JSON, name/value arrays, routes by a
// field's value, child rows from nested arrays, and coercion of each value to
// its column's type.
//
// Programs are compiled once, when the plan loads; a Mapper evaluates them per
// record with a reused VM and environment, so the hot path does not allocate
// an environment per expression.
package transform

import (
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// Func is a custom expression function registered from Go.
type Func func(args ...any) (any, error)

// Funcs is a set of expression functions: the built-in library plus any a Go
// program registers. The zero value is not usable; call NewFuncs.
type Funcs struct {
	fns map[string]Func
	// xml holds the names of the built-in XML functions still registered
	// (a Go program may replace them), whose calls Compile completes.
	xml map[string]bool
	// xmlNS binds XPath prefixes for every XML function call (the plan's
	// xml_namespaces).
	xmlNS map[string]string
}

// NewFuncs returns the built-in function library.
func NewFuncs() *Funcs {
	f := &Funcs{fns: map[string]Func{}, xml: map[string]bool{}}
	for name, fn := range builtins() {
		f.fns[name] = fn
	}
	for _, name := range xmlFuncNames {
		f.xml[name] = true
	}
	return f
}

// WithXMLNamespaces returns a copy of f whose XML functions bind the XPath
// prefixes of ns (prefix -> namespace URI) in every call, under the
// prefixes a call binds itself. Expressions compiled with f are not
// affected.
func (f *Funcs) WithXMLNamespaces(ns map[string]string) *Funcs {
	c := &Funcs{fns: maps.Clone(f.fns), xml: maps.Clone(f.xml), xmlNS: maps.Clone(ns)}
	return c
}

// Register adds or replaces the function name. Names must be identifiers.
func (f *Funcs) Register(name string, fn Func) error {
	if !isIdent(name) {
		return fmt.Errorf("register function %q: not a valid name", name)
	}
	f.fns[name] = fn
	delete(f.xml, name)
	return nil
}

// Names lists the registered function names, sorted.
func (f *Funcs) Names() []string {
	names := make([]string, 0, len(f.fns))
	for n := range f.fns {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (f *Funcs) options() []expr.Option {
	opts := make([]expr.Option, 0, len(f.fns)+1)
	opts = append(opts, expr.AllowUndefinedVariables())
	for name, fn := range f.fns {
		opts = append(opts, expr.Function(name, fn))
	}
	return opts
}

// Program is a compiled expression.
type Program struct {
	// Source is the expression text as written in the plan.
	Source string
	prog   *vm.Program
	// path is set when the expression is a plain member chain
	// (record.a.b, record["a"]), which Eval walks without the VM.
	path []string
	// reads is what the expression reads of its variables (reads.go).
	reads []varRead
	// decoded is set when the expression is the built-in json_decode of a
	// plain member chain (json_decode(record.attrs)): the chain, which
	// MapRow reads from a row's fields (mapcsv.go).
	decoded []string
}

// Compile compiles src. vars are the variable names the expression may use;
// any other identifier is an error, so a typo fails at load, not per record.
func Compile(src string, vars []string, funcs *Funcs) (*Program, error) {
	if strings.TrimSpace(src) == "" {
		return nil, fmt.Errorf("empty expression")
	}
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, err
	}
	if err := checkNames(tree, vars, funcs); err != nil {
		return nil, err
	}
	xp := &xmlPatch{funcs: funcs}
	p, err := expr.Compile(src, append(funcs.options(), expr.Patch(xp))...)
	if err != nil {
		return nil, err
	}
	if xp.err != nil {
		return nil, xp.err
	}
	return &Program{Source: src, prog: p, path: memberPath(tree.Node), reads: readsOf(tree.Node), decoded: decodedPath(tree.Node, funcs)}, nil
}

// memberPath returns [variable, name, ...] when n is a variable followed by
// constant member names, nil otherwise.
func memberPath(n ast.Node) []string {
	switch v := n.(type) {
	case *ast.IdentifierNode:
		return []string{v.Value}
	case *ast.MemberNode:
		name, ok := v.Property.(*ast.StringNode)
		if !ok || v.Optional || v.Method {
			return nil
		}
		if base := memberPath(v.Node); base != nil {
			return append(base, name.Value)
		}
	}
	return nil
}

// checkNames rejects identifiers that are neither variables, functions,
// expr built-ins nor names bound inside the expression.
func checkNames(tree *parser.Tree, vars []string, funcs *Funcs) error {
	c := &nameCollector{bound: map[string]bool{}}
	ast.Walk(&tree.Node, c)
	known := map[string]bool{}
	for _, v := range vars {
		known[v] = true
	}
	for _, id := range c.idents {
		if known[id] || c.bound[id] || funcs.fns[id] != nil || isExprBuiltin(id) {
			continue
		}
		return fmt.Errorf("unknown name %q (variables here: %s)", id, strings.Join(vars, ", "))
	}
	return nil
}

type nameCollector struct {
	idents []string
	bound  map[string]bool
}

func (c *nameCollector) Visit(n *ast.Node) {
	switch v := (*n).(type) {
	case *ast.IdentifierNode:
		c.idents = append(c.idents, v.Value)
	case *ast.VariableDeclaratorNode:
		c.bound[v.Name] = true
	}
}

func isExprBuiltin(name string) bool {
	switch name {
	case "true", "false", "nil", "env", "$env":
		return true
	}
	return false
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9') {
			continue
		}
		return false
	}
	return true
}

// Env is the reusable evaluation state of one goroutine: a VM and the
// variables. It is not safe for concurrent use.
type Env struct {
	vm   vm.VM
	vars map[string]any
	// record is vars["record"], which nearly every member path starts
	// from, kept aside to spare a look-up a column; hasRecord says it is
	// set.
	record    any
	hasRecord bool
	// xml caches the XML documents the record's expressions parse.
	xml *xmlDocs
}

// NewEnv returns an empty environment.
func NewEnv() *Env {
	e := &Env{vars: map[string]any{}, xml: &xmlDocs{}}
	e.vars[xmlStateVar] = e.xml
	return e
}

// Set assigns a variable. Setting "record" starts a new record: the XML
// documents parsed for the previous one are dropped.
func (e *Env) Set(name string, v any) {
	e.vars[name] = v
	if name == "record" {
		e.record, e.hasRecord = v, true
		e.xml.reset()
	}
}

// Get returns a variable's value.
func (e *Env) Get(name string) any { return e.vars[name] }

// Eval runs p in e. A panic inside a custom function becomes an error.
func (e *Env) Eval(p *Program) (out any, err error) {
	if v, ok := e.walk(p.path); ok {
		return v, nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in expression: %v", r)
		}
	}()
	return e.vm.Run(p.prog, e.vars)
}

// walk follows a member path through decoded maps, the common case of a
// plan's map (record.name). Anything else (a missing variable, a value that
// is not a map[string]any) is left to the VM, so results and errors are the
// VM's.
func (e *Env) walk(path []string) (any, bool) {
	if len(path) == 0 {
		return nil, false
	}
	v, ok := e.record, e.hasRecord
	if path[0] != "record" {
		v, ok = e.vars[path[0]]
	}
	if !ok {
		return nil, false
	}
	for _, name := range path[1:] {
		m, isMap := v.(map[string]any)
		if !isMap {
			return nil, false
		}
		v = m[name]
	}
	return v, true
}
