package main

import "golang.org/x/sys/unix"

// The ioctls that read and set a terminal's attributes on Linux.
const (
	getTermios = unix.TCGETS
	setTermios = unix.TCSETS
)
