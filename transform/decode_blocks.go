package transform

import (
	"bytes"
	"time"
	"unsafe"

	"github.com/decanthq/decant"
)

// docBlocks makes the short strings and the integers of one document from
// a few blocks instead of allocations each: converting a string or an
// int64 to an interface copies it to an allocation of its own (a string's
// header; its text is another), and a record has many. The blocks are a
// block of text, one of string headers and one of integers, sized from
// the last document the decodeState read, which is most often like this
// one. They belong to that one document, never to the next, so that a
// value kept from a document keeps alive no more than that document's
// short strings and integers. Values beyond the blocks, and long strings,
// are made as usual.
type docBlocks struct {
	text  []byte   // the text of the strings made so far; never written below len
	heads []string // their headers; never written below len
	ints  []int64  // the integers made so far; never written below len
	// need counts the document's short strings, their bytes and its
	// integers, to size the next document's blocks; last is what the
	// last document needed.
	need, last blockSizes
	// run, set in the blocks of a valueBlocks, makes a full block give
	// way to a new one, for the next documents too.
	run bool
}

type blockSizes struct{ strings, bytes, ints int }

// Bounds on docBlocks: what a string may take to be made from the
// blocks, and how large the blocks may be.
const (
	maxBlockString = 64
	maxBlockCount  = 256
	maxBlockBytes  = 4096
)

// start makes the blocks of a new document.
func (d *docBlocks) start() {
	d.need = blockSizes{}
	if d.last.strings > 0 {
		d.heads = make([]string, 0, d.last.strings)
		d.text = make([]byte, 0, d.last.bytes)
	}
	if d.last.ints > 0 {
		d.ints = make([]int64, 0, d.last.ints)
	}
}

// finish lets the document's blocks go and keeps the sizes it needed.
func (d *docBlocks) finish() {
	d.text, d.heads, d.ints = nil, nil, nil
	d.last = blockSizes{
		strings: min(d.need.strings, maxBlockCount),
		bytes:   min(d.need.bytes, maxBlockBytes),
		ints:    min(d.need.ints, maxBlockCount),
	}
}

// boxString returns text as a string in an interface made from the
// blocks; ok is false when text is empty or long, or the blocks are full.
func (d *docBlocks) boxString(text []byte) (any, bool) {
	if len(text) == 0 || len(text) > maxBlockString {
		return nil, false
	}
	d.need.strings++
	d.need.bytes += len(text)
	if d.run {
		if len(d.heads) == cap(d.heads) {
			d.heads = make([]string, 0, maxBlockCount)
		}
		if cap(d.text)-len(d.text) < len(text) {
			d.text = make([]byte, 0, maxBlockBytes)
		}
	}
	if len(d.heads) == cap(d.heads) || cap(d.text)-len(d.text) < len(text) {
		return nil, false
	}
	at := len(d.text)
	d.text = append(d.text, text...) // within cap: the block does not move
	d.heads = append(d.heads, unsafe.String(&d.text[at], len(text)))
	return pointTo(&d.heads[len(d.heads)-1], ""), true
}

// str returns text as a string in an interface, made from the blocks
// when they have room.
func (d *docBlocks) str(text []byte) any {
	if v, ok := d.boxString(text); ok {
		return v
	}
	return string(text)
}

// boxInt returns n in an interface made from the blocks; ok is false
// when the blocks are full, or n is one the runtime boxes without an
// allocation (0 to 255).
func (d *docBlocks) boxInt(n int64) (any, bool) {
	if 0 <= n && n < 256 {
		return nil, false
	}
	d.need.ints++
	if d.run && len(d.ints) == cap(d.ints) {
		d.ints = make([]int64, 0, maxBlockCount)
	}
	if len(d.ints) == cap(d.ints) {
		return nil, false
	}
	d.ints = append(d.ints, n) // within cap: the block does not move
	return pointTo(&d.ints[len(d.ints)-1], int64(0)), true
}

