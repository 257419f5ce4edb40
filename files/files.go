// Package files is a decant source that reads JSONL and CSV files.
//
// Each JSONL line is a record whose Raw is the line. Each CSV row (after the
// header) is a record whose Raw is a JSON object of column -> value, all
// strings, in header order. A position is the byte offset after a record
// (and its line number), so a run resumes by seeking, without re-reading the
// file.
//
// CSV rows must each be on one line (quoted fields may hold the delimiter and
// quotes, not newlines). A line that is not valid JSON, or a CSV row with the wrong number of fields,
// is still yielded (Key empty, Raw the line as it is), so the engine stores it
// as a per-record error naming the file and line instead of stopping.
package files

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/decanthq/decant"
)

var _ decant.Source = (*Source)(nil)
var _ decant.Pinger = (*Source)(nil)

// Config are the options of a file source.
type Config struct {
	// Format is "jsonl" or "csv". Default: from the extension (.jsonl,
	// .ndjson, .json -> jsonl; .csv -> csv).
	Format string
	// Key is the JSON path (GJSON syntax) of the record key; for CSV, the
	// column name. Required.
	Key string
	// Cursor is the path of an optional cursor value shown in the audit.
	Cursor string
	// Delimiter is the CSV field separator. Default ",".
	Delimiter string
}

// MaxLine is the longest line read; longer lines fail the read.
const MaxLine = 64 << 20

// Source reads one file.
type Source struct {
	path string
	cfg  Config
}

// New returns a source for path.
func New(path string, cfg Config) (*Source, error) {
	if cfg.Format == "" {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".jsonl", ".ndjson", ".json":
			cfg.Format = "jsonl"
		case ".csv":
			cfg.Format = "csv"
		default:
			return nil, fmt.Errorf("file %s: cannot tell the format from the extension; set from.format to jsonl or csv", path)
		}
	}
	if cfg.Format != "jsonl" && cfg.Format != "csv" {
		return nil, fmt.Errorf("file %s: unknown format %q (want jsonl or csv)", path, cfg.Format)
	}
	if cfg.Key == "" {
		return nil, fmt.Errorf("file %s: from.key (the path of the record key) is required", path)
	}
	if cfg.Delimiter == "" {
		cfg.Delimiter = ","
	}
	if len([]rune(cfg.Delimiter)) != 1 {
		return nil, fmt.Errorf("file %s: delimiter %q must be one character", path, cfg.Delimiter)
	}
	return &Source{path: path, cfg: cfg}, nil
}

// Ping checks that the file can be opened.
func (s *Source) Ping(context.Context) error {
	f, err := os.Open(s.path)
	if err != nil {
		return err
	}
	return f.Close()
}

// Close releases nothing; each Read owns its file handle.
func (s *Source) Close() error { return nil }

// Position is where a read resumes.
type Position struct {
	Offset int64 `json:"offset"`
	Line   int64 `json:"line"`
	// Header is the CSV header, kept so a resumed read needs not re-read it.
	Header []string `json:"header,omitempty"`
}

// Read opens the file and seeks to pos.
func (s *Source) Read(_ context.Context, _ string, pos decant.Position) (decant.Rows, error) {
	var p Position
	if len(pos) > 0 {
		if err := json.Unmarshal(pos, &p); err != nil {
			return nil, fmt.Errorf("file %s: bad checkpoint %s: %w", s.path, pos, err)
		}
	}
	f, err := os.Open(s.path)
	if err != nil {
		return nil, err
	}
	if _, err := f.Seek(p.Offset, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("file %s: seek to %d: %w", s.path, p.Offset, err)
	}
	r := &rows{src: s, f: f, br: bufio.NewReaderSize(f, 1<<20), pos: p}
	return r, nil
}

type rows struct {
	src *Source
	f   *os.File
	br  *bufio.Reader
	pos Position
	rec decant.Record
	err error
}

func (r *rows) Next(ctx context.Context) bool {
	for r.err == nil {
		if err := ctx.Err(); err != nil {
			r.err = err
			return false
		}
		line, err := r.readLine()
		if err == io.EOF && len(line) == 0 {
			return false
		}
		if err != nil && err != io.EOF {
			r.err = fmt.Errorf("file %s line %d: %w", r.src.path, r.pos.Line+1, err)
			return false
		}
		r.pos.Line++
		r.pos.Offset += int64(len(line))
		text := bytes.TrimRight(line, "\r\n")
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		if r.src.cfg.Format == "csv" && r.pos.Header == nil {
			if r.err = r.header(text); r.err != nil {
				return false
			}
			continue
		}
		r.record(text)
		return true
	}
	return false
}

// readLine reads one line including its newline, bounded by MaxLine.
func (r *rows) readLine() ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > MaxLine {
			return nil, fmt.Errorf("line longer than %d bytes", MaxLine)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return buf, err
	}
}

func (r *rows) header(text []byte) error {
	fields, err := r.csvFields(text)
	if err != nil {
		return fmt.Errorf("file %s line %d: header: %w", r.src.path, r.pos.Line, err)
	}
	r.pos.Header = fields
	return nil
}

func (r *rows) csvFields(text []byte) ([]string, error) {
	cr := csv.NewReader(bytes.NewReader(text))
	cr.Comma = []rune(r.src.cfg.Delimiter)[0]
	cr.FieldsPerRecord = -1
	return cr.Read()
}

func (r *rows) record(text []byte) {
	where := r.src.path + ":" + strconv.FormatInt(r.pos.Line, 10)
	raw := append([]byte(nil), text...)
	if r.src.cfg.Format == "csv" {
		raw = r.csvRecord(text)
	}
	rec := decant.Record{Raw: raw, Where: where}
	if gjson.ValidBytes(raw) {
		rec.Key = gjson.GetBytes(raw, r.src.cfg.Key).String()
		if r.src.cfg.Cursor != "" {
			rec.Cursor = gjson.GetBytes(raw, r.src.cfg.Cursor).String()
		}
	}
	rec.Position, _ = json.Marshal(r.pos)
	r.rec = rec
}

// csvRecord turns a CSV row into a JSON object; a row that does not parse or
// has the wrong field count is returned as the raw line (invalid JSON), so it
// becomes an error naming the file and line.
func (r *rows) csvRecord(text []byte) []byte {
	fields, err := r.csvFields(text)
	if err != nil || len(fields) != len(r.pos.Header) {
		return append([]byte(nil), text...)
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, h := range r.pos.Header {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(h)
		v, _ := json.Marshal(fields[i])
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func (r *rows) Record() decant.Record { return r.rec }
func (r *rows) Err() error            { return r.err }
func (r *rows) Close() error          { return r.f.Close() }
