package transform

import (
	"bytes"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

// Ensure appendQuote quotes every string as jsontext.AppendQuote does:
// each byte alone, between others and at the ends, and strings jsontext
// escapes or refuses.
func TestAppendQuote(t *testing.T) {
	t.Parallel()
	check := func(s string) {
		t.Helper()
		want, wantErr := jsontext.AppendQuote([]byte("p"), s)
		got, gotErr := appendQuote([]byte("p"), s)
		if !bytes.Equal(got, want) || (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("appendQuote(%q) = %q, %v; jsontext gives %q, %v", s, got, gotErr, want, wantErr)
		}
	}
	for c := range 256 {
		check(string(rune(c)))
		check(string([]byte{byte(c)}))
		check("a" + string([]byte{byte(c)}) + "b")
	}
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "<>&", "\u2028\u2029", "é", "\xff", "tab\there", "\x7f"} {
		check(s)
	}
}

func FuzzAppendQuote(f *testing.F) {
	f.Add("silver")
	f.Add("a\"b\\c\x00\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		want, wantErr := jsontext.AppendQuote(nil, s)
		got, gotErr := appendQuote(nil, s)
		if !bytes.Equal(got, want) || (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("appendQuote(%q) = %q, %v; jsontext gives %q, %v", s, got, gotErr, want, wantErr)
		}
	})
}
