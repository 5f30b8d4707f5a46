//go:build linux || darwin || freebsd || netbsd || openbsd

package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// singleKeys puts the terminal on f in single-key mode (no line editing, no echo; output and Ctrl-C
// work as before) for koomock verify --step, and returns how to restore it. ok is false when f is not
// a terminal, and the pauses then read lines.
func singleKeys(f *os.File) (restore func(), ok bool) {
	fd := int(f.Fd())
	old, err := unix.IoctlGetTermios(fd, getTermios)
	if err != nil {
		return func() {}, false
	}
	raw := *old
	raw.Lflag &^= unix.ICANON | unix.ECHO
	raw.Cc[unix.VMIN], raw.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(fd, setTermios, &raw); err != nil {
		return func() {}, false
	}
	return func() { unix.IoctlSetTermios(fd, setTermios, old) }, true
}
