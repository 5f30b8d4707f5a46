package i18n

import "testing"

// TestCells counts a Chinese character as two terminal cells and a Latin one as one.
func TestCells(t *testing.T) {
	for s, want := range map[string]int{"控制台": 6, "console": 7, "授权码 code": 11, "": 0} {
		if got := Cells(s); got != want {
			t.Errorf("Cells(%q) = %d, want %d", s, got, want)
		}
	}
}
