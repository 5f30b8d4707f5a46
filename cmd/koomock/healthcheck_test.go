package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// freeAddr returns a loopback address where nothing listens.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestHealthcheck(t *testing.T) {
	api, _, stop := startServe(t, "--db", ":memory:", "--addr", "0.0.0.0:0", "--public-url", "http://localhost:8080", "--admin-token", "a-test-token")
	defer stop()
	u, err := url.Parse(api.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	notKoomock := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	defer notKoomock.Close()

	for _, tc := range []struct {
		name string
		vars map[string]string
		args []string
		want int
	}{
		{"healthy", nil, []string{"--addr", u.Host}, exitOK},
		{"every interface is checked on loopback, from the variable serve reads", map[string]string{"KOOMOCK_ADDR": "0.0.0.0:" + u.Port()}, nil, exitOK},
		{"nothing listening", nil, []string{"--addr", freeAddr(t)}, exitUnhealthy},
		{"a server that is not healthy", nil, []string{"--addr", strings.TrimPrefix(notKoomock.URL, "http://")}, exitUnhealthy},
		{"no fixed port", nil, []string{"--addr", "127.0.0.1:0"}, exitUsage},
		{"not an address", nil, []string{"--addr", "localhost"}, exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cli(t, tc.vars, append([]string{"healthcheck"}, tc.args...)...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.want, out, errOut)
			}
			if code != exitOK && strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("want one line on stderr, got %q", errOut)
			}
		})
	}
}

func TestServeOnEveryInterfaceNeedsAPublicURL(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0"} {
		code, _, errOut := cli(t, nil, "serve", "--db", ":memory:", "--addr", addr, "--admin-token", "a-test-token")
		if code != exitUsage || !strings.Contains(errOut, "--public-url") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("--addr %s without a public URL: exit %d, stderr %q; want exit 2 naming --public-url", addr, code, errOut)
		}
	}
	code, _, errOut := cli(t, map[string]string{"KOOMOCK_ADDR": "0.0.0.0:0", "KOOMOCK_ADMIN_TOKEN": "a-test-token"}, "serve", "--db", ":memory:")
	if code != exitUsage || !strings.Contains(errOut, "KOOMOCK_PUBLIC_URL") {
		t.Errorf("KOOMOCK_ADDR=0.0.0.0:0 without a public URL: exit %d, stderr %q", code, errOut)
	}
}
