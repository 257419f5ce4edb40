package transform_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/decanthq/decant/transform"
)

// Evaluate gives what the step computes before the target filters it: the
// map's values uncoerced, every fields entry (the Mapper drops the ones
// without a column), a route value outside the routes with no table and
// seen as table by the children, and each child item's map and fields.
func TestEvaluate(t *testing.T) {
	spec := childSpec(t)
	spec.To = transform.Route{By: compile(t, "form.name", false, nil, "form"), Tables: map[string]string{"d": "forms"}, Label: "form"}
	spec.Fields = compile(t, "form.answers", false, nil, "form")
	spec.Children[0].Map = append(spec.Children[0].Map, transform.Named{Name: "table", Prog: compile(t, "table", true, nil, "form")})
	raw := `{"id":"F1","formInstance":"{\"name\":\"Delivery\",\"answers\":{\"ttDose\":\"2\",\"noColumn\":\"x\"},\"sub_forms\":[{\"name\":\"s\",\"instances\":[{\"name\":\"Ravi\",\"weight\":\"3.20\"}]}]}"}`
	ev, f := transform.Evaluate(spec, rec("F1", raw), "default")
	if f != nil {
		t.Fatal(f)
	}
	if ev.RouteValue != "Delivery" || ev.Table != "" {
		t.Errorf("route value %q table %q, want Delivery and no table", ev.RouteValue, ev.Table)
	}
	if want := map[string]any{"ttDose": "2", "noColumn": "x"}; !reflect.DeepEqual(ev.Fields, want) {
		t.Errorf("fields %v, want %v", ev.Fields, want)
	}
	if len(ev.Map) != 2 || ev.Map[0] != (transform.NamedValue{Name: "id", Value: "F1", Source: "record.id"}) {
		t.Errorf("map %+v", ev.Map)
	}
	if len(ev.Children) != 1 || ev.Children[0].ParentKey != "form_id" || len(ev.Children[0].Items) != 1 {
		t.Fatalf("children %+v", ev.Children)
	}
	item := ev.Children[0].Items[0]
	got := map[string]any{}
	for _, nv := range item.Map {
		got[nv.Name] = fmt.Sprint(nv.Value)
	}
	want := map[string]any{"position": "1", "sub_form": "s", "parent_name": "Delivery", "table": "Delivery"}
	if !reflect.DeepEqual(got, want) || item.Fields["weight"] != "3.20" || item.Table != "children" {
		t.Errorf("item map %v fields %v table %q; want map %v", got, item.Fields, item.Table, want)
	}
	// A route that gives null is no value, not the text "<nil>".
	ev, f = transform.Evaluate(spec, rec("F2", `{"id":"F2","formInstance":"{}"}`), "default")
	if f != nil || ev.RouteValue != "" || ev.Table != "" {
		t.Errorf("null route: %+v, %v", ev, f)
	}
	// A failing expression is a Failure, as Map's.
	if _, f := transform.Evaluate(spec, rec("F3", `{"id":"F3","formInstance":"{not json"}`), "default"); f == nil || !strings.HasPrefix(f.Message, "cannot compute form") {
		t.Errorf("bad formInstance: %v", f)
	}
}
