package mock_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/koomock/koomock/protocol"
)

// TestPublicAnswersCarryTheGatewaysHeaders checks that every answer of KooGallery's public side, the
// successes and the refusals, carries Server as the gateway sends it and Date on koomock's clock in
// RFC 1123 form, and that the control API keeps Go's own.
func TestPublicAnswersCarryTheGatewaysHeaders(t *testing.T) {
	srv, api := newTestServer(t, nil)
	if _, err := api.Advance(context.Background(), "36h"); err != nil {
		t.Fatal(err)
	}
	wantDate := start.Add(36 * time.Hour).Format(http.TimeFormat)
	public := []struct{ method, path, body string }{
		{"GET", protocol.OrderQueryPath + "?orderId=CS1", ""},             // APIG 401
		{"POST", protocol.UsagePushPath, `{}`},                            // MKT refusal
		{"POST", protocol.UsagePushOldPath, `{}`},                         // APIG 401
		{"POST", protocol.PathLicenseActivateV1, `{}`},                    // APIG 401
		{"POST", protocol.PathLicenseHeartbeatV2, `{}`},                   // APIG 401
		{"GET", protocol.PathLicenseActivateV2, ""},                       // APIG 405
		{"GET", "/api/mkp-openapi-public/global/v1/nothing", ""},          // APIG 404
		{"PUT", protocol.OrderQueryPath, ""},                              // APIG 405
		{"GET", "/api/v1/oauth2/userinfo", ""},                            // OAuth 401
		{"POST", "/api/v1/oauth2/token", "grant_type=password"},           // OAuth 400
		{"GET", "/api/v1/cas/validate?service=x&ticket=ST-1", ""},         // CAS no
		{"GET", "/api/v1/logout", ""},                                     // 302
		{"GET", "/unified-login/", ""},                                    // login page
		{"GET", "/unified-login/portal-login?ind=UNOP&appId=nothing", ""}, // login form
		{"GET", "/t/nothing/api/v1/oauth2/userinfo", ""},                  // a tenant's domain
		{"GET", "/api/v1/cas/serviceValidate?service=x&ticket=ST-1&format=JSON", ""},
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range public {
		resp := do(t, client, c.method, srv.URL()+c.path, c.body)
		if got := resp.Header.Get("Server"); got != protocol.GatewayServer {
			t.Errorf("%s %s (HTTP %d): Server %q, want %q", c.method, c.path, resp.StatusCode, got, protocol.GatewayServer)
		}
		if got := resp.Header.Get("Date"); got != wantDate {
			t.Errorf("%s %s (HTTP %d): Date %q, want %q", c.method, c.path, resp.StatusCode, got, wantDate)
		}
	}
	for _, path := range []string{"/_mock/settings", "/_mock/nothing", "/healthz"} {
		resp := do(t, client, "GET", srv.URL()+path, "")
		if got := resp.Header.Get("Server"); got != "" {
			t.Errorf("GET %s: Server %q on a control route", path, got)
		}
		if got := resp.Header.Get("Date"); got == wantDate {
			t.Errorf("GET %s: Date %q follows the virtual clock on a control route", path, got)
		}
	}
}

// do sends one request and returns its answer with the body read and closed.
func do(t *testing.T, client *http.Client, method, url, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(body, "{") {
		req.Header.Set("Content-Type", "application/json")
	} else if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}
