// Package jsonscan checks JSON text quickly where a general validator is
// not needed to be sure.
package jsonscan

import (
	"bytes"
	"encoding/binary"

	"github.com/decanthq/decant/internal/jsonkey"
)

// Plain reports whether b is a JSON document (RFC 8259) made only of
// what no validator disputes: printable ASCII strings with the short
// escapes (\" \\ \/ \b \f \n \r \t), numbers, literals, objects and
// arrays nested at most MaxDepth deep, and JSON's whitespace. False says
// nothing: b may be invalid, or valid but with something Plain does not
// judge (a \u escape, a byte that is not ASCII, deeper nesting); the
// caller then asks its own validator. So "Plain(b) || valid(b)" is
// valid(b) for any validator that accepts every JSON document, and
// costs less on the plain records most files hold: gjson.ValidBytes was
// a tenth of the client's CPU reading a JSONL file, and a JSONL record
// is almost always plain.
func Plain(b []byte) bool {
	// open holds, per level of nesting, whether it is an object (1) or an
	// array (0); depth is the number of open levels.
	var open uint64
	depth := 0
	i := skipSpace(b, 0)
	for {
		// A value at b[i].
		if i >= len(b) {
			return false
		}
		switch c := b[i]; {
		case c == '{' || c == '[':
			if depth == MaxDepth {
				return false
			}
			open = open<<1 | uint64(boolInt(c == '{'))
			depth++
			i = skipSpace(b, i+1)
			if i < len(b) && (b[i] == '}' && c == '{' || b[i] == ']' && c == '[') {
				depth--
				open >>= 1
				i++
				break
			}
			if c == '{' {
				if i = member(b, i); i < 0 {
					return false
				}
			}
			continue
		case c == '"':
			if i = str(b, i); i < 0 {
				return false
			}
		case c == 't':
			if i = lit(b, i, "true"); i < 0 {
				return false
			}
		case c == 'f':
			if i = lit(b, i, "false"); i < 0 {
				return false
			}
		case c == 'n':
			if i = lit(b, i, "null"); i < 0 {
				return false
			}
		default:
			var ok bool
			if i, ok = NumberEnd(b, i); !ok {
				return false
			}
		}
		// After a value: the end of the document, or of containers, or a
		// comma and the next value.
		for {
			i = skipSpace(b, i)
			if depth == 0 {
				return i == len(b)
			}
			if i >= len(b) {
				return false
			}
			obj := open&1 == 1
			if b[i] == ',' {
				i = skipSpace(b, i+1)
				if obj {
					if i = member(b, i); i < 0 {
						return false
					}
				}
				break
			}
			if obj && b[i] != '}' || !obj && b[i] != ']' {
				return false
			}
			i++
			depth--
			open >>= 1
		}
	}
}

// MaxDepth is the deepest nesting Plain judges.
const MaxDepth = 64

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// member reads an object member's name and colon at b[i], returning the
// index of its value (after space), or -1.
func member(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	if i = str(b, i); i < 0 {
		return -1
	}
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != ':' {
		return -1
	}
	return skipSpace(b, i+1)
}

// skipSpace returns the index of the first byte at or after i that is
// not JSON whitespace.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// plainByte marks the bytes a plain string holds as they are: printable
// ASCII but the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := ' '; c <= '~'; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str reads the string at b[i] (its quote), returning the index after
// its closing quote, or -1.
func str(b []byte, i int) int {
	i++
	// Eight bytes at a time while none of them needs a look: most
	// strings are plain text.
	for i+8 <= len(b) && plain8(binary.LittleEndian.Uint64(b[i:])) {
		i += 8
	}
	for ; i < len(b); i++ {
		if plainByte[b[i]] {
			continue
		}
		switch b[i] {
		case '"':
			return i + 1
		case '\\':
			if i+1 < len(b) {
				switch b[i+1] {
				case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
					i++
					continue
				}
			}
		}
		return -1
	}
	return -1
}

// Bytes of eight lanes of a uint64.
const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plain8 reports whether the eight bytes of x are all plainByte: none
// below a space, none at or above DEL, no quote and no backslash.
func plain8(x uint64) bool {
	return (x-lows*' ')&^x&highs == 0 && // no byte below ' '
		(x|(x+lows))&highs == 0 && // none at or above 0x7f (0x7f+1 sets the high bit)
		zero(x^(lows*'"')) == 0 && zero(x^(lows*'\\')) == 0
}

// zero is not 0 when a byte of x is 0.
func zero(x uint64) uint64 { return (x - lows) &^ x & highs }

func lit(b []byte, i int, lit string) int {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

// NumberEnd returns the index after the JSON number at b[i]; ok is false
// when there is none (end is then where it stopped).
func NumberEnd(b []byte, i int) (end int, ok bool) {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digits(b, i)
	default:
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		if j := digits(b, i+1); j > i+1 {
			i = j
		} else {
			return i, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if j := digits(b, i); j > i {
			i = j
		} else {
			return i, false
		}
	}
	return i, true
}

// digits returns the index after the decimal digits at b[i:].
func digits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

// PlainKey is the text of the member name of the document b's object as
// jsonkey.Text(jsonkey.Get(b, name)) gives it (the last member of that
// name, when there are several), found without gjson for
// a plain document (Plain) whose member is at its top: a string without
// escapes, a number as written, empty for other values and for no
// member. The text is b's own bytes (a caller that never writes b again
// can keep it without a copy). ok is false when PlainKey is not sure of
// that (b not Plain, not an object, name not an identifier, a string with
// an escape); the caller then asks gjson. A record's key is most often
// its first member, and the name is most often not written again, so
// this costs next to nothing after Plain.
func PlainKey(b []byte, name string) (key []byte, ok bool) {
	if !jsonkey.IsName(name) || !Plain(b) {
		return nil, false
	}
	i := skipSpace(b, 0)
	if b[i] != '{' {
		return nil, false
	}
	i = skipSpace(b, i+1)
	for b[i] != '}' {
		// A member: b is Plain, so its name is a string, its value valid.
		end := str(b, i)
		named := string(b[i+1:end-1]) == name
		i = skipSpace(b, skipSpace(b, end)+1) // past the colon
		vend := skipValue(b, i)
		if named {
			key, ok = plainValue(b[i:vend])
			// A plain document spells a name one way only: if the
			// quoted name is not written again, no later member has it.
			if !ok || !bytes.Contains(b[vend:], []byte(`"`+name+`"`)) {
				return key, ok
			}
		}
		if i = skipSpace(b, vend); b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return key, true
}

// plainValue is PlainKey's text of a member's value v.
func plainValue(v []byte) (key []byte, ok bool) {
	switch v[0] {
	case '"':
		for _, c := range v {
			if c == '\\' {
				return nil, false
			}
		}
		return v[1 : len(v)-1], true
	case 't', 'f', 'n', '{', '[':
		return nil, true
	}
	return v, true
}

// skipValue returns the index after the value at b[i] of a Plain
// document.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return str(b, i)
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch b[i] {
			case '"':
				i = str(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
	case 't':
		return i + 4
	case 'f':
		return i + 5
	case 'n':
		return i + 4
	}
	end, _ := NumberEnd(b, i)
	return end
}
