package verify

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/decanthq/decant"
)

// randomRow returns a row with a key from a small domain, so that keys
// repeat, of mixed types and lengths (composite keys), and a "seq" column
// that tells rows of equal keys apart.
func randomRow(rng *rand.Rand, seq int) KeyedRow {
	key := make([]any, 1+rng.IntN(3))
	for i := range key {
		switch rng.IntN(5) {
		case 0:
			key[i] = int64(rng.IntN(20) - 10)
		case 1:
			key[i] = float64(rng.IntN(20)-10) / 2 // 1.0 ties with int64 1
		case 2:
			key[i] = []string{"", "a", "B", "ä", "a\xff"}[rng.IntN(5)]
		case 3:
			key[i] = []byte{byte(rng.IntN(3))}
		case 4:
			key[i] = int64(math.MaxInt64 - rng.IntN(2))
		}
	}
	return KeyedRow{Key: key, Values: map[string]any{
		"seq":  int64(seq),
		"name": strings.Repeat("x", rng.IntN(8)),
		"at":   time.Date(2026, 1, 2, 3, 4, 5, rng.IntN(1e9), time.UTC),
		"n":    nil,
		"d":    decant.Decimal("1.50"),
		"j":    decant.JSON(`{"a":1}`),
		"ok":   rng.IntN(2) == 1,
		"f":    rng.Float64(),
	}}
}

// sortAll adds rows to a sorter over opts and returns what it yields.
func sortAll(t *testing.T, s *Sorter, rows []KeyedRow) []KeyedRow {
	t.Helper()
	for _, r := range rows {
		if err := s.Add(r); err != nil {
			t.Fatalf("Add: %v", err)
		}
	}
	var got []KeyedRow
	for s.Next(context.Background()) {
		got = append(got, s.Row())
	}
	if err := s.Err(); err != nil {
		t.Fatalf("Next: %v", err)
	}
	return got
}

// emptyDir fails the test unless dir holds no file.
func emptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind in %s: %s", dir, e.Name())
	}
}

func TestSortOrder(t *testing.T) {
	t.Parallel()
	for _, n := range []int{3, 5, 64} {
		for _, size := range []int{0, 1, n - 1, n, n + 1, 10 * n, 100 * n} {
			t.Run(fmt.Sprintf("N=%d/rows=%d", n, size), func(t *testing.T) {
				t.Parallel()
				rng := rand.New(rand.NewPCG(uint64(n), uint64(size)))
				rows := make([]KeyedRow, size)
				for i := range rows {
					rows[i] = randomRow(rng, i)
				}
				want := slicesClone(rows)
				sort.SliceStable(want, func(i, j int) bool {
					return decant.CompareKeys(want[i].Key, want[j].Key) < 0
				})
				dir := t.TempDir()
				s := NewSorter(SortOptions{Dir: dir, MaxRows: n})
				got := sortAll(t, s, rows)
				if spilled := s.nfiles > 0; spilled != (size > n) {
					t.Errorf("spilled = %v with %d rows and MaxRows %d", spilled, size, n)
				}
				if s.peak > n {
					t.Errorf("held %d rows in memory, MaxRows is %d", s.peak, n)
				}
				if s.dir != "" {
					emptyDir(t, s.dir) // each run is removed once merged
				}
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				emptyDir(t, dir)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("sorted %d rows wrong: got %d rows, first difference at %d", size, len(got), firstDiff(got, want))
				}
			})
		}
	}
}

func slicesClone(rows []KeyedRow) []KeyedRow { return append([]KeyedRow(nil), rows...) }

func firstDiff(got, want []KeyedRow) int {
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			return i
		}
	}
	return min(len(got), len(want))
}

