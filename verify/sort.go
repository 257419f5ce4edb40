package verify

import (
	"bufio"
	"bytes"
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/decanthq/decant"
)

// KeyedRow is one row that verify expects in a target table: its key, one
// value per key column, and its column values by column name. Values are of
// the types transform.Mapper produces: nil, string, int64, float64, bool,
// time.Time, decant.Decimal and decant.JSON; []byte is kept too.
type KeyedRow struct {
	Key    []any
	Values map[string]any
}

// SortOptions bounds the memory of a [Sorter].
type SortOptions struct {
	// Dir is the directory in which the sorter makes its own temporary
	// directory for the runs it spills; "" is os.TempDir().
	Dir string
	// MaxRows is the most rows the sorter holds in memory at a time, the
	// run buffer while rows are added and the rows being merged after; 0
	// is DefaultSortRows, and a value below 3 is taken as 3 (a merge holds
	// a row of each of two runs and the row it hands out).
	MaxRows int
	// MaxBytes, when not 0, also bounds the run buffer by the memory its
	// rows hold (their encoding and an estimate of their keys): a run is
	// spilled before a row would take the buffer beyond it. A buffer
	// always takes at least one row.
	MaxBytes int64
}

var _ ExpectedRows = (*Sorter)(nil)

// DefaultSortRows is the MaxRows of a [Sorter] when SortOptions leaves it 0.
const DefaultSortRows = 100_000

// maxFanIn bounds how many runs one merge reads at a time, so that the open
// files stay few; more runs are merged in passes first.
const maxFanIn = 64

// Sorter orders the rows verify expects by key, the order
// [decant.CompareKeys] defines, so that they merge with the rows a
// [decant.TargetReader] reads. The rows come in any order (a file or a
// feed is not in key order) and may be more than memory holds: the sorter
// keeps at most SortOptions.MaxRows of them in memory and spills the rest
// as sorted runs to temporary files, which it merges (an external merge
// sort). Rows of equal keys come out in the order they were added, so that
// verify can report a key its source gives twice.
//
// The buffer holds each row encoded as a run holds it, in large shared
// blocks, and only its key as a Go value: a few hundred bytes a row, which
// the garbage collector need not scan, instead of a map of boxed values.
// Rows come back decoded, equal to what was added as the encoding keeps
// it (a time's zone as its name and offset).
//
// Call Add for each row, then Next until it returns false, then Err; Close
// removes the temporary files, and must be called, also after an error.
// A Sorter is not safe for concurrent use.
type Sorter struct {
	opts   SortOptions
	fanIn  int
	dir    string   // made on the first spill
	runs   []string // run files, the earliest added rows first
	nfiles int
	added  int // rows added, to name one in an error

	buf      []entry
	bufBytes int64
	blocks   blocks
	scratch  []byte // a row's encoding before it is copied into a block

	sorting bool
	mem     []entry // the sorted rows, when none was spilled
	memPos  int
	memDec  memDecoder
	merge   *runMerge
	row     KeyedRow
	hasRow  bool
	err     error
	closed  bool

	held, peak int // rows in memory, for the tests that bound them
}

// NewSorter returns a Sorter bounded by opts.
func NewSorter(opts SortOptions) *Sorter {
	if opts.MaxRows == 0 {
		opts.MaxRows = DefaultSortRows
	}
	opts.MaxRows = max(opts.MaxRows, 3)
	return &Sorter{opts: opts, fanIn: min(maxFanIn, opts.MaxRows-1)}
}

// Add adds a row. The sorter keeps r's slices and map: the caller must not
// change them afterwards. Add fails for a value of a type the sorter does
// not know, naming the key value or column, and after Next or Close.
func (s *Sorter) Add(r KeyedRow) error {
	switch {
	case s.err != nil:
		return s.err
	case s.closed:
		return errors.New("sort: add after close")
	case s.sorting:
		return errors.New("sort: add after next: add every row before reading any")
	}
	enc, err := appendRow(s.scratch[:0], r)
	s.scratch = enc
	if err != nil {
		return fmt.Errorf("sort: row %d added, key %v: %w", s.added+1, r.Key, err)
	}
	size := int64(entrySize + 24*len(r.Key) + len(enc))
	full := len(s.buf) >= s.opts.MaxRows ||
		(s.opts.MaxBytes > 0 && len(s.buf) > 0 && s.bufBytes+size > s.opts.MaxBytes)
	if full {
		if err := s.spill(); err != nil {
			return s.fail(err)
		}
	}
	s.buf = append(s.buf, entry{key: r.Key, data: s.blocks.copy(enc), seq: s.added})
	s.bufBytes += size
	s.added++
	s.hold(1)
	return nil
}

