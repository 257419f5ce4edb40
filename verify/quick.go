package verify

import (
	"bytes"
	"encoding/json"
	"math"
	"time"
	"unsafe"

	"github.com/decanthq/decant"
)

// Most pairs a verify compares are equal, and most of those are equal
// before any rule applies: the same string, the same integer, the same
// instant. quickEqual decides those without building canonical text, which
// costs allocations a row; everything it does not decide goes the slow
// way, so the rules stay those of canonical.

// quickEqual reports, in decided, whether it could tell without canonical
// forms whether expected and actual are equal under o; equal is then the
// answer. It decides only when the answer is certain to be canonical's:
// both values of one known type and identical, in a column of a known kind
// (an unknown kind is canonical's error to report), or two JSON documents
// whose canonical bytes it renders without allocating. Values that are not
// identical are left to the slow way, which knows when 1.5 is 1.50.
func quickEqual(col Column, expected, actual any, o Options) (equal, decided bool) {
	switch col.Kind {
	case decant.KindText, "", decant.KindInt, decant.KindDecimal, decant.KindFloat,
		decant.KindBool, decant.KindDate, decant.KindTimestamp, decant.KindJSON:
	default:
		return false, false
	}
	if expected == nil && actual == nil {
		return true, true
	}
	if es, ok := quickText(expected); ok {
		as, ok := quickText(actual)
		if !ok {
			return false, false
		}
		if col.Kind == decant.KindJSON {
			return jsonEqual(es, as, o)
		}
		// canonical is a function of the text alone: identical text has
		// identical canonical forms, whatever the column and rules.
		return es == as, es == as
	}
	same := false
	switch e := expected.(type) {
	case int64:
		a, ok := actual.(int64)
		same = ok && a == e
	case bool:
		a, ok := actual.(bool)
		same = ok && a == e
	case float64:
		// Bits, not ==: 0 and -0 are == but render apart as text, and NaN
		// is not == to itself.
		a, ok := actual.(float64)
		same = ok && math.Float64bits(a) == math.Float64bits(e)
	case time.Time:
		// A timestamp is its instant; a date and a text keep the zone,
		// which the slow way compares.
		a, ok := actual.(time.Time)
		same = ok && col.Kind == decant.KindTimestamp && a.Equal(e)
	}
	return same, same
}

// quickText returns the text of a value that unwrap turns into a string
// as it is: text, a decimal, a JSON document's text, text in bytes. Bytes
// are viewed, not copied: the text is only read, and not kept past the
// comparison.
func quickText(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case decant.Decimal:
		return string(t), true
	case decant.JSON:
		return bytesView(t), t != nil
	case json.RawMessage:
		return bytesView(t), t != nil
	case []byte:
		return bytesView(t), t != nil
	}
	return "", false
}

func bytesView(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// jsonEqual compares two documents' texts by their canonical bytes,
// rendered into pooled buffers: the same answer as comparing jsonText's
// strings, without making them. It decides only when both texts are
// documents jsonText renders itself; text that is not JSON, empty text and
// a document only decodeJSON renders are left to the slow way.
func jsonEqual(e, a string, o Options) (equal, decided bool) {
	if o.NullEqualsEmpty {
		return false, false // empty text is NULL then: canonical decides
	}
	if e == a && !hugeExponent(a) {
		// The same text is the same document, and the same text when it
		// is no document: equal either way, but for a number whose
		// exponent canonical refuses (maxExp). A verify spells its
		// expected documents as the target gives them back, so that this
		// is the common case (decant.JSONSpeller).
		return true, true
	}
	ca := canons.Get().(*canon)
	defer ca.release()
	if !ca.render(a, o) {
		return false, false
	}
	if string(ca.buf) == e && ca.fixed() {
		// e renders as a does: it is a's canonical form, which renders
		// as itself.
		return true, true
	}
	ce := canons.Get().(*canon)
	defer ce.release()
	if !ce.render(e, o) {
		return false, false
	}
	return bytes.Equal(ce.buf, ca.buf), true
}

// CanonicalJSON returns the canonical form of a JSON document's text: the
// form Compare renders the actual side in, and then compares the expected
// text with as bytes. A verify renders its expected documents where it
// maps them, on every core, instead of in the merge, on one. ok is false
// when the text is not a document that comparison renders (not JSON, a
// number only the slow way renders); the caller keeps the text then, and
// Compare renders it the slow way.
func CanonicalJSON(text []byte) (canonical []byte, ok bool) {
	c := canons.Get().(*canon)
	defer c.release()
	if !c.render(bytesView(text), Options{}) || !c.fixed() {
		return nil, false
	}
	return bytes.Clone(c.buf), true
}

// hugeExponent reports whether s may hold a number whose exponent has six
// digits or more, beyond maxExp's: a digit or point, e or E, an optional
// sign, six digits. Text in strings may match too; it then only costs the
// quick answer.
func hugeExponent(s string) bool {
	for i := 1; i < len(s); i++ {
		if c := s[i]; c != 'e' && c != 'E' || !('0' <= s[i-1] && s[i-1] <= '9' || s[i-1] == '.') {
			continue
		}
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		n := 0
		for ; j < len(s) && '0' <= s[j] && s[j] <= '9'; j++ {
			n++
		}
		if n >= 6 {
			return true
		}
	}
	return false
}

// fixed reports whether the canonical form just rendered renders as
// itself, so that text equal to it has the same canonical form. It does,
// but for a number normalDecimal wrote with an exponent, which may be too
// large to read back (1234567e262143 is 1.234567e262149, beyond maxExp);
// and, were a string ever written with the escape \ufffd (writeJSON
// writes an invalid UTF-8 byte so), it would read back as the valid U+FFFD
// and be written as it is. fixed rules both out.
func (c *canon) fixed() bool {
	return !c.sci && !bytes.Contains(c.buf, []byte(`\ufffd`))
}

// render renders s canonically into c.buf; false when jsonText would not
// (not JSON, or a number only decodeJSON renders).
func (c *canon) render(s string, o Options) bool {
	c.reset(s, o)
	return c.value() && c.end() && !c.slow
}
