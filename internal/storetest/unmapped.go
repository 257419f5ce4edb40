package storetest

import (
	"reflect"
	"testing"

	"github.com/decanthq/decant"
)

func (e *env) unmapped(scope, step string) []decant.UnmappedField {
	e.t.Helper()
	got, err := role[decant.UnmappedReader](e).UnmappedFields(e.ctx, scope, step)
	if err != nil {
		e.t.Fatalf("UnmappedFields(%s, %s): %v", scope, step, err)
	}
	return got
}

// dropVersion10 takes the state tables back to version 9: no record of
// unmapped fields.
func (e *env) dropVersion10() {
	e.exec("DROP TABLE decant_unmapped")
}

// Ensure a batch's counts of unmapped fields add up per (table, path)
// across batches, whatever their order in a batch, an example of null
// gives way to a value, Status and UnmappedFields say the same, other
// scopes and steps are apart, and a reset of the step forgets them.
func testUnmapped(t *testing.T, e *env) {
	e.createPeople()
	e.write(&decant.Batch{Scope: "s", Step: "people", Ledger: ledger("1:ok"),
		Tables: []decant.TableRows{people([]any{int64(1), "ann", nil})},
		Unmapped: []decant.UnmappedField{
			{Table: "people", Path: "record.z", Records: 2, Example: "null"},
			{Table: "people", Path: "fields.ttDose", Records: 1, Example: `"2"`},
		}})
	e.write(&decant.Batch{Scope: "s", Step: "people", Ledger: ledger("2:ok"),
		Unmapped: []decant.UnmappedField{
			{Table: "people", Path: "record.z", Records: 3, Example: `{"a":1}`},
			{Table: "people", Path: "fields.ttDose", Records: 1, Example: `"9"`},
			{Table: "kids", Path: "item.eyes", Records: 1, Example: `"b"`},
		}})
	e.write(&decant.Batch{Scope: "o", Step: "people", Ledger: ledger("1:ok"),
		Unmapped: []decant.UnmappedField{{Table: "people", Path: "record.q", Records: 1, Example: "1"}}})
	e.write(&decant.Batch{Scope: "s", Step: "other", Ledger: ledger("1:ok"),
		Unmapped: []decant.UnmappedField{{Table: "people", Path: "record.q", Records: 1, Example: "1"}}})

	want := []decant.UnmappedField{
		{Table: "kids", Path: "item.eyes", Records: 1, Example: `"b"`},
		{Table: "people", Path: "fields.ttDose", Records: 2, Example: `"2"`},
		{Table: "people", Path: "record.z", Records: 5, Example: `{"a":1}`},
	}
	if got := e.unmapped("s", "people"); !reflect.DeepEqual(got, want) {
		t.Errorf("UnmappedFields = %+v\nwant %+v", got, want)
	}
	var fromStatus []decant.UnmappedField
	for _, st := range e.status("s") {
		if st.Step == "people" {
			fromStatus = st.Unmapped
		}
	}
	if !reflect.DeepEqual(fromStatus, want) {
		t.Errorf("Status's unmapped fields = %+v\nwant %+v", fromStatus, want)
	}
	if got := e.unmapped("s", "nope"); len(got) != 0 {
		t.Errorf("a step without any: %+v", got)
	}

	if err := e.resetter().ResetState(e.ctx, "s", "people"); err != nil {
		t.Fatal(err)
	}
	if got := e.unmapped("s", "people"); len(got) != 0 {
		t.Errorf("after a reset of the step: %+v", got)
	}
	if got := e.unmapped("s", "other"); len(got) != 1 {
		t.Errorf("a reset of one step took another's: %+v", got)
	}
	if got := e.unmapped("o", "people"); len(got) != 1 {
		t.Errorf("a reset of one scope took another's: %+v", got)
	}
}

// Ensure state tables of version 9 read as having no unmapped fields,
// without an upgrade, and Init brings them to the latest version.
func testUnmappedFromVersion9(t *testing.T, e *env) {
	e.write(&decant.Batch{Scope: "s", Step: "people", Ledger: ledger("1:ok")})
	e.dropVersion10()
	e.exec("UPDATE decant_schema SET version = 9")
	if got := e.unmapped("s", "people"); got != nil {
		t.Errorf("version 9: %+v", got)
	}
	if st := e.status("s"); len(st) != 1 || st[0].Unmapped != nil || st[0].Keys != 1 {
		t.Errorf("version 9 status: %+v", st)
	}
	if got := e.rows("SELECT version FROM decant_schema"); got != "9\n" {
		t.Errorf("a read upgraded the state tables to %q", got)
	}
	if err := e.initer().Init(e.ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.rows("SELECT version FROM decant_schema"); got != latestVersion {
		t.Errorf("decant_schema = %q after Init, want %q", got, latestVersion)
	}
	e.write(&decant.Batch{Scope: "s", Step: "people", Ledger: ledger("2:ok"),
		Unmapped: []decant.UnmappedField{{Table: "people", Path: "record.q", Records: 1, Example: "1"}}})
	if got := e.unmapped("s", "people"); len(got) != 1 {
		t.Errorf("after the upgrade: %+v", got)
	}
}
