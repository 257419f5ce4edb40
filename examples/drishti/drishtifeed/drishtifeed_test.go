package drishtifeed

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"testing"
	"time"
)

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := Generate(7, 600), Generate(7, 600)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different submissions")
	}
	if reflect.DeepEqual(a, Generate(8, 600)) {
		t.Fatal("different seeds gave the same submissions")
	}
	// Next continues where it stopped: 300 + 300 is the same as 600.
	g := NewGenerator(Config{Seed: 7})
	c := append(g.Next(300), g.Next(300)...)
	if !reflect.DeepEqual(a, c) {
		t.Fatal("Next(300) twice differs from Next(600)")
	}
}

// The DTO is the real one: eight string fields, formInstance a JSON string.
func TestSubmissionShape(t *testing.T) {
	for i, s := range Generate(1, 300) {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		want := []string{"anmId", "instanceId", "entityId", "formName", "formInstance", "clientVersion", "serverVersion", "formDataDefinitionVersion"}
		if len(m) != len(want) {
			t.Fatalf("submission %d has %d fields, want %d: %s", i, len(m), len(want), b)
		}
		for _, k := range want {
			if _, ok := m[k].(string); !ok {
				t.Fatalf("submission %d: %s is %T, want a string", i, k, m[k])
			}
		}
		var fi map[string]any
		if err := json.Unmarshal([]byte(s.FormInstance), &fi); err != nil {
			t.Fatalf("submission %d: formInstance is not a JSON string: %v", i, err)
		}
		form, _ := fi["form"].(map[string]any)
		if fi["form_data_definition_version"] != "1" || form == nil || form["bind_type"] == "" || form["default_bind_path"] == "" {
			t.Fatalf("submission %d: bad formInstance %s", i, s.FormInstance)
		}
		fields, _ := form["fields"].([]any)
		if len(fields) == 0 {
			t.Fatalf("submission %d has no fields", i)
		}
		for _, f := range fields {
			fm := f.(map[string]any)
			for _, k := range []string{"name", "value", "source"} {
				if _, ok := fm[k].(string); !ok {
					t.Fatalf("submission %d: field %v has no string %s", i, fm, k)
				}
			}
		}
		fi2, err := s.Instance()
		if err != nil || fi2.Form.Values()["id"] != s.EntityID {
			t.Fatalf("submission %d: field id is not the entity id (%v)", i, err)
		}
		sv, err1 := strconv.ParseInt(s.ServerVersion, 10, 64)
		cv, err2 := strconv.ParseInt(s.ClientVersion, 10, 64)
		if err1 != nil || err2 != nil || cv >= sv {
			t.Fatalf("submission %d: clientVersion %s, serverVersion %s", i, s.ClientVersion, s.ServerVersion)
		}
	}
}

// 2,000 submissions hold every form, alias, unknown form, junk value and
// shape of sub-form the example's test relies on.
func TestGenerateCoverage(t *testing.T) {
	subs := Generate(1, 2000)
	names := map[string]int{}
	junk := map[string]int{}
	instances := map[int]int{}
	for _, s := range subs {
		names[s.FormName]++
		fi, err := s.Instance()
		if err != nil {
			t.Fatal(err)
		}
		def, known := Form(s.FormName)
		if !known {
			continue
		}
		types := map[string]string{}
		for _, f := range def.Fields {
			types[f.Name] = f.Type
		}
		for _, f := range fi.Form.Fields {
			if types[f.Name] != Text && (f.Value == "" || f.Value == "NaN" || f.Value == "Invalid Date") {
				junk[types[f.Name]+" "+strconv.Quote(f.Value)]++
			}
		}
		for _, sf := range fi.Form.SubForms {
			instances[len(sf.Instances)]++
		}
	}
	for _, f := range append(append([]FormDef{}, Forms...), UnknownForms...) {
		for _, n := range append([]string{f.Name}, f.Aliases...) {
			if names[n] == 0 {
				t.Errorf("no submission of form %s", n)
			}
		}
	}
	for _, k := range []string{`numeric ""`, `numeric "NaN"`, `date ""`, `date "Invalid Date"`} {
		if junk[k] == 0 {
			t.Errorf("no %s value", k)
		}
	}
	if instances[0] == 0 || instances[1] == 0 || instances[2]+instances[3] == 0 {
		t.Errorf("sub-form instance counts %v: want some with 0, 1 and several", instances)
	}
}

