//go:build unix

package engine

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process with this pid exists. Signal 0
// checks without signalling: ESRCH means there is none; EPERM means there
// is one we may not signal. Any other answer counts as alive, so a doubt
// never takes a lease over. A zombie (dead, not yet reaped) counts as alive.
func processAlive(pid int) bool {
	return !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
