package engine

import (
	"slices"

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
		out = append(out, vr)
	}
	return out
}
