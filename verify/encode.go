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

// valueSize returns an estimate of the memory v holds, and an error for a
// type the encoding does not know, so that Add refuses it at once rather
// than only when a run is spilled.
func valueSize(v any) (int64, error) {
	const iface = 16
	switch v := v.(type) {
	case nil, int64, float64, bool:
		return iface, nil
	case string:
		return iface + int64(len(v)), nil
	case decant.Decimal:
		return iface + int64(len(v)), nil
	case decant.JSON:
		return iface + 24 + int64(len(v)), nil
	case []byte:
		return iface + 24 + int64(len(v)), nil
	case time.Time:
		return iface + 24, nil
	}
	return 0, fmt.Errorf("value of type %T: %w (want nil, string, int64, float64, bool, time.Time, decant.Decimal, decant.JSON or []byte)", v, ErrUnsupported)
}

// rowSize estimates the memory r holds, checking each value's type.
func rowSize(r KeyedRow) (int64, error) {
	size := int64(64 + 16*len(r.Key))
	for i, v := range r.Key {
		n, err := valueSize(v)
		if err != nil {
			return 0, fmt.Errorf("key value %d: %w", i, err)
		}
		size += n
	}
	for name, v := range r.Values {
		n, err := valueSize(v)
		if err != nil {
			return 0, fmt.Errorf("column %q: %w", name, err)
		}
		size += n + int64(len(name)) + 16
	}
	return size, nil
}

// encoder appends rows to a buffered writer.
type encoder struct {
	w   *bufio.Writer
	buf [binary.MaxVarintLen64]byte
}

func (e *encoder) uvarint(u uint64) {
	n := binary.PutUvarint(e.buf[:], u)
	e.w.Write(e.buf[:n]) // a bufio.Writer's error sticks until Flush reports it
}

func (e *encoder) varint(i int64) {
	n := binary.PutVarint(e.buf[:], i)
	e.w.Write(e.buf[:n])
}

func (e *encoder) str(s string) {
	e.uvarint(uint64(len(s)))
	e.w.WriteString(s)
}

// row writes r: its key (count+1, 0 for a nil slice), then its values
// (count+1, 0 for a nil map), each a name and a value.
func (e *encoder) row(r KeyedRow) error {
	if r.Key == nil {
		e.uvarint(0)
	} else {
		e.uvarint(uint64(len(r.Key)) + 1)
	}
	for _, v := range r.Key {
		if err := e.value(v); err != nil {
			return err
		}
	}
	if r.Values == nil {
		e.uvarint(0)
	} else {
		e.uvarint(uint64(len(r.Values)) + 1)
	}
	for name, v := range r.Values {
		e.str(name)
		if err := e.value(v); err != nil {
			return err
		}
	}
	return nil
}

func (e *encoder) value(v any) error {
	switch v := v.(type) {
	case nil:
		e.w.WriteByte(tagNil)
	case string:
		e.w.WriteByte(tagString)
		e.str(v)
	case int64:
		e.w.WriteByte(tagInt64)
		e.varint(v)
	case float64:
		e.w.WriteByte(tagFloat64)
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		e.w.Write(b[:])
	case bool:
		if v {
			e.w.WriteByte(tagTrue)
		} else {
			e.w.WriteByte(tagFalse)
		}
	case time.Time:
		e.w.WriteByte(tagTime)
		e.time(v)
	case decant.Decimal:
		e.w.WriteByte(tagDecimal)
		e.str(string(v))
	case decant.JSON:
		if v == nil {
			e.w.WriteByte(tagJSONNil)
			break
		}
		e.w.WriteByte(tagJSON)
		e.str(string(v))
	case []byte:
		if v == nil {
			e.w.WriteByte(tagBytesNil)
			break
		}
		e.w.WriteByte(tagBytes)
		e.str(string(v))
	default:
		return fmt.Errorf("value of type %T: %w", v, ErrUnsupported)
	}
	return nil
}

// time writes the instant (Unix seconds and nanoseconds; seconds wrap for
// the years time.Time holds beyond int64 Unix seconds, and wrap back on
// reading) and the zone (name and offset). The monotonic reading is
// dropped, as every serialization of a time.Time drops it.
func (e *encoder) time(t time.Time) {
	name, offset := t.Zone()
	e.varint(t.Unix())
	e.uvarint(uint64(t.Nanosecond()))
	e.varint(int64(offset))
	if t.Location() == time.UTC {
		e.uvarint(0) // time.UTC itself, apart from a fixed zone named "UTC"
		return
	}
	e.uvarint(1)
	e.str(name)
}

// decoder reads rows an encoder wrote.
type decoder struct {
	r *bufio.Reader
}

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
			name, err := d.str()
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
	if n > smallString {
		// Grow with what the file holds, so that a corrupt length fails
		// at the file's end instead of allocating it up front.
		b, err := io.ReadAll(io.LimitReader(d.r, int64(min(n, math.MaxInt64))))
		if err == nil && uint64(len(b)) < n {
			err = io.ErrUnexpectedEOF
		}
		return string(b), err
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(d.r, b); err != nil {
		return "", eof(err)
	}
	return string(b), nil
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
		s, err := d.str()
		return decant.JSON(s), err
	case tagJSONNil:
		return decant.JSON(nil), nil
	case tagBytes:
		s, err := d.str()
		return []byte(s), err
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
