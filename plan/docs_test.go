package plan_test

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/connect"
	"github.com/decanthq/decant/plan"
	"github.com/decanthq/decant/transform"
)

const docPath = "../docs/plan.md"

func readDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// yamlKeys lists the yaml keys of a struct type.
func yamlKeys(typ reflect.Type) []string {
	var keys []string
	for i := 0; i < typ.NumField(); i++ {
		tag := strings.Split(typ.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	return keys
}

// Ensure docs/plan.md documents every key the loader accepts, so a key
// added to the plan types cannot go undocumented.
func TestDocs_EveryKeyDocumented(t *testing.T) {
	doc := readDoc(t)
	for _, typ := range []reflect.Type{
		reflect.TypeFor[plan.Plan](), reflect.TypeFor[plan.Step](), reflect.TypeFor[plan.From](),
		reflect.TypeFor[plan.To](), reflect.TypeFor[plan.ColumnSpec](), reflect.TypeFor[plan.Child](),
		reflect.TypeFor[plan.Verify](), reflect.TypeFor[plan.VerifyRule](),
		reflect.TypeFor[plan.Live](), reflect.TypeFor[plan.Hooks](), reflect.TypeFor[plan.Hook](),
		reflect.TypeFor[plan.Group](), reflect.TypeFor[plan.Guards](),
	} {
		for _, k := range yamlKeys(typ) {
			if !strings.Contains(doc, "`"+k+"`") {
				t.Errorf("docs/plan.md does not document %s key `%s`", typ.Name(), k)
			}
		}
	}
	for _, fn := range transform.NewFuncs().Names() {
		if !strings.Contains(doc, "#### "+fn+"\n") {
			t.Errorf("docs/plan.md has no section for the function %s", fn)
		}
	}
}

// Ensure every kind of source documents all its options in one section of
// its own under "### from", so that a source added to the registry cannot
// go undocumented.
func TestDocs_EverySourceOptionDocumented(t *testing.T) {
	doc := readDoc(t)
	i := strings.Index(doc, "\n### from")
	if i < 0 {
		t.Fatal(`docs/plan.md has no "### from" section`)
	}
	from := doc[i+1:]
	from = from[:strings.Index(from[1:], "\n### ")+1]
	sections := strings.Split(from, "\n#### ")[1:]
	r := connect.DefaultSources()
	checked := map[string]bool{} // http and https share one type
	for _, scheme := range r.Schemes() {
		typ := fmt.Sprintf("%T", r.NewOptions(scheme))
		if checked[typ] {
			continue
		}
		checked[typ] = true
		keys := plan.OptionNames(r.NewOptions(scheme))
		if len(keys) == 0 {
			t.Errorf("the %s: source has no options type with yaml keys", scheme)
			continue
		}
		best, missing := "", keys
		for _, sec := range sections {
			var m []string
			for _, k := range keys {
				if !documentedRow(sec, k) {
					m = append(m, k)
				}
			}
			if len(m) < len(missing) {
				best, missing = strings.SplitN(sec, "\n", 2)[0], m
			}
		}
		if len(missing) > 0 {
			t.Errorf("no section under from documents every option of %s: sources (%T); closest is %q, which lacks %q",
				scheme, r.NewOptions(scheme), best, missing)
		}
	}
}

// documentedRow reports whether a table row of section starts by naming key.
func documentedRow(section, key string) bool {
	for _, line := range strings.Split(section, "\n") {
		if cell, _, ok := strings.Cut(strings.TrimPrefix(line, "| "), " |"); ok && strings.HasPrefix(line, "| ") &&
			strings.Contains(cell, "`"+key+"`") {
			return true
		}
	}
	return false
}

var yamlBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")

// docEnv gives every variable a value of the kind its name says (a URL, a
// number, else a word that fits a host, user or password), so the examples
// load whatever they reference.
func docEnv(name string) (string, bool) {
	switch {
	case strings.HasSuffix(name, "_FEED_URL"):
		return "https://u:p@h/feed", true
	case strings.HasSuffix(name, "_URL"):
		return "postgres://u:p@h/db", true
	case strings.HasSuffix(name, "_SIZE"):
		return "100", true
	}
	return "v4lue", true
}

// Ensure every complete plan in docs/plan.md loads.
func TestDocs_ExamplesLoad(t *testing.T) {
	n := 0
	for _, m := range yamlBlock.FindAllStringSubmatch(readDoc(t), -1) {
		src := m[1]
		if !strings.Contains(src, "version: 1") || !strings.Contains(src, "steps:") {
			continue // a fragment
		}
		n++
		if _, err := plan.Parse("docs/plan.md", []byte(src), plan.Options{LookupEnv: docEnv, Sources: connect.DefaultSources()}); err != nil {
			t.Errorf("example %d does not load: %v", n, err)
		}
	}
	if n < 2 {
		t.Errorf("found %d complete examples, want at least 2", n)
	}
}

// Ensure the Drishti example maps the sample submission of the page to the
// row the page describes.
func TestDocs_DrishtiExample(t *testing.T) {
	doc := readDoc(t)
	i := strings.Index(doc, "# decant.yaml: Drishti")
	if i < 0 {
		t.Fatal("the Drishti example is missing")
	}
	src := yamlBlock.FindStringSubmatch(doc[i-len("```yaml\n"):])[1]
	p, err := plan.Parse("docs/plan.md", []byte(src), plan.Options{LookupEnv: docEnv, Sources: connect.DefaultSources()})
	if err != nil {
		t.Fatal(err)
	}
	j := strings.Index(doc[i:], "```json\n")
	if j < 0 {
		t.Fatal("the sample submission is missing")
	}
	sample := doc[i+j+len("```json\n"):]
	sample = sample[:strings.Index(sample, "```")]

	text := func(n string) decant.Column { return decant.Column{Name: n, Kind: decant.KindText} }
	form := []decant.Column{
		text("instance_id"), text("entity_id"), text("anm_id"), text("form_name"),
		{Name: "client_version", Kind: decant.KindTimestamp}, {Name: "server_version", Kind: decant.KindTimestamp},
		text("form_data_definition_version"), text("mother_id"), text("tt_dose"),
		{Name: "tt_date", Kind: decant.KindDate}, {Name: "weight", Kind: decant.KindDecimal},
	}
	tables := map[string][]decant.Column{
		"ec_registration": form, "anc_registration": form, "anc_visit": form, "tt": form, "delivery_outcome": form,
		"delivery_outcome_child_registration": {text("parent_instance_id"), text("sub_form_name"),
			{Name: "position", Kind: decant.KindInt}, text("child_id")},
	}
	m, err := transform.NewMapper(p.Steps[0].Spec, tables)
	if err != nil {
		t.Fatal(err)
	}
	out, f := m.Map(decant.Record{Key: "d63b9ce5", Raw: []byte(sample)}, "default")
	if f != nil {
		t.Fatal(f)
	}
	want := transform.Output{ParentKey: "d63b9ce5", Rows: []transform.Row{{
		Table: "tt",
		Cols: []string{"instance_id", "entity_id", "anm_id", "form_name", "client_version", "server_version",
			"form_data_definition_version", "mother_id", "tt_date", "tt_dose", "weight"},
		Vals: []any{"d63b9ce5", "d9755738", "demo1", "tt_booster", time.UnixMilli(1395689746556), time.UnixMilli(1395689767509),
			"1", "d975", time.Date(2014, 3, 24, 0, 0, 0, 0, time.UTC), "ttbooster", nil},
	}}}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("Map (-want +got):\n%s", diff)
	}
	_, f = m.Map(decant.Record{Key: "x", Raw: []byte(strings.Replace(sample, `"tt_booster"`, `"pnc_visit"`, 1))}, "default")
	if f == nil || f.Message != "unknown form name: pnc_visit" {
		t.Errorf("pnc_visit: failure = %v, want unknown form name: pnc_visit", f)
	}
}
