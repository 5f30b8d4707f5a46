package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock"
)

// healthcheckTimeout bounds one health check; Docker's own HEALTHCHECK timeout (3 s in the image)
// kills the process anyway, but a check should report its own failure first.
const healthcheckTimeout = 2 * time.Second

// Exit codes of healthcheck, as Docker's HEALTHCHECK reads them: 0 healthy, 1 unhealthy.
const exitUnhealthy = 1

// runHealthcheck asks a koomock serve on this host for /healthz. It exists so that the container
// image, which has no shell and no curl, can have a HEALTHCHECK. It reads the same --addr (and
// KOOMOCK_ADDR) as serve, so in the image one variable sets both.
func runHealthcheck(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "healthcheck", "healthcheck [flags]")
	addr := fs.String("addr", mock.DefaultAddr, "the `address` koomock serve listens on; an address on every interface (0.0.0.0:8080) is checked on loopback")
	timeout := durationValue(healthcheckTimeout)
	fs.Var(&timeout, "timeout", "how long to wait for the answer")
	asJSON := registerJSON(fs)
	if err := fs.parse(args); err != nil {
		return usageError(e, "healthcheck", err)
	}
	if fs.NArg() > 0 {
		return usageError(e, "healthcheck", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	base, err := healthURL(*addr)
	if err != nil {
		return usageError(e, "healthcheck", err)
	}
	if timeout <= 0 {
		return usageError(e, "healthcheck", fmt.Errorf("--timeout must be positive"))
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(timeout))
	defer cancel()
	// A client of its own: no proxy from the environment, no redirects, nothing shared.
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	err = (&controlapi.Client{BaseURL: base, HTTPClient: hc}).Health(ctx)
	if *asJSON {
		h := healthJSON{URL: base + "/healthz", Healthy: err == nil}
		if err != nil {
			h.Error = err.Error()
		}
		writeJSON(e.stdout, h)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "koomock healthcheck: %s/healthz: %v\n", base, err)
		return exitUnhealthy
	}
	if !*asJSON {
		fmt.Fprintf(e.stdout, "koomock healthcheck: %s/healthz ok\n", base)
	}
	return exitOK
}

// healthJSON is healthcheck's --json object.
type healthJSON struct {
	URL     string `json:"url"`
	Healthy bool   `json:"healthy"`
	Error   string `json:"error,omitempty"`
}

// healthURL turns a listen address into the base URL to check: an unspecified host (":8080",
// "0.0.0.0:8080", "[::]:8080") is checked on 127.0.0.1, which a server on every interface answers.
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == "0" {
		return "", fmt.Errorf("--addr %q: want HOST:PORT with a fixed port", addr)
	}
	if everyInterface(host) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

// everyInterface tells whether a listen address's host means every interface: "", 0.0.0.0 or ::.
func everyInterface(host string) bool {
	ip := net.ParseIP(host)
	return host == "" || (ip != nil && ip.IsUnspecified())
}
