//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package main

import "os"

// singleKeys is unavailable here: the pauses of koomock verify --step read lines.
func singleKeys(*os.File) (restore func(), ok bool) { return func() {}, false }
