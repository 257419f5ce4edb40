package drishtifeed

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// Submission is dristhi's FormSubmissionDTO: every field is a string, and
// FormInstance is a JSON document encoded as a string. The field order is
// the real server's.
type Submission struct {
	AnmID                     string `json:"anmId"`
	InstanceID                string `json:"instanceId"`
	EntityID                  string `json:"entityId"`
	FormName                  string `json:"formName"`
	FormInstance              string `json:"formInstance"`
	ClientVersion             string `json:"clientVersion"`
	ServerVersion             string `json:"serverVersion"`
	FormDataDefinitionVersion string `json:"formDataDefinitionVersion"`
}

// Version returns the serverVersion as a number (milliseconds since 1970).
func (s Submission) Version() int64 {
	n, _ := strconv.ParseInt(s.ServerVersion, 10, 64)
	return n
}

// Instance decodes FormInstance.
func (s Submission) Instance() (FormInstance, error) {
	var fi FormInstance
	err := json.Unmarshal([]byte(s.FormInstance), &fi)
	return fi, err
}

// FormInstance is the document inside a submission's formInstance string.
type FormInstance struct {
	FormDataDefinitionVersion string       `json:"form_data_definition_version"`
	Form                      FormDocument `json:"form"`
}

// FormDocument is the "form" of a form instance.
type FormDocument struct {
	BindType        string    `json:"bind_type"`
	DefaultBindPath string    `json:"default_bind_path"`
	Fields          []Field   `json:"fields"`
	SubForms        []SubForm `json:"sub_forms,omitempty"`
}

// Field is one field of a form.
type Field struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Source string `json:"source"`
	// Type is the field's "type" as the real samples carry it ("String",
	// "Integer", "Date", "Float"); empty when the field has none, and in
	// generated submissions.
	Type string `json:"type,omitempty"`
	// Unanswered marks a field sent with no "value" key at all (a question
	// the form skipped), which is not an empty answer; Value is then "".
	Unanswered bool `json:"-"`
}

// fieldJSON is Field as it is encoded, with the value key optional.
type fieldJSON struct {
	Name   string  `json:"name"`
	Value  *string `json:"value,omitempty"`
	Source string  `json:"source"`
	Type   string  `json:"type,omitempty"`
}

// MarshalJSON leaves out the value key of an unanswered field.
func (f Field) MarshalJSON() ([]byte, error) {
	j := fieldJSON{Name: f.Name, Source: f.Source, Type: f.Type}
	if !f.Unanswered {
		j.Value = &f.Value
	}
	return json.Marshal(j)
}

// UnmarshalJSON marks a field without a value key as unanswered.
func (f *Field) UnmarshalJSON(b []byte) error {
	var j fieldJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*f = Field{Name: j.Name, Source: j.Source, Type: j.Type, Unanswered: j.Value == nil}
	if j.Value != nil {
		f.Value = *j.Value
	}
	return nil
}

// SubForm is a repeated group with its instances: each instance maps a
// field name to its value.
type SubForm struct {
	Name            string              `json:"name"`
	BindType        string              `json:"bind_type"`
	DefaultBindPath string              `json:"default_bind_path"`
	Fields          []SubFormField      `json:"fields"`
	Instances       []map[string]string `json:"instances"`
}

// SubFormField names a field of a sub-form and where it binds.
type SubFormField struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	// Type is as in [Field].
	Type string `json:"type,omitempty"`
}

// Values returns the form's fields as a map of name to value; of a name
// repeated in the form, the last one wins, as in the original migrator. An
// unanswered field maps to "".
func (f FormDocument) Values() map[string]string {
	m := make(map[string]string, len(f.Fields))
	for _, x := range f.Fields {
		m[x.Name] = x.Value
	}
	return m
}

// Config configures a [Generator]. The zero value is ready to use.
type Config struct {
	// Seed makes the submissions; the same seed gives the same submissions.
	Seed uint64
	// Start is the serverVersion of the first submission, in milliseconds.
	// Defaults to 1395689767509 (March 2014).
	Start int64
	// EdgeEvery makes the submissions around every multiple of EdgeEvery
	// (positions n*EdgeEvery-3 .. n*EdgeEvery+2, counted from 0) share one
	// serverVersion, so that a feed read in pages of EdgeEvery (or of a
	// divisor of it) has a shared value across every page edge. Defaults to
	// 50; negative turns it off.
	EdgeEvery int
	// WideAt and Wide make Wide submissions from position WideAt share one
	// serverVersion: more than a page. Default WideAt 1000 and Wide 150;
	// a negative Wide turns it off.
	WideAt, Wide int
	// TieRate is the chance that a submission shares the previous one's
	// serverVersion anyway. Defaults to 0.15; negative turns it off.
	TieRate float64
	// JunkRate is the chance that a numeric or date field holds "", "NaN"
	// (numeric) or "Invalid Date" (date) instead of a value. Defaults to 0.12.
	JunkRate float64
}

