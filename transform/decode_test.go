package transform_test

import (
	"encoding/json"
	"testing"

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
