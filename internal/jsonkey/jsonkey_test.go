package jsonkey_test

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/decanthq/decant/internal/jsonkey"
)

// Ensure keys are read byte-exactly: strings that differ in the source stay
// different, whether the difference is a raw invalid byte or an escaped
// lone surrogate, and valid keys read as gjson reads them.
func TestText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ doc, want string }{
		{`{"id":"k"}`, "k"},
		{`{"id":12}`, "12"},
		{`{"id":-1.5e3}`, "-1.5e3"},
		{`{"id":{"a":1}}`, ""},
		{`{"id":[1]}`, ""},
		{`{"id":true}`, ""},
		{`{"id":null}`, ""},
		{`{}`, ""},
		{"{\"id\":\"k\xff\"}", "k\xff"},
		{"{\"id\":\"k\xfe\"}", "k\xfe"},
		{"{\"id\":\"k\xef\xbf\xbd\"}", "k\ufffd"},
		{`{"id":"k\ufffd"}`, "k\ufffd"},
		{`{"id":"k\ud800"}`, "k\xed\xa0\x80"},
		{`{"id":"k\uDC00x"}`, "k\xed\xb0\x80x"},
		{`{"id":"\ud800\ud800"}`, "\xed\xa0\x80\xed\xa0\x80"},
		{`{"id":"\udc00\ud83d\ude00"}`, "\xed\xb0\x80😀"},
		{`{"id":"a\"b\\c\/d\n\t\u00e9\ud83d\ude00\ud800"}`, "a\"b\\c/d\n\té😀\xed\xa0\x80"},
	} {
		if got := jsonkey.Text(gjson.Get(tt.doc, "id")); got != tt.want {
			t.Errorf("Text(%s) = %q, want %q", tt.doc, got, tt.want)
		}
	}
	// The four look-alikes of the issue stay four keys.
	seen := map[string]bool{}
	for _, doc := range []string{"{\"id\":\"k\xff\"}", "{\"id\":\"k\xfe\"}", "{\"id\":\"k\xef\xbf\xbd\"}", `{"id":"k\ud800"}`} {
		seen[jsonkey.Text(gjson.Get(doc, "id"))] = true
	}
	if len(seen) != 4 {
		t.Errorf("look-alike keys read as %d keys, want 4: %v", len(seen), seen)
	}
}

// Ensure any valid string, however it is escaped, reads back as itself.
func TestText_RoundTrip(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune{'a', '"', '\\', '/', '\n', '\u0001', 'é', '\u2028', '😀', '\ufffd', '\ud7ff', '\ue000'}
	for range 2000 {
		rs := make([]rune, rng.IntN(8))
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(rs)
		b, _ := json.Marshal(map[string]string{"id": s})
		if got := jsonkey.Text(gjson.GetBytes(b, "id")); got != s || !utf8.ValidString(got) {
			t.Fatalf("Text(%s) = %q, want %q", b, got, s)
		}
		// The same string with every character escaped as \uXXXX.
		esc := []byte(`{"id":"`)
		for _, r := range s {
			if r > 0xFFFF {
				r1, r2 := (r-0x10000)>>10+0xD800, (r-0x10000)&0x3FF+0xDC00
				esc = append(esc, []byte(`\u`+hex(r1)+`\u`+hex(r2))...)
				continue
			}
			esc = append(esc, []byte(`\u`+hex(r))...)
		}
		esc = append(esc, `"}`...)
		if got := jsonkey.Text(gjson.GetBytes(esc, "id")); got != s {
			t.Fatalf("Text(%s) = %q, want %q", esc, got, s)
		}
	}
}

func hex(r rune) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[r>>12&0xF], digits[r>>8&0xF], digits[r>>4&0xF], digits[r&0xF]})
}

// Ensure Get and GetString give the last member of a name given twice, at every level
// of a member chain, however the name is spelled, as decoding the record
// keeps it; and gjson's own answer when no name is there twice or the
// path is not a chain of names.
func TestGet_LastWins(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ doc, path, want string }{
		{`{"id":"first","n":1,"id":"last"}`, "id", "last"},
		{`{"id":1,"id":2,"id":3}`, "id", "3"},
		{`{"id":"a","\u0069d":"escaped"}`, "id", "escaped"},
		{`{"\u0069d":"escaped","id":"plain"}`, "id", "plain"},
		{`{"meta":{"id":1,"id":2},"id":"top"}`, "meta.id", "2"},
		{`{"meta":{"id":1},"meta":{"id":2}}`, "meta.id", "2"},
		{`{"meta":{"id":1},"meta":{"org":2}}`, "meta.id", ""},
		{`{"meta":{"id":1},"meta":"text"}`, "meta.id", ""},
		{`{"id":"x","name":"id"}`, "id", "x"},
		{`{"a":{"id":1},"id":"top"}`, "id", "top"},
		{`{"id":"k\u00e9"}`, "id", "ké"},
		{`{"items":[{"id":1},{"id":2}]}`, "items.1.id", "2"},
	} {
		if got := jsonkey.Text(jsonkey.Get([]byte(tt.doc), tt.path)); got != tt.want {
			t.Errorf("Get(%s, %q) = %q, want %q", tt.doc, tt.path, got, tt.want)
		}
		if got := jsonkey.Text(jsonkey.GetString(tt.doc, tt.path)); got != tt.want {
			t.Errorf("GetString(%s, %q) = %q, want %q", tt.doc, tt.path, got, tt.want)
		}
	}
	if r := jsonkey.Get([]byte(`{"id":{"a":1},"id":{"b":2}}`), "id"); r.Raw != `{"b":2}` {
		t.Errorf("Get of an object given twice = %s, want the last", r.Raw)
	}
}
