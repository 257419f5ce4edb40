package plan_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/decanthq/decant/plan"
)

// countPlan is a plan with one feed step, with the given text added to the
// top level, to the step and to its from mapping. The top-level text goes
// on line 2, the step's on line 8 and from's on line 11.
func countPlan(top, step, from string) string {
	return fmt.Sprintf(`version: 1
%s
connections:
  feed: http://feed.example/forms
  target: sqlite:out.db
steps:
  - name: a
    %s
    key: id
    from:
      %s
      connection: feed
      key: id
      cursor: v
    to: {table: a}
    map: {id: record.id}
`, top, step, from)
}

// Ensure batch_size and page_size are whole numbers of at least 1: a
// fraction is not truncated, and zero does not quietly mean the default.
// The error points at the value.
func TestParse_Counts(t *testing.T) {
	for _, tt := range []struct {
		name            string
		top, step, from string
		env             map[string]string
		line, col       int
		msg             string
	}{
		{"PlanFraction", "batch_size: 2.5", "", "", nil, 2, 13, "batch_size must be a whole number of at least 1, not 2.5"},
		{"PlanWholeFloat", "batch_size: 2.0", "", "", nil, 2, 13, "not 2.0"},
		{"PlanZero", "batch_size: 0", "", "", nil, 2, 13, "not 0"},
		{"PlanNegative", "batch_size: -1", "", "", nil, 2, 13, "not -1"},
		{"PlanExponent", "batch_size: 1e3", "", "", nil, 2, 13, "not 1e3"},
		{"PlanHex", "batch_size: 0x10", "", "", nil, 2, 13, "not 0x10"},
		{"PlanOctal", "batch_size: 010", "", "", nil, 2, 13, "not 010"},
		{"PlanQuotedFraction", "batch_size: '2.5'", "", "", nil, 2, 13, "not 2.5"},
		{"PlanEnvFraction", "batch_size: ${BS}", "", "", map[string]string{"BS": "2.5"}, 2, 13, "not 2.5"},
		{"StepFraction", "", "batch_size: 2.5", "", nil, 8, 17, "batch_size must be a whole number of at least 1, not 2.5"},
		{"StepZero", "", "batch_size: 0", "", nil, 8, 17, "not 0"},
		{"StepNegative", "", "batch_size: -3", "", nil, 8, 17, "not -3"},
		{"PageSizeFraction", "", "", "page_size: 2.5", nil, 11, 18, "from.page_size must be a whole number of at least 1, not 2.5"},
		{"PageSizeZero", "", "", "page_size: 0", nil, 11, 18, "not 0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := parseErr(t, countPlan(tt.top, tt.step, tt.from), plan.Options{LookupEnv: env(tt.env)})
			if got, want := fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Col), fmt.Sprintf("p.yaml:%d:%d", tt.line, tt.col); got != want {
				t.Errorf("position = %s, want %s (%v)", got, want, e)
			}
			if !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("message = %q, want it to contain %q", e.Msg, tt.msg)
			}
			if !strings.Contains(e.Error(), "\n") {
				t.Errorf("error %q does not show the offending line", e.Error())
			}
		})
	}
}

// Ensure a count in a flow mapping is checked and pointed at too.
func TestParse_CountFlow(t *testing.T) {
	src := header + "  - {name: a, from: {connection: data, key: id}, key: id, batch_size: 2.5, to: {table: a}, map: {id: record.id}}\n"
	e := parseErr(t, src, plan.Options{})
	if e.Line != 7 || e.Source[e.Col-1:e.Col+2] != "2.5" || !strings.Contains(e.Msg, "not 2.5") {
		t.Errorf("error = %v; want it at line 7, under 2.5", e)
	}
}

// Ensure the accepted ways of writing a count load with their value, and an
// absent or null one takes the default.
func TestParse_CountsAccepted(t *testing.T) {
	for _, tt := range []struct {
		name            string
		top, step, from string
		env             map[string]string
		plan, batch     int
		page            int
	}{
		{"Defaults", "", "", "", nil, 1000, 1000, 0},
		{"Null", "batch_size: ~", "", "", nil, 1000, 1000, 0},
		{"Plan", "batch_size: 250", "", "", nil, 250, 250, 0},
		{"Step", "batch_size: 250", "batch_size: 1", "page_size: 7", nil, 250, 1, 7},
		{"Quoted", "batch_size: '300'", "", "", nil, 300, 300, 0},
		{"Env", "batch_size: ${BS}", "", "", map[string]string{"BS": "40"}, 40, 40, 0},
		{"EnvDefault", "batch_size: ${BS:-500}", "", "", nil, 500, 500, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := mustParse(t, countPlan(tt.top, tt.step, tt.from), plan.Options{LookupEnv: env(tt.env)})
			s := p.Steps[0]
			page := feedOptions(t, s.From).PageSize
			if p.BatchSize != tt.plan || s.BatchSize != tt.batch || page != tt.page {
				t.Errorf("plan batch_size %d, step batch_size %d, page_size %d; want %d, %d, %d",
					p.BatchSize, s.BatchSize, page, tt.plan, tt.batch, tt.page)
			}
		})
	}
}