func (c Config) withDefaults() Config {
	if c.Start == 0 {
		c.Start = 1395689767509
	}
	if c.EdgeEvery == 0 {
		c.EdgeEvery = 50
	}
	if c.Wide == 0 {
		c.Wide, c.WideAt = 150, 1000
	}
	if c.TieRate == 0 {
		c.TieRate = 0.15
	}
	if c.JunkRate == 0 {
		c.JunkRate = 0.12
	}
	return c
}

// Generator makes form submissions, deterministically from its seed. It is
// not safe for concurrent use.
type Generator struct {
	cfg     Config
	rng     *rand.Rand
	n       int   // submissions made
	version int64 // serverVersion of the last submission
	extra   map[string][]FieldDef
	mothers []string // entity ids of registered mothers, for later forms
}

// NewGenerator returns a generator.
func NewGenerator(cfg Config) *Generator {
	cfg = cfg.withDefaults()
	return &Generator{
		cfg:     cfg,
		rng:     rand.New(rand.NewPCG(cfg.Seed, 0x6472697368746921)),
		version: cfg.Start,
		extra:   map[string][]FieldDef{},
	}
}

// Generate returns the first n submissions of the generator with seed.
func Generate(seed uint64, n int) []Submission {
	return NewGenerator(Config{Seed: seed}).Next(n)
}

// AddField makes every later submission of form (a form name or one of its
// aliases' table) carry one more field: a form that gained a question.
func (g *Generator) AddField(form string, f FieldDef) {
	g.extra[form] = append(g.extra[form], f)
}

// Next returns the next n submissions, in serverVersion order.
func (g *Generator) Next(n int) []Submission {
	out := make([]Submission, 0, n)
	for range n {
		out = append(out, g.one())
	}
	return out
}

// sharesVersion says whether submission i keeps the previous serverVersion.
func (g *Generator) sharesVersion(i int) bool {
	if i == 0 {
		return false
	}
	c := g.cfg
	if c.EdgeEvery > 0 && i >= c.EdgeEvery-2 {
		switch r := i % c.EdgeEvery; {
		case r == 0, r == 1, r == 2, r == c.EdgeEvery-2, r == c.EdgeEvery-1:
			return true
		}
	}
	if c.Wide > 0 && i > c.WideAt && i < c.WideAt+c.Wide {
		return true
	}
	return c.TieRate > 0 && g.rng.Float64() < c.TieRate
}

func (g *Generator) one() Submission {
	i := g.n
	g.n++
	if !g.sharesVersion(i) {
		g.version += 1 + g.rng.Int64N(4000)
	}
	def := g.pickForm()
	name := def.Name
	if len(def.Aliases) > 0 {
		if k := g.rng.IntN(len(def.Aliases) + 1); k > 0 {
			name = def.Aliases[k-1]
		}
	}
	entity := g.entity(def)
	fi := FormInstance{FormDataDefinitionVersion: "1", Form: FormDocument{
		BindType: def.BindType, DefaultBindPath: def.DefaultBindPath, Fields: []Field{},
	}}
	fields := append(append([]FieldDef{}, def.Fields...), g.extra[def.Name]...)
	for _, f := range fields {
		v := entity
		if f.Name != "id" {
			v = g.value(def.Name, f)
		}
		fi.Form.Fields = append(fi.Form.Fields, Field{Name: f.Name, Value: v, Source: def.BindType + "." + f.Name})
	}
	for _, sd := range def.SubForms {
		fi.Form.SubForms = append(fi.Form.SubForms, g.subForm(sd))
	}
	b, err := json.Marshal(fi)
	if err != nil {
		panic(err) // strings, slices and maps of strings always marshal
	}
	return Submission{
		AnmID:                     "demo" + strconv.Itoa(1+g.rng.IntN(5)),
		InstanceID:                g.uuid(),
		EntityID:                  entity,
		FormName:                  name,
		FormInstance:              string(b),
		ClientVersion:             strconv.FormatInt(g.version-1000-g.rng.Int64N(2*24*3600*1000), 10),
		ServerVersion:             strconv.FormatInt(g.version, 10),
		FormDataDefinitionVersion: "1",
	}
}

func (g *Generator) pickForm() FormDef {
	total := 0
	for _, f := range Forms {
		total += f.Weight
	}
	for _, f := range UnknownForms {
		total += f.Weight
	}
	k := g.rng.IntN(total)
	for _, list := range [][]FormDef{Forms, UnknownForms} {
		for _, f := range list {
			if k < f.Weight {
				return f
			}
			k -= f.Weight
		}
	}
	panic("unreachable")
}

