package mock_test

import (
	"context"
	"strings"
	"testing"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock"
)

// A server listening on every interface (as in a container) reports a URL this host can dial, and a
// public URL of its own when one is configured.
func TestURLOfAServerOnEveryInterface(t *testing.T) {
	srv, err := mock.New(context.Background(), mock.Config{Addr: "0.0.0.0:0", PublicURL: "http://koomock.test:8080/", AdminToken: "a-test-token"})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if !strings.HasPrefix(srv.URL(), "http://127.0.0.1:") {
		t.Errorf("URL %q: want loopback, not the unspecified address", srv.URL())
	}
	if err := (&controlapi.Client{BaseURL: srv.URL()}).Health(context.Background()); err != nil {
		t.Errorf("health at %s: %v", srv.URL(), err)
	}
	if got, want := srv.PublicURL(), "http://koomock.test:8080"; got != want {
		t.Errorf("public URL %q, want %q", got, want)
	}
}
