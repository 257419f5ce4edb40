package transform_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/transform"
)

// eval compiles src against the step variables and runs it with record set
// to the decoded recordJSON.
func eval(t *testing.T, src, recordJSON string) (any, error) {
	t.Helper()
	p, err := transform.Compile(src, transform.StepVars, transform.NewFuncs())
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	e := transform.NewEnv()
	if recordJSON != "" {
		rec, err := transform.DecodeJSON([]byte(recordJSON))
		if err != nil {
			t.Fatalf("DecodeJSON(%s): %v", recordJSON, err)
		}
		e.Set("record", rec)
	}
	return e.Eval(p)
}

// funcCase is one call of a built-in function: its result, or a part of its
// error message.
type funcCase struct {
	name    string
	src     string
	record  string
	want    any
	wantErr string
}

func runFuncCases(t *testing.T, cases []funcCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := eval(t, tt.src, tt.record)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("%s = %#v, %v; want an error containing %q", tt.src, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

// drishti is a Drishti form submission: formInstance is JSON held in a
// string (double encoding).
const drishti = `{"instanceId":"d63b","formName":"tt_booster","serverVersion":"1395689767509",
 "formInstance":"{\"form\":{\"bind_type\":\"mother\",\"fields\":[{\"name\":\"id\",\"value\":\"d975\"},{\"name\":\"ttDose\",\"value\":\"ttbooster\"}],\"sub_forms\":[{\"name\":\"child_registration\",\"instances\":[{\"id\":\"f54e\",\"gender\":\"male\"},{\"id\":\"a11c\",\"gender\":\"female\"}]},{\"name\":\"empty\",\"instances\":[]}]}}",
 "decoded":{"form":{"bind_type":"mother","n":3}}}`

func TestJSONDecode(t *testing.T) {
	runFuncCases(t, []funcCase{
		{name: "DoubleEncoded", src: `json_decode(record.formInstance).form.fields[1]`, record: drishti,
			want: map[string]any{"name": "ttDose", "value": "ttbooster"}},
		{name: "NumbersNormalized", src: `json_decode("{\"n\":3,\"f\":1.5}")`,
			want: map[string]any{"n": int64(3), "f": 1.5}},
		{name: "AlreadyDecoded", src: `json_decode(record.decoded)`, record: drishti,
			want: map[string]any{"form": map[string]any{"bind_type": "mother", "n": int64(3)}}},
		{name: "Number", src: `json_decode(7)`, want: 7},
		{name: "Nil", src: `json_decode(nil)`, want: nil},
		{name: "Scalar", src: `json_decode("\"x\"")`, want: "x"},
		{name: "Invalid", src: `json_decode("{\"a\":")`, wantErr: "unexpected EOF"},
		{name: "TrailingData", src: `json_decode("{} x")`, wantErr: "unexpected data after the JSON value"},
		{name: "ArgCount", src: `json_decode("1", "2")`, wantErr: "json_decode takes 1 arguments, got 2"},
	})
}

func TestJSONPath(t *testing.T) {
	runFuncCases(t, []funcCase{
		{name: "OnString", src: `json_path(record.formInstance, "form.fields.1.value")`, record: drishti, want: "ttbooster"},
		{name: "NameTwiceLastWins", src: `json_path(record.s, "a.b")`, record: `{"s":"{\"a\":{\"b\":1,\"b\":2},\"a\":{\"b\":3,\"b\":4}}"}`, want: int64(4)},
		{name: "OnStringQuery", src: `json_path(record.formInstance, "form.fields.#(name==\"id\").value")`, record: drishti, want: "d975"},
		{name: "OnStringObject", src: `json_path(record.formInstance, "form.sub_forms.0.instances.0")`, record: drishti,
			want: map[string]any{"id": "f54e", "gender": "male"}},
		{name: "OnMap", src: `json_path(record.decoded, "form.n")`, record: drishti, want: int64(3)},
		{name: "OnMapArray", src: `json_path(json_decode(record.formInstance), "form.fields.#.name")`, record: drishti,
			want: []any{"id", "ttDose"}},
		{name: "Missing", src: `json_path(record.decoded, "form.nope")`, record: drishti, want: nil},
		{name: "Nil", src: `json_path(nil, "a")`, want: nil},
		{name: "PathNotString", src: `json_path(record.decoded, 1)`, record: drishti, wantErr: "path must be a string"},
		{name: "ArgCount", src: `json_path(record.decoded)`, record: drishti, wantErr: "json_path takes 2 arguments, got 1"},
	})
}

func TestToJSON(t *testing.T) {
	runFuncCases(t, []funcCase{
		{name: "Map", src: `to_json(record.decoded)`, record: drishti, want: `{"form":{"bind_type":"mother","n":3}}`},
		{name: "String", src: `to_json("a\"b")`, want: `"a\"b"`},
		{name: "Nil", src: `to_json(nil)`, want: `null`},
		{name: "ArgCount", src: `to_json()`, wantErr: "to_json takes 1 arguments, got 0"},
	})
}

func TestFields(t *testing.T) {
	runFuncCases(t, []funcCase{
		{name: "DefaultKeys", src: `fields(json_decode(record.formInstance).form.fields)`, record: drishti,
			want: map[string]any{"id": "d975", "ttDose": "ttbooster"}},
		{name: "CustomKeys", src: `fields(record.attrs, "key", "val")`,
			record: `{"attrs":[{"key":"a","val":1},{"key":"b","val":null},{"key":"c"}]}`,
			want:   map[string]any{"a": int64(1), "b": nil, "c": nil}},
		{name: "CustomNameKeyOnly", src: `fields(record.attrs, "key")`,
			record: `{"attrs":[{"key":"a","value":"x"}]}`, want: map[string]any{"a": "x"}},
		{name: "LaterWins", src: `fields(record.f)`,
			record: `{"f":[{"name":"a","value":1},{"name":"a","value":2}]}`, want: map[string]any{"a": int64(2)}},
		{name: "NameOrValueTwiceInAnItemLastWins", src: `fields(record.f)`,
			record: `{"f":[{"name":"a","value":1,"name":"b","value":2},{"name":"c","value":3,"value":4}]}`,
			want:   map[string]any{"b": int64(2), "c": int64(4)}},
		{name: "Nil", src: `fields(nil)`, want: map[string]any{}},
		{name: "Empty", src: `fields(record.f)`, record: `{"f":[]}`, want: map[string]any{}},
		{name: "NotAList", src: `fields(record.f)`, record: `{"f":{"name":"a"}}`, wantErr: "fields: want a list of objects, got map[string]interface {}"},
		{name: "ItemNotObject", src: `fields(record.f)`, record: `{"f":[{"name":"a","value":1},"b"]}`, wantErr: "fields: item 1 is string, not an object"},
		{name: "ItemWithoutName", src: `fields(record.f)`, record: `{"f":[{"value":1}]}`, wantErr: `fields: item 0 has no string "name"`},
		{name: "NameNotString", src: `fields(record.f)`, record: `{"f":[{"name":3,"value":1}]}`, wantErr: `fields: item 0 has no string "name"`},
		{name: "ArgCount", src: `fields()`, wantErr: "fields takes 1 to 3 arguments, got 0"},
	})
}

func TestSnake(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"ttDose", "tt_dose"},                             // camelCase
		{"TtDose", "tt_dose"},                             // PascalCase
		{"dateOfBirth", "date_of_birth"},                  // several words
		{"HTTPServer", "http_server"},                     // leading acronym
		{"getHTTPResponseCode", "get_http_response_code"}, // acronym inside
		{"userID", "user_id"},                             // trailing acronym
		{"APIKey", "api_key"},                             // acronym then word
		{"ID", "id"},                                      // acronym alone
		{"v2API", "v2_api"},                               // digit then acronym
		{"field2Name", "field2_name"},                     // digit then word
		{"dose2", "dose2"},                                // trailing digit
		{"date-of-birth", "date_of_birth"},                // kebab-case
		{"Date of Birth", "date_of_birth"},                // spaces
		{"mother.id", "mother_id"},                        // dots
		{"already_snake", "already_snake"},                // unchanged
		{"Already_Snake", "already_snake"},                // no double underscore
		{"", ""},                                          // empty
		{"Über", "über"},                                  // non-ASCII letters
	} {
		t.Run(tt.in, func(t *testing.T) {
			if got := transform.Snake(tt.in); got != tt.want {
				t.Errorf("Snake(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	runFuncCases(t, []funcCase{
		{name: "Func", src: `snake("ttDose")`, want: "tt_dose"},
		{name: "FuncNotString", src: `snake(1)`, wantErr: "snake: want a string, got int"},
		{name: "FuncArgCount", src: `snake("a", "b")`, wantErr: "snake takes 1 arguments, got 2"},
	})
}

func TestWithWithout(t *testing.T) {
	runFuncCases(t, []funcCase{
		{name: "WithAdds", src: `with(record.m, "c", 3)`, record: `{"m":{"a":1,"b":2}}`,
			want: map[string]any{"a": int64(1), "b": int64(2), "c": 3}},
		{name: "WithReplaces", src: `with(record.m, "a", "x")`, record: `{"m":{"a":1}}`, want: map[string]any{"a": "x"}},
		{name: "WithDoesNotChangeItsArgument", src: `let m2 = with(record.m, "b", 2); record.m`, record: `{"m":{"a":1}}`,
			want: map[string]any{"a": int64(1)}},
		{name: "WithNil", src: `with(nil, "a", 1)`, want: map[string]any{"a": 1}},
		{name: "WithComputedKey", src: `with({}, record.t + "_id", record.id)`, record: `{"t":"mother","id":"m1"}`,
			want: map[string]any{"mother_id": "m1"}},
		{name: "WithNotMap", src: `with("x", "a", 1)`, wantErr: "with: want a map, got string"},
		{name: "WithKeyNotString", src: `with({}, 1, 1)`, wantErr: "with: key must be a string, got int"},
		{name: "WithArgCount", src: `with({}, "a")`, wantErr: "with takes 3 arguments, got 2"},
		{name: "Without", src: `without(record.m, "a", "c", "zz")`, record: `{"m":{"a":1,"b":2,"c":3}}`,
			want: map[string]any{"b": int64(2)}},
		{name: "WithoutNoKeys", src: `without(record.m)`, record: `{"m":{"a":1}}`, want: map[string]any{"a": int64(1)}},
		{name: "WithoutDoesNotChangeItsArgument", src: `let m2 = without(record.m, "a"); record.m`, record: `{"m":{"a":1}}`,
			want: map[string]any{"a": int64(1)}},
		{name: "WithoutNil", src: `without(nil, "a")`, want: map[string]any{}},
		{name: "WithoutNotMap", src: `without([1], "a")`, wantErr: "without: want a map, got []interface {}"},
		{name: "WithoutNoArgs", src: `without()`, wantErr: "without takes a map and keys"},
	})
}

func TestCoalesce(t *testing.T) {
	runFuncCases(t, []funcCase{
		{name: "SkipsNilAndEmpty", src: `coalesce(record.a, record.b, record.c, "d")`, record: `{"a":null,"b":"","c":"x"}`, want: "x"},
		{name: "Missing", src: `coalesce(record.nope, "default")`, record: `{}`, want: "default"},
		{name: "KeepsZero", src: `coalesce(nil, 0, 1)`, want: 0},
		{name: "KeepsFalse", src: `coalesce("", false, true)`, want: false},
		{name: "KeepsSpace", src: `coalesce("", " ")`, want: " "},
		{name: "AllEmpty", src: `coalesce(nil, "")`, want: nil},
		{name: "NoArgs", src: `coalesce()`, want: nil},
	})
}

func TestParseTime(t *testing.T) {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	runFuncCases(t, []funcCase{
		{name: "UnixString", src: `parse_time("1395689767", "unix")`, want: time.Unix(1395689767, 0).UTC()},
		{name: "UnixNumber", src: `parse_time(record.t, "unix")`, record: `{"t":1395689767}`, want: time.Unix(1395689767, 0).UTC()},
		{name: "UnixMsString", src: `parse_time(record.serverVersion, "unix_ms")`, record: drishti, want: time.UnixMilli(1395689767509).UTC()},
		{name: "UnixMsNumber", src: `parse_time(record.t, "unix_ms")`, record: `{"t":1395689767509}`, want: time.UnixMilli(1395689767509).UTC()},
		{name: "UnixFraction", src: `parse_time(1.5, "unix")`, wantErr: "want unix epoch number: not a whole number"},
		{name: "UnixNotNumber", src: `parse_time("soon", "unix_ms")`, wantErr: "want unix_ms epoch number"},
		{name: "RFC3339", src: `parse_time("2024-03-10T10:00:00.123+05:30", "rfc3339")`,
			want: time.Date(2024, 3, 10, 4, 30, 0, 123e6, time.UTC)},
		{name: "DefaultLayoutZ", src: `parse_time("2024-03-10T10:00:00Z")`, want: time.Date(2024, 3, 10, 10, 0, 0, 0, time.UTC)},
		{name: "DefaultLayoutSpace", src: `parse_time("2024-03-10 10:00:00")`, want: time.Date(2024, 3, 10, 10, 0, 0, 0, time.UTC)},
		{name: "DefaultLayoutMinutes", src: `parse_time("2024-03-10T10:00")`, want: time.Date(2024, 3, 10, 10, 0, 0, 0, time.UTC)},
		{name: "DefaultLayoutDate", src: `parse_time("2024-03-10")`, want: time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC)},
		{name: "DefaultLayoutTrimmed", src: `parse_time(" 2024-03-10 ")`, want: time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC)},
		{name: "DefaultLayoutInZone", src: `parse_time("2024-03-10 10:00:00", "", "Asia/Kolkata")`,
			want: time.Date(2024, 3, 10, 10, 0, 0, 0, kolkata)},
		{name: "OffsetWinsOverZone", src: `parse_time("2024-03-10T10:00:00Z", "", "Asia/Kolkata")`,
			want: time.Date(2024, 3, 10, 10, 0, 0, 0, time.UTC)},
		{name: "GoLayout", src: `parse_time("10/03/2024 10:00", "02/01/2006 15:04")`, want: time.Date(2024, 3, 10, 10, 0, 0, 0, time.UTC)},
		{name: "GoLayoutInZone", src: `parse_time("10/03/2024 10:00", "02/01/2006 15:04", "Asia/Kolkata")`,
			want: time.Date(2024, 3, 10, 4, 30, 0, 0, time.UTC)},
		{name: "GoLayoutDST", src: `parse_time("2024-07-01 12:00", "2006-01-02 15:04", "America/New_York")`,
			want: time.Date(2024, 7, 1, 16, 0, 0, 0, time.UTC)},
		{name: "GoLayoutMismatch", src: `parse_time("2024-03-10", "02/01/2006")`, wantErr: `does not match layout "02/01/2006"`},
		{name: "NotISO", src: `parse_time("Invalid Date")`, wantErr: "not an ISO 8601 time"},
		{name: "NotString", src: `parse_time(true)`, wantErr: "want a string"},
		{name: "Nil", src: `parse_time(nil, "unix")`, want: nil},
		{name: "BadZone", src: `parse_time("2024-03-10", "", "Mars/Olympus")`, wantErr: `parse_time: zone "Mars/Olympus"`},
		{name: "ArgCount", src: `parse_time()`, wantErr: "parse_time takes 1 to 3 arguments, got 0"},
	})
}

func TestUnnest(t *testing.T) {
	got, err := eval(t, `unnest(json_decode(record.formInstance).form.sub_forms, "instances")`, drishti)
	if err != nil {
		t.Fatal(err)
	}
	items, ok := got.([]any)
	if !ok || len(items) != 2 {
		t.Fatalf("unnest = %#v, want 2 items", got)
	}
	for i, want := range []struct{ id, gender string }{{"f54e", "male"}, {"a11c", "female"}} {
		m := items[i].(map[string]any)
		parent, _ := m["_parent"].(map[string]any)
		if m["id"] != want.id || m["gender"] != want.gender || parent["name"] != "child_registration" {
			t.Errorf("item %d = %#v, want id %s gender %s and _parent.name child_registration", i, m, want.id, want.gender)
		}
	}

	// The items are copies: the source instances do not get a _parent.
	got, err = eval(t, `let f = json_decode(record.formInstance).form; let u = unnest(f.sub_forms, "instances"); f.sub_forms[0].instances[0]`, drishti)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"id": "f54e", "gender": "male"}, got); diff != "" {
		t.Errorf("source instance changed (-want +got):\n%s", diff)
	}

	runFuncCases(t, []funcCase{
		{name: "ParentName", src: `map(unnest(record.s, "i"), ._parent.name + ":" + .v)`,
			record: `{"s":[{"name":"a","i":[{"v":"1"},{"v":"2"}]},{"name":"b","i":[{"v":"3"}]}]}`, want: []any{"a:1", "a:2", "b:3"}},
		{name: "FieldMissing", src: `unnest(record.s, "i")`, record: `{"s":[{"name":"a"}]}`, want: []any(nil)},
		{name: "NotAList", src: `unnest(record.s, "i")`, record: `{"s":{"i":[]}}`, want: []any(nil)},
		{name: "Nil", src: `unnest(nil, "i")`, want: []any(nil)},
		{name: "ParentNotObject", src: `unnest(record.s, "i")`, record: `{"s":[1]}`, wantErr: "unnest: item 0 is int64, not an object"},
		{name: "ChildNotObject", src: `unnest(record.s, "i")`, record: `{"s":[{"i":["x"]}]}`, wantErr: "unnest: want a map, got string"},
		{name: "FieldNotString", src: `unnest(record.s, 1)`, record: `{"s":[]}`, wantErr: "unnest: field must be a string"},
		{name: "ArgCount", src: `unnest(record.s)`, record: `{"s":[]}`, wantErr: "unnest takes 2 arguments, got 1"},
	})
}

