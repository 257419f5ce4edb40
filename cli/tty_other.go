//go:build !linux

package cli

import "os"

// isTTY takes a character device other than the null device for a
// terminal.
func isTTY(f *os.File) bool {
	null, err := os.Stat(os.DevNull)
	fi, ferr := f.Stat()
	return err == nil && ferr == nil && !os.SameFile(null, fi)
}
