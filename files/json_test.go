package files

import (
	"encoding/json"
	"testing"
)

// FuzzAppendJSONString checks that appendJSONString produces JSON that
// decodes to what encoding/json's own encoding decodes to.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"b\s`, "\x00\x1f\n\r\t\b\f", "ünï\u2028\u2029", "bad\xffutf8\xc3", "<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendJSONString([]byte("x"), s)[1:]
		var got, want string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q encodes to invalid JSON %s: %v", s, b, err)
		}
		std, _ := json.Marshal(s)
		_ = json.Unmarshal(std, &want)
		if got != want {
			t.Errorf("%q: decodes to %q, encoding/json's to %q", s, got, want)
		}
	})
}
