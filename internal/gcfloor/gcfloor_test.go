package gcfloor

import (
	"runtime"
	"testing"
)

func TestPercentFor(t *testing.T) {
	tu := &tuner{floor: 64 << 20, percent: 200}
	for _, c := range []struct {
		heap, roots uint64
		want        int
	}{
		{0, 0, 1600},             // nothing live: the minimum heap, 4 MB x 16, is the floor
		{1 << 20, 0, 1600},       // 1 MB live: the minimum heap still decides
		{4 << 20, 0, 1500},       // 4 MB live: (64-4)/4 = 15x more before the next cycle
		{3 << 20, 1 << 20, 1525}, // stacks and globals count with the heap: (64-3)/4
		{16 << 20, 0, 300},       // the goal is 64 MB
		{30 << 20, 0, 200},       // 90 MB at the base percent is above the floor
		{100 << 20, 0, 200},      // a large heap keeps GOGC's goal, never more
		{64 << 20, 0, 200},
	} {
		if got := tu.percentFor(c.heap, c.roots); got != c.want {
			t.Errorf("percentFor(%d MB, %d MB) = %d, want %d", c.heap>>20, c.roots>>20, got, c.want)
		}
	}
}

var sink []byte

// churn allocates n bytes of short-lived garbage and returns how many
// collections ran meanwhile.
func churn(n int) uint32 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n / 1024 {
		sink = make([]byte, 1024)
	}
	runtime.ReadMemStats(&after)
	return after.NumGC - before.NumGC
}

// TestKeepCollectsLess: with a small live heap, the floor makes the
// collector run once per floor's worth of garbage instead of every few
// megabytes, which is the whole point.
func TestKeepCollectsLess(t *testing.T) {
	const garbage = 512 << 20
	runtime.GC()
	stop := Keep(0, 100) // a floor of nothing: plain GOGC=100
	plain := churn(garbage)
	stop()

	stop = Keep(128<<20, 100)
	defer stop()
	runtime.GC() // the first cycle arms the tuner
	floored := churn(garbage)
	t.Logf("collections over %d MB of garbage: %d at GOGC=100, %d with a 128 MB floor", garbage>>20, plain, floored)
	if plain < 20 {
		t.Fatalf("only %d collections at GOGC=100: the churn is too small to tell", plain)
	}
	if floored < 2 || floored > 8 {
		t.Errorf("%d collections with a 128 MB floor over %d MB, want about 4 (512/128)", floored, garbage>>20)
	}
}
