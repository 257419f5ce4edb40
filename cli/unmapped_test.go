package cli_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
)

// unmappedShop is a shop whose events carry fields no column takes: a
// note on every other one, and a device object of which the plan reads
// one member.
func unmappedShop(t *testing.T, mode string) *shop {
	t.Helper()
	s := newShop(t)
	plan := strings.Replace(mustRead(t, s.plan), "    map: {id: record.id, kind: record.kind}",
		"    map: {id: record.id, kind: record.kind + record.device.os}", 1)
	if mode != "" {
		plan = strings.Replace(plan, "setup: [schema.sql]", "setup: [schema.sql]\nunmapped: "+mode, 1)
	}
	s.write(t, "decant.yaml", plan)
	var b strings.Builder
	for i := 1; i <= 6; i++ {
		note := ""
		if i%2 == 0 {
			note = `,"note":"n` + string(rune('0'+i)) + `"`
		}
		b.WriteString(`{"id":` + string(rune('0'+i)) + `,"kind":"k","device":{"os":"x","ver":` + string(rune('0'+i)) + `}` + note + "}\n")
	}
	s.write(t, "events.jsonl", b.String())
	return s
}

// Ensure the fields of a step's records that reach no column show in
// check (a note, from the first records), preview (under each record),
// migrate (a line, and --json) and status (a table, and --json), with
// the records that carried each and an example.
func TestUnmappedFieldsAreReported(t *testing.T) {
	t.Parallel()
	s := unmappedShop(t, "")
	mustRun(t, "migrate", "--only", "orders", "-c", s.plan) // the tables exist for check

	r := mustRun(t, "check", "--only", "events", "-c", s.plan)
	for _, want := range []string{"unmapped: 2 fields of the first 6 records reach no column: events record.device.ver (6 of 6), events record.note (3 of 6)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check lacks %q:\n%s", want, r)
		}
	}
	var checked struct {
		Steps []struct {
			Sampled  int                    `json:"sampled"`
			Unmapped []decant.UnmappedField `json:"unmapped_fields"`
		} `json:"steps"`
	}
	decodeJSON(t, mustRun(t, "check", "--only", "events", "--sample", "2", "--json", "-c", s.plan), &checked)
	if len(checked.Steps) != 1 || checked.Steps[0].Sampled != 2 || len(checked.Steps[0].Unmapped) != 2 ||
		checked.Steps[0].Unmapped[1] != (decant.UnmappedField{Table: "events", Path: "record.note", Records: 1, Example: `"n2"`}) {
		t.Errorf("check --sample 2 --json: %+v", checked)
	}
	if r := mustRun(t, "check", "--only", "events", "--sample", "1", "-c", s.plan); !strings.Contains(r.stdout, "unmapped: 1 field of the first record reaches no column: events record.device.ver (1 of 1)") {
		t.Errorf("check --sample 1 does not say it in the singular:\n%s", r)
	}
	if r := mustRun(t, "check", "--only", "events", "--sample", "0", "-c", s.plan); strings.Contains(r.stdout, "unmapped") {
		t.Errorf("check --sample 0 looked at records:\n%s", r)
	}
	if r := run(t, "check", "--sample", "-1", "-c", s.plan); r.code != 2 || !strings.Contains(r.stderr, "--sample -1: give a number of records, 0 or more") {
		t.Errorf("check --sample -1 = %d:\n%s", r.code, r)
	}

	r = mustRun(t, "preview", "events", "-n", "2", "-c", s.plan)
	for _, want := range []string{"-> UNMAPPED events record.device.ver = 1", "-> UNMAPPED events record.note = \"n2\""} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("preview lacks %q:\n%s", want, r)
		}
	}

	r = mustRun(t, "migrate", "--only", "events", "-c", s.plan)
	if want := "unmapped: step events: 2 fields reached no column: events record.device.ver (6), events record.note (3); decant status lists them"; !strings.Contains(r.stdout, want) {
		t.Errorf("migrate lacks %q:\n%s", want, r)
	}
	want := []decant.UnmappedField{
		{Table: "events", Path: "record.device.ver", Records: 6, Example: "1"},
		{Table: "events", Path: "record.note", Records: 3, Example: `"n2"`},
	}
	var steps []struct {
		Step     string                 `json:"step"`
		Unmapped []decant.UnmappedField `json:"unmapped_fields"`
	}
	decodeJSON(t, mustRun(t, "status", "--json", "-c", s.plan), &steps)
	for _, st := range steps {
		switch {
		case st.Step == "events" && !cmp.Equal(st.Unmapped, want):
			t.Errorf("status --json: events' unmapped_fields = %+v, want %+v", st.Unmapped, want)
		case st.Step != "events" && (st.Unmapped == nil || len(st.Unmapped) != 0):
			t.Errorf("status --json: %s's unmapped_fields = %#v, want an empty list", st.Step, st.Unmapped)
		}
	}
	r = mustRun(t, "status", "-c", s.plan)
	for _, want := range []string{"step events: 2 fields reached no column", "events  record.device.ver  6        1", `events  record.note        3        "n2"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, r)
		}
	}

	// A reset of the step forgets them.
	mustRun(t, "reset", "--step", "events", "--yes", "-c", s.plan)
	if r := mustRun(t, "status", "-c", s.plan); strings.Contains(r.stdout, "reached no column") {
		t.Errorf("status after a reset of the step:\n%s", r)
	}
}

// Ensure unmapped: error fails check on the sampled records and makes each
// such record a record error naming its fields, and unmapped: ignore
// reports nothing anywhere.
func TestUnmappedErrorAndIgnore(t *testing.T) {
	t.Parallel()
	s := unmappedShop(t, "error")
	mustRun(t, "migrate", "--only", "orders", "-c", s.plan)
	r := run(t, "check", "--only", "events", "-c", s.plan)
	if r.code != 2 || !strings.Contains(r.stdout, "the plan says unmapped: error, so such records would fail") {
		t.Errorf("check under unmapped: error = %d:\n%s", r.code, r)
	}
	r = run(t, "migrate", "--only", "events", "-c", s.plan)
	if got := s.count(t, "events"); got != "0" {
		t.Errorf("events written under unmapped: error: %s, want 0:\n%s", got, r)
	}
	if got := queryRows(t, s.db, "SELECT count(*), min(message), min(detail) FROM decant_errors WHERE step = 'events'"); !strings.HasPrefix(got, "6|fields reach no column|record.device.ver (table events, e.g. 1); record.note (table events, e.g. \"n2\")") &&
		!strings.HasPrefix(got, "6 fields reach no column") {
		t.Errorf("errors under unmapped: error: %s", got)
	}

	s = unmappedShop(t, "ignore")
	mustRun(t, "migrate", "-c", s.plan)
	for _, args := range [][]string{{"check"}, {"preview", "events"}, {"status"}} {
		if r := mustRun(t, append(args, "-c", s.plan)...); strings.Contains(strings.ToLower(r.stdout), "unmapped") || strings.Contains(r.stdout, "no column") {
			t.Errorf("%s under unmapped: ignore:\n%s", args[0], r)
		}
	}
	if got := s.count(t, "events"); got != "6" {
		t.Errorf("events written under unmapped: ignore: %s, want 6", got)
	}
}

// Ensure a record that failed and is written by `decant errors retry`
// adds its fields that reach no column to the step's counts, as a run
// would have.
func TestUnmappedCountedByRetry(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	s.write(t, "orders.jsonl", `{"id":1,"total":"lots","note":"n1"}`+"\n"+`{"id":2,"total":5}`+"\n")
	r := mustRun(t, "migrate", "--only", "orders", "-c", s.plan)
	if strings.Contains(r.stdout, "unmapped") {
		t.Errorf("the failed record's note was counted:\n%s", r)
	}
	plan := strings.Replace(mustRead(t, s.plan), "map: {id: record.id, total: record.total}",
		`map: {id: record.id, total: 'record.total == "lots" ? 0 : record.total'}`, 1)
	s.write(t, "decant.yaml", plan)
	mustRun(t, "errors", "retry", "-c", s.plan)
	if got := s.count(t, "orders"); got != "2" {
		t.Fatalf("orders after the retry: %s, want 2", got)
	}
	if got := queryRows(t, s.db, "SELECT tbl, path, records, example FROM decant_unmapped"); got != `orders record.note 1 "n1"` {
		t.Errorf("unmapped fields after the retry: %q", got)
	}
}