// TestSortMemory sorts 200 times MaxRows and counts the rows the sorter
// holds at any time: the buffer, the rows of the runs being merged and the
// row handed out. 200 runs also need a merge pass before the last merge.
func TestSortMemory(t *testing.T) {
	t.Parallel()
	const n, size = 1000, 200_000
	dir := t.TempDir()
	s := NewSorter(SortOptions{Dir: dir, MaxRows: n})
	defer s.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range size {
		r := KeyedRow{Key: []any{int64(rng.IntN(size / 4))}, Values: map[string]any{"seq": int64(i)}}
		if err := s.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	count := 0
	var prev KeyedRow
	for s.Next(context.Background()) {
		r := s.Row()
		if count > 0 {
			c := decant.CompareKeys(prev.Key, r.Key)
			if c > 0 || c == 0 && prev.Values["seq"].(int64) > r.Values["seq"].(int64) {
				t.Fatalf("row %d out of order: %v after %v", count, r, prev)
			}
		}
		prev = r
		count++
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if count != size {
		t.Errorf("yielded %d rows, added %d", count, size)
	}
	if s.peak > n || s.peak < n {
		t.Errorf("held at most %d rows in memory, want exactly MaxRows %d", s.peak, n)
	}
	if s.nfiles <= size/n {
		t.Errorf("wrote %d run files: the merge pass did not run", s.nfiles)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	emptyDir(t, dir)
}

func TestSortMaxBytes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := NewSorter(SortOptions{Dir: dir, MaxBytes: 10_000})
	defer s.Close()
	var rows []KeyedRow
	for i := range 100 {
		rows = append(rows, KeyedRow{Key: []any{int64(100 - i)}, Values: map[string]any{"big": strings.Repeat("y", 1000)}})
	}
	got := sortAll(t, s, rows)
	if s.nfiles < 10 {
		t.Errorf("wrote %d runs of 100 rows of 1 kB with MaxBytes 10 kB, want 10 or more", s.nfiles)
	}
	if len(got) != 100 || got[0].Key[0] != int64(1) || got[99].Key[0] != int64(100) {
		t.Errorf("got %d rows, first %v, last %v", len(got), got[0].Key, got[len(got)-1].Key)
	}
}

func TestSortErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	row := KeyedRow{Key: []any{int64(1)}, Values: map[string]any{"a": "x"}}

	t.Run("unsupported type", func(t *testing.T) {
		t.Parallel()
		s := NewSorter(SortOptions{})
		defer s.Close()
		err := s.Add(KeyedRow{Key: []any{int64(7)}, Values: map[string]any{"price": float32(1.5)}})
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), `column "price"`) ||
			!strings.Contains(err.Error(), "float32") || !strings.Contains(err.Error(), "[7]") {
			t.Errorf("Add(float32) = %v, want an error naming the column, the type and the key", err)
		}
		if err := s.Add(KeyedRow{Key: []any{int(1)}}); err == nil || !strings.Contains(err.Error(), "key value 0") {
			t.Errorf("Add(int key) = %v, want an error naming key value 0", err)
		}
	})
	t.Run("add after next", func(t *testing.T) {
		t.Parallel()
		s := NewSorter(SortOptions{})
		defer s.Close()
		if err := s.Add(row); err != nil {
			t.Fatal(err)
		}
		s.Next(ctx)
		if err := s.Add(row); err == nil {
			t.Error("Add after Next succeeded")
		}
	})
	t.Run("canceled", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		s := NewSorter(SortOptions{Dir: dir, MaxRows: 3})
		defer s.Close()
		for range 10 {
			if err := s.Add(row); err != nil {
				t.Fatal(err)
			}
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if s.Next(cctx) || !errors.Is(s.Err(), context.Canceled) {
			t.Errorf("Next on a canceled context: err %v", s.Err())
		}
		emptyDir(t, dir) // removed on the error, before Close
	})
	t.Run("truncated run", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		s := NewSorter(SortOptions{Dir: dir, MaxRows: 3})
		defer s.Close()
		for range 10 {
			if err := s.Add(row); err != nil {
				t.Fatal(err)
			}
		}
		run := s.runs[0]
		fi, err := os.Stat(run)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(run, fi.Size()-1); err != nil {
			t.Fatal(err)
		}
		for s.Next(ctx) {
		}
		if !errors.Is(s.Err(), io.ErrUnexpectedEOF) || !strings.Contains(s.Err().Error(), filepath.Base(run)) {
			t.Errorf("Err() = %v, want an unexpected EOF naming %s", s.Err(), run)
		}
		emptyDir(t, dir)
	})
	t.Run("close twice", func(t *testing.T) {
		t.Parallel()
		s := NewSorter(SortOptions{})
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		if s.Next(ctx) {
			t.Error("Next after Close returned a row")
		}
	})
}