// Ensure the expr-lang built-ins that docs/plan.md recommends work with the
// values decant's functions produce.
func TestExprBuiltins(t *testing.T) {
	const rec = `{"name":"  Asha Rao ","tags":"a,b,c","items":[{"x":1},{"x":2},{"x":3}],"m":{"k":"v"}}`
	runFuncCases(t, []funcCase{
		{name: "Upper", src: `upper(trim(record.name))`, record: rec, want: "ASHA RAO"},
		{name: "Lower", src: `lower(record.m.k)`, record: rec, want: "v"},
		{name: "Split", src: `split(record.tags, ",")`, record: rec, want: []string{"a", "b", "c"}},
		{name: "Len", src: `len(record.items)`, record: rec, want: 3},
		{name: "Map", src: `map(record.items, .x * 10)`, record: rec, want: []any{10, 20, 30}},
		{name: "Filter", src: `len(filter(record.items, .x > 1))`, record: rec, want: 2},
		{name: "SafeNavigation", src: `record.nope?.x`, record: rec, want: nil},
		{name: "NilCoalescing", src: `record.nope ?? "none"`, record: rec, want: "none"},
		{name: "Ternary", src: `record.m.k == "v" ? "yes" : "no"`, record: rec, want: "yes"},
		{name: "LetInside", src: `let n = trim(record.name); n + "!"`, record: rec, want: "Asha Rao!"},
		{name: "MissingKeyIsNil", src: `record.nope`, record: rec, want: nil},
		{name: "MemberOfNil", src: `record.nope.x`, record: rec, wantErr: "cannot fetch x from <nil>"},
	})
}

