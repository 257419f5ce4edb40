// Package jsonkey reads record keys and cursors out of JSON documents for
// the sources, byte-exactly, so that two different keys never read the same.
package jsonkey

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/tidwall/gjson"
)

// Text is the text of a string or number, "" for anything else, so an
// object or array never becomes a key.
//
// A string keeps what its JSON says, byte for byte: invalid UTF-8 stays as
// it is, and an escaped lone surrogate (\ud800) becomes its three WTF-8
// bytes instead of U+FFFD. gjson makes both U+FFFD, which would merge
// "k\xff", "k\xfe", "k\ud800" and a real "k\ufffd" into one key. The
// result is then not valid UTF-8; the record fails to decode and
// decant.LedgerKey quotes its key for storage.
func Text(r gjson.Result) string {
	switch r.Type {
	case gjson.String:
		if !strings.Contains(r.Raw, `\`) || !hasSurrogateEscape(r.Raw) {
			return r.Str
		}
		return unescape(strings.TrimSuffix(strings.TrimPrefix(r.Raw, `"`), `"`))
	case gjson.Number:
		return r.Raw
	}
	return ""
}

// hasSurrogateEscape reports whether raw holds a \uD800-\uDFFF escape.
func hasSurrogateEscape(raw string) bool {
	for i := strings.Index(raw, `\u`); i >= 0 && i+6 <= len(raw); {
		if r, ok := hex4(raw[i+2:]); ok && utf16.IsSurrogate(r) {
			return true
		}
		next := strings.Index(raw[i+2:], `\u`)
		if next < 0 {
			break
		}
		i += 2 + next
	}
	return false
}

// unescape decodes the inside of a JSON string, keeping invalid UTF-8 and
// writing lone surrogates in WTF-8.
func unescape(raw string) string {
	b := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' || i+1 == len(raw) {
			b = append(b, c)
			continue
		}
		i++
		switch c = raw[i]; c {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := hex4(raw[i+1:])
			if !ok {
				b = append(b, '\\', c)
				continue
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if r2, ok := lowSurrogate(raw[i+1:]); ok && r < 0xDC00 {
					b = utf8.AppendRune(b, utf16.DecodeRune(r, r2))
					i += 6
					continue
				}
				b = append(b, 0xE0|byte(r>>12), 0x80|byte(r>>6)&0x3F, 0x80|byte(r)&0x3F)
				continue
			}
			b = utf8.AppendRune(b, r)
		default: // \" \\ \/ and anything gjson let through
			b = append(b, c)
		}
	}
	return string(b)
}

// lowSurrogate reads a \uDC00-\uDFFF escape at the start of s.
func lowSurrogate(s string) (rune, bool) {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return 0, false
	}
	r, ok := hex4(s[2:])
	return r, ok && r >= 0xDC00 && r <= 0xDFFF
}

func hex4(s string) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[:4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// Get is gjson.GetBytes(raw, path) by decant's rule for a name given
// twice in one object: the last one wins, as transform.DecodeJSON decodes
// the record, so that a record's key (its ledger key) is the value its
// row gets. gjson takes the first. The rule holds for a path that is a
// chain of member names (id, meta.id: letters, digits and underscores,
// not starting with a digit); any other gjson path (wildcards, array
// indexes, modifiers) is gjson's, first match.
//
// It costs gjson's look-up and a scan of raw for each name of the path
// when no name is there twice, which is nearly always.
func Get(raw []byte, path string) gjson.Result {
	r := gjson.GetBytes(raw, path)
	names, ok := memberChain(path)
	if !ok || len(raw) == 0 || once(unsafe.String(&raw[0], len(raw)), names) {
		return r
	}
	return lastOf(gjson.ParseBytes(raw), names)
}

// GetString is Get of a document held in a string.
func GetString(raw, path string) gjson.Result {
	r := gjson.Get(raw, path)
	names, ok := memberChain(path)
	if !ok || once(raw, names) {
		return r
	}
	return lastOf(gjson.Parse(raw), names)
}

// lastOf walks the member chain names from v, taking at each level the
// last member of the name.
func lastOf(v gjson.Result, names []string) gjson.Result {
	for _, name := range names {
		if !v.IsObject() {
			return gjson.Result{}
		}
		var last gjson.Result
		v.ForEach(func(k, m gjson.Result) bool {
			if k.Str == name {
				last = m
			}
			return true
		})
		v = last
	}
	return v
}

// memberChain splits a gjson path into its member names; ok is false
// when it is not a chain of names that Get can walk.
func memberChain(path string) ([]string, bool) {
	names := strings.Split(path, ".")
	for _, n := range names {
		if !IsName(n) {
			return nil, false
		}
	}
	return names, true
}

// IsName reports whether s is a letter or an underscore followed by
// letters, digits and underscores: a gjson path that names a member and
// nothing else (no dots, wildcards, modifiers or array indexes).
func IsName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '_' && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}

// once reports whether each of names is written at most once in raw, as
// "name", and raw has no \u escape, which could spell a name otherwise:
// then no object of raw has one of them twice. A name seen twice (or
// also as a string value) only costs Get a walk.
func once(raw string, names []string) bool {
	if strings.Contains(raw, `\u`) {
		return false
	}
	for _, n := range names {
		q := `"` + n + `"` // on the stack for a short name
		if i := strings.Index(raw, q); i >= 0 && strings.Contains(raw[i+len(q):], q) {
			return false
		}
	}
	return true
}
