package decant_test

import (
	"math"
	"slices"
	"testing"

	"github.com/decanthq/decant"
)

func TestCompareKeys(t *testing.T) {
	t.Parallel()
	// Each key sorts strictly before the next.
	ordered := [][]any{
		{nil},
		{-1e300},
		{int64(math.MinInt64)},
		{int64(-2)},
		{-1.5},
		{int64(-1)},
		{int64(0)},
		{0.5},
		{int64(1)},
		{int64(1), nil},
		{int64(1), int64(0)},
		{int64(1), ""},
		{int64(1), "a"},
		{int64(2)},
		{float64(1 << 53)},
		{int64(1<<53 + 1)}, // above the float before it, though it rounds to it
		{int64(math.MaxInt64)},
		{math.Inf(1)},
		{""},
		{"A"},
		{"B"},
		{"a"},
		{"a", int64(1)},
		{"a\x00"},
		{"a\x01"},
		{"aa"},
		{"b"},
		{"é"},
		{"\uffff"},
		{[]byte{}},
		{[]byte("a")},
	}
	for i := range ordered {
		for j := range ordered {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := decant.CompareKeys(ordered[i], ordered[j]); got != want {
				t.Errorf("CompareKeys(%#v, %#v) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
}

func TestCompareKeysMixedIntegers(t *testing.T) {
	t.Parallel()
	if c := decant.CompareKeys([]any{3, int32(3), "x"}, []any{int64(3), float64(3), "x"}); c != 0 {
		t.Errorf("3 as int, int32, int64 and float64 should be one key: got %d", c)
	}
	keys := [][]any{{"b"}, {int64(2)}, {nil}, {1.5}, {"a"}}
	slices.SortFunc(keys, decant.CompareKeys)
	want := [][]any{{nil}, {1.5}, {int64(2)}, {"a"}, {"b"}}
	for i := range keys {
		if decant.CompareKeys(keys[i], want[i]) != 0 {
			t.Fatalf("sorted = %v, want %v", keys, want)
		}
	}
}
