package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/koomock/koomock"
)

// EventName is the server-sent event type of a journal entry.
const EventName = "exchange"

// EventWriteTimeout is how long a stream client has to take each event. A stream lasts as long as the
// client stays, so the server's WriteTimeout, which bounds a whole answer, must not end it; instead
// every event gets a deadline of its own, and a client that stops reading is dropped after this long
// (its EventSource reconnects and resumes from the last event it got).
const EventWriteTimeout = 30 * time.Second

// Stream serves a feed as server-sent events (text/event-stream). Each event is one exchange: its ID
// as the event ID, EventName as the type, and Encode's output as the data. Build one per request.
type Stream struct {
	// Feed is what the stream follows; required.
	Feed *Broadcaster
	// Since is the ID of the newest exchange the client already has (0: none). The client's
	// Last-Event-ID header, sent when an EventSource reconnects, wins when it is newer.
	Since int64
	// Match selects the exchanges this stream sends; nil sends every one.
	Match func(*koomock.Exchange) bool
	// Missed returns the matching exchanges recorded after the given ID, oldest first: what a client
	// that is behind has not seen. Called, from Since or Last-Event-ID, until it returns none; nil
	// means a live stream only.
	Missed func(ctx context.Context, after int64) ([]koomock.Exchange, error)
	// Encode renders an exchange as the event's data; it may span several lines. Required.
	Encode func(*koomock.Exchange) ([]byte, error)
	// Logger logs failures to catch up or to encode; discarded when nil.
	Logger *slog.Logger
}

// ServeHTTP streams until the client goes away, the subscription is dropped for falling behind, or
// the feed is closed. Either way the client may reconnect and resume from the last event it got.
func (s Stream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Subscribe before catching up, so nothing recorded in between is lost; duplicates are skipped by ID.
	sub := s.Feed.Subscribe(0)
	defer sub.Cancel()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // tell reverse proxies not to hold events back
	rc := http.NewResponseController(w)
	// The server's read deadline would end the stream too: it has no body left to read. Deadlines are
	// the kernel's real time, never koomock's (possibly virtual) clock. A writer without deadlines
	// (httptest's recorder, an in-process transport) has no server timeouts to lift either.
	rc.SetReadDeadline(time.Time{})
	extend := func() { rc.SetWriteDeadline(time.Now().Add(EventWriteTimeout)) }
	extend()
	w.WriteHeader(http.StatusOK)
	// retry: how soon an EventSource reconnects after the stream ends (dropped, or koomock restarted).
	if _, err := io.WriteString(w, "retry: 1000\n\n"); err != nil {
		return
	}
	last := max(s.Since, lastEventID(r))
	if s.Missed != nil {
		for {
			missed, err := s.Missed(r.Context(), last)
			if err != nil {
				s.gone(r, "catch up", err)
				return
			}
			if len(missed) == 0 {
				break
			}
			for i := range missed {
				if missed[i].ID <= last {
					continue
				}
				extend()
				if err := s.send(w, &missed[i]); err != nil {
					s.gone(r, "send", err)
					return
				}
				last = missed[i].ID
			}
		}
	}
	if err := rc.Flush(); err != nil {
		s.gone(r, "flush", err)
		return
	}
	for {
		select {
		case <-r.Context().Done():
			s.logger().Debug("event stream: the client disconnected", "path", r.URL.Path, "last", last)
			return
		case e, ok := <-sub.C:
			if !ok {
				s.logger().Debug("event stream: ended (fell behind, or koomock is closing)", "path", r.URL.Path, "last", last)
				return
			}
			if e.ID <= last {
				continue
			}
			extend()
			err := s.send(w, &e)
			if err == nil {
				err = rc.Flush()
			}
			if err != nil {
				s.gone(r, "send", err)
				return
			}
			last = e.ID
		}
	}
}

// gone logs why a stream ended early. A client that left or stopped reading is the ordinary end of
// a stream, logged at DEBUG: its context is cancelled, or a write or flush failed (a write to a
// client fails only when the connection is gone or the client stopped taking events). Only a failure
// while the client is still there, the journal unreadable during the catch-up, is a WARN.
func (s Stream) gone(r *http.Request, step string, err error) {
	level := slog.LevelWarn
	if step != "catch up" || r.Context().Err() != nil || errors.Is(err, context.Canceled) {
		level = slog.LevelDebug
	}
	s.logger().Log(r.Context(), level, "event stream: "+step, "path", r.URL.Path, "err", err)
}

// send writes one event if the stream wants e; an error means the client is gone.
func (s Stream) send(w io.Writer, e *koomock.Exchange) error {
	if s.Match != nil && !s.Match(e) {
		return nil
	}
	data, err := s.Encode(e)
	if err != nil {
		s.logger().Warn("event stream: encode", "exchange", e.ID, "err", err)
		return nil
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "id: %d\nevent: %s\n", e.ID, EventName)
	data = bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	for line := range bytes.SplitSeq(bytes.TrimRight(data, "\n"), []byte("\n")) {
		b.WriteString("data: ")
		b.Write(line)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	_, err = w.Write(b.Bytes())
	return err
}

func (s Stream) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

// lastEventID is the ID an EventSource reports when it reconnects; 0 when absent or malformed.
func lastEventID(r *http.Request) int64 {
	n, err := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
