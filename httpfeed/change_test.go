package httpfeed_test

import (
	"testing"

	"github.com/decanthq/decant/internal/sourcetest"
)

// Ensure the records read by their cursor are marked as read in change
// order (decant.Record.Change), which lets a live run's lag window hold
// them, and a record without a valid cursor, which has no place in that
// order, is not: held, it would hold back the records after it.
func TestRecordsInCursorOrderAreChanges(t *testing.T) {
	t.Parallel()
	srv := staticFeed(t, `[
		{"instanceId":"a","serverVersion":"5"},
		{"instanceId":"b","note":"no cursor"},
		{"instanceId":"c","serverVersion":"x7"},
		{"instanceId":"d","serverVersion":6}
	]`)
	recs := sourcetest.ReadAll(t, newSource(t, srv.URL, drishti(100)), nil)
	want := map[string]bool{"a": true, "b": false, "c": false, "d": true}
	if len(recs) != len(want) {
		t.Fatalf("read %+v, want the records a, b, c, d", recs)
	}
	for _, r := range recs {
		if r.Change != want[r.Key] {
			t.Errorf("record %s: Change = %v, want %v", r.Key, r.Change, want[r.Key])
		}
	}
}
