package couchdb_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/couchdb"
	"github.com/decanthq/decant/plan"
)

// loadPlan loads a plan with one couchdb step whose from options are from.
func loadPlan(t *testing.T, from string) (*plan.Plan, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "decant.yaml")
	body := "connections:\n  target: sqlite:out.db\n  couch: couchdb+http://admin:${COUCH_PW}@couch:5984/forms\n" +
		"steps:\n  - name: forms\n    from:\n      connection: couch\n      key: _id\n" + from +
		"    key: id\n    to: {table: forms}\n    map: {id: record._id}\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	env := func(name string) (string, bool) {
		if name == "COUCH_PW" {
			return "pw", true
		}
		return "", false
	}
	return plan.Load(path, plan.Options{Sources: connect.DefaultSources(), LookupEnv: env})
}

// Ensure a plan's couchdb step decodes its options, the filter as a Mango
// selector, and opens a couchdb source.
func TestPlan_CouchDBStep(t *testing.T) {
	t.Parallel()
	p, err := loadPlan(t, "      page_size: 500\n      conflicts: error\n      attachments: true\n      timeout: 2m\n"+
		"      filter:\n        type: form\n        domain: {$in: [north, south]}\n")
	if err != nil {
		t.Fatal(err)
	}
	got := p.Steps[0].From.Options.(*couchdb.Options)
	want := map[string]any{"type": "form", "domain": map[string]any{"$in": []any{"north", "south"}}}
	if got.PageSize != 500 || got.Conflicts != "error" || !got.Attachments || got.Timeout.Minutes() != 2 {
		t.Errorf("options = %+v", got)
	}
	if diff := cmp.Diff(want, got.Filter); diff != "" {
		t.Errorf("filter (-want +got):\n%s", diff)
	}
	src, err := connect.Sources(p)(t.Context(), p.Steps[0])
	if err != nil {
		t.Fatalf("open the step's source: %v", err)
	}
	defer src.Close()
	if _, ok := src.(*couchdb.Source); !ok {
		t.Errorf("source = %T, want *couchdb.Source", src)
	}
}

// Ensure a bad couchdb option is refused at load, at the option.
func TestPlan_CouchDBOptionRefused(t *testing.T) {
	t.Parallel()
	_, err := loadPlan(t, "      conflicts: newest\n")
	if err == nil || !strings.Contains(err.Error(), "from.conflicts") || !strings.Contains(err.Error(), `want "winner" or "error"`) {
		t.Errorf("load error = %v, want one at from.conflicts", err)
	}
}
