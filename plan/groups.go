package plan

import (
	"fmt"
	"strconv"
	"strings"
)

// Group is one entry of the plan's groups: section: a name that several
// steps carry in their group key, and the other names that stand for it
// on the command line (--only ia for import_application).
type Group struct {
	Name    string     `yaml:"name"`
	Aliases StringList `yaml:"aliases"`
}

// Selection is which of the plan's steps a command works on, as the user
// named them: steps, groups or their aliases.
type Selection struct {
	// Only keeps the steps named, and those of the groups named; empty
	// keeps every step.
	Only []string
	// Skip drops the steps named, and those of the groups named.
	Skip []string
	// Start, as GROUP.N (1-based) or GROUP (its first step), drops every
	// step before the Nth step of the group, in plan order.
	Start string
}

// groups checks the groups: section and the steps' group keys. Without
// a groups: section a step's group is a free label, as before the section
// existed. With one, every group a step names must be declared, a name or
// alias stands for one group only and is no step's name, and each group's
// steps come together, the groups in the order declared: the order the
// section gives is the order they run in, so it cannot say otherwise.
func (c *compiler) groups() error {
	if c.p.Groups == nil {
		return nil
	}
	if err := c.groupNames(); err != nil {
		return err
	}
	return c.groupOrder()
}

