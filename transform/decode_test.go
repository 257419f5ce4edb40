package transform_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// Ensure AppendJSON writes what encoding/json writes for decoded values
// (sorted names, ES6 float spelling), so JSON columns do not depend on
// which path wrote them.
func TestAppendJSON(t *testing.T) {
	for _, doc := range []string{
		`{"b":1,"a":[true,false,null,"x\"y\n",{"z":{},"y":[]}],"c":"été ☃"}`,
		`[0.000001,0.0000001,1e20,1e21,1.5e300,-2.25,123456789.012345,0]`,
		`[12345678901234567890.5,9223372036854775807,-9223372036854775808]`,
		`"plain"`, `null`, `{}`, `[]`,
		// Names that sort bytewise: capitals first, a prefix before its
		// longer names, non-ASCII last; a few members (sorted by
		// insertion) and more than 16 (by the general sort).
		`{"ab":1,"a b":2,"B":3,"a":4,"é":5,"Z":{"y":1,"x":2,"":3}}`,
		wideObject(17), wideObject(40),
	} {
		v, err := transform.DecodeJSON([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		got, err := transform.AppendJSON([]byte("prefix:"), v)
		if err != nil {
			t.Fatalf("AppendJSON(%s): %v", doc, err)
		}
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != "prefix:"+string(want) {
			t.Errorf("AppendJSON(%s) = %s, want prefix:%s", doc, got, want)
		}
	}
	// Values expressions make (Go ints, typed maps) take encoding/json's path.
	got, err := transform.AppendJSON(nil, map[string]any{"n": 3, "m": map[string]int{"b": 2, "a": 1}})
	if err != nil || string(got) != `{"m":{"a":1,"b":2},"n":3}` {
		t.Errorf("AppendJSON(expression values) = %s, %v", got, err)
	}
}

// wideObject is an object of n members whose names come out of order.
func wideObject(n int) string {
	var sb strings.Builder
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `"k%d":%d`, (i*7)%n, i)
	}
	return "{" + sb.String() + "}"
}

// Ensure DecodeJSON refuses what a text column cannot keep or would
// exhaust a stack, and names the place (JSON pointer) and byte offset; and
// that a record refused for it fails with that reason, not "not valid JSON".
func TestDecodeJSON_Refuses(t *testing.T) {
	t.Parallel()
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	for _, tt := range []struct {
		name, doc string
		err, fail string
	}{
		{"InvalidByteInValue", "{\"id\":\"k\xff\"}", "invalid UTF-8 at /id (byte 8)", "record is not valid UTF-8 at /id (byte 8)"},
		{"InvalidByteNested", "{\"a\":{\"b\":\"x\xfe\"}}", "invalid UTF-8 at /a/b (byte 12)", "record is not valid UTF-8 at /a/b (byte 12)"},
		{"InvalidByteInName", "{\"k\xff\":1}", "invalid UTF-8 at byte 3", "record is not valid UTF-8 at byte 3"},
		{"LoneSurrogate", `{"id":"k\ud800"}`, "invalid UTF-8 at /id (byte 8)", "record is not valid UTF-8 at /id (byte 8)"},
		{"TooDeep", deep(transform.MaxDepth + 1), fmt.Sprintf("nested deeper than %d levels, at byte %d", transform.MaxDepth, transform.MaxDepth),
			fmt.Sprintf("record is nested deeper than %d levels", transform.MaxDepth)},
		{"TooDeepObject", strings.Repeat(`{"a":`, transform.MaxDepth+1) + "1" + strings.Repeat("}", transform.MaxDepth+1),
			"nested deeper than", "record is nested deeper than"},
		{"Syntax", `{"id":"1",}`, "invalid character", "record is not valid JSON"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := transform.DecodeJSON([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("DecodeJSON = %v, %v; want an error with %q", v, err, tt.err)
			}
			m := mustMapper(t, transform.Spec{
				Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
				Map: exprs(t, false, nil, "id", "record.id"),
			})
			_, f := m.Map(decant.Record{Key: "1", Raw: []byte(tt.doc), Where: "in.jsonl:4"}, "default")
			if f == nil || !strings.HasPrefix(f.Message, tt.fail) || !strings.HasPrefix(f.Detail, "in.jsonl:4: ") {
				t.Errorf("Map failure = %+v, want message %q and detail at in.jsonl:4", f, tt.fail)
			}
		})
	}
	// The limit itself, U+FFFD written as such, and escapes that make
	// valid UTF-8 are accepted.
	for _, doc := range []string{deep(transform.MaxDepth), "{\"id\":\"k\xef\xbf\xbd\"}", `{"id":"k\ufffd\u00e9\ud83d\ude00"}`} {
		if _, err := transform.DecodeJSON([]byte(doc)); err != nil {
			t.Errorf("DecodeJSON(%.40q): %v", doc, err)
		}
	}
}

// Ensure a record its source marked invalid is never mapped: it fails with
// the source's reason and where it is.
func TestMapper_InvalidRecord(t *testing.T) {
	t.Parallel()
	m := mustMapper(t, transform.Spec{
		Step: "forms", Key: []string{"id"}, To: transform.Route{Table: "forms"},
		Map: exprs(t, false, nil, "id", "record.id"),
	})
	rec := decant.Record{Raw: []byte(`{"error":"x","text":"1,2\n"}`), Where: "data.csv:7", Invalid: "row has 2 fields, the header has 3"}
	for name, mapIt := range map[string]func() *transform.Failure{
		"Map":      func() *transform.Failure { _, f := m.Map(rec, "default"); return f },
		"MapValue": func() *transform.Failure { _, f := m.MapValue(rec, map[string]any{"id": "1"}, "default"); return f },
	} {
		f := mapIt()
		if f == nil || f.Message != "row has 2 fields, the header has 3 (data.csv:7)" || f.Detail != "data.csv:7: row has 2 fields, the header has 3" {
			t.Errorf("%s failure = %+v", name, f)
		}
	}
}
