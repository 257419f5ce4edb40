package files

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/jsonquote"
)

// csvRows reads a CSV file record by record.
type csvRows struct {
	fileRows
	src *Source
	cr  *csv.Reader
	lim *limitReader
	// base is the file offset where cr started and baseLine the number of
	// lines before it: cr counts offsets and lines from there.
	base     int64
	baseLine int64
	offset   int64 // just after the last record
	line     int64 // number of the last line of the last record

	columns  []string
	names    [][]byte // `"column":` for each column, encoded once
	key, cur int      // column indexes; cur is -1 without a cursor
	buf      []byte   // the JSON object being built

	// Docs and their fields are carved from chunks, so that a row's Doc
	// costs no allocation of its own; a chunk lives as long as its rows.
	docs   []csvDoc
	fields []string
	slab   slab
}

// header is a CSV file's column names and where its data starts.
type header struct {
	columns []string
	end     int64 // offset just after the header row
	lines   int64 // lines the header takes, blank lines before it included
}

func (s *Source) openCSV(f *os.File, p position) (*csvRows, error) {
	h, err := s.readHeader(f)
	if err != nil {
		return nil, err
	}
	switch {
	case p.Offset < 0:
		p = position{Offset: h.end, Line: h.lines}
	case p.Offset < h.end:
		return nil, fmt.Errorf("%s: position offset %d is inside the header (which ends at %d); was the file changed?", s.path, p.Offset, h.end)
	}
	if err := seekTo(f, p); err != nil {
		return nil, err
	}
	r := &csvRows{fileRows: fileRows{f: f}, src: s, base: p.Offset, baseLine: p.Line, offset: p.Offset, line: p.Line, columns: h.columns, cur: -1}
	r.lim = &limitReader{r: f, max: int64(s.cfg.MaxRecord)}
	r.cr = s.csvReader(bufio.NewReaderSize(r.lim, 64<<10))
	r.cr.FieldsPerRecord = len(h.columns)
	r.names = make([][]byte, len(h.columns))
	for i, c := range h.columns {
		r.names[i] = append(jsonquote.Append(nil, c), ':')
	}
	r.key = slices.Index(h.columns, s.cfg.Key)
	if s.cfg.Cursor != "" {
		r.cur = slices.Index(h.columns, s.cfg.Cursor)
	}
	return r, nil
}

func (s *Source) csvReader(rd io.Reader) *csv.Reader {
	cr := csv.NewReader(rd)
	cr.Comma, _ = utf8.DecodeRuneInString(s.cfg.Delimiter)
	cr.ReuseRecord = true
	return cr
}

// readHeader reads the header row (or takes Columns) and checks that it
// names the key and cursor columns.
func (s *Source) readHeader(f *os.File) (header, error) {
	bom, err := skipBOM(f)
	if err != nil {
		return header{}, err
	}
	// Cloned: the rows' Docs keep the columns after Read returns.
	h := header{columns: slices.Clone(s.cfg.Columns), end: bom}
	if !s.cfg.NoHeader {
		lim := &limitReader{r: io.NewSectionReader(f, bom, 1<<62), max: int64(s.cfg.MaxRecord)}
		cr := s.csvReader(lim)
		cols, err := cr.Read()
		switch {
		case errors.Is(err, io.EOF):
			return h, fmt.Errorf("%s: no header row", s.path)
		case err != nil:
			return h, fmt.Errorf("%s: header: %w", s.path, err)
		}
		h.columns = slices.Clone(cols)
		h.end = bom + cr.InputOffset()
		last := len(cols) - 1
		line, _ := cr.FieldPos(last)
		h.lines = int64(line + strings.Count(cols[last], "\n"))
	}
	if err := s.checkColumns(h.columns); err != nil {
		return h, err
	}
	return h, nil
}

// CheckHeader returns the error decant's CSV source gives for the header
// columns cols of the file at path (a column that is not valid UTF-8, or
// one that appears twice), so that decant infer refuses a sample file as a
// run would.
func CheckHeader(path string, cols []string) error {
	return (&Source{path: path}).checkColumns(cols)
}

