package plan_test

import (
	"strings"
	"testing"

	"github.com/decanthq/decant/plan"
)

const verifyStep = "  - name: a\n    from: {connection: data, key: id}\n    key: id\n    to: {table: a}\n    map: {id: record.id, name: record.name, amount: record.amount}\n    verify:\n"

// Ensure a step's verify: section loads its where and each rule with its
// one kind, tolerance and reason.
func TestParse_VerifyRules(t *testing.T) {
	t.Parallel()
	src := header + verifyStep + `      where: "tenant = 'acme'"
      rules:
        - {column: name, trim: true, reason: legacy pads names}
        - {column: amount, tolerance: 0.01, reason: float rounding}
        - {column: name, null_equals_empty: true, reason: empty is null}
        - {column: name, normalize_unicode: true, reason: NFD in the old app}
        - {column: amount, ignore: true, reason: recomputed}
`
	p := mustParse(t, src, plan.Options{})
	v := p.Steps[0].Verify
	if v == nil || v.Where != "tenant = 'acme'" || len(v.Rules) != 5 {
		t.Fatalf("verify = %+v; want the where and 5 rules", v)
	}
	var kinds []string
	for _, r := range v.Rules {
		kinds = append(kinds, r.Kind())
	}
	if got := strings.Join(kinds, " "); got != "trim tolerance null_equals_empty normalize_unicode ignore" {
		t.Errorf("kinds = %s", got)
	}
	if r := v.Rules[1]; r.Tolerance == nil || *r.Tolerance != 0.01 || r.Reason != "float rounding" {
		t.Errorf("tolerance rule = %+v", r)
	}
}

// Ensure each bad verify rule fails at its position, naming the step and
// saying how to fix it.
func TestParse_VerifyRuleErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, rules string
		line, col   int
		want        string
	}{
		{"NoReason", "        - {column: name, trim: true}\n", 14, 11, "step a: verify rule on column name has no reason"},
		{"NoKind", "        - {column: name, reason: x}\n", 14, 11, "has no kind: set one of ignore, trim"},
		{"TwoKinds", "        - {column: name, trim: true, ignore: true, reason: x}\n", 14, 11, "sets [ignore trim]: give each kind its own rule"},
		{"ZeroTolerance", "        - {column: amount, tolerance: 0, reason: x}\n", 14, 39, "tolerance must be greater than zero, not 0"},
		{"NegativeTolerance", "        - column: amount\n          tolerance: -0.5\n          reason: x\n", 15, 22, "tolerance must be greater than zero"},
		{"Unmapped", "        - {column: nmae, trim: true, reason: x}\n", 14, 20, "verify rule on column nmae, which the step does not map"},
		{"KeyColumn", "        - {column: id, ignore: true, reason: x}\n", 14, 20, "verify rule on key column id"},
		{"NoColumn", "        - {trim: true, reason: x}\n", 14, 11, "verify rule has no column"},
		{"Empty", "        -\n", 14, 9, "step a: verify rule 1 is empty"},
		{"UnknownKey", "        - {column: name, trimm: true, reason: x}\n", 14, 26, `unknown field "trimm" (did you mean trim?)`},
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

// Ensure a verify where that puts ${scope} in a quoted name is refused at
// its line and column, saying why.
func TestParse_VerifyWhereScopeInAName(t *testing.T) {
	t.Parallel()
	e := parseErr(t, header+verifyStep+"      where: 'owner = \"t_${scope}\"'\n", plan.Options{})
	if e.Line != 13 || !strings.Contains(e.Msg, `step a: verify where: ${scope} in the quoted name "t_${scope}": a name cannot take the scope`) {
		t.Errorf("error = %v (line %d), want line 13 and the quoted name refused", e, e.Line)
	}
}