// Next advances to the next row in key order. The first call sorts what
// was added; it returns false at the end or on an error, which Err reports.
func (s *Sorter) Next(ctx context.Context) bool {
	if s.err != nil || s.closed {
		return false
	}
	if err := ctx.Err(); err != nil {
		s.fail(fmt.Errorf("sort: %w", err))
		return false
	}
	if s.hasRow {
		s.hasRow = false
		s.row = KeyedRow{}
		s.hold(-1)
	}
	if !s.sorting {
		s.sorting = true
		if err := s.finish(ctx); err != nil {
			s.fail(err)
			return false
		}
	}
	if s.merge == nil {
		return s.nextInMemory()
	}
	r, ok, err := s.merge.next()
	if err != nil {
		s.fail(err)
		return false
	}
	s.row, s.hasRow = r, ok
	return ok
}

func (s *Sorter) nextInMemory() bool {
	if s.memPos >= len(s.mem) {
		s.mem, s.blocks = nil, blocks{}
		return false
	}
	row, err := s.memDec.row(s.mem[s.memPos].data)
	if err != nil { // only a bug in the encoding gets here
		s.fail(fmt.Errorf("sort: decode row: %w", err))
		return false
	}
	s.row, s.hasRow = row, true
	s.mem[s.memPos] = entry{}
	s.memPos++
	return true
}

// Row returns the current row. Its slices and map are the caller's.
func (s *Sorter) Row() KeyedRow { return s.row }

// Err returns the error that ended Next or Add, if any.
func (s *Sorter) Err() error { return s.err }

// Close releases the rows and removes the temporary directory and its
// files. It is safe to call more than once.
func (s *Sorter) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	s.buf, s.mem, s.row, s.blocks, s.scratch = nil, nil, KeyedRow{}, blocks{}, nil
	return s.cleanup()
}

// fail records err, removes the temporary files at once (a sorter that
// failed keeps nothing on disk) and returns err.
func (s *Sorter) fail(err error) error {
	if s.err == nil {
		s.err = err
	}
	if cerr := s.cleanup(); cerr != nil {
		s.err = errors.Join(s.err, cerr)
	}
	return s.err
}

func (s *Sorter) cleanup() error {
	var errs []error
	if s.merge != nil {
		errs = append(errs, s.merge.close())
		s.merge = nil
	}
	if s.dir != "" {
		if err := os.RemoveAll(s.dir); err != nil {
			errs = append(errs, fmt.Errorf("sort: remove temporary directory %s: %w", s.dir, err))
		}
		s.dir = ""
	}
	s.runs = nil
	return errors.Join(errs...)
}

func (s *Sorter) hold(n int) {
	s.held += n
	s.peak = max(s.peak, s.held)
}

func compareRows(a, b KeyedRow) int { return decant.CompareKeys(a.Key, b.Key) }

// entry is a buffered row: its key, its encoding (appendRow, key
// included) and its place in the added order. The buffer is sorted by key
// and then by place, which is stable and, unlike slices.SortStableFunc,
// O(n log n).
type entry struct {
	key  []any
	data []byte
	seq  int
}

// entrySize is what an entry and the headers of its key take, for
// SortOptions.MaxBytes; a key value takes 24 bytes more (its interface
// and a small boxed value).
const entrySize = 64