func (s *Source) checkColumns(cols []string) error {
	seen := map[string]bool{}
	for i, c := range cols {
		if !utf8.ValidString(c) {
			return fmt.Errorf("%s: column %d of the header is not valid UTF-8 (%q); save the file as UTF-8", s.path, i+1, c)
		}
		if seen[c] {
			return fmt.Errorf("%s: column %q appears twice", s.path, c)
		}
		seen[c] = true
	}
	for _, c := range []string{s.cfg.Key, s.cfg.Cursor} {
		if c != "" && !seen[c] {
			return fmt.Errorf("%s: no column %q among %q", s.path, c, cols)
		}
	}
	return nil
}

// Next yields the next row.
func (r *csvRows) Next(ctx context.Context) bool {
	if r.done {
		return false
	}
	if err := ctx.Err(); err != nil {
		return r.fail(fmt.Errorf("files: %s:%d: %w", r.src.path, r.line+1, context.Cause(ctx)))
	}
	start := r.offset
	r.lim.floor = r.cr.InputOffset()
	fields, err := r.cr.Read()
	if err == nil {
		if i, at := invalidUTF8(fields); i >= 0 {
			first, _ := r.cr.FieldPos(0)
			msg := fmt.Sprintf("column %q is not valid UTF-8 at byte %d of its value", r.columns[i], at)
			// The key is kept as it is, so the row fails under its own key.
			if err := r.badRow(start, r.baseLine+int64(first), msg, fields[r.key]); err != nil {
				return r.fail(fmt.Errorf("files: %s:%d: %w", r.src.path, r.line+1, err))
			}
			return true
		}
		r.row(fields)
		return true
	}
	// Declared here, not for every row: errors.As makes it escape.
	var perr *csv.ParseError
	switch {
	case errors.As(err, &perr):
		if err := r.badRow(start, r.baseLine+int64(perr.StartLine), r.parseProblem(fields, perr), ""); err != nil {
			return r.fail(fmt.Errorf("files: %s:%d: %w", r.src.path, r.line+1, err))
		}
		return true
	case errors.Is(err, io.EOF):
		r.done = true
		_ = r.f.Close()
		return false
	case errors.Is(err, errTooLong):
		return r.fail(fmt.Errorf("files: %s:%d: record longer than %d bytes", r.src.path, r.line+1, r.src.cfg.MaxRecord))
	default:
		return r.fail(fmt.Errorf("files: %s:%d: %w", r.src.path, r.line+1, err))
	}
}

// row turns a good row into a record.
func (r *csvRows) row(fields []string) {
	first, _ := r.cr.FieldPos(0)
	last := len(fields) - 1
	lastLine, _ := r.cr.FieldPos(last)
	r.offset = r.base + r.cr.InputOffset()
	r.line = r.baseLine + int64(lastLine+strings.Count(fields[last], "\n"))

	r.buf = append(r.buf[:0], '{')
	for i, v := range fields {
		if i > 0 {
			r.buf = append(r.buf, ',')
		}
		r.buf = append(r.buf, r.names[i]...)
		r.buf = jsonquote.Append(r.buf, v)
	}
	r.buf = append(r.buf, '}')
	// The payload, its position and its place ("path:line") are made in a
	// slab shared by the rows read one after the other, as the JSONL
	// reader makes its lines': they were four allocations a row.
	b := r.slab.take(len(r.buf) + positionRoom + len(r.src.path) + 1 + lineRoom)
	b = append(b, r.buf...)
	rawEnd := len(b)
	b = appendPosition(b, r.offset, r.line)
	posEnd := len(b)
	b = strconv.AppendInt(append(append(b, r.src.path...), ':'), r.baseLine+int64(first), 10)
	r.slab.keep(len(b))
	r.rec = decant.Record{
		Key:      fields[r.key],
		Raw:      b[:rawEnd:rawEnd],
		Doc:      r.doc(fields),
		Position: b[rawEnd:posEnd:posEnd],
		// The slab's bytes are never written again.
		Where: unsafe.String(&b[posEnd], len(b)-posEnd),
	}
	if r.cur >= 0 {
		r.rec.Cursor = fields[r.cur]
	}
}

