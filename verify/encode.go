package verify

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/decanthq/decant"
)

// The spill encoding of a KeyedRow, private to one Sorter's temp files, so
// it carries no version. Every value is a tag byte and its payload; lengths
// and integers are varints. It keeps what a generic encoding would blur:
// nil apart from "", int64 apart from float64 (and a float's exact bits,
// NaN payload and -0 included), a nil slice or map apart from an empty one,
// strings byte for byte (invalid UTF-8 too), and a time's zone name,
// offset and nanoseconds.
const (
	tagNil byte = iota
	tagString
	tagInt64
	tagFloat64
	tagFalse
	tagTrue
	tagTime
	tagDecimal
	tagJSON
	tagJSONNil
	tagBytes
	tagBytesNil
)

// errTypes lists the types the encoding knows, for the error on another.
const errTypes = "want nil, string, int64, float64, bool, time.Time, decant.Decimal, decant.JSON or []byte"

// appendRow appends r's encoding to b: its key (count+1, 0 for a nil
// slice), then its values (count+1, 0 for a nil map), each a name and a
// value. An error names the key value or column whose type the encoding
// does not know.
func appendRow(b []byte, r KeyedRow) ([]byte, error) {
	var err error
	b = appendCount(b, len(r.Key), r.Key == nil)
	for i, v := range r.Key {
		if b, err = appendValue(b, v); err != nil {
			return b, fmt.Errorf("key value %d: %w", i, err)
		}
	}
	b = appendCount(b, len(r.Values), r.Values == nil)
	for name, v := range r.Values {
		b = appendString(b, name)
		if b, err = appendValue(b, v); err != nil {
			return b, fmt.Errorf("column %q: %w", name, err)
		}
	}
	return b, nil
}

// appendCount appends n+1, or 0 for a nil slice or map.
func appendCount(b []byte, n int, isNil bool) []byte {
	if isNil {
		return binary.AppendUvarint(b, 0)
	}
	return binary.AppendUvarint(b, uint64(n)+1)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		b = append(b, tagNil)
	case string:
		b = appendString(append(b, tagString), v)
	case int64:
		b = binary.AppendVarint(append(b, tagInt64), v)
	case float64:
		b = binary.LittleEndian.AppendUint64(append(b, tagFloat64), math.Float64bits(v))
	case bool:
		if v {
			b = append(b, tagTrue)
		} else {
			b = append(b, tagFalse)
		}
	case time.Time:
		b = appendTime(append(b, tagTime), v)
	case decant.Decimal:
		b = appendString(append(b, tagDecimal), string(v))
	case decant.JSON:
		if v == nil {
			b = append(b, tagJSONNil)
			break
		}
		b = appendString(append(b, tagJSON), string(v))
	case []byte:
		if v == nil {
			b = append(b, tagBytesNil)
			break
		}
		b = appendString(append(b, tagBytes), string(v))
	default:
		return b, fmt.Errorf("value of type %T: %w (%s)", v, ErrUnsupported, errTypes)
	}
	return b, nil
}

// appendTime appends the instant (Unix seconds and nanoseconds; seconds
// wrap for the years time.Time holds beyond int64 Unix seconds, and wrap
// back on reading) and the zone (name and offset). The monotonic reading
// is dropped, as every serialization of a time.Time drops it.
func appendTime(b []byte, t time.Time) []byte {
	name, offset := t.Zone()
	b = binary.AppendVarint(b, t.Unix())
	b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	b = binary.AppendVarint(b, int64(offset))
	if t.Location() == time.UTC {
		return binary.AppendUvarint(b, 0) // time.UTC itself, apart from a fixed zone named "UTC"
	}
	return appendString(binary.AppendUvarint(b, 1), name)
}

// encoder writes rows to a buffered writer, each encoded in scratch first
// so that a row that fails to encode writes nothing.
type encoder struct {
	w       *bufio.Writer
	scratch []byte
}

// row writes r (see appendRow).
func (e *encoder) row(r KeyedRow) error {
	b, err := appendRow(e.scratch[:0], r)
	e.scratch = b
	if err != nil {
		return err
	}
	e.w.Write(b) // a bufio.Writer's error sticks until Flush reports it
	return nil
}

// encoded writes a row appendRow encoded.
func (e *encoder) encoded(b []byte) {
	e.w.Write(b)
}

// decoder reads rows an encoder wrote.
type decoder struct {
	r *bufio.Reader
	// names interns column names, which every row repeats, so that a row
	// does not allocate them again.
	names map[string]string
}

// maxNames bounds the names a decoder interns.
const maxNames = 1024