// entity returns the id of the entity a submission is about: a new eligible
// couple or mother for registrations, an already registered mother (mostly)
// for the others.
func (g *Generator) entity(def FormDef) string {
	if def.BindType != "mother" || def.Name == "anc_registration" || len(g.mothers) == 0 || g.rng.IntN(5) == 0 {
		id := g.uuid()
		if def.BindType == "mother" {
			g.mothers = append(g.mothers, id)
		}
		return id
	}
	return g.mothers[g.rng.IntN(len(g.mothers))]
}

func (g *Generator) subForm(sd SubFormDef) SubForm {
	sf := SubForm{Name: sd.Name, BindType: sd.BindType, DefaultBindPath: sd.DefaultBindPath,
		Fields: []SubFormField{}, Instances: []map[string]string{}}
	for _, f := range sd.Fields {
		sf.Fields = append(sf.Fields, SubFormField{Name: f.Name, Source: sd.BindType + "." + f.Name})
	}
	// Mostly one child, sometimes twins or triplets, sometimes none (a
	// still birth records no child).
	n := 1
	switch r := g.rng.IntN(10); {
	case r == 0:
		n = 0
	case r == 1 && sd.MaxInstances > 1:
		n = 2 + g.rng.IntN(sd.MaxInstances-1)
	}
	for range n {
		inst := map[string]string{}
		for _, f := range sd.Fields {
			if f.Name == "id" {
				inst["id"] = g.uuid()
				continue
			}
			inst[f.Name] = g.value(sd.Name, f)
		}
		sf.Instances = append(sf.Instances, inst)
	}
	return sf
}

// value makes the value of field f of form.
func (g *Generator) value(form string, f FieldDef) string {
	if f.Type != Text && g.rng.Float64() < g.cfg.JunkRate {
		switch {
		case g.rng.IntN(3) == 0:
			return ""
		case f.Type == Numeric:
			return "NaN"
		default:
			return "Invalid Date"
		}
	}
	switch f.Type {
	case Numeric:
		return g.number(form, f.Name)
	case Date:
		day := time.UnixMilli(g.version).UTC().AddDate(0, 0, -g.rng.IntN(400))
		return day.Format("2006-01-02")
	}
	if choices, ok := textChoices[f.Name]; ok {
		return choices[g.rng.IntN(len(choices))]
	}
	if g.rng.IntN(20) == 0 {
		return ""
	}
	return fmt.Sprintf("%s-%d", f.Name, g.rng.IntN(100000))
}

func (g *Generator) number(form, field string) string {
	switch field {
	case "weight":
		// kilograms with one decimal: a newborn or a mother
		if form == "child_registration" {
			return fmt.Sprintf("%d.%d", 1+g.rng.IntN(4), g.rng.IntN(10))
		}
		return fmt.Sprintf("%d.%d", 38+g.rng.IntN(40), g.rng.IntN(10))
	case "height":
		return fmt.Sprintf("%d.%d", 135+g.rng.IntN(45), g.rng.IntN(10))
	case "womanAge", "husbandAge":
		return strconv.Itoa(18 + g.rng.IntN(30))
	case "pncVisitDay":
		return strconv.Itoa(1 + g.rng.IntN(42))
	}
	return strconv.Itoa(g.rng.IntN(6))
}

var textChoices = map[string][]string{
	"currentMethod":      {"condom", "ocp", "iud", "female_sterilization", "none"},
	"isHighPriority":     {"yes", "no"},
	"isHighRisk":         {"yes", "no"},
	"bloodGroup":         {"a_positive", "b_positive", "o_positive", "ab_positive", "o_negative", ""},
	"ttDose":             {"tt1", "tt2", "ttbooster"},
	"didWomanSurvive":    {"yes", "no"},
	"deliveryOutcome":    {"live_birth", "still_birth"},
	"deliveryPlace":      {"phc", "home", "subcenter", "district_hospital"},
	"deliveryType":       {"normal", "cesarean", "instrumental"},
	"gender":             {"male", "female"},
	"immunizationsGiven": {"bcg opv_0", "bcg", "opv_0 hepb_0", ""},
	"bfPostBirth":        {"yes", "no"},
	"village":            {"hosa_agrahara", "keelanapura", "bherya", "chikkabherya"},
}

// uuid makes a version 4 UUID from the generator's random numbers.
func (g *Generator) uuid() string {
	a, b := g.rng.Uint64(), g.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x",
		a>>32, (a>>16)&0xffff, a&0x0fff, (b>>48)&0x3fff|0x8000, b&0xffffffffffff)
}