func compareEntries(a, b entry) int {
	if c := decant.CompareKeys(a.key, b.key); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// blockSize is the size of the blocks that hold the buffered rows'
// encodings; a longer row gets a block of its own.
const blockSize = 1 << 20

// blocks holds encoded rows in large byte slices, so that the buffer
// costs one allocation per megabyte instead of several per row. After a
// spill the blocks are reused for the next run.
type blocks struct {
	all  [][]byte
	used int // blocks of all in use; the last of them has room left
}

// copy copies b into a block and returns the copy.
func (k *blocks) copy(b []byte) []byte {
	if k.used == 0 || cap(k.all[k.used-1])-len(k.all[k.used-1]) < len(b) {
		if k.used == len(k.all) {
			k.all = append(k.all, make([]byte, 0, max(blockSize, len(b))))
		} else if cap(k.all[k.used]) < len(b) {
			k.all[k.used] = make([]byte, 0, len(b))
		}
		k.used++
	}
	blk := k.all[k.used-1]
	start := len(blk)
	blk = append(blk, b...)
	k.all[k.used-1] = blk
	return blk[start:len(blk):len(blk)]
}

// reset empties the blocks for reuse once their rows are written.
func (k *blocks) reset() {
	for i := range k.all[:k.used] {
		k.all[i] = k.all[i][:0]
	}
	k.used = 0
}

// memDecoder decodes the rows of the buffer, reusing one reader.
type memDecoder struct {
	src bytes.Reader
	dec decoder
}

func (m *memDecoder) row(b []byte) (KeyedRow, error) {
	m.src.Reset(b)
	if m.dec.r == nil {
		m.dec.r = bufio.NewReaderSize(&m.src, 32<<10)
	} else {
		m.dec.r.Reset(&m.src)
	}
	return m.dec.row()
}

// finish sorts the buffer and, when runs were spilled, spills it too and
// merges the runs in passes until one merge can read them all.
func (s *Sorter) finish(ctx context.Context) error {
	if s.dir == "" {
		slices.SortFunc(s.buf, compareEntries)
		s.mem, s.buf, s.scratch = s.buf, nil, nil
		return nil
	}
	if len(s.buf) > 0 {
		if err := s.spill(); err != nil {
			return err
		}
	}
	// The runs hold every row now: let the buffer and its blocks go
	// before the merge reads them back.
	s.buf, s.blocks, s.scratch = nil, blocks{}, nil
	for len(s.runs) > s.fanIn {
		if err := s.mergePass(ctx); err != nil {
			return err
		}
	}
	m, err := s.openMerge(s.runs)
	if err != nil {
		return err
	}
	s.merge = m
	return nil
}

// spill sorts the buffer and writes it as the next run.
func (s *Sorter) spill() error {
	slices.SortFunc(s.buf, compareEntries)
	path, err := s.newRun()
	if err != nil {
		return err
	}
	w, err := createRun(path)
	if err != nil {
		return err
	}
	for _, e := range s.buf {
		w.enc.encoded(e.data)
	}
	if err := w.close(); err != nil {
		return err
	}
	s.runs = append(s.runs, path)
	s.hold(-len(s.buf))
	clear(s.buf)
	s.buf, s.bufBytes = s.buf[:0], 0
	s.blocks.reset()
	return nil
}

// newRun returns the path of a new run file, making the directory first.
func (s *Sorter) newRun() (string, error) {
	if s.dir == "" {
		dir, err := os.MkdirTemp(s.opts.Dir, "decant-sort-*")
		if err != nil {
			return "", fmt.Errorf("sort: make temporary directory (set a writable directory in SortOptions.Dir): %w", err)
		}
		s.dir = dir
	}
	s.nfiles++
	return filepath.Join(s.dir, fmt.Sprintf("run-%06d", s.nfiles)), nil
}

// mergePass merges each fanIn consecutive runs into one. Runs stay in the
// order their rows were added, which keeps equal keys in that order.
func (s *Sorter) mergePass(ctx context.Context) error {
	var next []string
	for i := 0; i < len(s.runs); i += s.fanIn {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("sort: %w", err)
		}
		group := s.runs[i:min(i+s.fanIn, len(s.runs))]
		path, err := s.mergeRuns(group)
		if err != nil {
			return err
		}
		next = append(next, path)
	}
	s.runs = next
	return nil
}

