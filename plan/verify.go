package plan

import (
	"fmt"
	"slices"
)

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
// Exactly one of Ignore, Trim, Tolerance, NullEqualsEmpty and
// NormalizeUnicode is set.
type VerifyRule struct {
	Column           string   `yaml:"column"`
	Ignore           bool     `yaml:"ignore"`
	Trim             bool     `yaml:"trim"`
	Tolerance        *float64 `yaml:"tolerance"`
	NullEqualsEmpty  bool     `yaml:"null_equals_empty"`
	NormalizeUnicode bool     `yaml:"normalize_unicode"`
	// Reason says why the difference is accepted; it is required, and
	// findings show it.
	Reason string `yaml:"reason"`
}

// Kind names the rule's kind as package verify does ("ignore", "trim",
// "tolerance", "null_equals_empty", "normalize_unicode"), or "" when none
// is set.
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
	for i, r := range s.Verify.Rules {
		rp := fmt.Sprintf("%s.verify.rules[%d]", path, i)
		if r == nil {
			line, col := c.entryAt(path+".verify.rules", i)
			return c.p.errAt(line, col, fmt.Sprintf("step %s: verify rule %d is empty: give column, a kind (ignore, trim, tolerance, null_equals_empty or normalize_unicode) and reason", s.Name, i+1))
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
		return c.errf(path, "step %s: verify rule on column %s has no kind: set one of ignore, trim, tolerance, null_equals_empty, normalize_unicode", s.Name, r.Column)
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
	return nil
}
