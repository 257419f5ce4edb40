// Package sourcetest is the conformance suite every decant.Source runs: it
// reads a source holding a known set of records and checks that reads and
// resumes from any position lose nothing and double nothing.
package sourcetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
	"github.com/google/go-cmp/cmp"
)

// Harness builds the sources under test.
type Harness struct {
	// New returns a source holding one valid JSON record per key, in the
	// order given (Raw a JSON document; Doc, if set, the same document). Keys are distinct and may hold any character. New cleans
	// up after itself with t.Cleanup.
	New func(t *testing.T, keys []string) decant.Source
	// Append adds records with keys after those src holds, as a live feed or
	// a growing file would. Nil skips the live tests.
	Append func(t *testing.T, src decant.Source, keys []string)
}

// Keys returns n distinct keys, some with characters that need escaping in
// JSON and CSV.
func Keys(n int) []string {
	odd := []string{`comma,key`, `quote"key`, `back\slash`, "tab\tkey", "ünïcödé", `{"json":1}`, "space key", "<html>&"}
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%04d", i)
		if i%7 == 3 {
			keys[i] += odd[(i/7)%len(odd)]
		}
	}
	return keys
}

// Run runs the suite.
func Run(t *testing.T, h Harness) {
	t.Helper()
	t.Run("ReadAll", func(t *testing.T) { testReadAll(t, h) })
	t.Run("Empty", func(t *testing.T) { testEmpty(t, h) })
	t.Run("ResumeEveryPosition", func(t *testing.T) { testResume(t, h) })
	t.Run("PositionRoundTrip", func(t *testing.T) { testRoundTrip(t, h) })
	t.Run("EndStaysEnded", func(t *testing.T) { testEnd(t, h) })
	t.Run("CloseEarly", func(t *testing.T) { testCloseEarly(t, h) })
	t.Run("Interleaved", func(t *testing.T) { testInterleaved(t, h) })
	t.Run("Canceled", func(t *testing.T) { testCanceled(t, h) })
	t.Run("Ping", func(t *testing.T) { testPing(t, h) })
	if h.Append != nil {
		t.Run("Live", func(t *testing.T) { testLive(t, h) })
	}
	runChunks(t, h)
}

func testReadAll(t *testing.T, h Harness) {
	keys := Keys(57)
	src := h.New(t, keys)
	recs := ReadAll(t, src, nil)
	SameKeys(t, keys, recs)
	for i, r := range recs {
		if !json.Valid(r.Raw) {
			t.Errorf("record %d (%q): raw is not JSON: %s", i, r.Key, r.Raw)
		}
		if !json.Valid(r.Position) {
			t.Errorf("record %d (%q): position is not JSON: %s", i, r.Key, r.Position)
		}
		if r.Where == "" {
			t.Errorf("record %d (%q): empty Where", i, r.Key)
		}
		CheckDoc(t, r)
	}
	if again := ReadAll(t, src, nil); !slices.Equal(keysOf(again), keysOf(recs)) {
		t.Errorf("second read from nil differs:\n%s", cmp.Diff(keysOf(recs), keysOf(again)))
	}
	closeSource(t, src)
}

func testEmpty(t *testing.T, h Harness) {
	src := h.New(t, nil)
	if recs := ReadAll(t, src, nil); len(recs) != 0 {
		t.Errorf("empty source yielded %d records, first %q", len(recs), recs[0].Key)
	}
	closeSource(t, src)
}

// testResume reads from the position of every record and checks that the
// records before it plus those read from it are all the records, once each.
func testResume(t *testing.T, h Harness) {
	keys := Keys(41)
	src := h.New(t, keys)
	all := ReadAll(t, src, nil)
	SameKeys(t, keys, all)
	for i, r := range all {
		rest := ReadAll(t, src, roundTrip(t, r.Position))
		got := append(keysOf(all[:i+1]), keysOf(rest)...)
		if !sameSet(keys, got) {
			t.Fatalf("resume after record %d (%q) at %s: keys before + after differ from all keys:\n%s",
				i, r.Key, r.Position, cmp.Diff(sorted(keys), sorted(got)))
		}
	}
	last := all[len(all)-1].Position
	if rest := ReadAll(t, src, last); len(rest) != 0 {
		t.Errorf("read from the last position %s yielded %d records, first %q", last, len(rest), rest[0].Key)
	}
	closeSource(t, src)
}

