package files

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/antchfx/xpath"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/xmldoc"
)

// xmlRows reads the record elements of an XML file, one at a time.
type xmlRows struct {
	fileRows
	src *Source
	st  *xmldoc.Stream
	// base is the offset the stream started at (after a byte order mark).
	base int64
	// n is the number of record elements read, skipped ones included.
	n int64
	// resume is the position to pass over before yielding records.
	resume position
}

// compileRecord compiles the XPath that selects a file's record elements,
// refusing one the stream would answer wrongly (a position, a predicate
// on content, a step that is not an element).
func compileRecord(record string, ns map[string]string) (*xpath.Expr, error) {
	e, err := xmldoc.Compile(record, ns)
	if err != nil {
		return nil, err
	}
	if !xmldoc.SelectsNodes(e) {
		return nil, fmt.Errorf("xpath %q computes a value; want a path to the record elements, such as //application", record)
	}
	if err := xmldoc.CheckStreamable(record); err != nil {
		return nil, err
	}
	return e, nil
}

// openXML starts a read from the file's start; a position is reached by
// reading the file up to it (see the package doc, "XML").
func (s *Source) openXML(f *os.File, p position) (*xmlRows, error) {
	if p.Offset >= 0 && p.Element < 1 {
		return nil, fmt.Errorf("%s: position %s is not a position in an XML file (it has no element); was the step's format changed?", f.Name(), appendPosition(nil, p.Offset, p.Line))
	}
	bom, err := skipBOM(f)
	if err != nil {
		return nil, err
	}
	if _, err := f.Seek(bom, io.SeekStart); err != nil {
		return nil, err
	}
	st := xmldoc.NewStream(f, s.record)
	st.MaxElement = int64(s.cfg.MaxRecord)
	return &xmlRows{fileRows: fileRows{f: f}, src: s, st: st, base: bom, resume: p}, nil
}

// Next yields the next record element.
func (r *xmlRows) Next(ctx context.Context) bool {
	if r.done {
		return false
	}
	if r.n < r.resume.Element {
		if err := r.skip(ctx); err != nil {
			return r.fail(err)
		}
	}
	if err := ctx.Err(); err != nil {
		return r.fail(fmt.Errorf("files: %s: %w", r.src.path, context.Cause(ctx)))
	}
	el, err := r.st.Next()
	if errors.Is(err, io.EOF) {
		r.done = true
		_ = r.f.Close()
		return false
	}
	if err != nil {
		return r.fail(r.syntaxError(err))
	}
	r.n++
	r.rec, err = r.record(el)
	if err != nil {
		return r.fail(err)
	}
	return true
}

// skip passes over the elements up to the resume position and checks that
// the last of them ends where the position says, so that a file changed
// since is refused instead of read from the wrong place.
func (r *xmlRows) skip(ctx context.Context) error {
	var el xmldoc.Element
	for r.n < r.resume.Element {
		if r.n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("files: %s: %w", r.src.path, context.Cause(ctx))
			}
		}
		var err error
		el, err = r.st.Next()
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("files: %s: the position is after record element %d, but the file has only %d; was it replaced or truncated?", r.src.path, r.resume.Element, r.n)
		}
		if err != nil {
			return r.syntaxError(err)
		}
		r.n++
	}
	if end := r.base + el.End; end != r.resume.Offset {
		return fmt.Errorf("files: %s: record element %d ends at byte %d, but the position says %d; was the file changed? "+
			"(reset the step's checkpoint to read it again from the start)", r.src.path, r.n, end, r.resume.Offset)
	}
	return nil
}

// syntaxError is a fault in the file, with its line and column, or a
// record element too long; the read stops there, after the records before
// it.
func (r *xmlRows) syntaxError(err error) error {
	var se *xmldoc.SyntaxError
	var long *xmldoc.TooLongError
	if errors.As(err, &long) {
		return fmt.Errorf("files: %s:%d: record element longer than %d bytes (MaxRecord in files.Config; "+
			"a plan cannot raise it: split the element, or read the file from Go with a larger MaxRecord)", r.src.path, long.Line, long.Max)
	}
	if errors.As(err, &se) {
		return fmt.Errorf("files: %s:%d:%d: not well-formed XML: %s (the records before it were read; fix the file and run again: "+
			"the read resumes after the last committed record)", r.src.path, se.Line, se.Col, se.Msg)
	}
	return fmt.Errorf("files: %s: %w", r.src.path, err)
}

// record makes a decant.Record of an element: Doc its record, Raw the
// same as JSON.
func (r *xmlRows) record(el xmldoc.Element) (decant.Record, error) {
	doc := xmldoc.Record(el.Node)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return decant.Record{}, fmt.Errorf("files: %s:%d: %w", r.src.path, el.Line, err)
	}
	end := r.base + el.End
	rec := decant.Record{
		Raw:      bytes.TrimSuffix(b.Bytes(), []byte("\n")),
		Doc:      xmlDoc{doc},
		Position: appendXMLPosition(nil, end, int64(el.EndLine), r.n),
		Where:    where(r.src.path, int64(el.Line)),
		Key:      pathText(doc, r.src.cfg.Key),
	}
	if r.src.cfg.Cursor != "" {
		rec.Cursor = pathText(doc, r.src.cfg.Cursor)
	}
	return rec, nil
}

func appendXMLPosition(b []byte, offset, line, element int64) []byte {
	b = appendPosition(b, offset, line)
	b = b[:len(b)-1]
	b = append(b, `,"element":`...)
	b = fmt.Appendf(b, "%d", element)
	return append(b, '}')
}

// xmlDoc is a record element's record, as the mapper reads it.
type xmlDoc struct{ m map[string]any }

// Value returns the element's record (xmldoc.Record).
func (d xmlDoc) Value() any { return d.m }

// pathText follows a dotted path of names (header.ref, @id) into an
// element's record and returns the text there: a string, or the "#text"
// of an element with attributes. Anything else (missing, a list, an
// element without text) is "", a record without a key.
func pathText(doc map[string]any, path string) string {
	var v any = doc
	for name := range strings.SplitSeq(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[name]
	}
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		s, _ := t["#text"].(string)
		return s
	}
	return ""
}
