package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
	"unsafe"

	"github.com/decanthq/decant"
	"github.com/decanthq/decant/transform"
)

// hasher computes ledger hashes: the first 16 bytes of a SHA-256, in hex.
// It reuses its buffer across records; one hasher per goroutine.
type hasher struct {
	buf   []byte
	canon transform.Canonicalizer
	sums  []byte // sumsOf's block
}

// digest is a ledger hash before it is spelled in hex.
type digest [16]byte

func digestOf(b []byte) digest {
	d := sha256.Sum256(b)
	return digest(d[:16])
}

// sum is the hash of b: one allocation, the string itself (the digest and
// its hex stay on the stack).
func (hs *hasher) sum(b []byte) string { return digestOf(b).String() }

// String spells d in hex.
func (d digest) String() string {
	var out [32]byte
	hex.Encode(out[:], d[:])
	return string(out[:])
}

// sumsOf spells a record's hashes, the target's when it has one (the
// record mapped), in a block of text shared by the records the hasher
// hashes: they are kept as long as each other (a batch), and were an
// allocation a record.
func (hs *hasher) sumsOf(source digest, target *digest) sums {
	n := 32
	if target != nil {
		n = 64
	}
	if cap(hs.sums)-len(hs.sums) < n {
		hs.sums = make([]byte, 0, sumsBlock)
	}
	at := len(hs.sums)
	hs.sums = hs.sums[:at+n]
	b := hs.sums[at : at+n]
	hex.Encode(b, source[:])
	if target != nil {
		hex.Encode(b[32:], target[:])
	}
	// The block's bytes are never written again.
	both := unsafe.String(&b[0], n)
	return sums{source: both[:32], target: both[32:]}
}

// sumsBlock is the size of the blocks sumsOf spells hashes in.
const sumsBlock = 4096

// raw hashes bytes that are not JSON as they are.
func (hs *hasher) raw(b []byte) string { return hs.sum(b) }

// value hashes a record's document in a canonical form: object names
// sorted, numbers in their shortest form, so that the order of keys and the
// spelling of numbers (1.0, 1e0) do not change the hash of a record, and a
// CSV row hashes as the JSON object of its fields always has.
func (hs *hasher) value(v any) string {
	b, err := transform.AppendJSON(hs.buf[:0], v)
	if err != nil { // only a Doc holding what JSON cannot spell (NaN)
		b = fmt.Appendf(b[:0], "%#v", v)
	}
	hs.buf = b
	return hs.sum(b)
}

// text hashes a record's JSON text as value hashes the document
// transform.DecodeJSON makes of it, without decoding it
// (transform.AppendCanonical); ok is false when it cannot be sure of
// that, and the caller decodes the text and hashes its value (or finds
// it is not JSON).
func (hs *hasher) text(raw []byte) (sum string, ok bool) {
	b, ok := hs.canon.AppendCanonical(hs.buf[:0], raw)
	hs.buf = b
	if !ok {
		return "", false
	}
	return hs.sum(b), true
}

// mapText maps a record whose columns m reads from its JSON text and
// hashes the text as text does, in one reading of it
// (transform.Mapper.MapCanonical); ok is false, with nothing mapped, when
// the text is not one it can be sure of.
func (hs *hasher) mapText(m *transform.Mapper, rec decant.Record, scope string) (sum digest, out transform.Output, f *transform.Failure, ok bool) {
	b, out, f, ok := m.MapCanonical(rec, scope, &hs.canon, hs.buf[:0])
	hs.buf = b
	if !ok {
		return digest{}, out, f, false
	}
	return digestOf(b), out, f, true
}

// mapRow maps a record whose Doc is a row of fields and hashes the row
// as value hashes the object of them, without making it
// (transform.Mapper.MapRow); ok is false, with nothing mapped, when the
// fields cannot be hashed so, and the caller hashes the object.
func (hs *hasher) mapRow(m *transform.Mapper, rec decant.Record, doc decant.RowDocument, scope string) (sum digest, out transform.Output, f *transform.Failure, ok bool) {
	b, out, f, ok := m.MapRow(rec, doc, scope, hs.buf[:0])
	hs.buf = b
	if !ok {
		return digest{}, out, f, false
	}
	return digestOf(b), out, f, true
}

// rows hashes the rows a record became, in a stable textual form:
// table{col=value;...} per row.
func (hs *hasher) rows(rows []transform.Row) string { return hs.rowsDigest(rows).String() }

// rowsDigest is rows before it is spelled in hex.
func (hs *hasher) rowsDigest(rows []transform.Row) digest {
	b := hs.buf[:0]
	for _, r := range rows {
		b = append(append(b, r.Table...), '{')
		for i, c := range r.Cols {
			b = append(append(b, c...), '=')
			b = append(appendValue(b, r.Vals[i]), ';')
		}
		b = append(b, '}')
	}
	hs.buf = b
	return digestOf(b)
}

// appendValue writes a column value as the target hash sees it.
func appendValue(b []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...)
	case time.Time:
		return t.UTC().AppendFormat(b, time.RFC3339Nano)
	case decant.JSON:
		return append(b, t...)
	case string:
		return appendQuoted(b, t)
	case decant.Decimal:
		return append(b, t...) // as fmt.Append spells a string type without a String method
	case int64:
		return strconv.AppendInt(b, t, 10)
	case float64:
		return strconv.AppendFloat(b, t, 'g', -1, 64)
	case bool:
		return strconv.AppendBool(b, t)
	}
	return fmt.Append(b, v)
}

// appendQuoted is strconv.AppendQuote, which a string of printable ASCII
// without a quote or a backslash (most values) leaves as it is between
// its quotes: that is copied without strconv's rune by rune decoding.
func appendQuoted(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return strconv.AppendQuote(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
