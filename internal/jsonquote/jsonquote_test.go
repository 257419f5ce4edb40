package jsonquote

import (
	"bytes"
	"encoding/json"
	"testing"
)

// Ensure Append quotes as encoding/json's Encoder without HTML escaping
// does, byte for byte, for every control byte, quotes, invalid UTF-8 and
// the JavaScript line separators.
func TestAppendIsEncodingJSON(t *testing.T) {
	t.Parallel()
	cases := []string{"", "plain", `q"b\s`, "<&>", "é 太郎", "a\u2028b\u2029c", "bad\xff\xfe", "\xe2\x82"}
	for c := byte(0); c < 0x20; c++ {
		cases = append(cases, "x"+string(rune(c))+"y")
	}
	for _, s := range cases {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got := string(Append(nil, s)); got != string(bytes.TrimSuffix(want.Bytes(), []byte("\n"))) {
			t.Errorf("Append(%q) = %s, want %s", s, got, want.Bytes())
		}
	}
}

// FuzzAppend holds Append to encoding/json's Encoder for any string, and
// to appending after what dst held.
func FuzzAppend(f *testing.F) {
	for _, s := range []string{"", "plain", `q"b\s`, "\x00\x1f\n\r\t\b\f", "ünï\u2028\u2029", "bad\xffutf8\xc3", "<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Skip()
		}
		if got := Append([]byte("x"), s); got[0] != 'x' || !bytes.Equal(got[1:], bytes.TrimSuffix(want.Bytes(), []byte("\n"))) {
			t.Errorf("Append(%q) = %s, want %s", s, got, want.Bytes())
		}
	})
}