// roundTrip encodes rows and decodes them back.
func roundTrip(t testing.TB, rows ...KeyedRow) []KeyedRow {
	t.Helper()
	var buf bytes.Buffer
	e := encoder{w: bufio.NewWriter(&buf)}
	for _, r := range rows {
		if err := e.row(r); err != nil {
			t.Fatalf("encode %v: %v", r, err)
		}
	}
	if err := e.w.Flush(); err != nil {
		t.Fatal(err)
	}
	d := decoder{r: bufio.NewReader(&buf)}
	var got []KeyedRow
	for {
		r, err := d.row()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		got = append(got, r)
	}
}

// sameValue reports whether b is a exactly: same type, a float's bits, a
// time's instant, nanoseconds, zone name and offset, and UTC as UTC.
func sameValue(a, b any) bool {
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return false
	}
	switch a := a.(type) {
	case float64:
		return math.Float64bits(a) == math.Float64bits(b.(float64))
	case time.Time:
		bt := b.(time.Time)
		an, ao := a.Zone()
		bn, bo := bt.Zone()
		return a.Equal(bt) && a.Nanosecond() == bt.Nanosecond() && an == bn && ao == bo &&
			(a.Location() == time.UTC) == (bt.Location() == time.UTC)
	}
	return reflect.DeepEqual(a, b)
}

func sameRow(a, b KeyedRow) bool {
	if (a.Key == nil) != (b.Key == nil) || len(a.Key) != len(b.Key) ||
		(a.Values == nil) != (b.Values == nil) || len(a.Values) != len(b.Values) {
		return false
	}
	for i := range a.Key {
		if !sameValue(a.Key[i], b.Key[i]) {
			return false
		}
	}
	for k, v := range a.Values {
		w, ok := b.Values[k]
		if !ok || !sameValue(v, w) {
			return false
		}
	}
	return true
}

func TestEncodeRoundTrip(t *testing.T) {
	t.Parallel()
	cet := time.FixedZone("CET", 3600)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = cet
	}
	values := []any{
		nil, "", "text", "a\xff\xfeb", int64(0), int64(-1), int64(math.MinInt64), int64(math.MaxInt64),
		float64(0), math.Copysign(0, -1), 1.5, math.Inf(1), math.NaN(), math.Float64frombits(0x7ff8000000000123),
		true, false,
		time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.UTC),
		time.Date(2026, 3, 4, 5, 6, 7, 1, cet),
		time.Date(2026, 7, 4, 5, 6, 7, 1, paris),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.FixedZone("", 0)),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("UTC", 0)),
		time.Date(-4000, 1, 1, 0, 0, 0, 999999999, time.FixedZone("odd", -(5*3600+17))),
		time.Time{},
		decant.Decimal("1.50"), decant.Decimal(""),
		decant.JSON(`{"b": 1, "a": [1.0]}`), decant.JSON{}, decant.JSON(nil),
		[]byte("blob"), []byte{}, []byte(nil),
		strings.Repeat("long", 50_000),
	}
	rows := []KeyedRow{
		{},
		{Key: []any{}, Values: map[string]any{}},
		{Key: values, Values: map[string]any{"": "", "\xff": nil}},
	}
	for i, v := range values {
		rows = append(rows, KeyedRow{Key: []any{v}, Values: map[string]any{fmt.Sprint("c", i): v}})
	}
	got := roundTrip(t, rows...)
	if len(got) != len(rows) {
		t.Fatalf("decoded %d rows, encoded %d", len(got), len(rows))
	}
	for i := range rows {
		if !sameRow(rows[i], got[i]) {
			t.Errorf("row %d: encoded %#v, decoded %#v", i, rows[i], got[i])
		}
	}
	inCET := time.Date(2026, 3, 4, 5, 6, 7, 1, cet)
	if sameValue(inCET, inCET.UTC()) || sameValue(inCET.UTC(), inCET.In(time.FixedZone("UTC", 0))) {
		t.Error("sameValue does not tell apart one instant in two zones")
	}
}

