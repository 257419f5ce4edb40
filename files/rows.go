package files

import (
	"os"

	"github.com/decanthq/decant"
)

// fileRows is what the rows of every format share: the open file, the
// record Next moved to, and how the read ended.
type fileRows struct {
	f    *os.File
	rec  decant.Record
	err  error
	done bool
}

// Record is the record Next moved to.
func (r *fileRows) Record() decant.Record { return r.rec }

// Err is the error that ended the stream, nil at its end.
func (r *fileRows) Err() error { return r.err }

// Close closes the file; it is safe to call more than once.
func (r *fileRows) Close() error {
	if r.done {
		return nil
	}
	r.done = true
	return r.f.Close()
}

// fail ends the read with err; Next returns what fail does.
func (r *fileRows) fail(err error) bool {
	r.err = err
	_ = r.Close()
	return false
}
