//go:build unix

package store

import "syscall"

// newSlab returns n bytes of memory outside the Go heap (an anonymous mapping): the memory journal's
// records are not the garbage collector's to scan or to count towards its next collection.
func newSlab(n int) ([]byte, func()) {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]byte, n), func() {}
	}
	return b, func() { syscall.Munmap(b) }
}
