package plan

import (
	"fmt"
	"slices"

	"github.com/decanthq/decant"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"github.com/decanthq/decant/transform"
)

// VerifyExprVars are the variables a verify rule's expression sees, and
// all it sees besides constants and functions: the two values of the
// differing column (see docs/verify.md, "The rules").
var VerifyExprVars = []string{"expected", "actual", "expected_text", "actual_text"}

// Verify is a step's verify: section: the target rows that make up its key
// space, and the known differences decant verify accepts in its columns.
type Verify struct {
	// Where, when set, is an SQL condition on the step's tables that selects
	// the rows of its key space: a target row it leaves out is never extra.
	// It is plan text, trusted as the plan's SQL files are.
	Where string `yaml:"where"`
	// Rules are the known differences, each on one column with a reason.
	Rules []*VerifyRule `yaml:"rules"`
}

// VerifyRule accepts one kind of difference in one column: a difference
// that rules alone explain is a change, reported apart, not a diff.
// Exactly one of Ignore, Trim, Tolerance, NullEqualsEmpty,
// NormalizeUnicode and Expr is set.
type VerifyRule struct {
	Column           string   `yaml:"column"`
	Ignore           bool     `yaml:"ignore"`
	Trim             bool     `yaml:"trim"`
	Tolerance        *float64 `yaml:"tolerance"`
	NullEqualsEmpty  bool     `yaml:"null_equals_empty"`
	NormalizeUnicode bool     `yaml:"normalize_unicode"`
	// Expr is a condition over VerifyExprVars that is true when the
	// difference is accepted.
	Expr *Expr `yaml:"expr"`
	// Prog is Expr compiled when the plan loads.
	Prog *transform.Program `yaml:"-"`
	// Reason says why the difference is accepted; it is required, and
	// findings show it.
	Reason string `yaml:"reason"`
}

// Kind names the rule's kind as package verify does ("ignore", "trim",
// "tolerance", "null_equals_empty", "normalize_unicode", "expr"), or ""
// when none is set.
func (r *VerifyRule) Kind() string {
	kinds := r.kinds()
	if len(kinds) != 1 {
		return ""
	}
	return kinds[0]
}

func (r *VerifyRule) kinds() []string {
	var out []string
	for _, k := range []struct {
		name string
		set  bool
	}{
		{"ignore", r.Ignore}, {"trim", r.Trim}, {"tolerance", r.Tolerance != nil},
		{"null_equals_empty", r.NullEqualsEmpty}, {"normalize_unicode", r.NormalizeUnicode},
		{"expr", r.Expr != nil},
	} {
		if k.set {
			out = append(out, k.name)
		}
	}
	return out
}

// verify checks a step's verify: section. A rule's column must be one the
// step maps and not a key column; with a fields expression the columns are
// known only per record, so any non-key column is accepted and verify
// applies the rule where the column is mapped.
func (c *compiler) verify(path string, s *Step) error {
	if s.Verify == nil {
		return nil
	}
	if err := decant.CheckScopeSQL(s.Verify.Where); err != nil {
		return c.errf(path+".verify.where", "step %s: verify where: %v", s.Name, err)
	}
	for i, r := range s.Verify.Rules {
		rp := fmt.Sprintf("%s.verify.rules[%d]", path, i)
		if r == nil {
			line, col := c.entryAt(path+".verify.rules", i)
			return c.p.errAt(line, col, fmt.Sprintf("step %s: verify rule %d is empty: give column, a kind (ignore, trim, tolerance, null_equals_empty, normalize_unicode or expr) and reason", s.Name, i+1))
		}
		if err := c.verifyRule(rp, s, r); err != nil {
			return err
		}
	}
	return nil
}

func (c *compiler) verifyRule(path string, s *Step, r *VerifyRule) error {
	if r.Column == "" {
		return c.errf(path, "step %s: verify rule has no column: name the column it applies to", s.Name)
	}
	if slices.Contains(s.Key, r.Column) {
		return c.errf(path+".column", "step %s: verify rule on key column %s: keys are compared exactly, remove the rule", s.Name, r.Column)
	}
	if s.Fields == nil && !slices.ContainsFunc(s.Map, func(e NamedExpr) bool { return e.Name == r.Column }) {
		return c.errf(path+".column", "step %s: verify rule on column %s, which the step does not map: name a column of map or remove the rule", s.Name, r.Column)
	}
	switch kinds := r.kinds(); len(kinds) {
	case 0:
		return c.errf(path, "step %s: verify rule on column %s has no kind: set one of ignore, trim, tolerance, null_equals_empty, normalize_unicode, expr", s.Name, r.Column)
	case 1:
	default:
		return c.errf(path, "step %s: verify rule on column %s sets %v: give each kind its own rule", s.Name, r.Column, kinds)
	}
	if r.Tolerance != nil && !(*r.Tolerance > 0) {
		return c.errf(path+".tolerance", "step %s: verify rule on column %s: tolerance must be greater than zero, not %v", s.Name, r.Column, *r.Tolerance)
	}
	if r.Reason == "" {
		return c.errf(path, "step %s: verify rule on column %s has no reason: say why the difference is accepted", s.Name, r.Column)
	}
	if r.Expr != nil {
		return c.verifyExpr(path+".expr", s, r)
	}
	return nil
}

// verifyExpr compiles a rule's expression. Besides an unknown name, it
// refuses what can never decide a difference: a result that is surely not
// a boolean (upper(expected), without "actual =="), and now(), which would
// make a verify's findings depend on when it runs.
func (c *compiler) verifyExpr(path string, s *Step, r *VerifyRule) error {
	e := r.Expr
	line, col := e.Line, e.Col
	if line == 0 {
		line, col = c.at(path)
	}
	bad := func(msg string) error {
		return c.p.errAt(line, col, fmt.Sprintf("step %s: verify rule on column %s: bad expression %q: %s", s.Name, r.Column, e.Src, msg))
	}
	prog, err := transform.Compile(e.Src, VerifyExprVars, c.funcs)
	if err != nil {
		return bad(firstLine(err.Error()))
	}
	if usesNow(e.Src) {
		return bad("now() makes the result depend on when verify runs: compare expected and actual only")
	}
	if err := c.boolResult(e.Src); err != nil {
		return bad(firstLine(err.Error()) + ": write a condition, such as actual == upper(expected)")
	}
	r.Prog = prog
	return nil
}

// usesNow reports a call of expr-lang's now(). The source compiled, so it
// parses.
func usesNow(src string) bool {
	tree, err := parser.Parse(src)
	if err != nil {
		return false
	}
	found := &nowFinder{}
	ast.Walk(&tree.Node, found)
	return found.now
}

type nowFinder struct{ now bool }

func (f *nowFinder) Visit(n *ast.Node) {
	if b, ok := (*n).(*ast.BuiltinNode); ok && b.Name == "now" {
		f.now = true
	}
}

// boolResult type-checks src as a condition. The variables' types are
// known only at run time, so this refuses only a result whose type is
// known and not bool; verify refuses any other non-boolean result.
func (c *compiler) boolResult(src string) error {
	opts := []expr.Option{expr.AllowUndefinedVariables(), expr.AsBool()}
	for _, name := range c.funcs.Names() {
		opts = append(opts, expr.Function(name, func(...any) (any, error) { return nil, nil }))
	}
	_, err := expr.Compile(src, opts...)
	return err
}
