package mock_test

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/localca"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/protocol"
)

// dialRaw opens a TCP connection to the server, with a generous deadline so that a broken limit fails
// the test instead of hanging it.
func dialRaw(t *testing.T, srv *mock.Server) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(srv.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

// waitClosed reads until the server closes c; it fails when the client's own deadline came first.
func waitClosed(t *testing.T, c net.Conn, what string) {
	t.Helper()
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("%s: the server kept the connection open", what)
	}
}

// TestSlowHeadersAreCut: a client that starts a request and never finishes its headers is
// disconnected after the read-header timeout, instead of holding a connection for ever.
func TestSlowHeadersAreCut(t *testing.T) {
	srv, _ := newTestServer(t, func(c *mock.Config) { c.Limits.ReadHeaderTimeout = 50 * time.Millisecond })
	c := dialRaw(t, srv)
	io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
	waitClosed(t, c, "half-sent headers")
}

// TestEventStreamOutlivesTheWriteTimeout: the write timeout bounds an answer, but an event stream is
// an answer that lasts; events written after the timeout has passed still reach the client.
func TestEventStreamOutlivesTheWriteTimeout(t *testing.T) {
	const d = 300 * time.Millisecond
	srv, _ := newTestServer(t, func(c *mock.Config) { c.Limits.WriteTimeout, c.Limits.ReadHeaderTimeout = d, d })
	next := openEvents(t, srv.URL()+"/_mock/events")
	// The stream's headers were read before this connection was accepted, so once the server has cut
	// this one for its silent headers, the stream's own write deadline, as long, has passed too.
	waitClosed(t, dialRaw(t, srv), "a silent connection")

	resp, err := http.Get(srv.URL() + protocol.OrderQueryPath + "?orderId=CS1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	e, ok := next()
	if !ok || e.Activity != "orderQuery" {
		t.Fatalf("after the write timeout the stream gave %+v, %v; want the order query", e, ok)
	}
}

// TestConnectionCap: beyond MaxConns connections, a new one waits until one of them closes.
func TestConnectionCap(t *testing.T) {
	srv, _ := newTestServer(t, func(c *mock.Config) { c.Limits.MaxConns = 1 })
	// One keep-alive connection, answered once and left open, takes the only place.
	first := dialRaw(t, srv)
	io.WriteString(first, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(first), nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("first connection: %v, %v", resp, err)
	}
	resp.Body.Close()

	answered := make(chan error, 1)
	go func() {
		client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := client.Get(srv.URL() + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		answered <- err
	}()
	// A negative can only be shown by waiting; a cap that works never answers here, so this cannot
	// pass wrongly, only fail wrongly on a broken cap.
	select {
	case err := <-answered:
		t.Fatalf("a second connection was served while the first held the only place (err %v)", err)
	case <-time.After(100 * time.Millisecond):
	}
	first.Close()
	if err := <-answered; err != nil {
		t.Fatalf("the second connection after the first closed: %v", err)
	}
}

// TestHTTPSStillSpeaksHTTP2UnderTheCap: the connection cap sits under TLS, where net/http still sees
// its *tls.Conn and serves HTTP/2 to a client that negotiated it.
func TestHTTPSStillSpeaksHTTP2UnderTheCap(t *testing.T) {
	srv := newTLSServer(t, func(c *mock.Config) { c.Limits.MaxConns = 4 })
	roots, err := localca.CertPool(caPEM(t, srv.URL(), ""))
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true}}
	resp, err := client.Get(srv.TLSURL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.ProtoMajor != 2 {
		t.Errorf("HTTPS under the cap: HTTP %d over %s, want 200 over HTTP/2", resp.StatusCode, resp.Proto)
	}
}
