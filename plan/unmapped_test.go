package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

const unmappedPlan = `version: 1
%s
connections:
  feed: https://example.org/feed
  couch: couchdb+http://127.0.0.1:5984/docs
  target: sqlite:t.db
steps:
  - name: feed
    from: {connection: feed, key: id, cursor: meta.version}
    key: id
    to: {table: t}
    map: {id: record.id}
%s
  - name: docs
    from: {connection: couch, key: _id}
    key: id
    to: {table: t}
    map: {id: record._id}
`

func unmappedPlanWith(top, step string) string {
	return strings.Replace(strings.Replace(unmappedPlan, "%s", top, 1), "%s", step, 1)
}

// Ensure unmapped is the step's, else the plan's, else warn; and that a
// step's cursor and its source's metadata (CouchDB's _rev) are members the
// source reads, not fields that reach no column.
func TestUnmapped_Modes(t *testing.T) {
	p := mustParse(t, unmappedPlanWith("unmapped: error", "    unmapped: ignore"), plan.Options{})
	if got := []transform.UnmappedMode{p.Steps[0].Spec.Unmapped, p.Steps[1].Spec.Unmapped}; !cmp.Equal(got, []transform.UnmappedMode{"ignore", "error"}) {
		t.Errorf("modes = %v, want the step's, then the plan's", got)
	}
	p = mustParse(t, unmappedPlanWith("", ""), plan.Options{})
	if got := p.Steps[1].Spec.Unmapped; got != transform.UnmappedWarn {
		t.Errorf("default mode = %q, want warn", got)
	}
	if got := p.Steps[0].Spec.SourceReads; !cmp.Equal(got, []string{"meta.version"}) {
		t.Errorf("the feed step's source reads = %q, want its cursor", got)
	}
	if got := p.Steps[1].Spec.SourceReads; !cmp.Equal(got, []string{"_rev"}) {
		t.Errorf("the CouchDB step's source reads = %q, want _rev", got)
	}
}

// Ensure a mode that is not warn, ignore or error is refused where it is
// written, naming the three.
func TestUnmapped_BadMode(t *testing.T) {
	for _, tc := range []struct{ top, step, at string }{
		{"unmapped: loud", "", "p.yaml:2:11"},
		{"", "    unmapped: drop", "p.yaml:13:15"},
	} {
		e := parseErr(t, unmappedPlanWith(tc.top, tc.step), plan.Options{})
		if msg := e.Error(); !strings.Contains(msg, tc.at) || !strings.Contains(msg, "is not one of warn, ignore, error") {
			t.Errorf("error = %s; want it at %s, naming the modes", msg, tc.at)
		}
	}
}
