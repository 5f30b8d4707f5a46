package i18n

import "golang.org/x/text/width"

// Cells is how many terminal cells s takes: two for a wide (East Asian) character, one otherwise, so
// that columns of Chinese and English labels line up.
func Cells(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
