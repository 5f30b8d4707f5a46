package main

import (
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestServeTimeoutsFromTheEnvironment: KOOMOCK_READ_HEADER_TIMEOUT reaches the server: a client that
// never finishes its headers is disconnected after it.
func TestServeTimeoutsFromTheEnvironment(t *testing.T) {
	api, _, stop := startServeEnv(t, map[string]string{"KOOMOCK_READ_HEADER_TIMEOUT": "50ms"}, "--db", ":memory:", "--max-conns", "8")
	defer stop()
	c, err := net.Dial("tcp", strings.TrimPrefix(api.BaseURL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second)) // the test's own bound, far beyond the limit
	io.WriteString(c, "GET /healthz HTTP/1.1\r\n")
	_, err = io.Copy(io.Discard, c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the server kept a connection with unfinished headers open")
	}
	if code, _, errOut := cli(t, nil, "serve", "--db", ":memory:", "--read-timeout", "soon"); code != exitUsage || !strings.Contains(errOut, "read-timeout") {
		t.Errorf("--read-timeout soon: exit %d, %s", code, errOut)
	}
}