// groupNames refuses an empty, repeated or ambiguous group name or alias.
func (c *compiler) groupNames() error {
	owner := map[string]string{}
	for i, g := range c.p.Groups {
		path := fmt.Sprintf("$.groups[%d]", i)
		if g == nil || g.Name == "" {
			line, col := c.entryAt("$.groups", i)
			return c.p.errAt(line, col, fmt.Sprintf("group %d has no name: write it as {name: reference, aliases: [r, ref]}", i+1))
		}
		names := append([]string{g.Name}, g.Aliases...)
		for j, n := range names {
			at := path + ".name"
			if j > 0 {
				at = fmt.Sprintf("%s.aliases[%d]", path, j-1)
			}
			if err := c.groupName(at, g.Name, n, owner); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *compiler) groupName(path, group, name string, owner map[string]string) error {
	switch {
	case name == "" || strings.ContainsAny(name, ". ,"):
		return c.errf(path, "group %s: %q cannot name a group: a name or alias is not empty and has no dot, comma or space (--start reads GROUP.N)", group, name)
	case owner[name] == group:
		return c.errf(path, "group %s: %q is written twice", group, name)
	case owner[name] != "":
		return c.errf(path, "group %s: %q already names group %s: a name or alias stands for one group only", group, name, owner[name])
	case c.p.Step(name) != nil:
		return c.errf(path, "group %s: %q is also a step's name: --only %s would be ambiguous; rename one", group, name, name)
	}
	owner[name] = group
	return nil
}

// groupOrder checks that every step's group is declared, and that the
// groups' steps come together in the order the section declares them.
func (c *compiler) groupOrder() error {
	rank := map[string]int{}
	for i, g := range c.p.Groups {
		rank[g.Name] = i
	}
	last, prev := -1, ""
	for i, s := range c.p.Steps {
		if s.Group == "" {
			continue
		}
		path := fmt.Sprintf("$.steps[%d].group", i)
		r, ok := rank[s.Group]
		if !ok {
			if g := c.p.group(s.Group); g != nil {
				return c.errf(path, "step %s: group %q is an alias: write the group's name, %s", s.Name, s.Group, g.Name)
			}
			return c.errf(path, "step %s: group %q is not declared under groups (they are %s)", s.Name, s.Group, c.p.GroupList())
		}
		switch {
		case r < last:
			return c.errf(path, "step %s: group %s comes after group %s in the plan's steps, but groups declares it before: put its steps before %s's, or reorder groups", s.Name, s.Group, prev, prev)
		case r == last && c.p.Steps[i-1].Group != s.Group:
			return c.errf(path, "step %s: the steps of group %s are not together: a group is a run of steps, so move this step next to the others of %s", s.Name, s.Group, s.Group)
		}
		last, prev = r, s.Group
	}
	for i, g := range c.p.Groups {
		if len(c.p.GroupSteps(g.Name)) == 0 {
			return c.errf(fmt.Sprintf("$.groups[%d].name", i), "group %s has no steps: give a step group: %s, or remove the group", g.Name, g.Name)
		}
	}
	return nil
}

// group returns the declared group that name names or aliases, or nil.
func (p *Plan) group(name string) *Group {
	for _, g := range p.Groups {
		if g.Name == name {
			return g
		}
		for _, a := range g.Aliases {
			if a == name {
				return g
			}
		}
	}
	return nil
}

// GroupName returns the group that name stands for: a declared group's
// name or alias, or a group some step carries; "" when it is none.
func (p *Plan) GroupName(name string) string {
	if g := p.group(name); g != nil {
		return g.Name
	}
	for _, s := range p.Steps {
		if s.Group == name && name != "" {
			return name
		}
	}
	return ""
}

// GroupSteps returns the steps of group name (a name or an alias), in plan
// order.
func (p *Plan) GroupSteps(name string) []*Step {
	g := p.GroupName(name)
	var out []*Step
	for _, s := range p.Steps {
		if g != "" && s.Group == g {
			out = append(out, s)
		}
	}
	return out
}

// GroupList lists the groups for a message, each with its aliases:
// "user (u), reference (r, ref)". Groups that steps carry without a
// groups: section are listed by name.
func (p *Plan) GroupList() string {
	var parts []string
	if p.Groups != nil {
		for _, g := range p.Groups {
			s := g.Name
			if len(g.Aliases) > 0 {
				s += " (" + strings.Join(g.Aliases, ", ") + ")"
			}
			parts = append(parts, s)
		}
	} else {
		seen := map[string]bool{}
		for _, s := range p.Steps {
			if s.Group != "" && !seen[s.Group] {
				seen[s.Group] = true
				parts = append(parts, s.Group)
			}
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// Select returns the steps sel picks, in plan order. A name that is no
// step, group or alias, a --start past a group's last step, or a selection
// that leaves no step is an error that lists what the plan has.
func (p *Plan) Select(sel Selection) ([]*Step, error) {
	steps := p.Steps
	if sel.Start != "" {
		from, err := p.startIndex(sel.Start)
		if err != nil {
			return nil, err
		}
		steps = steps[from:]
	}
	if len(sel.Only) > 0 {
		want, err := p.named("--only", sel.Only)
		if err != nil {
			return nil, err
		}
		steps = filterSteps(steps, func(s *Step) bool { return want[s.Name] })
	}
	if len(sel.Skip) > 0 {
		drop, err := p.named("--skip", sel.Skip)
		if err != nil {
			return nil, err
		}
		steps = filterSteps(steps, func(s *Step) bool { return !drop[s.Name] })
	}
	if len(steps) == 0 {
		return nil, fmt.Errorf("%s leaves no step to run; the plan's steps are %s", sel.describe(), p.stepList())
	}
	return steps, nil
}

// describe names the flags of sel, for a message.
func (sel Selection) describe() string {
	var parts []string
	if sel.Start != "" {
		parts = append(parts, "--start "+sel.Start)
	}
	if len(sel.Only) > 0 {
		parts = append(parts, "--only "+strings.Join(sel.Only, ","))
	}
	if len(sel.Skip) > 0 {
		parts = append(parts, "--skip "+strings.Join(sel.Skip, ","))
	}
	return strings.Join(parts, " with ")
}

func filterSteps(steps []*Step, keep func(*Step) bool) []*Step {
	var out []*Step
	for _, s := range steps {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

// named returns the step names that names stand for (steps, groups or
// aliases), refusing one that is none of them; flag names it.
func (p *Plan) named(flag string, names []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, n := range names {
		if s := p.Step(n); s != nil {
			out[s.Name] = true
			continue
		}
		group := p.GroupSteps(n)
		if len(group) == 0 {
			return nil, fmt.Errorf("%s %s: the plan has no step or group of that name; %s", flag, n, p.ValidNames())
		}
		for _, s := range group {
			out[s.Name] = true
		}
	}
	return out, nil
}

// startIndex returns the index in p.Steps of the step that --start
// GROUP.N names (GROUP alone is GROUP.1).
func (p *Plan) startIndex(start string) (int, error) {
	name, num, hasNum := strings.Cut(start, ".")
	steps := p.GroupSteps(name)
	if len(steps) == 0 {
		return 0, fmt.Errorf("--start %s: %q is no group of the plan (write GROUP.N, N counting from 1 within the group); its groups are %s",
			start, name, p.GroupList())
	}
	n := 1
	if hasNum {
		var err error
		if n, err = strconv.Atoi(num); err != nil || n < 1 || n > len(steps) {
			return 0, fmt.Errorf("--start %s: group %s has %d step(s), numbered from 1: %s", start, steps[0].Group, len(steps), numbered(steps))
		}
	}
	for i, s := range p.Steps {
		if s == steps[n-1] {
			return i, nil
		}
	}
	return 0, fmt.Errorf("--start %s: step %s is not in the plan", start, steps[n-1].Name) // cannot happen
}

// numbered lists steps as "1 users, 2 roles".
func numbered(steps []*Step) string {
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = strconv.Itoa(i+1) + " " + s.Name
	}
	return strings.Join(parts, ", ")
}

// stepList lists the plan's step names.
func (p *Plan) stepList() string {
	names := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

// ValidNames says which steps and groups the plan has, for a message.
func (p *Plan) ValidNames() string {
	msg := "its steps are " + p.stepList()
	if g := p.GroupList(); g != "none" {
		msg += "; its groups are " + g
	}
	return msg
}