func TestEncodeUnsupported(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	e := encoder{w: bufio.NewWriter(&buf)}
	if err := e.row(KeyedRow{Values: map[string]any{"x": int32(1)}}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("encode int32 = %v, want ErrUnsupported", err)
	}
}

// FuzzEncode round-trips a row built of the fuzzed values, and decodes the
// raw bytes as a run, which must fail cleanly or succeed, never panic.
func FuzzEncode(f *testing.F) {
	f.Add("a\xff", int64(-3), 1.5, true, int64(1e9), int64(7), 3600, "CET", []byte{2, 1, 3})
	f.Add("", int64(0), math.Copysign(0, -1), false, int64(-62135596800), int64(0), 0, "", []byte(nil))
	f.Add("x", int64(math.MaxInt64), math.NaN(), false, int64(math.MinInt64), int64(999999999), -17, "UTC", []byte{1, 1, 255, 255, 255, 255, 15})
	// A corrupt count and a corrupt string length, which once allocated
	// what they said.
	f.Add("", int64(0), 0.0, false, int64(0), int64(0), 0, "", []byte{2, 1, 255, 255, 255, 255, 255, 255, 15})
	f.Fuzz(func(t *testing.T, s string, i int64, fl float64, b bool, sec, nsec int64, offset int, zone string, raw []byte) {
		at := time.Unix(sec, nsec%1e9).In(time.FixedZone(zone, offset))
		row := KeyedRow{
			Key: []any{i, fl, s, []byte(s)},
			Values: map[string]any{
				s: s, "i": i, "f": fl, "b": b, "t": at, "u": at.UTC(),
				"d": decant.Decimal(s), "j": decant.JSON(raw), "n": nil, "raw": raw,
			},
		}
		got := roundTrip(t, row)
		if len(got) != 1 || !sameRow(row, got[0]) {
			t.Fatalf("encoded %#v, decoded %#v", row, got)
		}
		d := decoder{r: bufio.NewReader(bytes.NewReader(raw))}
		for range 100 {
			if _, err := d.row(); err != nil {
				break
			}
		}
	})
}

// BenchmarkSort sorts 1e6 small rows with the default MaxRows, which
// spills ten runs, and reports rows per second.
func BenchmarkSort(b *testing.B) {
	const size = 1_000_000
	rng := rand.New(rand.NewPCG(3, 4))
	rows := make([]KeyedRow, size)
	for i := range rows {
		rows[i] = KeyedRow{
			Key:    []any{int64(rng.IntN(size))},
			Values: map[string]any{"name": fmt.Sprint("name-", i), "n": int64(i)},
		}
	}
	dir := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		s := NewSorter(SortOptions{Dir: dir})
		for _, r := range rows {
			if err := s.Add(r); err != nil {
				b.Fatal(err)
			}
		}
		n := 0
		for s.Next(context.Background()) {
			n++
		}
		if err := s.Err(); err != nil || n != size {
			b.Fatalf("sorted %d rows: %v", n, err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