// testRoundTrip checks that a position survives being stored: marshalled
// inside a document, unmarshalled and used, it resumes at the same place.
func testRoundTrip(t *testing.T, h Harness) {
	keys := Keys(20)
	src := h.New(t, keys)
	all := ReadAll(t, src, nil)
	SameKeys(t, keys, all)
	pos := all[9].Position
	direct := keysOf(ReadAll(t, src, pos))
	stored := keysOf(ReadAll(t, src, roundTrip(t, pos)))
	if !slices.Equal(direct, stored) {
		t.Errorf("position %s reads differently after a JSON round trip:\n%s", pos, cmp.Diff(direct, stored))
	}
	closeSource(t, src)
}

func testEnd(t *testing.T, h Harness) {
	src := h.New(t, Keys(5))
	ctx := context.Background()
	rows := read(t, src, nil)
	for rows.Next(ctx) {
	}
	for i := range 3 {
		if rows.Next(ctx) {
			t.Fatalf("Next after the end (call %d) returned true: %q", i, rows.Record().Key)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("Err after the end: %v", err)
	}
	closeRows(t, rows)
	closeRows(t, rows)
	closeSource(t, src)
}

func testCloseEarly(t *testing.T, h Harness) {
	src := h.New(t, Keys(30))
	ctx := context.Background()
	rows := read(t, src, nil)
	if !rows.Next(ctx) {
		t.Fatalf("no first record: %v", rows.Err())
	}
	closeRows(t, rows)
	if rows.Next(ctx) {
		t.Errorf("Next after Close returned true: %q", rows.Record().Key)
	}
	closeRows(t, rows)
	closeSource(t, src)
}

// testInterleaved reads the same source twice at once: reads must not share state.
func testInterleaved(t *testing.T, h Harness) {
	keys := Keys(23)
	src := h.New(t, keys)
	ctx := context.Background()
	a, b := read(t, src, nil), read(t, src, nil)
	var ka, kb []string
	for {
		na, nb := a.Next(ctx), b.Next(ctx)
		if na {
			ka = append(ka, a.Record().Key)
		}
		if nb {
			kb = append(kb, b.Record().Key)
		}
		if !na && !nb {
			break
		}
	}
	for _, rows := range []decant.Rows{a, b} {
		if err := rows.Err(); err != nil {
			t.Fatalf("interleaved read: %v", err)
		}
		closeRows(t, rows)
	}
	if !sameSet(keys, ka) || !slices.Equal(ka, kb) {
		t.Errorf("interleaved reads differ:\n%s\n%s", cmp.Diff(keys, ka), cmp.Diff(ka, kb))
	}
	closeSource(t, src)
}

func testCanceled(t *testing.T, h Harness) {
	src := h.New(t, Keys(5))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rows, err := src.Read(ctx, decant.DefaultScope, nil)
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Read with a canceled context: %v, want context.Canceled", err)
		}
		return
	}
	if rows.Next(ctx) {
		t.Errorf("Next with a canceled context returned true: %q", rows.Record().Key)
	}
	if err := rows.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("Err with a canceled context: %v, want context.Canceled", err)
	}
	closeRows(t, rows)
	closeSource(t, src)
}

func testPing(t *testing.T, h Harness) {
	src := h.New(t, Keys(3))
	p, ok := src.(decant.Pinger)
	if !ok {
		t.Skip("source is not a decant.Pinger")
	}
	if err := p.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
	closeSource(t, src)
}

// testLive reads to the end, appends, and reads on from the last position.
func testLive(t *testing.T, h Harness) {
	keys := Keys(40)
	src := h.New(t, keys[:25])
	first := ReadAll(t, src, nil)
	SameKeys(t, keys[:25], first)
	last := first[len(first)-1].Position
	h.Append(t, src, keys[25:])
	SameKeys(t, keys[25:], ReadAll(t, src, last))
	SameKeys(t, keys, ReadAll(t, src, nil))
	closeSource(t, src)
}

// CheckDoc fails the test unless r's Doc, when it has one, holds the
// document its Raw does, call after call: the engine maps and hashes the
// Doc of a record read from its source, a retry the Raw kept with a stored
// error, and the two must give the same rows and the same source hash.
func CheckDoc(t testing.TB, r decant.Record) {
	t.Helper()
	if r.Doc == nil {
		return
	}
	raw, err := transform.DecodeJSON(r.Raw)
	if err != nil {
		t.Errorf("record %q: has a Doc but its raw is not a JSON document (%v): %s", r.Key, err, r.Raw)
		return
	}
	want, _ := transform.AppendJSON(nil, raw)
	for call := 1; call <= 2; call++ {
		got, err := transform.AppendJSON(nil, r.Doc.Value())
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("record %q: Doc.Value (call %d) and raw differ; they must hold one document:\ndoc %s (%v)\nraw %s", r.Key, call, got, err, want)
			return
		}
	}
}

