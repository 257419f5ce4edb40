//go:build race

package transform

// raceEnabled says the race detector is on: sync.Pool then drops some of
// what is put back, so allocation counts are not the ones to check.
const raceEnabled = true
