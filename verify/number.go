package verify

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// number is an exact number: neg × digits × 10^exp, or NaN or an
// infinity. Its rational is only built when a tolerance needs it, so a
// value like 1e100000 costs nothing to render.
type number struct {
	neg     bool
	digits  string
	exp     int
	special string // "NaN", "Infinity", "-Infinity"
}

// rat returns the number as an exact rational; n must be finite.
func (n *number) rat() *big.Rat {
	r := new(big.Rat)
	if n.digits == "" {
		return r
	}
	r.SetString(n.digits + "e" + strconv.Itoa(n.exp)) // digits and exp are well formed
	if n.neg {
		r.Neg(r)
	}
	return r
}

// maxPlain bounds the zeros a canonical decimal writes out; beyond it the
// form is scientific, so a value like 1e999999999 stays small.
const maxPlain = 1000

// maxExp bounds the exponent a decimal text may carry: PostgreSQL's
// numeric reaches 10^131072.
const maxExp = 1 << 18

// decimalValue renders v for an int or decimal column: the shortest exact
// decimal, without exponent, trailing fraction zeros or a plus sign, so
// 1.50, 1.5 and 15e-1 are all 1.5, and 12 and 12.0 are both 12.
func decimalValue(v any) (value, error) {
	var text string
	switch t := v.(type) {
	case string:
		text = t
	case int64:
		text = strconv.FormatInt(t, 10)
	case uint64:
		text = strconv.FormatUint(t, 10)
	case float64:
		text = strconv.FormatFloat(t, 'g', -1, 64)
	case float32:
		text = strconv.FormatFloat(float64(t), 'g', -1, 32)
	case bool:
		// SQLite has no booleans: a bool the plan maps to an int column
		// is written, and read back, as 0 or 1.
		text = "0"
		if t {
			text = "1"
		}
	default:
		return foreign(v), nil
	}
	s, n, ok := normalDecimal(text)
	if !ok {
		return foreign(v), nil
	}
	return value{text: s, num: n}, nil
}

// normalDecimal parses a decimal number's text ([+-]digits[.digits][e[+-]n],
// or NaN and infinities) and renders it canonically.
func normalDecimal(s string) (string, *number, bool) {
	if sp := special(s); sp != "" {
		return sp, &number{special: sp}, true
	}
	neg, digits, exp, ok := parseDecimal(s)
	if !ok {
		return "", nil, false
	}
	// Strip leading and trailing zeros: digits × 10^exp is unchanged.
	digits = strings.TrimLeft(digits, "0")
	trimmed := strings.TrimRight(digits, "0")
	exp += len(digits) - len(trimmed)
	digits = trimmed
	if digits == "" {
		return "0", &number{}, true
	}
	out := render(digits, exp)
	if neg {
		out = "-" + out
	}
	return out, &number{neg: neg, digits: digits, exp: exp}, true
}

// render writes digits × 10^exp (digits without leading or trailing
// zeros) in plain notation, or scientific when plain needs too many zeros.
func render(digits string, exp int) string {
	switch point := len(digits) + exp; {
	case exp >= 0 && exp <= maxPlain:
		return digits + strings.Repeat("0", exp)
	case exp < 0 && point > 0:
		return digits[:point] + "." + digits[point:]
	case exp < 0 && -point <= maxPlain:
		return "0." + strings.Repeat("0", -point) + digits
	default:
		sci := digits[:1]
		if len(digits) > 1 {
			sci += "." + digits[1:]
		}
		return sci + "e" + strconv.Itoa(point-1)
	}
}

// parseDecimal splits s into sign, significant digits and exponent, so
// that s = ±digits × 10^exp. It accepts what PostgreSQL's numeric input
// and SQLite's REAL output produce: [+-]digits[.digits][(e|E)[+-]digits],
// with digits on at least one side of the point.
func parseDecimal(s string) (neg bool, digits string, exp int, ok bool) {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	mant, e, hasExp := strings.Cut(strings.ToLower(s), "e")
	if hasExp {
		n, err := strconv.Atoi(e)
		if err != nil || n > maxExp || n < -maxExp {
			return false, "", 0, false
		}
		exp = n
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if intPart+frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return false, "", 0, false
	}
	return neg, intPart + frac, exp - len(frac), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// special recognises the non-finite spellings of PostgreSQL (NaN,
// Infinity) and Go (+Inf), in any case.
func special(s string) string {
	switch strings.ToLower(s) {
	case "nan", "+nan", "-nan":
		return "NaN"
	case "infinity", "+infinity", "inf", "+inf":
		return "Infinity"
	case "-infinity", "-inf":
		return "-Infinity"
	}
	return ""
}

// floatValue renders v for a float column: the value converted to the
// column's precision as the database converts it on write, then rendered
// as its shortest decimal, so 0.1 and "0.1" and 1e-1 are one value.
// Floats compare exactly: a tolerance is a rule.
func floatValue(col Column, v any) (value, error) {
	var f float64
	switch t := v.(type) {
	case float64:
		f = t
	case float32:
		f = float64(t)
	case int64:
		f = float64(t)
	case uint64:
		f = float64(t)
	case string:
		p, err := strconv.ParseFloat(t, 64)
		if err != nil && !isRange(err) {
			return foreign(v), nil
		}
		f = p
	default:
		return foreign(v), nil
	}
	bits := 64
	if _, single := v.(float32); single || col.Single {
		f, bits = float64(float32(f)), 32
	}
	if math.IsNaN(f) {
		return value{text: "NaN", num: &number{special: "NaN"}}, nil
	}
	s, n, _ := normalDecimal(strconv.FormatFloat(f, 'g', -1, bits))
	return value{text: s, num: n}, nil
}

// isRange reports a ParseFloat range error, whose result (±Inf or 0) is
// what a float column holds for such text.
func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}
