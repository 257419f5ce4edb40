package transform

import "unsafe"

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
	if len(d.heads) == cap(d.heads) || cap(d.text)-len(d.text) < len(text) {
		return nil, false
	}
	at := len(d.text)
	d.text = append(d.text, text...) // within cap: the block does not move
	d.heads = append(d.heads, unsafe.String(&d.text[at], len(text)))
	return pointTo(&d.heads[len(d.heads)-1], ""), true
}

// boxInt returns n in an interface made from the blocks; ok is false
// when the blocks are full, or n is one the runtime boxes without an
// allocation (0 to 255).
func (d *docBlocks) boxInt(n int64) (any, bool) {
	if 0 <= n && n < 256 {
		return nil, false
	}
	d.need.ints++
	if len(d.ints) == cap(d.ints) {
		return nil, false
	}
	d.ints = append(d.ints, n) // within cap: the block does not move
	return pointTo(&d.ints[len(d.ints)-1], int64(0)), true
}

// pointTo returns an interface of the type of like whose data is p,
// which must point to a value of that type: the interface the runtime
// makes holds a pointer to a copy of the value, in an allocation of its
// own. Nothing may change *p after, as nothing changes the value an
// interface holds: the blocks are never written below their length.
func pointTo[T string | int64](p *T, like T) any {
	v := any(like)
	(*[2]unsafe.Pointer)(unsafe.Pointer(&v))[1] = unsafe.Pointer(p)
	return v
}
