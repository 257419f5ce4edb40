// Command gen writes the Drishti example's sample submissions, one file per
// form of the real form set, to examples/drishti/samples/<form>.json:
//
//	go run ./examples/drishti/samples/gen [-dir examples/drishti/samples]
//
// The forms are written in forms.go from the facts issue 13 lists about the
// real system's samples (nothing is copied from them). The output is
// deterministic: running it again rewrites the same bytes, so the committed
// files can be checked with `git diff --exit-code` after a run.
//
// Each file is one submission in the envelope the Drishti server sends
// (drishtifeed.Submission): formInstance is a JSON document encoded as a
// string. Inside it, a field has "name", "value" (absent when the question
// was not answered), "source" and "type" (absent for a few fields, as in
// the real samples).
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/decanthq/decant/examples/drishti/drishtifeed"
)

type form struct {
	name, bind, path string
	fields           []string
	sub              *subForm
}

type subForm struct {
	name, bind, path string
	fields           []string
}

// The fields every form has besides its own: "id" (the entity's id) first,
// these after. The SIM's identifiers are not answered: the phones of the
// programme did not report them.
var common = []string{
	"start:S", "end:S", "today:D", "deviceid:S", "subscriberid:S-", "simserial:S-",
	"phonenumber:S-", "submissionDate:D",
}

var typeNames = map[string]string{"S": "String", "I": "Integer", "D": "Date", "F": "Float", "N": ""}

func main() {
	dir := flag.String("dir", "examples/drishti/samples", "directory to write the samples to")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	for i, f := range forms {
		sub, err := submission(i, f)
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sub); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, f.name+".json"), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func submission(i int, f form) (drishtifeed.Submission, error) {
	entity := uuid(f.name + "/entity")
	doc := drishtifeed.FormDocument{
		BindType:        f.bind,
		DefaultBindPath: "/model/instance/" + f.path + "/",
		Fields:          []drishtifeed.Field{{Name: "id", Value: entity, Source: f.bind + ".id", Type: "String"}},
	}
	specs := append(append([]string{}, f.fields...), common...)
	for _, spec := range specs {
		name, typ, value, answered, err := parse(spec)
		if err != nil {
			return drishtifeed.Submission{}, err
		}
		fd := drishtifeed.Field{Name: name, Source: f.bind + "." + name, Type: typeNames[typ], Unanswered: !answered}
		switch {
		case !answered:
		case value != nil:
			fd.Value = *value
		default:
			fd.Value = valueOf(name, typ, f.bind)
		}
		doc.Fields = append(doc.Fields, fd)
	}
	if s := f.sub; s != nil {
		sd := drishtifeed.SubForm{Name: s.name, BindType: s.bind,
			DefaultBindPath: doc.DefaultBindPath + s.path + "/",
			Fields:          []drishtifeed.SubFormField{}, Instances: []map[string]string{{}}}
		for _, spec := range s.fields {
			name, typ, _, _, err := parse(spec)
			if err != nil {
				return drishtifeed.Submission{}, err
			}
			sd.Fields = append(sd.Fields, drishtifeed.SubFormField{Name: name, Source: s.bind + "." + name, Type: typeNames[typ]})
			if name == "id" {
				sd.Instances[0][name] = uuid(f.name + "/" + s.name)
			} else {
				sd.Instances[0][name] = valueOf(name, typ, s.bind)
			}
		}
		doc.SubForms = []drishtifeed.SubForm{sd}
	}
	b, err := json.Marshal(drishtifeed.FormInstance{FormDataDefinitionVersion: "1", Form: doc})
	if err != nil {
		return drishtifeed.Submission{}, err
	}
	version := drishtifeed.SampleVersion(i)
	return drishtifeed.Submission{
		AnmID:                     "demo1",
		InstanceID:                uuid(f.name + "/instance"),
		EntityID:                  entity,
		FormName:                  f.name,
		FormInstance:              string(b),
		ClientVersion:             strconv.FormatInt(version-90_000, 10),
		ServerVersion:             strconv.FormatInt(version, 10),
		FormDataDefinitionVersion: "1",
	}, nil
}

// parse reads "name:T", "name:T-" (not answered) or "name:T=value".
func parse(spec string) (name, typ string, value *string, answered bool, err error) {
	name, rest, ok := strings.Cut(spec, ":")
	if !ok || rest == "" {
		return "", "", nil, false, fmt.Errorf("field %q: want name:T", spec)
	}
	typ, rest = rest[:1], rest[1:]
	if _, ok := typeNames[typ]; !ok {
		return "", "", nil, false, fmt.Errorf("field %q: unknown type %q", spec, typ)
	}
	switch {
	case rest == "-":
		return name, typ, nil, false, nil
	case rest == "":
		return name, typ, nil, true, nil
	case rest[0] == '=':
		v := rest[1:]
		return name, typ, &v, true, nil
	}
	return "", "", nil, false, fmt.Errorf("field %q: unexpected %q", spec, rest)
}

// valueOf makes a plausible answer for a field that forms.go gives no value.
func valueOf(name, typ, bind string) string {
	if v, ok := answers[name]; ok {
		return v
	}
	switch typ {
	case "D":
		return "2014-03-03"
	case "I":
		return "1"
	case "F":
		if bind == "child" {
			return "2.9"
		}
		return "54.5"
	}
	lower := strings.ToLower(name)
	switch {
	case name == "ecId" || name == "motherId":
		// the eligible couple or mother the record belongs to
		return uuid(name)
	case strings.HasPrefix(name, "is") || strings.HasPrefix(name, "has") ||
		strings.HasPrefix(name, "did") || strings.HasPrefix(name, "was") ||
		strings.HasPrefix(name, "need"):
		return "yes"
	case strings.HasSuffix(lower, "number"):
		return strconv.Itoa(1000 + len(name)*37)
	}
	// A select question's answer is a code, as ODK sends it.
	return drishtifeed.Snake(name)
}

// answers are the values of fields whose name says more than their type.
var answers = map[string]string{
	"wifeName": "Sunita", "husbandName": "Ramesh", "childName": "Lakshmi",
	"wifeAge": "24", "husbandAge": "29", "bpSystolic": "110", "bpDiastolic": "70",
	"ancVisitNumber": "2", "pncVisitDay": "3", "vitaminADose": "1",
	"numberOfIFATabletsGiven": "30", "numberOfECPsGiven": "1",
	"village": "keelanapura", "subCenter": "hosa_agrahara", "phc": "bherya",
	"gender": "female", "currentMethod": "ocp", "newMethod": "condom",
	"deliveryPlace": "phc", "deliveryType": "normal", "deliveryOutcome": "live_birth",
	"closeReason": "moved_away", "bloodGroup": "o_positive", "urineSugar": "absent",
	"urineAlbumin": "absent", "immunizationsGiven": "bcg opv_0",
	"previousImmunizations": "bcg", "referenceDate": "2014-03-03",
	"start": "2014-03-03T10:12:31.000+05:30", "end": "2014-03-03T10:20:02.000+05:30",
	"deviceid": "358240051111110", "temperature": "98.6",
	"ttInjectionPlace": "sub_center", "ttDate": "2014-03-03",
}

// uuid makes a stable version 4 UUID from seed.
func uuid(seed string) string {
	h := sha256.Sum256([]byte(seed))
	x := hex.EncodeToString(h[:16])
	return x[0:8] + "-" + x[8:12] + "-4" + x[13:16] + "-" + string("89ab"[h[8]&3]) + x[17:20] + "-" + x[20:32]
}