// ReadAll reads src from pos to the end and fails the test on error.
func ReadAll(t testing.TB, src decant.Source, pos decant.Position) []decant.Record {
	t.Helper()
	return ReadScope(t, src, decant.DefaultScope, pos)
}

// ReadScope reads src for scope from pos to the end and fails the test on
// error.
func ReadScope(t testing.TB, src decant.Source, scope string, pos decant.Position) []decant.Record {
	t.Helper()
	ctx := context.Background()
	rows, err := src.Read(ctx, scope, pos)
	if err != nil {
		t.Fatalf("Read for scope %q from %s: %v", scope, pos, err)
	}
	var recs []decant.Record
	for rows.Next(ctx) {
		recs = append(recs, rows.Record())
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read from %s after %d records: %v", pos, len(recs), err)
	}
	closeRows(t, rows)
	return recs
}

// ReadErr reads src from pos, at most limit records (so that a read that
// would never end does end), and returns the keys read and the error that
// ended the read: Read's own, or the rows' Err. A read that ends well, or
// is cut at limit, returns a nil error.
func ReadErr(t testing.TB, src decant.Source, pos decant.Position, limit int) ([]string, error) {
	t.Helper()
	ctx := context.Background()
	rows, err := src.Read(ctx, decant.DefaultScope, pos)
	if err != nil {
		return nil, err
	}
	defer closeRows(t, rows)
	var keys []string
	for len(keys) < limit && rows.Next(ctx) {
		keys = append(keys, rows.Record().Key)
	}
	return keys, rows.Err()
}

// Refused fails the test unless both check (src's CheckSource) and a
// read of src refuse it, each with a message holding every one of wants,
// and unless wayOut, the source read as the messages suggest, reads its
// n rows.
func Refused(t testing.TB, src, wayOut decant.Source, n int, wants ...string) {
	t.Helper()
	if got := len(ReadAll(t, wayOut, nil)); got != n {
		t.Errorf("the way out read %d rows of %d", got, n)
	}
	c, ok := src.(decant.SourceChecker)
	if !ok {
		t.Fatalf("%T has no CheckSource", src)
	}
	problems := strings.Join(c.CheckSource(context.Background(), decant.DefaultScope), "\n")
	keys, err := ReadErr(t, src, nil, 10)
	for _, want := range wants {
		if !strings.Contains(problems, want) {
			t.Errorf("check: %q; want %q", problems, want)
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("read %q, error %v; want %q", keys, err, want)
		}
	}
}

// SameKeys fails the test unless recs hold exactly keys, each once, in any order.
func SameKeys(t testing.TB, keys []string, recs []decant.Record) {
	t.Helper()
	got := keysOf(recs)
	if !sameSet(keys, got) {
		t.Fatalf("keys read differ from keys held (-held +read):\n%s", cmp.Diff(sorted(keys), sorted(got)))
	}
}

func read(t testing.TB, src decant.Source, pos decant.Position) decant.Rows {
	t.Helper()
	rows, err := src.Read(context.Background(), decant.DefaultScope, pos)
	if err != nil {
		t.Fatalf("Read from %s: %v", pos, err)
	}
	return rows
}

func roundTrip(t testing.TB, pos decant.Position) decant.Position {
	t.Helper()
	type stored struct {
		Position decant.Position `json:"position"`
	}
	b, err := json.Marshal(stored{pos})
	if err != nil {
		t.Fatalf("marshal position %s: %v", pos, err)
	}
	var s stored
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("unmarshal position %s: %v", b, err)
	}
	return s.Position
}

func closeRows(t testing.TB, rows decant.Rows) {
	t.Helper()
	if err := rows.Close(); err != nil {
		t.Errorf("Rows.Close: %v", err)
	}
}

func closeSource(t testing.TB, src decant.Source) {
	t.Helper()
	if err := src.Close(); err != nil {
		t.Errorf("Source.Close: %v", err)
	}
}

func keysOf(recs []decant.Record) []string {
	keys := make([]string, len(recs))
	for i, r := range recs {
		keys[i] = r.Key
	}
	return keys
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// sameSet reports whether got holds exactly the distinct strings of want, once each.
func sameSet(want, got []string) bool {
	return slices.Equal(sorted(want), sorted(got))
}
