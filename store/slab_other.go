//go:build !unix

package store

// newSlab returns n bytes for the memory journal's records.
func newSlab(n int) ([]byte, func()) { return make([]byte, n), func() {} }
