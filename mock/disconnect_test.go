package mock_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/koomock/koomock/mock"
)

// TestAGoneClientIsNoError: a control-API or console request whose client has left (its context
// cancelled: the live journal's catch-up when the browser closes the tab) is logged at DEBUG, not as
// koomock failing.
func TestAGoneClientIsNoError(t *testing.T) {
	var logs bytes.Buffer
	srv, _ := newTestServer(t, func(c *mock.Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, path := range []string{"/_mock/exchanges", "/console/journal"} {
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, "http://localhost"+path, nil)
		srv.Handler().ServeHTTP(httptest.NewRecorder(), req)
	}
	out := logs.String()
	if strings.Contains(out, "level=ERROR") {
		t.Errorf("a request from a client that left logged an ERROR:\n%s", out)
	}
	if !strings.Contains(out, `level=DEBUG msg="control API" err="context canceled"`) {
		t.Errorf("the gone client is not logged at DEBUG:\n%s", out)
	}
}
