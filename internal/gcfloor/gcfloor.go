// Package gcfloor keeps the garbage collector's heap goal from falling below
// a floor. decant's live heap is small (a few batches, often under 10 MB)
// while it allocates a few kilobytes per record, so with GOGC alone the
// collector runs every few megabytes: over three hundred cycles for a
// million-record verify, a fifth of its CPU. Raising GOGC for good would
// multiply the peak when the live heap is large (big batches), which a
// floor does not: the goal is max(floor, live × (1 + percent/100)), so the
// peak stays what GOGC gives whenever the live heap is large, and a small
// heap is collected every floor's worth of allocation instead.
//
// It is the "GC tuner" of a few services that run with small heaps: after
// each cycle a finalizer reads the live heap (runtime/metrics) and sets
// GOGC for the next one.
package gcfloor

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// The settings decant runs with: GOGC=200, and a heap goal of at least
// 64 MB. decant's memory is bounded by batch size × queue depth, so it can
// trade some of it for less collecting (docs/benchmarks.md).
const (
	DefaultFloor   = 64 << 20
	DefaultPercent = 200
)

// KeepDefault is Keep(DefaultFloor, DefaultPercent), unless GOGC is set in
// the environment, which then wins. cmd/decant and bench/prof call it, so
// that a profile runs as decant does.
func KeepDefault() {
	if os.Getenv("GOGC") == "" {
		Keep(DefaultFloor, DefaultPercent)
	}
}

// Keep sets GOGC to percent and, after every collection from now on, raises
// it for the next cycle when that keeps the heap goal at floor bytes or
// more. It returns a function that stops the tuning (tests use it) and
// leaves GOGC at percent.
func Keep(floor uint64, percent int) (stop func()) {
	t := &tuner{floor: floor, percent: percent}
	debug.SetGCPercent(percent)
	t.arm()
	return func() {
		t.stopped.Store(true)
		debug.SetGCPercent(percent)
	}
}

type tuner struct {
	floor   uint64
	percent int
	stopped atomic.Bool
	sample  [3]metrics.Sample
}

// sentinel is allocated for its finalizer alone, which runs once the
// collection after arm finds it unreachable. It is larger than the tiny
// allocator's 16 bytes, so that it is not kept alive by a neighbour.
type sentinel struct{ _ [32]byte }

func (t *tuner) arm() {
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) {
		if t.stopped.Load() {
			return
		}
		debug.SetGCPercent(t.percentFor(t.live()))
		t.arm()
	})
}

// live reads what the last collection found live on the heap, and the
// stacks and globals it scans, which the runtime counts in with the heap
// when it sets the next goal (live + (live+stacks+globals) × GOGC/100).
func (t *tuner) live() (heap, roots uint64) {
	t.sample[0].Name = "/gc/heap/live:bytes"
	t.sample[1].Name = "/gc/scan/stack:bytes"
	t.sample[2].Name = "/gc/scan/globals:bytes"
	metrics.Read(t.sample[:])
	for i, s := range t.sample {
		if s.Value.Kind() != metrics.KindUint64 {
			return 0, 0
		}
		if i == 0 {
			heap = s.Value.Uint64()
		} else {
			roots += s.Value.Uint64()
		}
	}
	return heap, roots
}

// percentFor is the GOGC that puts the next heap goal at floor for a live
// heap of heap bytes and roots bytes of stacks and globals, or the base
// percent when that goal is already higher. The runtime's goal is the
// larger of live + (live+roots) × GOGC/100 and a minimum heap of 4 MB ×
// GOGC/100 (runtime/mgcpacer.go, defaultHeapMinimum), so the percent is
// the smaller of the two that reach floor.
func (t *tuner) percentFor(heap, roots uint64) int {
	scanned := heap + roots
	if heap >= t.floor || heap+scanned*uint64(t.percent)/100 >= t.floor {
		return t.percent
	}
	p := t.floor * 100 / heapMinimum
	if scanned > 0 {
		p = min(p, (t.floor-heap)*100/scanned)
	}
	return max(t.percent, int(p))
}

// heapMinimum is the runtime's smallest heap goal at GOGC=100.
const heapMinimum = 4 << 20
