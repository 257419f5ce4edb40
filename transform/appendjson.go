package transform

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// AppendJSON appends v as JSON with object names sorted, so equal values
// give equal bytes. Values made by DecodeJSON take a fast path; anything
// else goes through encoding/json.
func AppendJSON(b []byte, v any) ([]byte, error) {
	var err error
	switch t := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, t), nil
	case string:
		return appendQuote(b, t)
	case int64:
		return appendInt(b, t), nil
	case float64:
		return appendFloat(b, t)
	case json.Number:
		return appendNumberText(b, t), nil
	case []any:
		b = append(b, '[')
		for i, x := range t {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = AppendJSON(b, x); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case map[string]any:
		return appendObject(b, t)
	}
	out, err := json.Marshal(v)
	return append(b, out...), err
}

func appendObject(b []byte, m map[string]any) ([]byte, error) {
	// The members are taken with their values in one pass over the map,
	// and sorted by name, instead of looking each value up again by its
	// name: a record's objects are small, and those look-ups and the
	// general sort were most of what writing one cost.
	var small [16]member
	members := small[:0]
	for k, v := range m {
		members = append(members, member{k, v})
	}
	sortMembers(members)
	// Room for the whole object at once, at a guess of 32 bytes a member,
	// instead of growing b by doubling from nothing.
	b = slices.Grow(b, 2+32*len(members))
	b = append(b, '{')
	var err error
	for i, mb := range members {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendQuote(b, mb.name); err != nil {
			return b, err
		}
		if b, err = AppendJSON(append(b, ':'), mb.value); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// sortMembers sorts an object's members by name (which are unique): by
// insertion for the few of most objects, which costs less there than
// the general sort.
func sortMembers(members []member) {
	if len(members) > 16 {
		slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.name, b.name) })
		return
	}
	for i := 1; i < len(members); i++ {
		for j := i; j > 0 && members[j].name < members[j-1].name; j-- {
			members[j], members[j-1] = members[j-1], members[j]
		}
	}
}

// appendQuote quotes s as jsontext.AppendQuote does, copying printable
// ASCII without quote or backslash as it is: most names and values are
// such, and need no escape (TestAppendQuote holds it to jsontext). It
// takes text as bytes too, for AppendCanonical.
func appendQuote[T ~string | ~[]byte](b []byte, s T) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == '"' || c == '\\' || c >= 0x7f {
			return appendQuoteFrom(b, s, i)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}

// appendQuoteFrom is appendQuote of s, whose bytes before i need no
// escape: quotes and backslashes among printable ASCII are escaped here
// (a JSON document in a CSV field is full of quotes), and anything else
// goes to jsontext.
func appendQuoteFrom[T ~string | ~[]byte](b []byte, s T, i int) ([]byte, error) {
	n := len(b)
	b = append(b, '"')
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < ' ' || c >= 0x7f:
			return jsontext.AppendQuote(b[:n], s)
		default:
			b = append(b, c)
		}
	}
	return append(b, '"'), nil
}

// appendInt spells an integer; AppendCanonical spells them with it too.
func appendInt(b []byte, i int64) []byte { return strconv.AppendInt(b, i, 10) }

// appendNumberText spells a json.Number: as it came, since DecodeJSON
// keeps as text only numbers it checked. AppendCanonical spells them with
// it too.
func appendNumberText[T ~string | ~[]byte](b []byte, n T) []byte { return append(b, n...) }

// appendFloat spells a float as encoding/json does (ES6 style).
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, fmt.Errorf("unsupported value: %v", f)
	}
	abs, format := math.Abs(f), byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-07 -> e-7
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}
