package drishti_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The 32 forms of the real Drishti form set, as issue 13 lists them.
var realForms = []string{
	"anc_close", "anc_investigations", "anc_registration", "anc_registration_oa", "anc_visit",
	"child_close", "child_illness", "child_immunizations", "child_registration_ec",
	"child_registration_oa", "delivery_outcome", "delivery_plan", "ec_close", "ec_edit",
	"ec_registration", "fp_change", "fp_complications", "fp_followup", "fp_referral_followup",
	"hb_test", "ifa", "pnc_close", "pnc_registration_oa", "pnc_visit",
	"postpartum_family_planning", "record_ecps", "renew_fp_product", "tt", "tt_1", "tt_2",
	"tt_booster", "vitamin_a",
}

// sampleField is a field of a sample's form, its keys kept apart from its
// values so that an absent "value" or "type" is told from an empty one.
type sampleField struct {
	Name, Source string
	Value, Type  *string
}

type sampleSubForm struct {
	Name, BindType, DefaultBindPath string
	Fields                          []sampleField
	Instances                       []map[string]string
}

type sampleForm struct {
	Name, BindType, DefaultBindPath string
	Fields                          []sampleField
	SubForms                        []sampleSubForm
}

// readSample reads samples/<form>.json and checks its envelope: exactly the
// eight string keys of dristhi's FormSubmissionDTO, formInstance a JSON
// object encoded as a string (double encoding, as the real server sends it),
// and every field with only the keys name, value, source and type.
func readSample(t *testing.T, form string) sampleForm {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("samples", form+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var env map[string]any
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatalf("%s: %v", form, err)
	}
	keys := []string{"anmId", "instanceId", "entityId", "formName", "formInstance", "clientVersion", "serverVersion", "formDataDefinitionVersion"}
	if len(env) != len(keys) {
		t.Errorf("%s: %d envelope keys, want %d", form, len(env), len(keys))
	}
	for _, k := range keys {
		if _, ok := env[k].(string); !ok {
			t.Errorf("%s: envelope %s is %T, want a string", form, k, env[k])
		}
	}
	if env["formName"] != form {
		t.Errorf("%s.json: formName %v", form, env["formName"])
	}
	s, _ := env["formInstance"].(string)
	if !strings.HasPrefix(s, "{") {
		t.Fatalf("%s: formInstance is not a JSON object inside a string: %.40q", form, s)
	}
	var fi struct {
		Form json.RawMessage `json:"form"`
	}
	if err := json.Unmarshal([]byte(s), &fi); err != nil || fi.Form == nil {
		t.Fatalf("%s: formInstance does not decode to a form: %v", form, err)
	}
	onlyKeys(t, form, fi.Form, "bind_type", "default_bind_path", "fields", "sub_forms")
	var doc struct {
		BindType        string            `json:"bind_type"`
		DefaultBindPath string            `json:"default_bind_path"`
		Fields          json.RawMessage   `json:"fields"`
		SubForms        []json.RawMessage `json:"sub_forms"`
	}
	if err := json.Unmarshal(fi.Form, &doc); err != nil {
		t.Fatalf("%s: form: %v", form, err)
	}
	out := sampleForm{Name: form, BindType: doc.BindType, DefaultBindPath: doc.DefaultBindPath,
		Fields: decodeFields(t, form, doc.Fields, true)}
	for _, raw := range doc.SubForms {
		onlyKeys(t, form+" sub-form", raw, "name", "bind_type", "default_bind_path", "fields", "instances")
		var sf struct {
			Name            string              `json:"name"`
			BindType        string              `json:"bind_type"`
			DefaultBindPath string              `json:"default_bind_path"`
			Fields          json.RawMessage     `json:"fields"`
			Instances       []map[string]string `json:"instances"`
		}
		if err := json.Unmarshal(raw, &sf); err != nil {
			t.Fatalf("%s: sub-form: %v", form, err)
		}
		out.SubForms = append(out.SubForms, sampleSubForm{Name: sf.Name, BindType: sf.BindType,
			DefaultBindPath: sf.DefaultBindPath, Instances: sf.Instances,
			Fields: decodeFields(t, form+" sub-form", sf.Fields, false)})
	}
	if out.BindType == "" || out.DefaultBindPath == "" || len(out.Fields) == 0 {
		t.Errorf("%s: bind_type %q, default_bind_path %q, %d fields", form, out.BindType, out.DefaultBindPath, len(out.Fields))
	}
	return out
}

