package tablecache

import (
	"errors"
	"testing"
)

// Ensure Get loads once, serves from the cache after, does not cache a
// failed load, and loads again after Forget.
func TestCache_Get(t *testing.T) {
	var c Cache[int]
	loads := 0
	load := func() (int, error) { loads++; return 7, nil }
	for i := 0; i < 2; i++ {
		if v, err := c.Get("t", load); err != nil || v != 7 {
			t.Fatalf("Get = %d, %v", v, err)
		}
	}
	if loads != 1 {
		t.Errorf("loads = %d, want 1", loads)
	}
	boom := errors.New("boom")
	if _, err := c.Get("u", func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("failed load err = %v", err)
	}
	if v, _ := c.Get("u", load); v != 7 {
		t.Errorf("failed load was cached: %d", v)
	}
	c.Forget("t")
	c.Get("t", load)
	if loads != 3 {
		t.Errorf("loads = %d after Forget, want 3", loads)
	}
	c.Put("t", 9)
	if v, _ := c.Get("t", load); v != 9 {
		t.Errorf("Put value = %d, want 9", v)
	}
}
