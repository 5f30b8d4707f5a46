package graceful_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/koomock/koomock/graceful"
)

// TestShutdownClosesOnlyUnusedConnections: a spare connection is closed at once, while a request
// under way still gets its whole answer.
func TestShutdownClosesOnlyUnusedConnections(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	var unused graceful.Unused
	srv := &http.Server{ConnState: unused.Track, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "done")
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)

	spare, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer spare.Close()
	answer := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String())
		if err != nil {
			answer <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answer <- string(b)
	}()
	<-entered // the server accepts in order: the spare is tracked by now

	shut := make(chan error, 1)
	go func() { shut <- unused.Shutdown(context.Background(), srv) }()
	// net/http itself would close the spare after five seconds: wait less than that.
	spare.SetReadDeadline(time.Now().Add(3 * time.Second))
	var timeout net.Error
	if _, err := spare.Read(make([]byte, 1)); err == nil || errors.As(err, &timeout) && timeout.Timeout() {
		t.Errorf("the spare connection was not closed: %v", err)
	}
	close(release)
	if got := <-answer; got != "done" {
		t.Errorf("the request under way got %q, want its whole answer", got)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}
