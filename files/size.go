package files

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/decanthq/decant"
)

var _ decant.Sizer = (*Source)(nil)

// sizeSample is how many bytes after a position Size reads to learn the
// file's bytes per record.
const sizeSample = 1 << 20

// Size estimates the records after pos from the bytes left in the file, so
// progress bars can show an ETA. It counts the non-blank lines of the first
// MiB after pos (all of them in a smaller remainder, which is then exact for
// JSON Lines) and scales by the bytes left; a CSV record spanning lines makes
// it an overestimate. Files have no notion of scope; Size ignores it.
func (s *Source) Size(ctx context.Context, scope string, pos decant.Position) (int64, bool, error) {
	start, err := parsePosition(pos)
	if err != nil {
		return 0, false, fmt.Errorf("files: %s: %w", s.path, err)
	}
	if s.cfg.Format == FormatXML {
		return 0, false, nil // lines say nothing of an XML file's records
	}
	f, err := os.Open(s.path)
	if err != nil {
		return 0, false, fmt.Errorf("files: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return 0, false, fmt.Errorf("files: %w", err)
	}
	off := max(start.Offset, 0)
	left := info.Size() - off
	if left <= 0 {
		return 0, true, nil
	}
	buf := make([]byte, min(left, sizeSample))
	n, err := io.ReadFull(io.NewSectionReader(f, off, int64(len(buf))), buf)
	if err != nil && err != io.ErrUnexpectedEOF {
		return 0, false, fmt.Errorf("files: %s: %w", s.path, err)
	}
	buf = buf[:n]
	lines := countLines(buf)
	if start.Offset < 0 && s.cfg.Format == FormatCSV && !s.cfg.NoHeader && lines > 0 {
		lines-- // the header is no record
	}
	if int64(n) >= left {
		return lines, true, nil
	}
	return int64(float64(lines) * float64(left) / float64(n)), true, nil
}

// countLines counts the lines of b that hold more than white space.
func countLines(b []byte) int64 {
	var n int64
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if len(bytes.TrimSpace(line)) > 0 {
			n++
		}
	}
	return n
}
