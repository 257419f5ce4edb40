//go:build !unix

package engine

import "os/exec"

// ownGroup leaves cmd as it is: without process groups, the hook's
// cancellation kills the hook's own process only (exec.CommandContext's
// default).
func ownGroup(cmd *exec.Cmd) {}

// killGroup cannot reach the processes a hook started here.
func killGroup(cmd *exec.Cmd) error { return nil }
