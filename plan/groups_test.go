package plan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/decanthq/decant/plan"
)

// groupStep is a step named name of group (none when group is "").
func groupStep(name, group string) string {
	s := fmt.Sprintf("  - name: %s\n    from: {connection: data, key: id}\n    key: id\n    to: {table: %s}\n    map: {id: record.id}\n", name, name)
	if group != "" {
		s += "    group: " + group + "\n"
	}
	return s
}

// icmsPlan has ICMS's groups in its order, with its aliases, and one step
// of no group at the end.
func icmsPlan() string {
	return header + groupStep("users", "user") + groupStep("countries", "reference") + groupStep("units", "reference") +
		groupStep("apps", "import_application") + groupStep("app_goods", "import_application") + groupStep("app_notes", "import_application") +
		groupStep("tasks", "") + `groups:
  - {name: user, aliases: [u]}
  - {name: reference, aliases: [r, ref]}
  - {name: import_application, aliases: [ia]}
`
}

func stepNames(steps []*plan.Step) string {
	var out []string
	for _, s := range steps {
		out = append(out, s.Name)
	}
	return strings.Join(out, ",")
}

// Ensure --start, --only and --skip pick the steps ICMS's flags did: a
// start at the Nth step of a group runs it and everything after it in plan
// order, groups are named by name or alias, and the flags combine.
func TestSelect(t *testing.T) {
	t.Parallel()
	p := mustParse(t, icmsPlan(), plan.Options{})
	for _, tt := range []struct {
		name string
		sel  plan.Selection
		want string
	}{
		{"All", plan.Selection{}, "users,countries,units,apps,app_goods,app_notes,tasks"},
		{"StartIA2", plan.Selection{Start: "ia.2"}, "app_goods,app_notes,tasks"},
		{"StartByName", plan.Selection{Start: "import_application.3"}, "app_notes,tasks"},
		{"StartGroupAlone", plan.Selection{Start: "ref"}, "countries,units,apps,app_goods,app_notes,tasks"},
		{"OnlyAlias", plan.Selection{Only: []string{"r"}}, "countries,units"},
		{"OnlyStepAndGroup", plan.Selection{Only: []string{"tasks", "u"}}, "users,tasks"},
		{"Skip", plan.Selection{Skip: []string{"ref", "ia"}}, "users,tasks"},
		{"SkipStep", plan.Selection{Skip: []string{"units"}}, "users,countries,apps,app_goods,app_notes,tasks"},
		{"StartAndSkip", plan.Selection{Start: "r.2", Skip: []string{"app_goods"}}, "units,apps,app_notes,tasks"},
		{"StartAndOnly", plan.Selection{Start: "ia.2", Only: []string{"ia"}}, "app_goods,app_notes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			steps, err := p.Select(tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			if got := stepNames(steps); got != tt.want {
				t.Errorf("steps = %s, want %s", got, tt.want)
			}
		})
	}
}

// Ensure a bad group name, a bad index and a selection that leaves nothing
// are refused with the names and numbers that would have been valid.
func TestSelect_Errors(t *testing.T) {
	t.Parallel()
	p := mustParse(t, icmsPlan(), plan.Options{})
	for _, tt := range []struct {
		name string
		sel  plan.Selection
		want string
	}{
		{"StartPastLast", plan.Selection{Start: "ia.4"}, "--start ia.4: group import_application has 3 step(s), numbered from 1: 1 apps, 2 app_goods, 3 app_notes"},
		{"StartZero", plan.Selection{Start: "ia.0"}, "--start ia.0: group import_application has 3 step(s)"},
		{"StartNotNumber", plan.Selection{Start: "ia.two"}, "--start ia.two: group import_application has 3 step(s)"},
		{"StartUnknown", plan.Selection{Start: "exp.1"}, `--start exp.1: "exp" is no group of the plan (write GROUP.N, N counting from 1 within the group); its groups are user (u), reference (r, ref), import_application (ia)`},
		{"StartStep", plan.Selection{Start: "users.1"}, `"users" is no group of the plan`},
		{"OnlyUnknown", plan.Selection{Only: []string{"refs"}}, "--only refs: the plan has no step or group of that name; its steps are users, countries, units, apps, app_goods, app_notes, tasks; its groups are user (u), reference (r, ref), import_application (ia)"},
		{"SkipUnknown", plan.Selection{Skip: []string{"file"}}, "--skip file: the plan has no step or group of that name"},
		{"Nothing", plan.Selection{Only: []string{"u"}, Skip: []string{"user"}}, "--only u with --skip user leaves no step to run"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := p.Select(tt.sel)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// Ensure a plan without a groups: section keeps steps' groups as free
// labels that --only and --start still read.
func TestSelect_UndeclaredGroups(t *testing.T) {
	t.Parallel()
	p := mustParse(t, header+groupStep("a", "g")+groupStep("b", "")+groupStep("c", "g"), plan.Options{})
	steps, err := p.Select(plan.Selection{Start: "g.2"})
	if err != nil || stepNames(steps) != "c" {
		t.Fatalf("--start g.2 = %s, %v; want c", stepNames(steps), err)
	}
}

// Ensure each mistake in groups: or a step's group fails at load at its
// position, saying what to do.
func TestParse_GroupErrors(t *testing.T) {
	t.Parallel()
	two := header + groupStep("a", "x") + groupStep("b", "y")
	for _, tt := range []struct {
		name, src string
		line      int
		want      string
	}{
		{"Unknown", two + "groups: [{name: x}]\n", 18, `step b: group "y" is not declared under groups (they are x)`},
		{"Alias", two + "groups: [{name: x}, {name: y, aliases: [yy]}]\n" + "", 0, ""},
		{"ByAlias", header + groupStep("a", "xx") + "groups: [{name: x, aliases: [xx]}]\n", 12, `group "xx" is an alias: write the group's name, x`},
		{"DuplicateAlias", two + "groups: [{name: x, aliases: [r]}, {name: y, aliases: [r]}]\n", 19, `group y: "r" already names group x`},
		{"AliasTwice", two + "groups: [{name: x, aliases: [x]}, {name: y}]\n", 19, `group x: "x" is written twice`},
		{"StepName", two + "groups: [{name: x, aliases: [a]}, {name: y}]\n", 19, `group x: "a" is also a step's name`},
		{"Dot", two + "groups: [{name: x.1}, {name: y}]\n", 19, `"x.1" cannot name a group`},
		{"NoName", two + "groups:\n  - aliases: [q]\n", 20, "group 1 has no name"},
		{"Order", two + "groups: [{name: y}, {name: x}]\n", 18, "step b: group y comes after group x in the plan's steps, but groups declares it before"},
		{"Apart", header + groupStep("a", "x") + groupStep("b", "") + groupStep("c", "x") + "groups: [{name: x}]\n", 23, "the steps of group x are not together"},
		{"Empty", two + "groups: [{name: x}, {name: y}, {name: z}]\n", 19, "group z has no steps"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.want == "" {
				mustParse(t, tt.src, plan.Options{})
				return
			}
			e := parseErr(t, tt.src, plan.Options{})
			if e.Line != tt.line || !strings.Contains(e.Msg, tt.want) {
				t.Errorf("error at line %d = %v\nwant line %d and %q", e.Line, e, tt.line, tt.want)
			}
		})
	}
}
