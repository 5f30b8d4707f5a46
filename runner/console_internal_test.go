package runner

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

// TestColorFor: colours only on a character device (a terminal; /dev/null stands in for one here),
// and never with NO_COLOR or TERM=dumb.
func TestColorFor(t *testing.T) {
	dev, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer dev.Close()
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	for _, c := range []struct {
		name string
		w    io.Writer
		vars map[string]string
		want bool
	}{
		{"terminal", dev, nil, true},
		{"NO_COLOR", dev, map[string]string{"NO_COLOR": "1"}, false},
		{"TERM=dumb", dev, map[string]string{"TERM": "dumb"}, false},
		{"buffer", &bytes.Buffer{}, nil, false},
	} {
		if got := colorFor(c.w, env(c.vars)); got != c.want {
			t.Errorf("%s: colour %v, want %v", c.name, got, c.want)
		}
	}
	if s := painter(false).red("FAILED"); s != "FAILED" {
		t.Errorf("uncoloured %q", s)
	}
	if s := painter(true).red("FAILED"); !strings.HasPrefix(s, "\x1b[") || !strings.HasSuffix(s, ansiReset) {
		t.Errorf("coloured %q", s)
	}
}