// Submissions around every 50th position share a serverVersion, so a page
// edge falls inside a shared value; one value is wider than a page.
func TestTies(t *testing.T) {
	srv := NewServer(Generate(3, 2000))
	subs := srv.Submissions()
	for edge := 50; edge < len(subs); edge += 50 {
		if subs[edge-1].ServerVersion != subs[edge].ServerVersion {
			t.Errorf("positions %d and %d do not share a serverVersion", edge-1, edge)
		}
	}
	widest, run := 0, 0
	for i := range subs {
		if i > 0 && subs[i].ServerVersion == subs[i-1].ServerVersion {
			run++
		} else {
			run = 1
		}
		widest = max(widest, run)
	}
	if widest < 150 {
		t.Errorf("widest shared serverVersion holds %d submissions, want 150", widest)
	}
}

func get(t *testing.T, h http.Handler, target string, auth ...string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if len(auth) == 2 {
		req.SetBasicAuth(auth[0], auth[1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	b, _ := io.ReadAll(w.Result().Body)
	return w.Code, b
}

func decode(t *testing.T, b []byte) []Submission {
	t.Helper()
	var out []Submission
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("body is not a JSON array of submissions: %v: %.200s", err, b)
	}
	return out
}

func TestServerPages(t *testing.T) {
	all := Generate(5, 500)
	srv := NewServer(all)
	sorted := srv.Submissions()
	for i := 1; i < len(sorted); i++ {
		a, b := sorted[i-1], sorted[i]
		if a.Version() > b.Version() || (a.Version() == b.Version() && a.InstanceID >= b.InstanceID) {
			t.Fatalf("feed order broken at %d", i)
		}
	}

	code, body := get(t, srv, "/all-form-submissions?timestamp=0&batch-size=100")
	page := decode(t, body)
	if code != 200 || !reflect.DeepEqual(page, sorted[:100]) {
		t.Fatalf("first page: code %d, %d submissions, want the first 100", code, len(page))
	}
	// Strictly greater: asking after the 100th value skips every submission
	// holding it, including those of the next page.
	v := sorted[99].Version()
	_, body = get(t, srv, "/all-form-submissions?timestamp="+strconv.FormatInt(v, 10)+"&batch-size=100")
	page = decode(t, body)
	if len(page) == 0 || page[0].Version() <= v {
		t.Fatalf("page after %d starts at %s", v, page[0].ServerVersion)
	}
	skipped := 0
	for _, s := range sorted[100:] {
		if s.Version() == v {
			skipped++
		}
	}
	if skipped == 0 {
		t.Fatal("the 100th and 101st submissions should share a serverVersion")
	}
	if page[0].InstanceID != sorted[100+skipped].InstanceID {
		t.Fatalf("page after %d does not start right after the shared value", v)
	}
	// Asking from value-1 gives the shared value again.
	_, body = get(t, srv, "/all-form-submissions?timestamp="+strconv.FormatInt(v-1, 10)+"&batch-size=1000")
	page = decode(t, body)
	if page[0].Version() != v {
		t.Fatalf("page after %d starts at %s, want %d", v-1, page[0].ServerVersion, v)
	}
	// No batch-size: everything; past the end: an empty array.
	_, body = get(t, srv, "/all-form-submissions?timestamp=0")
	if n := len(decode(t, body)); n != len(all) {
		t.Fatalf("no batch-size gave %d submissions, want %d", n, len(all))
	}
	last := sorted[len(sorted)-1].Version()
	code, body = get(t, srv, "/all-form-submissions?timestamp="+strconv.FormatInt(last, 10)+"&batch-size=100")
	if code != 200 || string(body) != "[]" {
		t.Fatalf("after the last value: %d %s, want 200 []", code, body)
	}
	// Bad requests.
	for _, target := range []string{"/all-form-submissions", "/all-form-submissions?timestamp=x", "/all-form-submissions?timestamp=0&batch-size=-1"} {
		if code, _ := get(t, srv, target); code != http.StatusBadRequest {
			t.Errorf("%s: code %d, want 400", target, code)
		}
	}
	if code, _ := get(t, srv, "/elsewhere?timestamp=0"); code != http.StatusNotFound {
		t.Errorf("other path: code %d, want 404", code)
	}
}

func TestServerAdd(t *testing.T) {
	g := NewGenerator(Config{Seed: 9})
	first := g.Next(100)
	srv := NewServer(first)
	srv.Add(first[:10]...) // already there: skipped
	if srv.Len() != 100 {
		t.Fatalf("Len %d after adding duplicates, want 100", srv.Len())
	}
	more := g.Next(50)
	srv.Add(more...)
	last := first[len(first)-1].Version()
	_, body := get(t, srv, "/all-form-submissions?timestamp="+strconv.FormatInt(last, 10)+"&batch-size=1000")
	got := decode(t, body)
	want := 0
	for _, s := range more {
		if s.Version() > last {
			want++
		}
	}
	if len(got) != want {
		t.Fatalf("after adding 50: %d new submissions, want %d", len(got), want)
	}
}

func TestServerAuthDelayFaults(t *testing.T) {
	srv := NewServer(Generate(1, 10))
	srv.SetBasicAuth("drishti", "s3cret")
	if code, _ := get(t, srv, "/all-form-submissions?timestamp=0"); code != http.StatusUnauthorized {
		t.Fatalf("no credentials: code %d, want 401", code)
	}
	if code, _ := get(t, srv, "/all-form-submissions?timestamp=0", "drishti", "wrong"); code != http.StatusUnauthorized {
		t.Fatalf("wrong password: code %d, want 401", code)
	}
	if code, _ := get(t, srv, "/all-form-submissions?timestamp=0", "drishti", "s3cret"); code != 200 {
		t.Fatalf("right credentials: code %d, want 200", code)
	}
	srv.SetBasicAuth("", "")

	srv.SetDelay(50 * time.Millisecond)
	start := time.Now()
	get(t, srv, "/all-form-submissions?timestamp=0")
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Fatalf("delay: answered in %v", d)
	}
	srv.SetDelay(0)

	faults := []Fault{InternalError, Unavailable, Truncated}
	srv.SetFaults(func(n int64) Fault {
		if int(n) <= len(faults) {
			return faults[n-1]
		}
		return NoFault
	})
	srv.requests.Store(0)
	if code, _ := get(t, srv, "/all-form-submissions?timestamp=0"); code != 500 {
		t.Errorf("fault 1: code %d, want 500", code)
	}
	if code, _ := get(t, srv, "/all-form-submissions?timestamp=0"); code != 503 {
		t.Errorf("fault 2: code %d, want 503", code)
	}
	code, body := get(t, srv, "/all-form-submissions?timestamp=0")
	if code != 200 || json.Valid(body) {
		t.Errorf("fault 3: code %d, valid JSON %v; want 200 and a cut body", code, json.Valid(body))
	}
	if code, body := get(t, srv, "/all-form-submissions?timestamp=0"); code != 200 || len(decode(t, body)) != 10 {
		t.Errorf("after the faults: code %d", code)
	}

	// Reset closes the connection: a real client sees an error.
	srv.SetFaults(func(int64) Fault { return Reset })
	hs := httptest.NewServer(srv)
	defer hs.Close()
	if resp, err := http.Get(hs.URL + Path + "?timestamp=0"); err == nil {
		resp.Body.Close()
		t.Errorf("reset: got an answer %d, want a connection error", resp.StatusCode)
	}
}
