package couchdb

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// pageBodies are _all_docs answers, good and bad, that docsPage must read
// as encoding/json reads them into the same struct.
var pageBodies = []string{
	`{"total_rows":2,"offset":0,"rows":[{"id":"a","key":"a","value":{"rev":"1-x"},"doc":{"_id":"a","n":1}},{"id":"b","key":"b","value":{"rev":"1-y"},"doc":{"_id":"b","s":"x\"y"}}]}`,
	`{"rows":[]}`,
	`{"total_rows":0,"rows":[],"offset":0}`,
	`{"rows":[{"id":"\u00e9t\u00e9 \ud83d\ude00 \\ \/ \n","doc":{"a":[1,2,{"b":null}]}}]}`,
	`{"rows":[{"id":"lone \ud800 surrogate","doc":{}}]}`,
	`{"rows":[{"id":"\ud800\u0041","doc":{}},{"id":"\ud800\u0042","doc":{}}]}`,
	`{"rows":[{"id":"\udc00\ud800","doc":{}},{"id":"\ud800\ud800\udc00","doc":{}}]}`,
	`{"rows":[{"key":"gone","error":"not_found"},{"id":"x","doc":null}]}`,
	`{"rows":[{"id":"x","value":{"rev":"2-z","deleted":true},"doc":null}]}`,
	"{ \"rows\" : [ { \"doc\" : { \"k\" : 1 } , \"id\" : \"late id\" } ] }\n",
	`{"rows":null}`,
	`{"offset":0}`,
	`{"rows":[{"id":null,"doc":{}}]}`,
	`{"rows":[null,{"id":"a","doc":{}}]}`,
	`{"rows":[{"ID":"upper","Doc":{}}]}`,
	`{"rows":[{"id":"twice","id":"last","doc":1,"doc":2}]}`,
	// Bad bodies: both must refuse them.
	`{"rows":[{"id":"a","doc":{"_id":"a"}}`,
	`{"rows":{"id":"a"}}`,
	`{"rows":[1,2]}`,
	`{"rows":[{"id":7,"doc":{}}]}`,
	`<html>proxy error</html>`,
	``,
}

func TestDocsPageDecodesAsEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, body := range pageBodies {
		checkPage(t, []byte(body))
	}
}

func FuzzDocsPage(f *testing.F) {
	for _, b := range pageBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkPage(t, body) })
}

// checkPage decodes body with docsPage and with encoding/json, whose
// names match exactly here (rows as maps) as CouchDB's do.
func checkPage(t *testing.T, body []byte) {
	t.Helper()
	var top map[string]json.RawMessage
	var rows []map[string]json.RawMessage
	wantErr := json.Unmarshal(body, &top)
	if r, ok := top["rows"]; ok && wantErr == nil {
		wantErr = json.Unmarshal(r, &rows)
	}
	var want []docRow
	for _, r := range rows {
		var d docRow
		if id, ok := r["id"]; ok && wantErr == nil {
			wantErr = json.Unmarshal(id, &d.ID)
		}
		if doc, ok := r["doc"]; ok {
			d.Doc = doc
		}
		want = append(want, d)
	}
	var got docsPage
	gotErr := got.decodePage(body)
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("%q: encoding/json says %v, docsPage says %v", body, wantErr, gotErr)
	}
	if wantErr != nil || !utf8.Valid(body) {
		return // encoding/json reads invalid UTF-8 in an id as U+FFFD
	}
	norm := func(rows []docRow) []docRow {
		out := make([]docRow, len(rows))
		for i, r := range rows {
			out[i] = docRow{ID: r.ID, Doc: json.RawMessage(string(r.Doc))}
			if len(r.Doc) == 0 {
				out[i].Doc = nil
			}
		}
		return out
	}
	if diff := cmp.Diff(norm(want), norm(got.Rows)); diff != "" {
		t.Errorf("%q: rows differ (-encoding/json +docsPage):\n%s", body, diff)
	}
}

// TestPositionMarshal: the hand-written encoding is json.Marshal's but for
// HTML characters, and reads back as the same position.
func TestPositionMarshal(t *testing.T) {
	t.Parallel()
	for _, p := range []position{
		{Phase: phaseBulk, Since: json.RawMessage(`17`), Last: "doc-0042"},
		{Phase: phaseBulk, Since: json.RawMessage(`"23-g1AAAA\"x"`), Last: "é \u2028 \x01 \"q\" \\"},
		{Phase: phaseChanges, Since: json.RawMessage(`"23-g1AAAA"`)},
		{Phase: phaseChanges, Since: json.RawMessage(` 5 `)},
		{Phase: phaseChanges, Since: nil}, // a change without a seq: null, refused on reading
	} {
		got := p.marshal()
		want, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("marshal = %s, json.Marshal = %s", got, want)
		}
		back, err := parsePosition(got)
		if p.Since == nil {
			if err == nil {
				t.Errorf("%s read back as %+v, want an error: a position needs a seq", got, back)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", got, err)
		}
		if back.Phase != p.Phase || back.Last != p.Last || string(back.Since) != string(bytes.TrimSpace(p.Since)) {
			t.Errorf("%s read back as %+v, want %+v", got, back, p)
		}
	}
	p := position{Phase: phaseBulk, Since: json.RawMessage(`1`), Last: "<a&b>"}
	if got := string(p.marshal()); got != `{"phase":"bulk","since":1,"last":"<a&b>"}` {
		t.Errorf("marshal = %s: HTML characters are kept as they are", got)
	}
}
