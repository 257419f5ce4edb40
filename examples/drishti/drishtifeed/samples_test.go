package drishtifeed

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

const samplesDir = "../samples"

// The example's samples load in file order, each with its own serverVersion,
// and the feed serves them back whole: every key of every file, formInstance
// the same string (still double-encoded), page by page.
func TestLoadSamplesServesThemWhole(t *testing.T) {
	subs, err := LoadSamples(samplesDir)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(samplesDir, "*.json"))
	if len(subs) != len(files) || len(subs) != 32 {
		t.Fatalf("%d submissions from %d files, want 32", len(subs), len(files))
	}
	want := make([]map[string]any, len(files))
	for i, name := range files {
		if v := subs[i].ServerVersion; v != strconv.FormatInt(SampleVersion(i), 10) {
			t.Errorf("%s: serverVersion %s, want %d", name, v, SampleVersion(i))
		}
		if got := subs[i].FormName + ".json"; got != filepath.Base(name) {
			t.Errorf("submission %d is form %s, file %s", i, subs[i].FormName, name)
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &want[i]); err != nil {
			t.Fatal(err)
		}
	}

	srv := httptest.NewServer(NewServer(subs))
	defer srv.Close()
	var got []map[string]any
	after := "0"
	for range len(subs) + 1 { // pages of 5; an empty page ends it
		resp, err := http.Get(srv.URL + Path + "?timestamp=" + after + "&batch-size=5")
		if err != nil {
			t.Fatal(err)
		}
		var page []map[string]any
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %v", resp.StatusCode, err)
		}
		if len(page) == 0 {
			break
		}
		got = append(got, page...)
		after = page[len(page)-1]["serverVersion"].(string)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("served %d submissions that differ from the %d files", len(got), len(want))
	}
	// Instance keeps what the samples say: re-encoding it gives back the
	// same formInstance, unanswered fields (no value key) and types included.
	unanswered := 0
	for _, s := range subs {
		fi, err := s.Instance()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fi.Form.Fields {
			if f.Unanswered {
				unanswered++
			}
		}
		b, err := json.Marshal(fi)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != s.FormInstance {
			t.Errorf("%s: formInstance changed in a decode and encode:\n%s\n%s", s.FormName, b, s.FormInstance)
		}
	}
	if unanswered == 0 {
		t.Error("no field of the samples decoded as unanswered")
	}
	for i, m := range got {
		if s, ok := m["formInstance"].(string); !ok || !strings.HasPrefix(s, `{"form_data_definition_version"`) {
			t.Errorf("submission %d: formInstance served as %T, not a JSON string", i, m["formInstance"])
		}
	}
}

// A file added to the directory takes its place in file order, whatever
// serverVersion it says.
func TestLoadSamplesOrdersByFile(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b", "a", "c"} {
		s := Submission{AnmID: "x", InstanceID: "i-" + name, EntityID: "e", FormName: name,
			FormInstance: `{"form":{"fields":[]}}`, ClientVersion: "1", ServerVersion: "99",
			FormDataDefinitionVersion: "1"}
		b, _ := json.Marshal(s)
		if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	subs, err := LoadSamples(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"a", "b", "c"} {
		if subs[i].FormName != want || subs[i].Version() != SampleVersion(i) {
			t.Errorf("submission %d: %s at %s, want %s at %d", i, subs[i].FormName, subs[i].ServerVersion, want, SampleVersion(i))
		}
	}
}

// A sample that is not a whole submission is refused, naming the file.
func TestLoadSamplesRefusesBadFiles(t *testing.T) {
	good := `"anmId":"a","instanceId":"i","entityId":"e","formName":"f","clientVersion":"1","serverVersion":"2","formDataDefinitionVersion":"1"`
	for name, body := range map[string]string{
		"missing key":               `{"anmId":"a","instanceId":"i","formName":"f","formInstance":"{\"form\":{}}"}`,
		"unknown key":               `{` + good + `,"formInstance":"{\"form\":{}}","extra":"x"}`,
		"formInstance not encoded":  `{` + good + `,"formInstance":{"form":{}}}`,
		"formInstance without form": `{` + good + `,"formInstance":"{\"fields\":[]}"}`,
		"formInstance not JSON":     `{` + good + `,"formInstance":"form"}`,
		"two values":                `{` + good + `,"formInstance":"{\"form\":{}}"} {}`,
		"not JSON":                  `<html>`,
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "bad.json"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadSamples(dir); err == nil || !strings.Contains(err.Error(), "bad.json") {
			t.Errorf("%s: err %v, want one naming bad.json", name, err)
		}
	}
	if _, err := LoadSamples(t.TempDir()); err == nil {
		t.Error("an empty directory loaded")
	}
}