// row reads the next row. It returns io.EOF, unwrapped, when the run ends
// cleanly before a row, and io.ErrUnexpectedEOF when it ends inside one.
func (d *decoder) row() (KeyedRow, error) {
	var r KeyedRow
	n, err := binary.ReadUvarint(d.r)
	if err != nil {
		return r, err // io.EOF at a row boundary: the run's end
	}
	// Counts size the slice and map at most to smallCount, so that a
	// corrupt count fails at the file's end instead of allocating.
	if n > 0 {
		r.Key = make([]any, 0, min(n-1, smallCount))
		for range n - 1 {
			v, err := d.value()
			if err != nil {
				return r, eof(err)
			}
			r.Key = append(r.Key, v)
		}
	}
	if n, err = binary.ReadUvarint(d.r); err != nil {
		return r, eof(err)
	}
	if n > 0 {
		r.Values = make(map[string]any, min(n-1, smallCount))
		for range n - 1 {
			name, err := d.name()
			if err != nil {
				return r, eof(err)
			}
			if r.Values[name], err = d.value(); err != nil {
				return r, eof(err)
			}
		}
	}
	return r, nil
}

// eof turns an io.EOF inside a row into io.ErrUnexpectedEOF.
func eof(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func (d *decoder) str() (string, error) {
	n, err := binary.ReadUvarint(d.r)
	if err != nil {
		return "", err
	}
	if p, ok, err := d.peek(n); ok || err != nil {
		s := string(p)
		d.r.Discard(len(p))
		return s, err
	}
	b, err := d.bytes(n)
	return string(b), err
}

// name reads a column name, interned.
func (d *decoder) name() (string, error) {
	n, err := binary.ReadUvarint(d.r)
	if err != nil {
		return "", err
	}
	p, ok, err := d.peek(n)
	if err != nil {
		return "", err
	}
	if !ok {
		b, err := d.bytes(n)
		return string(b), err
	}
	s, ok := d.names[string(p)]
	if !ok {
		s = string(p)
		if d.names == nil {
			d.names = map[string]string{}
		}
		if len(d.names) < maxNames {
			d.names[s] = s
		}
	}
	d.r.Discard(len(p))
	return s, nil
}

// peek returns the next n bytes from the reader's buffer without
// copying them; ok is false when they do not fit in the buffer.
func (d *decoder) peek(n uint64) ([]byte, bool, error) {
	if n > uint64(d.r.Size()) {
		return nil, false, nil
	}
	p, err := d.r.Peek(int(n))
	if err == bufio.ErrBufferFull {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, eof(err)
	}
	return p, true, nil
}

// bytes reads the next n bytes into a slice of their own.
func (d *decoder) bytes(n uint64) ([]byte, error) {
	if n > smallString {
		// Grow with what the file holds, so that a corrupt length fails
		// at the file's end instead of allocating it up front.
		b, err := io.ReadAll(io.LimitReader(d.r, int64(min(n, math.MaxInt64))))
		if err == nil && uint64(len(b)) < n {
			err = io.ErrUnexpectedEOF
		}
		return b, err
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(d.r, b); err != nil {
		return nil, eof(err)
	}
	return b, nil
}

// blob reads a length and the bytes it counts into a slice of their own.
func (d *decoder) blob() ([]byte, error) {
	n, err := binary.ReadUvarint(d.r)
	if err != nil {
		return nil, err
	}
	return d.bytes(n)
}

// smallCount is the most key values or columns a row's count allocates for.
const smallCount = 1024

// smallString is the longest string read into a buffer of its length at once.
const smallString = 64 << 10

// errCorrupt is wrapped by the error for a run that does not decode.
var errCorrupt = errors.New("corrupt sort run")

func (d *decoder) value() (any, error) {
	tag, err := d.r.ReadByte()
	if err != nil {
		return nil, err
	}
	switch tag {
	case tagNil:
		return nil, nil
	case tagString:
		return d.str()
	case tagInt64:
		return binary.ReadVarint(d.r)
	case tagFloat64:
		var b [8]byte
		if _, err := io.ReadFull(d.r, b[:]); err != nil {
			return nil, eof(err)
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(b[:])), nil
	case tagFalse:
		return false, nil
	case tagTrue:
		return true, nil
	case tagTime:
		return d.time()
	case tagDecimal:
		s, err := d.str()
		return decant.Decimal(s), err
	case tagJSON:
		b, err := d.blob()
		return decant.JSON(b), err
	case tagJSONNil:
		return decant.JSON(nil), nil
	case tagBytes:
		return d.blob()
	case tagBytesNil:
		return []byte(nil), nil
	}
	return nil, fmt.Errorf("value tag %d: %w", tag, errCorrupt)
}

func (d *decoder) time() (time.Time, error) {
	sec, err := binary.ReadVarint(d.r)
	if err != nil {
		return time.Time{}, eof(err)
	}
	nsec, err := binary.ReadUvarint(d.r)
	if err != nil {
		return time.Time{}, eof(err)
	}
	offset, err := binary.ReadVarint(d.r)
	if err != nil {
		return time.Time{}, eof(err)
	}
	named, err := binary.ReadUvarint(d.r)
	if err != nil {
		return time.Time{}, eof(err)
	}
	t := time.Unix(sec, int64(nsec))
	if named == 0 {
		return t.UTC(), nil
	}
	name, err := d.str()
	if err != nil {
		return time.Time{}, eof(err)
	}
	return t.In(time.FixedZone(name, int(offset))), nil
}
