package plan_test

import (
	"strings"
	"testing"

	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

// onDeleteStep is a step of header whose on_delete (and map) a test sets.
func onDeleteStep(onDelete, m string) string {
	return header + `  - name: people
    from: {connection: data, key: meta.id}
    key: id
    to: {table: people}
    map: ` + m + `
    on_delete: ` + onDelete + "\n"
}

// Ensure on_delete reads the three actions into the step's spec with the
// source key path, and that leaving it out is delete, not set by the plan.
func TestParse_OnDelete(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, src string
		want      transform.OnDelete
	}{
		{"Delete", onDeleteStep("delete", "{id: record.meta.id}"), transform.OnDelete{Action: "delete", Where: "p.yaml:12:16"}},
		{"Ignore", onDeleteStep("ignore", "{id: record.meta.id}"), transform.OnDelete{Action: "ignore", Where: "p.yaml:12:16"}},
		{"Mark", onDeleteStep("{mark: deleted_at}", "{id: record.meta.id}"), transform.OnDelete{Action: "mark", Mark: "deleted_at", Where: "p.yaml:12:17"}},
		{"MarkBlock", onDeleteStep("\n      mark: gone", "{id: record.meta.id}"), transform.OnDelete{Action: "mark", Mark: "gone", Where: "p.yaml:13:7"}},
		{"KeyVariable", onDeleteStep("delete", `{id: '"p-" + key'}`), transform.OnDelete{Action: "delete", Where: "p.yaml:12:16"}},
		{"IgnoreAnyKey", onDeleteStep("ignore", "{id: record.name}"), transform.OnDelete{Action: "ignore", Where: "p.yaml:12:16"}},
		{"Unset", strings.Replace(onDeleteStep("delete", "{id: record.name}"), "    on_delete: delete\n", "", 1), transform.OnDelete{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := mustParse(t, tt.src, plan.Options{})
			spec := p.Steps[0].Spec
			if spec.OnDelete != tt.want {
				t.Errorf("OnDelete = %+v, want %+v", spec.OnDelete, tt.want)
			}
			if spec.SourceKey != "meta.id" {
				t.Errorf("SourceKey = %q, want meta.id", spec.SourceKey)
			}
		})
	}
}

// Ensure a wrong on_delete, and a delete or mark whose key cannot be found
// from the source key alone, fail at load at on_delete's position with a
// message naming the step and what to do.
func TestParse_OnDeleteErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"UnknownWord", onDeleteStep("remove", "{id: record.meta.id}"), 12, 16, `unknown on_delete "remove": on_delete is delete, ignore or {mark: COLUMN}`},
		{"MarkWithoutColumn", onDeleteStep("mark", "{id: record.meta.id}"), 12, 16, "mark needs a column"},
		{"MarkEmpty", onDeleteStep("{mark: }", "{id: record.meta.id}"), 12, 22, "mark needs a column name"},
		{"UnknownKey", onDeleteStep("{flag: deleted}", "{id: record.meta.id}"), 12, 17, `unknown on_delete key "flag"`},
		{"List", onDeleteStep("[delete]", "{id: record.meta.id}"), 12, 16, "on_delete is delete, ignore or {mark: COLUMN}"},
		{"KeyFromOtherField", onDeleteStep("delete", "{id: record.name}"), 12, 16,
			"step people: key column id = record.name reads the record beyond its key (from.key: meta.id), so a deleted record's rows cannot be found from its key; map the key columns from the source key alone (from.key, or the variable key), or set on_delete: ignore"},
		{"KeyFromWholeRecord", onDeleteStep("{mark: gone}", "{id: string(record)}"), 12, 17, "reads the record beyond its key"},
		{"KeyThroughLet", header + `  - name: people
    from: {connection: data, key: id}
    key: id
    let: {k: record.other}
    to: {table: people}
    map: {id: k}
    on_delete: delete
`, 13, 16, "key column id = k uses let k, which reads the record beyond its key"},
		{"KeyFromFields", header + `  - name: people
    from: {connection: data, key: id}
    key: id
    to: {table: people}
    fields: record
    on_delete: delete
`, 12, 16, "key column id is not in map (fields gives it)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pe := parseErr(t, tt.src, plan.Options{})
			if pe.Line != tt.line || pe.Col != tt.col || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("error at %d:%d %q, want %d:%d containing %q", pe.Line, pe.Col, pe.Msg, tt.line, tt.col, tt.msg)
			}
		})
	}
}
