// Package files reads records from JSON Lines, CSV and XML files,
// resumably and in bounded memory.
//
// # Positions
//
// A position is the byte offset just after a record and the number of the
// record's last line (1-based):
//
//	{"offset":1832,"line":17}
//
// Read seeks to the offset and goes on, so a file that only grows (a log, an
// export being appended to) is read incrementally. A position whose offset is
// past the end of the file or not at the start of a line fails: the file was
// replaced or truncated.
//
// # JSON Lines
//
// Each non-blank line is a record; Raw is the line without its line ending.
// Key and Cursor are gjson paths into it, read byte-exactly (see
// internal/jsonkey), so keys that differ only in invalid UTF-8 stay
// different. A line that is not valid JSON is still yielded, with Key ""
// and Raw the line as it is, so the engine reports it as a failed record
// and keeps its text.
//
// # CSV
//
// The first row is the header (unless NoHeader, then Columns names the
// columns). Each row becomes a record whose Doc is the row itself, an
// object of its fields by column name, all strings, which the engine maps
// without going through JSON; its Raw, the payload a stored error keeps,
// is the same object as JSON, in column order: {"id":"7","name":"Asha"}.
// Key and Cursor name columns. A header that is not valid UTF-8 stops the
// read.
//
// A row that cannot become a record (a wrong number of fields, a stray
// quote, text that is not valid UTF-8) is yielded as a failed record:
// Invalid says why, Key is "" (or the key as it is, for invalid UTF-8),
// Doc is nil, and Raw is a JSON object holding the problem and the row's
// text as it is in the file:
//
//	{"error":"row has 4 fields, the header has 3","text":"7,Asha,x,y\n"}
//
// # XML
//
// Each element that Config.Record (an XPath) selects is a record whose
// Doc is the element as xmldoc.Record maps it (@attributes, child
// elements, repeated children as lists, #text) and whose Raw is the same
// as JSON. Key and Cursor are dotted paths into it (@id, header.ref). The
// file is read as a stream of tokens, in memory bounded by the largest
// record element. A position also counts the record elements:
//
//	{"offset":1832,"line":17,"element":12}
//
// Read passes over that many record elements from the start (an element's
// namespaces and ancestors come before it, so the file cannot be entered
// at an offset) and refuses the position unless the last of them ends at
// its offset. XML that is not well-formed (a second root element
// included: a file is one document) stops the read with path:line:col,
// after the records before it. A record XPath the stream would answer
// wrongly (a position, a predicate on content) is refused by New.
//
// # Where
//
// Every record's Where is "path:line", line being the record's first line.
//
// Records longer than MaxRecord bytes (an XML record element from its
// start tag to the end of its end tag) stop the read with an error.
package files

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/antchfx/xpath"

	"github.com/decanthq/decant"
)

var (
	_ decant.Source = (*Source)(nil)
	_ decant.Pinger = (*Source)(nil)
)

// Formats.
const (
	FormatJSONL = "jsonl"
	FormatCSV   = "csv"
	FormatXML   = "xml"
)

// utf8BOM starts files saved by some editors and spreadsheets; it is skipped.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Config configures a file source.
type Config struct {
	// Format is "jsonl", "csv" or "xml". Defaults from the extension:
	// .jsonl and .ndjson are JSON Lines, .csv and .tsv (tab-delimited) are
	// CSV, .xml is XML.
	Format string
	// Key locates a record's key: a gjson path for JSON Lines, a column
	// name for CSV, a dotted path into the element's record for XML
	// (@id, header.ref). Required.
	Key string
	// Cursor locates a record's cursor value the same way; optional.
	Cursor string

	// Delimiter separates CSV fields: one character. Defaults to ","
	// (a tab for .tsv files).
	Delimiter string
	// NoHeader says the CSV file has no header row; Columns then names
	// the columns.
	NoHeader bool
	// Columns names the columns of a CSV file without a header.
	Columns []string

	// Record is the XPath of an XML file's record elements (//application);
	// required for XML, and only for XML.
	Record string
	// Namespaces binds the prefixes Record uses (prefix -> namespace URI).
	Namespaces map[string]string

	// MaxRecord is the longest record, in bytes, that a read accepts.
	// Defaults to 64 MiB.
	MaxRecord int
}

func (c Config) withDefaults(path string) Config {
	ext := strings.ToLower(filepath.Ext(path))
	if c.Format == "" {
		switch ext {
		case ".jsonl", ".ndjson":
			c.Format = FormatJSONL
		case ".csv", ".tsv":
			c.Format = FormatCSV
		case ".xml":
			c.Format = FormatXML
		}
	}
	if c.Delimiter == "" && ext == ".tsv" {
		c.Delimiter = "\t"
	}
	c.Delimiter = cmp.Or(c.Delimiter, ",")
	c.MaxRecord = cmp.Or(c.MaxRecord, 64<<20)
	return c
}

func (c Config) validate(path string) error {
	switch {
	case c.Format == "":
		return fmt.Errorf("cannot tell the format of %s from its extension; set the format to %q, %q or %q", path, FormatJSONL, FormatCSV, FormatXML)
	case c.Format != FormatJSONL && c.Format != FormatCSV && c.Format != FormatXML:
		return fmt.Errorf("format %q: want %q, %q or %q", c.Format, FormatJSONL, FormatCSV, FormatXML)
	case c.Format == FormatXML && c.Record == "":
		return fmt.Errorf("an xml file needs record: the XPath of its record elements, such as //application")
	case c.Format != FormatXML && (c.Record != "" || len(c.Namespaces) > 0):
		return fmt.Errorf("record and namespaces are only for an xml file, not %s", c.Format)
	case c.Key == "":
		return errors.New("key is required")
	case c.MaxRecord < 1:
		return fmt.Errorf("max record %d: want > 0", c.MaxRecord)
	case c.Format == FormatCSV && c.NoHeader && len(c.Columns) == 0:
		return errors.New("a csv file without a header needs columns")
	case c.Format == FormatCSV && !c.NoHeader && len(c.Columns) > 0:
		return errors.New("columns are only for a csv file without a header")
	case !validDelimiter(c.Delimiter):
		return fmt.Errorf("delimiter %q: want one character other than a quote or a line break", c.Delimiter)
	}
	return nil
}

