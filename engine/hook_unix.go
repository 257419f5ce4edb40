//go:build unix

package engine

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// ownGroup runs cmd as the leader of a process group of its own, which
// the processes it starts join, and makes its cancellation (its timeout,
// an abort) kill the whole group: a child left running, as a shell
// script's, could put the fence up after decant said the hook failed.
// Being in its own group, the hook also does not get the terminal's
// Ctrl-C, which decant turns into a graceful stop.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killGroup(cmd) }
}

// killGroup kills every process left in cmd's process group.
func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	if errors.Is(err, syscall.ESRCH) {
		return os.ErrProcessDone
	}
	return err
}
