package infer_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/decanthq/decant/infer"
)

func sample(t *testing.T, place, doc string) infer.Sample {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(strings.NewReader(doc))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return infer.Sample{Doc: m, Place: place}
}

// RFC 1123 dates (a JavaScript client's toUTCString) are dates that need
// the layout rfc1123, listed before iso8601 when the column's other
// samples are ISO dates; an unpadded ISO date needs no layout, since
// decant's defaults read it; an RFC 1123 time of day is a timestamp.
func TestRFC1123Layouts(t *testing.T) {
	samples := []infer.Sample{
		sample(t, "s:1", `{"id": 1, "edd": "Wed, 31 Dec 2014 00:00:00 GMT", "lmp": "2014-3-3", "seen": "Wed, 31 Dec 2014 10:30:00 GMT", "mixed": "2014-03-03"}`),
		sample(t, "s:2", `{"id": 2, "edd": "Thu, 01 Jan 2015 00:00:00 GMT", "lmp": "1989-04-16", "mixed": "Thu, 01 Jan 2015 00:00:00 GMT"}`),
	}
	s, err := infer.Infer(samples, infer.Options{Key: "id", Table: "visits"})
	if err != nil {
		t.Fatal(err)
	}
	tb := s.Tables[0]
	for _, tc := range []struct {
		col     string
		t       infer.Type
		layouts string
	}{
		{"edd", infer.Date, "rfc1123"},
		{"lmp", infer.Date, ""},
		{"seen", infer.Timestamp, "rfc1123"},
		{"mixed", infer.Date, "rfc1123,iso8601"},
	} {
		c := tb.Column(tc.col)
		if c == nil || c.Type != tc.t || strings.Join(c.Layouts, ",") != tc.layouts {
			t.Errorf("%s: %+v, want %s with layouts %q", tc.col, c, tc.t, tc.layouts)
		}
	}
	plan := s.Plan(infer.PlanOptions{Source: "file:s.jsonl", Target: "${DECANT_TARGET}", Migrations: "migrations", Step: "visits"})
	for _, want := range []string{"edd: {layouts: [rfc1123]}", "mixed: {layouts: [rfc1123, iso8601]}", "seen: {layouts: [rfc1123]}"} {
		if !strings.Contains(plan, want) {
			t.Errorf("the plan lacks %q:\n%s", want, plan)
		}
	}
	if strings.Contains(plan, "lmp: {") || strings.Contains(plan, "2006-1-2") {
		t.Errorf("the plan gives the unpadded dates a layout, which decant no longer needs:\n%s", plan)
	}
}
