package plan_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/decanthq/decant/plan"
)

// Ensure layouts and decimal_comma pass from the plan to the steps and
// their children, and a step's or a column's own replace them: a column
// without its own takes the step's, else the plan's; layout is layouts
// of one.
func TestParse_LayoutsAndDecimalCommaInherit(t *testing.T) {
	t.Parallel()
	p := mustParse(t, `version: 1
layouts: [rfc1123, iso8601]
decimal_comma: true
connections:
  target: sqlite:out.db
  data: file:data.jsonl
steps:
  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: record.id, edd: record.edd, lmp: record.lmp, w: record.w, n: record.n}
    columns:
      edd: {type: date}
      lmp: {layout: "02/01/2006", decimal_comma: false}
      w: {layouts: [unix, "2006-01-02 15:04"]}
    children:
      - from: record.kids
        parent_key: a_id
        to: {table: kids}
        fields: item
        columns:
          dob: {type: date}
  - name: b
    from: {connection: data, key: id}
    key: id
    layouts: ["02/01/2006"]
    decimal_comma: false
    to: {table: b}
    map: {id: record.id, d: record.d}
    columns:
      d: {decimal_comma: true}
      e: {layouts: []}
`, plan.Options{})
	a, b := p.Step("a").Spec, p.Step("b").Spec
	for _, c := range []struct {
		what         string
		layouts      []string
		comma, wantC bool
		want         []string
	}{
		{"step a default", a.Default.Layouts, a.Default.DecimalComma, true, []string{"rfc1123", "iso8601"}},
		{"a.edd", a.Columns["edd"].Layouts, a.Columns["edd"].DecimalComma, true, []string{"rfc1123", "iso8601"}},
		{"a.lmp", a.Columns["lmp"].Layouts, a.Columns["lmp"].DecimalComma, false, []string{"02/01/2006"}},
		{"a.w", a.Columns["w"].Layouts, a.Columns["w"].DecimalComma, true, []string{"unix", "2006-01-02 15:04"}},
		{"a's child dob", a.Children[0].Columns["dob"].Layouts, a.Children[0].Columns["dob"].DecimalComma, true, []string{"rfc1123", "iso8601"}},
		{"step b default", b.Default.Layouts, b.Default.DecimalComma, false, []string{"02/01/2006"}},
		{"b.d", b.Columns["d"].Layouts, b.Columns["d"].DecimalComma, true, []string{"02/01/2006"}},
		{"b.e", b.Columns["e"].Layouts, b.Columns["e"].DecimalComma, false, []string{}},
	} {
		if !slices.Equal(c.layouts, c.want) || c.comma != c.wantC {
			t.Errorf("%s: layouts %q, decimal_comma %v; want %q, %v", c.what, c.layouts, c.comma, c.want, c.wantC)
		}
	}
}

// Ensure a layout that is no name and no Go layout, a misspelt name, and
// a column giving both layout and layouts fail at load, at their place,
// naming the path and the names.
func TestParse_LayoutErrors(t *testing.T) {
	t.Parallel()
	step := `  - name: a
    from: {connection: data, key: id}
    key: id
    to: {table: a}
    map: {id: record.id}
`
	names := "(the names: iso8601, rfc1123, rfc3339, unix, unix_ms; or a Go layout such as 02/01/2006)"
	for _, tt := range []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"UnknownNameInColumn", header + step + "    columns:\n      edd: {layouts: [rfc1123, rfc1123z]}\n", 13, 32,
			`steps[0].columns.edd.layouts[1]: unknown layout name "rfc1123z" ` + names},
		{"UnknownNameInLayout", header + step + "    columns:\n      edd: {layout: iso}\n", 13, 21,
			`steps[0].columns.edd.layout: unknown layout name "iso" ` + names},
		{"UnknownNameInStep", header + step + "    layouts: [unix, epoch]\n", 12, 21,
			`steps[0].layouts[1]: unknown layout name "epoch" ` + names},
		{"UnknownNameInPlan", "layouts: [rfc_1123]\n" + header + step, 1, 11,
			`layouts[0]: unknown layout name "rfc_1123" ` + names},
		{"NotAGoLayout", header + step + "    columns:\n      edd: {layouts: [dd/mm/yyyy]}\n", 13, 23,
			`steps[0].columns.edd.layouts[0]: "dd/mm/yyyy" is neither a layout name (iso8601, rfc1123, rfc3339, unix, unix_ms) nor a Go layout`},
		{"LayoutAndLayouts", header + step + "    columns:\n      edd: {layout: rfc1123, layouts: [iso8601]}\n", 13, 21,
			"column edd: give layout or layouts, not both"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := parseErr(t, tt.src, plan.Options{})
			if got, want := fmt.Sprintf("%d:%d", e.Line, e.Col), fmt.Sprintf("%d:%d", tt.line, tt.col); got != want {
				t.Errorf("position %s, want %s (%v)", got, want, e)
			}
			if !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("message = %q, want it to contain %q", e.Msg, tt.msg)
			}
		})
	}
}