// onlyKeys fails the test if the JSON object raw has a key not in allowed.
func onlyKeys(t *testing.T, where string, raw json.RawMessage, allowed ...string) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	for k := range m {
		if !slices.Contains(allowed, k) {
			t.Errorf("%s: unexpected key %q", where, k)
		}
	}
}

func decodeFields(t *testing.T, where string, raw json.RawMessage, values bool) []sampleField {
	t.Helper()
	var list []map[string]*string
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatalf("%s: fields: %v", where, err)
	}
	var out []sampleField
	for _, m := range list {
		for k, v := range m {
			if v == nil || (k != "name" && k != "source" && k != "type" && (k != "value" || !values)) {
				t.Errorf("%s: field %v: key %q", where, m, k)
			}
		}
		f := sampleField{Value: m["value"], Type: m["type"]}
		if m["name"] == nil || m["source"] == nil || *m["name"] == "" {
			t.Fatalf("%s: field %v has no name or source", where, m)
		}
		f.Name, f.Source = *m["name"], *m["source"]
		out = append(out, f)
	}
	return out
}

func typeOf(f sampleField) string {
	if f.Type == nil {
		return "none"
	}
	return *f.Type
}

// TestSamplesFacts checks the facts of the real form set that issue 13 lists
// (and the choices the samples made where it leaves them open) against the
// committed samples, so that they cannot drift: the example's schema, plan
// and end-to-end test are built on them.
func TestSamplesFacts(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("samples", "*.json"))
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".json"))
	}
	if !slices.Equal(names, realForms) {
		t.Fatalf("sample files %v,\nwant one per form %v", names, realForms)
	}

	var total, noValue int
	types := map[string]int{}
	repeated := map[string]map[string]int{}
	subForms := map[string]string{}
	dates := map[string]int{} // spelling -> Date fields with a value spelled so
	var rfc1123, odd []string
	padded := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	unpadded := regexp.MustCompile(`^\d{4}-\d{1,2}-\d{1,2}$`)
	forms := map[string]sampleForm{}
	for _, name := range realForms {
		f := readSample(t, name)
		forms[name] = f
		// Only the form's own fields count: the 803 are those of the 32
		// forms, the sub-forms' fields are counted apart below.
		total += len(f.Fields)
		seen := map[string]int{}
		for _, x := range f.Fields {
			seen[x.Name]++
			types[typeOf(x)]++
			if x.Value == nil {
				noValue++
				continue
			}
			if typeOf(x) != "Date" {
				continue
			}
			switch v := *x.Value; {
			case v == "2014-03-03":
				dates["2014-03-03"]++
			case padded.MatchString(v):
				dates["other yyyy-mm-dd"]++
			case unpadded.MatchString(v):
				dates["unpadded"]++
			case v == "":
				dates["empty"]++
			default:
				if _, err := time.Parse(time.RFC1123, v); err == nil {
					rfc1123 = append(rfc1123, name+"."+x.Name)
					dates["rfc1123"]++
				} else {
					odd = append(odd, name+"."+x.Name+"="+v)
				}
			}
		}
		for n, c := range seen {
			if c > 1 {
				if repeated[name] == nil {
					repeated[name] = map[string]int{}
				}
				repeated[name][n] = c
			}
		}
		for _, sf := range f.SubForms {
			subForms[name] = sf.Name
			want := map[string]int{"child_registration": 13, "child_registration_oa": 8, "child_pnc_visit": 18}[sf.Name]
			if len(sf.Fields) != want {
				t.Errorf("%s: sub-form %s has %d fields, want %d", name, sf.Name, len(sf.Fields), want)
			}
			fieldNames := map[string]bool{}
			for _, x := range sf.Fields {
				fieldNames[x.Name] = true
			}
			if len(sf.Instances) == 0 {
				t.Errorf("%s: sub-form %s has no instances", name, sf.Name)
			}
			for _, inst := range sf.Instances {
				for k := range inst {
					if !fieldNames[k] {
						t.Errorf("%s: sub-form %s: instance key %q is not a field", name, sf.Name, k)
					}
				}
				if inst["id"] == "" {
					t.Errorf("%s: sub-form %s: instance without an id", name, sf.Name)
				}
			}
		}
	}

	if total != 803 {
		t.Errorf("%d fields in all, want 803", total)
	}
	if noValue != 285 {
		t.Errorf("%d fields without a value key, want 285", noValue)
	}
	if want := map[string]int{"String": 526, "Integer": 96, "Date": 160, "Float": 6, "none": 15}; !reflect.DeepEqual(types, want) {
		t.Errorf("field types %v, want %v", types, want)
	}
	wantRepeated := map[string]map[string]int{
		"anc_visit":        {"weight": 2, "pih": 2},
		"anc_close":        {"numberOfAbortions": 3},
		"delivery_outcome": {"referenceDate": 2},
		// the other nine, the samples' choice
		"anc_registration":     {"registrationDate": 2},
		"anc_registration_oa":  {"ecNumber": 2},
		"child_close":          {"closeReason": 2},
		"child_illness":        {"dateOfBirth": 2},
		"child_immunizations":  {"previousImmunizations": 2},
		"ec_registration":      {"currentMethod": 2},
		"fp_referral_followup": {"referralFollowupDate": 2},
		"hb_test":              {"hbTestDate": 2},
		"pnc_visit":            {"pncVisitDay": 2},
	}
	if !reflect.DeepEqual(repeated, wantRepeated) {
		t.Errorf("repeated field names %v,\nwant %v", repeated, wantRepeated)
	}
	// delivery_outcome's two referenceDates differ: which one wins matters.
	var refs []string
	for _, x := range forms["delivery_outcome"].Fields {
		if x.Name == "referenceDate" && x.Value != nil {
			refs = append(refs, *x.Value)
		}
	}
	if len(refs) != 2 || refs[0] == refs[1] {
		t.Errorf("delivery_outcome referenceDate values %q, want two different ones", refs)
	}
	if want := map[string]string{"delivery_outcome": "child_registration", "pnc_registration_oa": "child_registration_oa", "pnc_visit": "child_pnc_visit"}; !reflect.DeepEqual(subForms, want) {
		t.Errorf("sub-forms %v, want %v", subForms, want)
	}

	if want := []string{"anc_registration.edd", "anc_registration_oa.edd"}; !slices.Equal(rfc1123, want) {
		t.Errorf("RFC 1123 dates in %v, want %v", rfc1123, want)
	}
	if want := []string{"delivery_plan.deliveryPlace=sub_center"}; !slices.Equal(odd, want) {
		t.Errorf("Date fields holding no date: %v, want %v", odd, want)
	}
	wantDates := map[string]int{"2014-03-03": 112, "other yyyy-mm-dd": 1, "unpadded": 4, "empty": 3, "rfc1123": 2}
	if !reflect.DeepEqual(dates, wantDates) {
		t.Errorf("Date spellings %v, want %v", dates, wantDates)
	}

	// tt, tt_1, tt_2 and tt_booster go to one table: the same fields, of
	// the same types, in the same order, bound alike.
	shape := func(f sampleForm) []string {
		out := []string{f.BindType, f.DefaultBindPath}
		for _, x := range f.Fields {
			out = append(out, x.Name+" "+typeOf(x)+" "+x.Source)
		}
		return out
	}
	for _, name := range []string{"tt_1", "tt_2", "tt_booster"} {
		if a, b := shape(forms["tt"]), shape(forms[name]); !slices.Equal(a, b) {
			t.Errorf("%s's fields differ from tt's:\n%v\n%v", name, b, a)
		}
	}
}
