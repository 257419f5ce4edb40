package httpfeed_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/decanthq/decant/httpfeed"
	"github.com/decanthq/decant/internal/sourcetest"
)

// Ensure feed keys are read byte-exactly and kept apart in positions:
// records whose keys differ only in invalid UTF-8 or an escaped lone
// surrogate are four records, not one, and resuming from the first does not
// skip the record whose real key is "k\uFFFD" (a position used to hold
// every look-alike as "k\uFFFD").
func TestLookAlikeKeys(t *testing.T) {
	t.Parallel()
	srv := staticFeed(t, "["+
		"{\"instanceId\":\"k\xff\",\"serverVersion\":\"5\"},"+
		"{\"instanceId\":\"k\xfe\",\"serverVersion\":\"5\"},"+
		"{\"instanceId\":\"k\xef\xbf\xbd\",\"serverVersion\":\"5\"},"+
		`{"instanceId":"k\ud800","serverVersion":"5"}]`)
	src := newSource(t, srv.URL, drishti(100))
	recs := sourcetest.ReadAll(t, src, nil)
	want := []string{"k\xff", "k\xfe", "k\ufffd", "k\xed\xa0\x80"}
	if diff := cmp.Diff(want, keysOf(recs)); diff != "" {
		t.Fatalf("keys (-want +got):\n%s", diff)
	}
	if got, want := string(recs[1].Position), `{"cursor":"5","seen":["\"k\\xff\"","\"k\\xfe\""]}`; got != want {
		t.Errorf("position %s, want %s", got, want)
	}
	for i, r := range recs {
		if !json.Valid(r.Position) {
			t.Errorf("record %d: position is not JSON: %q", i, r.Position)
		}
	}
	rest := sourcetest.ReadAll(t, src, recs[0].Position)
	if diff := cmp.Diff(want[1:], keysOf(rest)); diff != "" {
		t.Errorf("resume after the first (-want +got):\n%s", diff)
	}
}

// Ensure a string cursor that is not valid UTF-8, which a JSON position
// cannot hold exactly, does not become the position's cursor: the record
// counts as one without a cursor.
func TestInvalidUTF8Cursor(t *testing.T) {
	t.Parallel()
	srv := staticFeed(t, "[{\"instanceId\":\"a\",\"serverVersion\":\"v1\"},{\"instanceId\":\"b\",\"serverVersion\":\"v2\xff\"}]")
	cfg := drishti(100)
	cfg.CursorType = httpfeed.CursorString
	recs := sourcetest.ReadAll(t, newSource(t, srv.URL, cfg), nil)
	if diff := cmp.Diff([]string{"a", "b"}, keysOf(recs)); diff != "" {
		t.Fatalf("keys (-want +got):\n%s", diff)
	}
	if recs[1].Cursor != "v1" || string(recs[1].Position) != `{"cursor":"v1","seen":["a"]}` {
		t.Errorf("record b: cursor %q, position %s; want the previous cursor and position", recs[1].Cursor, recs[1].Position)
	}
}