var _ decant.RowDocument = (*csvDoc)(nil)

// csvDoc is a good row as the mapper reads it: an object of the row's
// fields by column name, all strings, which the mapper reads from its
// fields (a decant.RowDocument). The map is built when the mapper
// asks, on its goroutine, rather than by the reader; the fields' strings
// are the csv.Reader's, which makes new ones for every row.
type csvDoc struct {
	columns []string // the header's, shared by every row and never changed
	fields  []string
}

// doc copies a row's fields (which the csv.Reader reuses) into a Doc.
func (r *csvRows) doc(fields []string) *csvDoc {
	const chunk = 64 // rows
	n := len(fields)
	if len(r.fields) < n {
		r.fields = make([]string, chunk*n)
	}
	if len(r.docs) == 0 {
		r.docs = make([]csvDoc, chunk)
	}
	d := &r.docs[0]
	r.docs = r.docs[1:]
	d.columns, d.fields = r.columns, r.fields[:n:n]
	r.fields = r.fields[n:]
	copy(d.fields, fields)
	return d
}

// Columns returns the header's column names (decant.RowDocument).
func (d *csvDoc) Columns() []string { return d.columns }

// Fields returns the row's fields, in the header's order.
func (d *csvDoc) Fields() []string { return d.fields }

// Value returns the row as map[string]any of column -> field.
func (d *csvDoc) Value() any {
	m := make(map[string]any, len(d.columns))
	for i, c := range d.columns {
		m[c] = d.fields[i]
	}
	return m
}

// parseProblem words why a row did not parse.
func (r *csvRows) parseProblem(fields []string, perr *csv.ParseError) string {
	if errors.Is(perr, csv.ErrFieldCount) {
		n := "fields"
		if len(fields) == 1 {
			n = "field"
		}
		if r.src.cfg.NoHeader {
			return fmt.Sprintf("row has %d %s, the columns setting names %d", len(fields), n, len(r.columns))
		}
		return fmt.Sprintf("row has %d %s, the header has %d", len(fields), n, len(r.columns))
	}
	return fmt.Sprintf("line %d, column %d: %v", r.baseLine+int64(perr.Line), perr.Column, perr.Err)
}

// badRow turns a row that cannot become a record (it did not parse, or
// its text is not valid UTF-8) into a failed record: Invalid says why, and
// Raw holds the row's text as the file has it, read back from the file.
// startLine is the number of the row's first line.
func (r *csvRows) badRow(start, startLine int64, problem, key string) error {
	end := r.base + r.cr.InputOffset()
	text := make([]byte, end-start)
	if _, err := r.f.ReadAt(text, start); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	// start is just after a line end, so the lines before the row's end
	// are the previous record's last line plus the line ends in between.
	r.offset = end
	r.line += int64(bytes.Count(text, []byte("\n")))
	if len(text) > 0 && text[len(text)-1] != '\n' {
		r.line++
	}
	r.rec = decant.Record{
		Key:      key,
		Raw:      text,
		Position: appendPosition(nil, r.offset, r.line),
		Where:    where(r.src.path, startLine),
		Invalid:  problem,
	}
	return nil
}

// invalidUTF8 finds the first field that is not valid UTF-8 and the offset
// of its first bad byte; -1 when every field is valid.
func invalidUTF8(fields []string) (field, at int) {
	for i, f := range fields {
		if utf8.ValidString(f) {
			continue
		}
		for j, c := range f {
			if c == utf8.RuneError {
				if _, size := utf8.DecodeRuneInString(f[j:]); size == 1 {
					return i, j
				}
			}
		}
	}
	return -1, 0
}

var errTooLong = errors.New("record too long")

// limitReader bounds how far a csv.Reader reads past the end of the last
// record (floor, in the reader's offsets), so one unterminated quote cannot
// pull a whole file into memory. read counts bytes handed out; the slack
// covers the bufio buffer in between.
type limitReader struct {
	r     io.Reader
	read  int64
	floor int64
	max   int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	const slack = 128 << 10
	room := l.floor + l.max + slack - l.read
	if room <= 0 {
		return 0, errTooLong
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}
