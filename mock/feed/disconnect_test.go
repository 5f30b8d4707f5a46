package feed_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/mock/feed"
	"github.com/koomock/koomock/mock/feed/feedtest"
)

// lockedBuffer is a log destination safe for the handler's goroutine and the test's.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestClientDisconnectsAreDebug: a client leaving an event stream, while it catches up or while it
// waits for live events, is the ordinary end of a stream: logged at DEBUG, never WARN or ERROR.
func TestClientDisconnectsAreDebug(t *testing.T) {
	for _, phase := range []string{"catch up", "live"} {
		t.Run(phase, func(t *testing.T) {
			var logs lockedBuffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			var b feed.Broadcaster
			catchingUp, done := make(chan struct{}), make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer close(done)
				st := feed.Stream{Feed: &b, Logger: logger,
					Encode: func(e *koomock.Exchange) ([]byte, error) { return []byte("x"), nil }}
				if phase == "catch up" {
					// The journal read under way when the client leaves fails with the client's context.
					st.Missed = func(ctx context.Context, after int64) ([]koomock.Exchange, error) {
						close(catchingUp)
						<-ctx.Done()
						return nil, ctx.Err()
					}
				}
				st.ServeHTTP(w, r)
			}))
			defer srv.Close()
			ctx, cancel := context.WithCancel(context.Background())
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"?after=0", nil)
			// The headers go out with the first flush, after the catch-up: the client waits for them.
			answered := make(chan *http.Response, 1)
			go func() {
				resp, _ := http.DefaultClient.Do(req)
				answered <- resp
			}()
			if phase == "catch up" {
				<-catchingUp
				cancel()
			} else {
				resp := <-answered
				if resp == nil {
					t.Fatal("no answer")
				}
				if _, ok := feedtest.NewReader(resp.Body).Line(); !ok {
					t.Fatal("the stream ended at once")
				}
				cancel()
				resp.Body.Close()
			}
			<-done
			out := logs.String()
			if strings.Contains(out, "level=WARN") || strings.Contains(out, "level=ERROR") {
				t.Errorf("a disconnect logged above DEBUG:\n%s", out)
			}
			if !strings.Contains(out, "level=DEBUG") {
				t.Errorf("the disconnect is not logged at DEBUG:\n%s", out)
			}
		})
	}
}
