// Package drishtifeed imitates the Drishti (dristhi) server's form
// submission feed for decant's Drishti example and its tests.
//
// It has two halves:
//
//   - a deterministic [Generator] of form submissions in the real
//     FormSubmissionDTO shape: every field a string, and formInstance itself a
//     JSON document encoded as a string (double encoding), with fields,
//     sub-forms and their instances, shared serverVersion values (also across
//     page edges), form name aliases, forms this deployment does not know,
//     and the junk values "", "NaN" and "Invalid Date" in numeric and date
//     fields;
//   - a [Server], an http.Handler answering
//     GET /all-form-submissions?timestamp=T&batch-size=N as dristhi's
//     FormSubmissionController does: the submissions whose serverVersion is
//     STRICTLY GREATER than T, sorted by serverVersion, at most N of them, as
//     a top-level JSON array; with optional basic auth, a per-request delay and
//     injected faults.
//
// The forms it generates are described by [Forms]; migrations/0001_forms.sql in
// the example holds one table per form with a column per field.
package drishtifeed

import (
	"github.com/decanthq/decant/transform"
)

// Field types of the forms, as in the "type" of dristhi's sample files.
const (
	Text    = "text"
	Numeric = "numeric"
	Date    = "date"
)

// FieldDef is one field of a form or sub-form.
type FieldDef struct {
	// Name is the field's name in the form (camelCase, as Drishti sends it).
	Name string
	// Type is Text, Numeric or Date.
	Type string
}

// SubFormDef is a repeated group of a form: each instance becomes a row of
// the sub-form's table.
type SubFormDef struct {
	Name            string
	BindType        string
	DefaultBindPath string
	Fields          []FieldDef
	// MaxInstances is the largest number of instances a submission carries.
	MaxInstances int
}

// FormDef describes a form the example's schema has a table for.
type FormDef struct {
	// Name is the form name and the table name.
	Name string
	// Aliases are other form names that go to the same table (tt_1 -> tt).
	Aliases         []string
	BindType        string
	DefaultBindPath string
	Fields          []FieldDef
	SubForms        []SubFormDef
	// Weight is how often the generator picks the form (all its names together).
	Weight int
}

// Forms are the forms the example migrates. Every form has the field "id",
// which holds the entity's id and becomes the column <bind_type>_id.
var Forms = []FormDef{
	{
		Name: "ec_registration", BindType: "eligible_couple",
		DefaultBindPath: "/model/instance/EC_Registration_EngKan/",
		Weight:          25,
		Fields: []FieldDef{
			{"id", Text}, {"ecNumber", Text}, {"womanName", Text}, {"husbandName", Text},
			{"womanAge", Numeric}, {"husbandAge", Numeric}, {"village", Text},
			{"currentMethod", Text}, {"familyPlanningMethodChangeDate", Date},
			{"numberOfPregnancies", Numeric}, {"parity", Numeric}, {"numberOfLivingChildren", Numeric},
			{"isHighPriority", Text}, {"submissionDate", Date},
		},
	},
	{
		Name: "anc_registration", BindType: "mother",
		DefaultBindPath: "/model/instance/ANC_Registration_EngKan/",
		Weight:          20,
		Fields: []FieldDef{
			{"id", Text}, {"ecId", Text}, {"thayiCardNumber", Text}, {"ancNumber", Text},
			{"referenceDate", Date}, {"edd", Date}, {"height", Numeric}, {"weight", Numeric},
			{"bloodGroup", Text}, {"isHighRisk", Text}, {"registrationDate", Date}, {"submissionDate", Date},
		},
	},
	{
		Name: "tt", Aliases: []string{"tt_1", "tt_2", "tt_booster"}, BindType: "mother",
		DefaultBindPath: "/model/instance/TT_EngKan/",
		Weight:          25,
		Fields: []FieldDef{
			{"id", Text}, {"ttDose", Text}, {"ttDate", Date}, {"submissionDate", Date},
		},
	},
	{
		Name: "delivery_outcome", BindType: "mother",
		DefaultBindPath: "/model/instance/Delivery_Outcome_EngKan/",
		Weight:          20,
		Fields: []FieldDef{
			{"id", Text}, {"didWomanSurvive", Text}, {"deliveryOutcome", Text}, {"deliveryPlace", Text},
			{"deliveryType", Text}, {"referenceDate", Date}, {"submissionDate", Date},
		},
		SubForms: []SubFormDef{{
			Name: "child_registration", BindType: "child",
			DefaultBindPath: "/model/instance/Delivery_Outcome_EngKan/child/",
			MaxInstances:    3,
			Fields: []FieldDef{
				{"id", Text}, {"gender", Text}, {"weight", Numeric},
				{"immunizationsGiven", Text}, {"bfPostBirth", Text},
			},
		}},
	},
}

// UnknownForms are form names the generator also sends that the example's
// schema has no table for; decant parks them as "unknown form name: X".
var UnknownForms = []FormDef{
	{
		Name: "mystery_form", BindType: "mystery", DefaultBindPath: "/model/instance/Mystery/",
		Weight: 3,
		Fields: []FieldDef{{"id", Text}, {"clue", Text}, {"seenOn", Date}},
	},
	{
		Name: "pnc_visit", BindType: "mother", DefaultBindPath: "/model/instance/PNC_Visit_EngKan/",
		Weight: 3,
		Fields: []FieldDef{{"id", Text}, {"pncVisitDay", Numeric}, {"pncVisitDate", Date}},
	},
}

// Form returns the form a form name goes to (its own name or an alias) and
// whether the example knows it.
func Form(name string) (FormDef, bool) {
	for _, f := range Forms {
		if f.Name == name {
			return f, true
		}
		for _, a := range f.Aliases {
			if a == name {
				return f, true
			}
		}
	}
	return FormDef{}, false
}

// Column is the column a field of a form with bindType goes to: the
// snake_case of its name, except that "id" becomes <bindType>_id.
func Column(bindType, field string) string {
	if field == "id" {
		return bindType + "_id"
	}
	return Snake(field)
}

// Snake converts a field name to its column name exactly as decant's fields
// mapping does, by calling it.
func Snake(s string) string { return transform.Snake(s) }

// ChildTable is the table of a form's sub-form: <form>_<sub-form>.
func ChildTable(form, subForm string) string { return form + "_" + subForm }
