package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/decanthq/decant/transform"
	"github.com/decanthq/decant/verify"
)

// rules returns the plan's verify rules on the columns of mapped: a step
// rule applies to each of its tables that maps the column, and to none
// that does not (a routed table, or a fields mapping without it).
func (v *stepVerify) rules(mapped []string) []verify.Rule {
	if v.step.Verify == nil {
		return nil
	}
	var out []verify.Rule
	for _, r := range v.step.Verify.Rules {
		if !slices.Contains(mapped, r.Column) {
			continue
		}
		vr := verify.Rule{Column: r.Column, Kind: verify.RuleKind(r.Kind()), Reason: r.Reason}
		if r.Tolerance != nil {
			vr.Tolerance = verify.Tolerance{Abs: *r.Tolerance}
		}
		if r.Prog != nil {
			vr.Accept = exprAccept(r.Prog)
		}
		out = append(out, vr)
	}
	return out
}

// exprAccept runs a verify rule's expression on the two sides of a
// difference. The expression sees the values and their canonical texts and
// nothing else (the names of plan.VerifyExprVars), so its answer depends on the data
// alone. Each call has its own environment: an Env is not safe for
// concurrent use, and calls are few (only for values that differ).
func exprAccept(p *transform.Program) func(e, a verify.ExprValue) (bool, error) {
	return func(e, a verify.ExprValue) (bool, error) {
		env := transform.NewEnv()
		env.Set("expected", e.Value)
		env.Set("actual", a.Value)
		env.Set("expected_text", exprText(e))
		env.Set("actual_text", exprText(a))
		out, err := env.Eval(p)
		if err != nil {
			return false, fmt.Errorf("expression %q failed: %s: fix the expression, or guard it (expected != nil && ...)", p.Source, firstLine(err.Error()))
		}
		ok, isBool := out.(bool)
		if !isBool {
			return false, fmt.Errorf("expression %q gave %T %v, not true or false: write a condition, such as actual == upper(expected)", p.Source, out, out)
		}
		return ok, nil
	}
}

// exprText is a side's canonical text, nil for NULL.
func exprText(v verify.ExprValue) any {
	if v.Null {
		return nil
	}
	return v.Text
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