// valueBlocks makes the values of many documents from shared blocks:
// their strings and integers (docBlocks, run), and the times, decimals
// and JSON texts their coercions make, their rows' values and their
// outputs' rows (Mapper.MapCanonical). A migration's mapper stage made
// a dozen allocations a record, and the GC paid for each. A value keeps
// alive the blocks it is in, which hold other records' values: at most
// a few KB, and a migration lets go of a batch's records together.
type valueBlocks struct {
	docs  docBlocks
	text  []byte // the JSON texts'
	times []time.Time
	decs  []decant.Decimal
	jsons []decant.JSON
	vals  []any
	rows  []Row
	strs  []string // the headers of strings kept where they are (strOf)
}

// Sizes of valueBlocks' blocks, in values (text: bytes). A text longer
// than maxBlockText gets an allocation of its own.
const (
	valueBlockLen = 256
	maxBlockText  = 512
)

// Interfaces of the types valueBlocks boxes, whose type valueBlocks'
// interfaces take.
var (
	timeType    any = time.Time{}
	decimalType any = decant.Decimal("")
	jsonType    any = decant.JSON(nil)
)

// put appends v to the block *blk (a new one when it is full) and
// returns the interface of like's type that holds it there.
func put[T time.Time | decant.Decimal | decant.JSON](blk *[]T, v T, like any) any {
	if len(*blk) == cap(*blk) {
		*blk = make([]T, 0, valueBlockLen)
	}
	*blk = append(*blk, v) // within cap: the block does not move
	return pointAt(unsafe.Pointer(&(*blk)[len(*blk)-1]), like)
}

// time returns t in an interface.
func (vb *valueBlocks) time(t time.Time) any { return put(&vb.times, t, timeType) }

// decimal returns d in an interface.
func (vb *valueBlocks) decimal(d decant.Decimal) any { return put(&vb.decs, d, decimalType) }

// json returns a copy of text as decant.JSON in an interface.
func (vb *valueBlocks) json(text []byte) any {
	var j decant.JSON
	if len(text) > maxBlockText {
		j = bytes.Clone(text)
	} else {
		if cap(vb.text)-len(vb.text) < len(text) {
			vb.text = make([]byte, 0, maxBlockBytes)
		}
		at := len(vb.text)
		vb.text = append(vb.text, text...)
		j = vb.text[at:len(vb.text):len(vb.text)]
	}
	return put(&vb.jsons, j, jsonType)
}

// jsonOf returns text, not copied, as decant.JSON in an interface made
// from vb's blocks (a nil vb makes it as the conversion does): the text
// stays where it is, in the record's own bytes.
func (vb *valueBlocks) jsonOf(text []byte) any {
	if vb == nil {
		return decant.JSON(text)
	}
	return put(&vb.jsons, decant.JSON(text), jsonType)
}

// values returns an empty slice with room for n values, of its own
// (appending past n copies it).
func (vb *valueBlocks) values(n int) []any {
	if n > valueBlockLen/4 {
		return make([]any, 0, n)
	}
	if cap(vb.vals)-len(vb.vals) < n {
		vb.vals = make([]any, 0, valueBlockLen)
	}
	at := len(vb.vals)
	vb.vals = vb.vals[:at+n] // reserved: never written but through the slice returned
	return vb.vals[at : at : at+n]
}

// row returns r as a slice of one row of its own.
func (vb *valueBlocks) row(r Row) []Row {
	if len(vb.rows) == cap(vb.rows) {
		vb.rows = make([]Row, 0, valueBlockLen/4)
	}
	vb.rows = append(vb.rows, r)
	n := len(vb.rows)
	return vb.rows[n-1 : n : n]
}

// pointTo returns an interface of the type of like whose data is p,
// which must point to a value of that type: the interface the runtime
// makes holds a pointer to a copy of the value, in an allocation of its
// own. Nothing may change *p after, as nothing changes the value an
// interface holds: the blocks are never written below their length.
func pointTo[T string | int64](p *T, like T) any { return pointAt(unsafe.Pointer(p), any(like)) }

// pointAt returns an interface of like's type whose data is p, which
// must point to a value of that type (pointTo), a type the runtime holds
// in an interface through a pointer (not a pointer, map, channel or
// function).
func pointAt(p unsafe.Pointer, like any) any {
	v := like
	(*[2]unsafe.Pointer)(unsafe.Pointer(&v))[1] = p
	return v
}
