// Package feedtest reads server-sent-event streams in tests, as an EventSource would.
package feedtest

import (
	"bufio"
	"io"
	"strings"
)

// Event is one server-sent event.
type Event struct {
	ID, Name, Data string
}

// Reader reads events from a stream.
type Reader struct {
	sc *bufio.Scanner
}

// NewReader reads events from r; lines may be up to 4 MiB long (whole exchanges as JSON).
func NewReader(r io.Reader) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 4<<20)
	return &Reader{sc: sc}
}

// Line reads one raw line, for checks of what a stream starts with.
func (r *Reader) Line() (string, bool) {
	if !r.sc.Scan() {
		return "", false
	}
	return r.sc.Text(), true
}

// Next returns the next event that has an ID, joining its data lines with newlines; false when the
// stream ends first.
func (r *Reader) Next() (Event, bool) {
	var e Event
	var data []string
	for r.sc.Scan() {
		line := r.sc.Text()
		switch {
		case line == "" && e.ID != "":
			e.Data = strings.Join(data, "\n")
			return e, true
		case strings.HasPrefix(line, "id: "):
			e.ID = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "event: "):
			e.Name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data = append(data, strings.TrimPrefix(line, "data: "))
		}
	}
	return e, false
}
