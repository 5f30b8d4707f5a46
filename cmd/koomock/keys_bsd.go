//go:build darwin || freebsd || netbsd || openbsd

package main

import "golang.org/x/sys/unix"

// The ioctls that read and set a terminal's attributes on the BSDs and macOS.
const (
	getTermios = unix.TIOCGETA
	setTermios = unix.TIOCSETA
)