// Source is a JSON Lines or CSV file. It is safe for concurrent use; each
// Read opens the file anew.
type Source struct {
	path string
	cfg  Config
	// record selects an XML file's record elements.
	record *xpath.Expr
}

// New returns a source reading the file at path. The file need not exist
// yet; Read and Ping open it.
func New(path string, cfg Config) (*Source, error) {
	if decant.HasScopeRef(path) {
		return nil, fmt.Errorf("files: %s names ${scope}: a file source reads one file for every scope; "+
			"give each scope's file its own step or plan, or filter the records by a field in the step's map", path)
	}
	cfg = cfg.withDefaults(path)
	if err := cfg.validate(path); err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	src := &Source{path: path, cfg: cfg}
	if cfg.Format == FormatXML {
		e, err := compileRecord(cfg.Record, cfg.Namespaces)
		if err != nil {
			return nil, fmt.Errorf("files: record: %w", err)
		}
		src.record = e
	}
	return src, nil
}

// position is the JSON shape of a file position.
type position struct {
	// Offset is the byte offset just after the record.
	Offset int64 `json:"offset"`
	// Line is the number of the record's last line.
	Line int64 `json:"line"`
	// Element is the number of an XML file's record elements up to and
	// including the record (1-based); absent in other files.
	Element int64 `json:"element,omitempty"`
}

func appendPosition(b []byte, offset, line int64) []byte {
	b = append(b, `{"offset":`...)
	b = strconv.AppendInt(b, offset, 10)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, line, 10)
	return append(b, '}')
}

// Read streams the records after pos (nil: from the first record) to the
// end of the file. Files have no notion of scope; Read ignores it.
func (s *Source) Read(ctx context.Context, scope string, pos decant.Position) (decant.Rows, error) {
	start, err := parsePosition(pos)
	if err != nil {
		return nil, fmt.Errorf("files: %s: %w", s.path, err)
	}
	f, err := os.Open(s.path)
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	var rows decant.Rows
	switch s.cfg.Format {
	case FormatJSONL:
		rows, err = s.openJSONL(f, start)
	case FormatXML:
		rows, err = s.openXML(f, start)
	default:
		rows, err = s.openCSV(f, start)
	}
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("files: %w", err)
	}
	return rows, nil
}

// Ping checks that the file can be opened and, for CSV, that its header
// names the key and cursor columns.
func (s *Source) Ping(ctx context.Context) error {
	f, err := os.Open(s.path)
	if err != nil {
		return fmt.Errorf("files: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("files: %w", err)
	}
	if info.IsDir() {
		return fmt.Errorf("files: %s is a directory", s.path)
	}
	if s.cfg.Format == FormatCSV {
		if _, err := s.readHeader(f); err != nil {
			return fmt.Errorf("files: %w", err)
		}
	}
	return nil
}

// Close does nothing: each Read's rows hold their own file.
func (s *Source) Close() error { return nil }

// parsePosition decodes pos; nil means the start, reported as offset -1.
func parsePosition(pos decant.Position) (position, error) {
	raw := bytes.TrimSpace(pos)
	if len(raw) == 0 || string(raw) == "null" {
		return position{Offset: -1}, nil
	}
	var p position
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil || dec.More() || p.Offset < 0 || p.Line < 0 || p.Element < 0 {
		return p, fmt.Errorf("position %s: want {\"offset\":N,\"line\":N} (and \"element\":N in an XML file)", raw)
	}
	return p, nil
}

// seekTo moves f to a position's offset after checking that it still starts
// a line, the only places positions point to.
func seekTo(f *os.File, p position) error {
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if p.Offset > info.Size() {
		return fmt.Errorf("%s: position offset %d is past the end of the file (%d bytes); was it replaced or truncated?", f.Name(), p.Offset, info.Size())
	}
	if p.Offset > 0 && p.Offset < info.Size() {
		var b [1]byte
		if _, err := f.ReadAt(b[:], p.Offset-1); err != nil {
			return err
		}
		if b[0] != '\n' {
			return fmt.Errorf("%s: position offset %d is not at the start of a line; was the file changed?", f.Name(), p.Offset)
		}
	}
	_, err = f.Seek(p.Offset, io.SeekStart)
	return err
}

// skipBOM returns the offset of the first byte after a UTF-8 byte order mark,
// 0 when there is none.
func skipBOM(f *os.File) (int64, error) {
	var b [3]byte
	n, err := f.ReadAt(b[:], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, err
	}
	if bytes.Equal(b[:n], utf8BOM) {
		return int64(len(utf8BOM)), nil
	}
	return 0, nil
}

// where is "path:line", built with one allocation.
func where(path string, line int64) string {
	var digits [20]byte
	n := strconv.AppendInt(digits[:0], line, 10)
	var sb strings.Builder
	sb.Grow(len(path) + 1 + len(n))
	sb.WriteString(path)
	sb.WriteByte(':')
	sb.Write(n)
	return sb.String()
}
