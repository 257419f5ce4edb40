package plan_test

import (
	"strings"
	"testing"

	"github.com/decanthq/decant/plan"
)

// Ensure a verify rule with an expression loads as kind expr, compiled,
// with its reason.
func TestParse_VerifyExprRule(t *testing.T) {
	t.Parallel()
	src := header + verifyStep + `      rules:
        - {column: name, expr: "actual == upper(expected)", reason: a trigger upper-cases names}
        - column: amount
          expr: actual_text == expected_text + "0" || actual == expected * 100
          reason: the new app keeps cents
`
	p := mustParse(t, src, plan.Options{})
	rules := p.Steps[0].Verify.Rules
	if len(rules) != 2 {
		t.Fatalf("rules = %+v; want 2", rules)
	}
	for _, r := range rules {
		if r.Kind() != "expr" || r.Prog == nil || r.Expr == nil {
			t.Errorf("rule on %s: kind %q, program %v; want kind expr, compiled", r.Column, r.Kind(), r.Prog)
		}
	}
	if r := rules[0]; r.Expr.Src != "actual == upper(expected)" || r.Reason != "a trigger upper-cases names" {
		t.Errorf("rule = %+v, expression %q", r, r.Expr.Src)
	}
}

// Ensure a bad expression fails the load at the expression's position,
// naming the step, the column and the expression, and saying what to fix.
func TestParse_VerifyExprRuleErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, rules string
		line, col   int
		want        string
	}{
		{"Syntax", "        - {column: name, expr: \"actual == (expected\", reason: x}\n", 14, 32,
			`step a: verify rule on column name: bad expression "actual == (expected": unexpected token EOF`},
		{"UnknownVariable", "        - {column: name, expr: \"actual == upper(expectd)\", reason: x}\n", 14, 32,
			`bad expression "actual == upper(expectd)": unknown name "expectd" (variables here: expected, actual, expected_text, actual_text)`},
		{"UnknownFunction", "        - column: name\n          expr: actual == uper(expected)\n          reason: x\n", 15, 17,
			`step a: verify rule on column name: bad expression "actual == uper(expected)": unknown name "uper"`},
		{"RecordIsNotHere", "        - {column: name, expr: \"actual == record.name\", reason: x}\n", 14, 32,
			`unknown name "record"`},
		{"NotACondition", "        - {column: name, expr: \"upper(expected)\", reason: x}\n", 14, 32,
			`bad expression "upper(expected)": expected bool, but got string: write a condition, such as actual == upper(expected)`},
		{"Now", "        - {column: name, expr: \"actual < now()\", reason: x}\n", 14, 32,
			`bad expression "actual < now()": now() makes the result depend on when verify runs`},
		{"Empty", "        - {column: name, expr: \"\", reason: x}\n", 14, 32,
			`bad expression "": empty expression`},
		{"WithAnotherKind", "        - {column: name, expr: \"actual == expected\", trim: true, reason: x}\n", 14, 11,
			"sets [trim expr]: give each kind its own rule"},
		{"NoReason", "        - {column: name, expr: \"actual == upper(expected)\"}\n", 14, 11,
			"verify rule on column name has no reason"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := parseErr(t, header+verifyStep+"      rules:\n"+tt.rules, plan.Options{})
			if e.Line != tt.line || e.Col != tt.col {
				t.Errorf("position = %d:%d, want %d:%d (%v)", e.Line, e.Col, tt.line, tt.col, e)
			}
			if !strings.Contains(e.Msg, tt.want) {
				t.Errorf("message = %q, want it to contain %q", e.Msg, tt.want)
			}
		})
	}
}
