//go:build !unix

package runner

import "os/exec"

// ownProcessGroup leaves cmd as it is: without Unix process groups, cancelling stops the shell only.
func ownProcessGroup(cmd *exec.Cmd) {}
