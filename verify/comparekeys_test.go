package verify

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/decanthq/decant"
)

// compareKeys orders every pair of keys as decant.CompareKeys does: its
// path for two single bigints and its calls for anything else (several
// columns, floats, text, NULL, integers of other types).
func TestCompareKeysAsDecant(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(13, 14))
	one := func() any {
		switch r.IntN(8) {
		case 0:
			return nil
		case 1:
			return r.Float64()*20 - 10
		case 2:
			return []string{"a", "b", "10", "-1"}[r.IntN(4)]
		case 3:
			return int(r.IntN(21) - 10)
		case 4:
			return []int64{math.MinInt64, math.MaxInt64, 0}[r.IntN(3)]
		}
		return int64(r.IntN(21) - 10)
	}
	key := func() []any {
		k := []any{one()}
		if r.IntN(4) == 0 {
			k = append(k, one())
		}
		return k
	}
	ints := 0
	for range 20000 {
		a, b := key(), key()
		if got, want := compareKeys(a, b), decant.CompareKeys(a, b); got != want {
			t.Fatalf("compareKeys(%#v, %#v) = %d, decant.CompareKeys %d", a, b, got, want)
		}
		if _, ok := a[0].(int64); ok && len(a) == 1 && len(b) == 1 {
			if _, ok := b[0].(int64); ok {
				ints++
			}
		}
	}
	if ints < 2000 {
		t.Errorf("%d pairs of single bigints, want at least 2000", ints)
	}
}