// Ensure DecodeJSON keeps numbers exact: int64 when integral, float64 when
// 15 significant digits hold them, json.Number otherwise.
func TestDecodeJSON(t *testing.T) {
	for _, tt := range []struct {
		name    string
		in      string
		want    any
		wantErr string
	}{
		{"Int", `42`, int64(42), ""},
		{"NegativeInt", `-7`, int64(-7), ""},
		{"MaxInt64", `9223372036854775807`, int64(9223372036854775807), ""},
		{"BeyondInt64", `9223372036854775808`, json.Number("9223372036854775808"), ""},
		{"Float", `1.5`, 1.5, ""},
		{"IntegralFloat", `3.0`, 3.0, ""},
		{"Exponent", `1e3`, 1000.0, ""},
		{"FifteenDigits", `123456789.012345`, 123456789.012345, ""},
		{"SixteenDigits", `1234567890.123456`, json.Number("1234567890.123456"), ""},
		{"SmallWithLeadingZeros", `0.000123`, 0.000123, ""},
		{"LongFraction", `0.1234567890123456789`, json.Number("0.1234567890123456789"), ""},
		{"OutOfRange", `1e400`, json.Number("1e400"), ""},
		{"Nested", `{"a":[1,2.5,{"b":12345678901234567890.5}],"s":"x","n":null,"t":true}`, map[string]any{
			"a": []any{int64(1), 2.5, map[string]any{"b": json.Number("12345678901234567890.5")}},
			"s": "x", "n": nil, "t": true,
		}, ""},
		{"Whitespace", " \n{\"a\":1}\n ", map[string]any{"a": int64(1)}, ""},
		{"Empty", ``, nil, "EOF"},
		{"Invalid", `{"a":}`, nil, "missing value after object name"},
		{"InvalidLiteral", `{"a":nul}`, nil, "invalid character"},
		{"DuplicateNameLastWins", `{"a":1,"b":{"c":1,"c":[2]},"a":2}`, map[string]any{"a": int64(2), "b": map[string]any{"c": []any{int64(2)}}}, ""},
		{"TrailingValue", `1 2`, nil, "unexpected data after the JSON value at byte 2"},
		{"TrailingText", `{"a":1} x`, nil, "unexpected data after the JSON value"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := transform.DecodeJSON([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("DecodeJSON(%s) = %#v, %v; want error %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("DecodeJSON(%s) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// Ensure a closing bracket or brace after the value is an error like any
// other trailing data.
//
// Fails as of this writing: DecodeJSON (transform/funcs.go) tests
// json.Decoder.More, which is false when the next byte is ']' or '}', so
// `{"a":1}}` and `[1]]` decode without error.
func TestDecodeJSON_TrailingBracket(t *testing.T) {
	for _, in := range []string{`{"a":1}}`, `[1]]`, `{"a":1} ]`, `1}`} {
		if got, err := transform.DecodeJSON([]byte(in)); err == nil {
			t.Errorf("DecodeJSON(%s) = %#v, nil; want an error", in, got)
		}
	}
}
