package xmldoc

import (
	"errors"
	"fmt"
	"io"
)

// TooLongError is an element longer than a Stream's MaxElement bytes,
// from its start tag.
type TooLongError struct {
	// Line is the line of the element's start tag.
	Line int
	Max  int64
}

func (e *TooLongError) Error() string {
	return fmt.Sprintf("line %d: element longer than %d bytes", e.Line, e.Max)
}

// errPastBound is a boundReader read past its stop.
var errPastBound = errors.New("xmldoc: read past the element's bound")

// boundReader stops a read at a byte offset, so that one token of text
// (which encoding/xml holds whole) cannot grow past an element's limit
// before the stream sees it.
type boundReader struct {
	r io.Reader
	// n is the number of bytes read; stop, when not -1, the offset past
	// which a read fails.
	n, stop int64
}

func (b *boundReader) Read(p []byte) (int, error) {
	if b.stop >= 0 {
		if b.n >= b.stop {
			return 0, errPastBound
		}
		p = p[:min(int64(len(p)), b.stop-b.n)]
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	return n, err
}

// readAhead is how far encoding/xml reads before the offset it reports:
// the bufio.Reader it puts around a reader without ReadByte.
const readAhead = 4096
