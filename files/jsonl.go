package files

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/internal/jsonkey"
	"github.com/decanthq/decant/internal/jsonscan"
)

// jsonlRows reads a JSON Lines file line by line.
type jsonlRows struct {
	fileRows
	src    *Source
	sc     *bufio.Scanner
	offset int64 // just after the last line read
	line   int64 // number of the last line read
	slab   slab
}

// slab hands out bytes from blocks shared by many records: a record's
// bytes keep its block alive, a few dozen records' worth.
type slab struct {
	b     []byte
	taken bool // the last take was from b
}

// slabSize is the size of a block; a larger piece is made on its own.
const slabSize = 64 << 10

// take returns an empty slice with room for n bytes, in the block when it
// fits; keep then says how many of them were used.
func (s *slab) take(n int) []byte {
	if s.taken = n <= slabSize/4; !s.taken {
		return make([]byte, 0, n)
	}
	if cap(s.b)-len(s.b) < n {
		s.b = make([]byte, 0, slabSize)
	}
	return s.b[len(s.b):len(s.b):cap(s.b)]
}

// keep marks the first n bytes of what take returned, which had room
// for them, as used: they are never handed out again.
func (s *slab) keep(n int) {
	if s.taken {
		s.b = s.b[:len(s.b)+n]
	}
}

func (s *Source) openJSONL(f *os.File, p position) (*jsonlRows, error) {
	if p.Offset < 0 {
		bom, err := skipBOM(f)
		if err != nil {
			return nil, err
		}
		p = position{Offset: bom}
		if _, err := f.Seek(bom, io.SeekStart); err != nil {
			return nil, err
		}
	} else if err := seekTo(f, p); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(f)
	// One byte more than MaxRecord for the line's newline.
	sc.Buffer(make([]byte, 0, min(64<<10, s.cfg.MaxRecord+1)), s.cfg.MaxRecord+1)
	sc.Split(scanLine)
	return &jsonlRows{fileRows: fileRows{f: f}, src: s, sc: sc, offset: p.Offset, line: p.Line}, nil
}

// scanLine splits lines keeping their "\n", so offsets count every byte.
func scanLine(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i+1], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// Next yields the next non-blank line.
func (r *jsonlRows) Next(ctx context.Context) bool {
	if r.done {
		return false
	}
	if err := ctx.Err(); err != nil {
		return r.fail(fmt.Errorf("files: %s:%d: %w", r.src.path, r.line+1, context.Cause(ctx)))
	}
	for r.sc.Scan() {
		tok := r.sc.Bytes()
		r.offset += int64(len(tok))
		r.line++
		text := bytes.TrimSuffix(bytes.TrimSuffix(tok, []byte("\n")), []byte("\r"))
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		r.rec = r.record(text)
		return true
	}
	err := r.sc.Err()
	if errors.Is(err, bufio.ErrTooLong) {
		err = fmt.Errorf("line longer than %d bytes", r.src.cfg.MaxRecord)
	}
	if err != nil {
		return r.fail(fmt.Errorf("files: %s:%d: %w", r.src.path, r.line+1, err))
	}
	r.done = true
	_ = r.f.Close()
	return false
}

// positionRoom is room enough for a line's position
// ({"offset":N,"line":N}, each N at most 20 bytes), and lineRoom for a
// line number.
const (
	positionRoom = 64
	lineRoom     = 20
)

func (r *jsonlRows) record(text []byte) decant.Record {
	// The line, its position and its place ("path:line") are made in a
	// slab shared by the records read one after the other: they are read,
	// mapped and written together, and were three allocations a record,
	// which the GC then paid for.
	b := r.slab.take(len(text) + positionRoom + len(r.src.path) + 1 + lineRoom)
	b = append(b, text...)
	rawEnd := len(b)
	b = appendPosition(b, r.offset, r.line)
	posEnd := len(b)
	b = strconv.AppendInt(append(append(b, r.src.path...), ':'), r.line, 10)
	r.slab.keep(len(b))
	rec := decant.Record{
		Raw:      b[:rawEnd:rawEnd],
		Position: b[rawEnd:posEnd:posEnd],
		// The slab's bytes are never written again.
		Where: unsafe.String(&b[posEnd], len(b)-posEnd),
	}
	// A line that is not JSON keeps Key "": gjson would still find a key in
	// a broken line, and the record must fail, not load half-parsed. A line
	// that is JSON but not valid UTF-8 keeps its key byte-exactly, so it
	// fails under its own key instead of merging with a look-alike.
	// A name given twice keys the record by its last value, as the record
	// decodes (jsonkey.Get). jsonscan takes the plain lines most files
	// hold, and finds their key as jsonkey does, at a fraction of its cost; it takes only
	// lines gjson takes too, and leaves the others to gjson. Its key is
	// the line's own text, in the slab, which is never written again.
	var key string
	text, valid := jsonscan.PlainKey(rec.Raw, r.src.cfg.Key)
	if valid && len(text) > 0 {
		key = unsafe.String(&text[0], len(text))
	}
	if !valid && (jsonscan.Plain(rec.Raw) || gjson.ValidBytes(rec.Raw)) {
		key, valid = jsonkey.Text(jsonkey.Get(rec.Raw, r.src.cfg.Key)), true
	}
	if valid {
		rec.Key = key
		if r.src.cfg.Cursor != "" {
			rec.Cursor = jsonkey.Text(jsonkey.Get(rec.Raw, r.src.cfg.Cursor))
		}
	}
	return rec
}
