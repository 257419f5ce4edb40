package verify

import (
	"math"
	"math/big"
	"time"
)

// Options are the rules one column is compared under. The zero value is
// the strict default: every difference counts. Rules other than Zone are
// what a plan's verify: section will say about a column, each with a
// reason; a difference that only a rule hides is a "change", not a "diff",
// and the caller reports it as such.
type Options struct {
	// Zone reads a timestamp given as text without an offset, on either
	// side: the plan's timezone. Nil means UTC.
	Zone *time.Location
	// Ignore makes every pair of values of the column equal.
	Ignore bool
	// Trim compares text after removing leading and trailing white space.
	Trim bool
	// NullEqualsEmpty makes NULL and the empty string (blank, with Trim)
	// the same value.
	NullEqualsEmpty bool
	// NormalizeUnicode compares text, and the strings and keys of JSON
	// documents, in Unicode normal form NFC, so that "é" written as one
	// code point equals "e" followed by a combining accent.
	NormalizeUnicode bool
	// Tolerance lets numbers of int, float and decimal columns differ by
	// a bounded amount.
	Tolerance Tolerance
}

// Tolerance bounds how far two numbers may be apart and still be equal:
// |expected-actual| <= Abs, or <= Rel*max(|expected|, |actual|). Either
// bound suffices; zero bounds are not set. NaN and infinities are only
// ever equal to themselves.
type Tolerance struct {
	Abs float64
	Rel float64
}

func (t Tolerance) set() bool { return t.Abs > 0 || t.Rel > 0 }

// within compares two finite numbers exactly, in rationals.
func (t Tolerance) within(e, a *number) bool {
	if e.special != "" || a.special != "" {
		return false
	}
	if math.IsInf(t.Abs, 1) || math.IsInf(t.Rel, 1) {
		return true
	}
	er, ar := e.rat(), a.rat()
	d := new(big.Rat).Sub(er, ar)
	d.Abs(d)
	if t.Abs > 0 && d.Cmp(new(big.Rat).SetFloat64(t.Abs)) <= 0 {
		return true
	}
	if t.Rel > 0 {
		m := new(big.Rat).Abs(er)
		if am := new(big.Rat).Abs(ar); am.Cmp(m) > 0 {
			m = am
		}
		return d.Cmp(m.Mul(m, new(big.Rat).SetFloat64(t.Rel))) <= 0
	}
	return false
}
