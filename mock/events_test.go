package mock_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock/feed/feedtest"
)

// openEvents opens GET /_mock/events and returns a function reading the next exchange; it returns
// once the server has subscribed.
func openEvents(t *testing.T, url string) func() (*koomock.Exchange, bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: HTTP %d", url, resp.StatusCode)
	}
	stream := feedtest.NewReader(resp.Body)
	if _, ok := stream.Line(); !ok {
		t.Fatalf("%s: the stream ended at once", url)
	}
	return func() (*koomock.Exchange, bool) {
		ev, ok := stream.Next()
		if !ok {
			return nil, false
		}
		var e koomock.Exchange
		if err := json.Unmarshal([]byte(ev.Data), &e); err != nil {
			t.Errorf("event data is not an exchange: %v", err)
			return nil, false
		}
		return &e, true
	}
}

func TestEventsStreamTheJournal(t *testing.T) {
	srv, api := newTestServer(t, nil)
	ctx := context.Background()
	before, err := api.Buy(ctx, controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	next := openEvents(t, srv.URL()+"/_mock/events?activity=newInstance")
	p, err := api.Buy(ctx, controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := next(); !ok || e.ID != p.Exchange.ID || e.OrderID != p.Order.ID || len(e.Verdicts) == 0 {
		t.Fatalf("live event %+v, %v; want exchange #%d, not the earlier #%d", e, ok, p.Exchange.ID, before.Exchange.ID)
	}
	// ?after= first sends what was recorded after that exchange.
	again := openEvents(t, srv.URL()+"/_mock/events?after=0&direction=outbound&order="+before.Order.ID)
	if e, ok := again(); !ok || e.ID != before.Exchange.ID {
		t.Errorf("caught-up event %+v, %v; want #%d", e, ok, before.Exchange.ID)
	}
	status, body := get(t, srv.URL()+"/_mock/events?before=3")
	if status != http.StatusBadRequest || !strings.Contains(body, `"code":"invalid"`) {
		t.Errorf("a live stream with before: HTTP %d %s", status, body)
	}
}

// TestCloseEndsOpenStreams: an event stream never ends by itself, and Shutdown waits for every
// request, so Close must end the streams first or it would wait for its whole timeout and fail.
func TestCloseEndsOpenStreams(t *testing.T) {
	srv, _ := newTestServer(t, nil)
	next := openEvents(t, srv.URL()+"/_mock/events")
	consoleReq, _ := http.NewRequest(http.MethodGet, srv.URL()+"/console/journal/events?after=0", nil)
	consoleStream, err := http.DefaultClient.Do(consoleReq)
	if err != nil {
		t.Fatal(err)
	}
	defer consoleStream.Body.Close()
	if err := srv.Close(); err != nil {
		t.Fatalf("Close with open event streams: %v", err)
	}
	if e, ok := next(); ok {
		t.Errorf("the stream went on after Close: %+v", e)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestCloseDoesNotWaitForUnusedConnections: a connection that never sent a request (HTTP clients keep
// such spares in their pools) made http.Server.Shutdown wait five seconds, so every `koomock verify`
// now and then ended with a five-second stall.
func TestCloseDoesNotWaitForUnusedConnections(t *testing.T) {
	srv, _ := newTestServer(t, nil)
	spare, err := net.Dial("tcp", strings.TrimPrefix(srv.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer spare.Close()
	// The server accepts connections in order, so once a later one has been served, the spare has
	// been accepted too and is known to be waiting for its first request.
	if status, _ := get(t, srv.URL()+"/healthz"); status != http.StatusOK {
		t.Fatalf("healthz: HTTP %d", status)
	}
	closed := make(chan error, 1)
	go func() { closed <- srv.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
	case <-time.After(4 * time.Second): // net/http gives up on such a connection after 5 s
		t.Fatal("Close is waiting for a connection that never sent a request")
	}
	if _, err := spare.Read(make([]byte, 1)); err == nil {
		t.Error("the unused connection is still open after Close")
	}
}