// mergeRuns merges runs into a new run; the merge removes them.
func (s *Sorter) mergeRuns(runs []string) (string, error) {
	path, err := s.newRun()
	if err != nil {
		return "", err
	}
	w, err := createRun(path)
	if err != nil {
		return "", err
	}
	m, err := s.openMerge(runs)
	if err != nil {
		w.abort()
		return "", err
	}
	defer m.close()
	for {
		r, ok, err := m.next()
		if err != nil {
			w.abort()
			return "", err
		}
		if !ok {
			break
		}
		err = w.enc.row(r)
		s.hold(-1)
		if err != nil {
			w.abort()
			return "", fmt.Errorf("sort: write run %s: %w", path, err)
		}
	}
	if err := w.close(); err != nil {
		return "", err
	}
	return path, nil // the merge removed the runs as it finished each
}

// runWriter writes one run file.
type runWriter struct {
	path string
	f    *os.File
	enc  encoder
}

func createRun(path string) (*runWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("sort: create run: %w", err)
	}
	return &runWriter{path: path, f: f, enc: encoder{w: bufio.NewWriterSize(f, 64<<10)}}, nil
}

func (w *runWriter) close() error {
	if err := w.enc.w.Flush(); err != nil {
		w.f.Close()
		return fmt.Errorf("sort: write run %s: %w", w.path, err)
	}
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("sort: write run %s: %w", w.path, err)
	}
	return nil
}

// abort closes the file on an error path; cleanup removes it.
func (w *runWriter) abort() { w.f.Close() }

// runReader reads one run file; row is its next row, not yet merged.
type runReader struct {
	path string
	f    *os.File
	dec  decoder
	row  KeyedRow
	run  int // the run's place in added order, which breaks ties
}

// read loads the reader's next row; false at the run's end.
func (r *runReader) read() (bool, error) {
	row, err := r.dec.row()
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sort: read run %s: %w", r.path, err)
	}
	r.row = row
	return true, nil
}

// done closes and removes a run read to its end, so that the disk a sort
// takes shrinks as its last merge proceeds.
func (r *runReader) done() error {
	r.row = KeyedRow{}
	if err := r.f.Close(); err != nil {
		return fmt.Errorf("sort: read run %s: %w", r.path, err)
	}
	if err := os.Remove(r.path); err != nil {
		return fmt.Errorf("sort: remove run: %w", err)
	}
	return nil
}

// runMerge merges runs: a heap of their readers, ordered by each one's next
// row's key and then by run, so that equal keys keep their added order.
type runMerge struct {
	s    *Sorter
	heap runHeap
}

func (s *Sorter) openMerge(runs []string) (*runMerge, error) {
	m := &runMerge{s: s}
	for i, path := range runs {
		f, err := os.Open(path)
		if err != nil {
			m.close()
			return nil, fmt.Errorf("sort: open run: %w", err)
		}
		r := &runReader{path: path, f: f, dec: decoder{r: bufio.NewReaderSize(f, 32<<10)}, run: i}
		ok, err := r.read()
		if err != nil {
			f.Close()
			m.close()
			return nil, err
		}
		if !ok { // an empty run, which spill never writes
			if err := r.done(); err != nil {
				m.close()
				return nil, err
			}
			continue
		}
		s.hold(1)
		m.heap = append(m.heap, r)
	}
	heap.Init(&m.heap)
	return m, nil
}

// next returns the least row and loads the next row of its run. The row
// stays counted as held: the caller releases it.
func (m *runMerge) next() (KeyedRow, bool, error) {
	if len(m.heap) == 0 {
		return KeyedRow{}, false, nil
	}
	r := m.heap[0]
	row := r.row
	ok, err := r.read()
	if err != nil {
		return KeyedRow{}, false, err
	}
	if ok {
		m.s.hold(1)
		heap.Fix(&m.heap, 0)
		return row, true, nil
	}
	heap.Pop(&m.heap)
	if err := r.done(); err != nil {
		return KeyedRow{}, false, err
	}
	return row, true, nil
}

// close closes the runs still open and releases their rows.
func (m *runMerge) close() error {
	var errs []error
	for _, r := range m.heap {
		errs = append(errs, r.f.Close())
	}
	m.s.hold(-len(m.heap))
	m.heap = nil
	return errors.Join(errs...)
}

type runHeap []*runReader

func (h runHeap) Len() int { return len(h) }
func (h runHeap) Less(i, j int) bool {
	if c := compareRows(h[i].row, h[j].row); c != 0 {
		return c < 0
	}
	return h[i].run < h[j].run
}
func (h runHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)   { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	r := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return r
}
