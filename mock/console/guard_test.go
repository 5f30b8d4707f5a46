package console_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/mock"
)

const adminToken = "s3cret-admin-token-for-tests"

func withToken(c *mock.Config) { c.AdminToken = adminToken }

// raw sends one request with the given headers and returns status and body.
func raw(t *testing.T, method, url string, header map[string]string, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestAdminTokenGuardsTheControlAPI(t *testing.T) {
	srv, api := newServer(t, nil, withToken)
	base := srv.URL()
	tests := []struct {
		name   string
		auth   string
		status int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"wrong token", "Bearer nope", http.StatusUnauthorized},
		{"a prefix of the token", "Bearer " + adminToken[:10], http.StatusUnauthorized},
		{"not a bearer token", "Basic " + adminToken, http.StatusUnauthorized},
		{"the token", "Bearer " + adminToken, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.auth != "" {
				h["Authorization"] = tt.auth
			}
			status, body := raw(t, "GET", base+"/_mock/settings", h, "")
			if status != tt.status {
				t.Errorf("HTTP %d %s, want %d", status, body, tt.status)
			}
			if status == http.StatusUnauthorized && !strings.Contains(body, `"code":"unauthorized"`) {
				t.Errorf("not the control API's error: %s", body)
			}
		})
	}
	if status, _ := raw(t, "GET", base+"/healthz", nil, ""); status != http.StatusOK {
		t.Errorf("/healthz needs the token: HTTP %d", status)
	}
	// The Go client sends the token, so the runner and the CLI work unchanged.
	if _, err := api.Settings(context.Background()); err != nil {
		t.Errorf("the control API client with the token: %v", err)
	}
	// The console's own calls carry the token too, though the browser never sees it.
	b := newBrowser(t, base)
	b.get("/console/login")
	b.post("/console/login", url.Values{"token": {adminToken}})
	if got := b.get("/console/"); got.status != http.StatusOK || strings.Contains(got.body, adminToken) {
		t.Errorf("the console after logging in: HTTP %d; shows the token: %v", got.status, strings.Contains(got.body, adminToken))
	}
}

func TestConsoleNeedsALoginWithTheToken(t *testing.T) {
	srv, api := newServer(t, nil, withToken)
	b := newBrowser(t, srv.URL())

	got := b.get("/console/orders?x=1")
	if got.status != http.StatusSeeOther || got.location != "/console/login?next=%2Fconsole%2Forders%3Fx%3D1" {
		t.Fatalf("a page without a session: HTTP %d to %q", got.status, got.location)
	}
	if got := b.get("/console/journal/events"); got.status != http.StatusUnauthorized {
		t.Errorf("the live journal without a session: HTTP %d", got.status)
	}
	if got := b.get("/console/static/console.css"); got.status != http.StatusOK {
		t.Errorf("the login page's stylesheet needs a session: HTTP %d", got.status)
	}
	login := b.get("/console/login?next=/console/orders")
	mustContain(t, "the login page", login.body, `name="token"`, `value="/console/orders"`)

	if got := b.post("/console/login", url.Values{"token": {"guess"}, "next": {"/console/orders"}}); got.status != http.StatusUnauthorized ||
		!strings.Contains(got.body, "not the admin token") {
		t.Errorf("a wrong token: HTTP %d", got.status)
	}
	if got := b.post("/console/actions/buy", nil); got.status != http.StatusUnauthorized {
		t.Errorf("an action without a session: HTTP %d", got.status)
	}

	got = b.post("/console/login", url.Values{"token": {adminToken}, "next": {"/console/orders"}})
	if got.status != http.StatusSeeOther || got.location != "/console/orders" {
		t.Fatalf("logging in: HTTP %d to %q", got.status, got.location)
	}
	cookie := got.header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/console"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, adminToken) {
		t.Error("the session cookie holds the admin token")
	}
	if got := b.get("/console/orders"); got.status != http.StatusOK {
		t.Fatalf("a page with a session: HTTP %d", got.status)
	}
	if got := b.post("/console/actions/buy", nil); got.status != http.StatusSeeOther {
		t.Errorf("buying with a session: HTTP %d\n%s", got.status, got.body)
	}
	if orders, err := api.Orders(context.Background(), 0); err != nil || len(orders) != 1 {
		t.Errorf("orders: %v, %v", orders, err)
	}
	if got := b.post("/console/login", url.Values{"token": {adminToken}, "next": {"//evil.example/"}}); got.location != "/console/" {
		t.Errorf("login followed next off the console: %q", got.location)
	}

	b.get("/console/")
	if got := b.post("/console/logout", nil); got.status != http.StatusSeeOther {
		t.Fatalf("logout: HTTP %d", got.status)
	}
	if got := b.get("/console/"); got.status != http.StatusSeeOther {
		t.Errorf("a page after logging out: HTTP %d", got.status)
	}
}

func TestFormsNeedTheCSRFToken(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	b := newBrowser(t, srv.URL())
	b.get("/console/orders")
	tests := []struct {
		name string
		csrf string
	}{
		{"no token", ""},
		{"a wrong token", strings.Repeat("0", 64)},
		{"a token cut short", b.csrf[:32]},
	}
	for _, tt := range tests {
		got := b.post("/console/actions/buy", url.Values{"csrf": {tt.csrf}})
		if got.status != http.StatusForbidden || !strings.Contains(got.body, "CSRF token") {
			t.Errorf("%s: HTTP %d", tt.name, got.status)
		}
	}
	if orders, _ := api.Orders(context.Background(), 0); len(orders) != 0 {
		t.Fatalf("forms without the CSRF token placed orders: %+v", orders)
	}
	if got := b.post("/console/actions/buy", nil); got.status != http.StatusSeeOther {
		t.Errorf("with the page's token: HTTP %d", got.status)
	}
}

// TestSessionsHaveTheirOwnCSRFToken checks that a token from one login does not work for another.
func TestSessionsHaveTheirOwnCSRFToken(t *testing.T) {
	srv, _ := newServer(t, nil, withToken)
	one, two := newBrowser(t, srv.URL()), newBrowser(t, srv.URL())
	for _, b := range []*browser{one, two} {
		b.get("/console/login")
		b.post("/console/login", url.Values{"token": {adminToken}})
		b.get("/console/orders")
	}
	if one.csrf == two.csrf {
		t.Fatal("two sessions share a CSRF token")
	}
	if got := one.post("/console/actions/buy", url.Values{"csrf": {two.csrf}}); got.status != http.StatusForbidden {
		t.Errorf("another session's token: HTTP %d", got.status)
	}
}

// TestCrossOriginBrowserRequestsAreRefused checks that no web page a developer visits can drive their
// koomock, through the console or the control API, while programs still can.
func TestCrossOriginBrowserRequestsAreRefused(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	base := srv.URL()
	b := newBrowser(t, base)
	b.get("/console/orders")
	cross := map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
	form := url.Values{"csrf": {b.csrf}}.Encode()
	h := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	for k, v := range cross {
		h[k] = v
	}
	if status, body := raw(t, "POST", base+"/console/actions/buy", h, form); status != http.StatusForbidden {
		t.Errorf("a cross-site form post to the console: HTTP %d %s", status, body)
	}
	if status, body := raw(t, "POST", base+"/_mock/orders", cross, ""); status != http.StatusForbidden ||
		!strings.Contains(body, `"code":"forbidden"`) {
		t.Errorf("a cross-site request to the control API: HTTP %d %s", status, body)
	}
	if orders, _ := api.Orders(context.Background(), 0); len(orders) != 0 {
		t.Fatalf("cross-site requests placed orders: %+v", orders)
	}
	if status, _ := raw(t, "POST", base+"/_mock/orders", nil, ""); status != http.StatusCreated {
		t.Errorf("curl-like request: HTTP %d", status)
	}
}

// TestForeignHostNamesAreRefusedWithoutAToken defeats DNS rebinding: a page whose name resolves to
// 127.0.0.1 reaches koomock with its own name in Host.
func TestForeignHostNamesAreRefusedWithoutAToken(t *testing.T) {
	srv, _ := newServer(t, nil, func(c *mock.Config) { c.PublicURL = "http://koomock.test:8080" })
	base := srv.URL()
	for _, tt := range []struct {
		host, path string
		status     int
	}{
		{"rebound.evil.example", "/_mock/settings", http.StatusForbidden},
		{"rebound.evil.example", "/console/", http.StatusForbidden},
		{"rebound.evil.example", "/healthz", http.StatusOK},
		{"localhost:9999", "/_mock/settings", http.StatusOK},
		{"[::1]:9999", "/_mock/settings", http.StatusOK},
		{"koomock.test:8080", "/console/", http.StatusOK},
	} {
		if status, body := raw(t, "GET", base+tt.path, map[string]string{"Host": tt.host}, ""); status != tt.status {
			t.Errorf("Host %s %s: HTTP %d, want %d: %s", tt.host, tt.path, status, tt.status, body)
		}
	}
	tokenSrv, _ := newServer(t, nil, withToken)
	if status, _ := raw(t, "GET", tokenSrv.URL()+"/_mock/settings",
		map[string]string{"Host": "koomock.internal", "Authorization": "Bearer " + adminToken}, ""); status != http.StatusOK {
		t.Errorf("with a token any Host name is fine (a container's): HTTP %d", status)
	}
}

func TestListeningBeyondLoopbackNeedsAToken(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0"} {
		if _, err := mock.New(context.Background(), mock.Config{Addr: addr}); !errors.Is(err, mock.ErrAdminTokenRequired) {
			t.Errorf("New on %s without a token: %v", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "[::1]:0", "127.0.0.2:0"} {
		srv, err := mock.New(context.Background(), mock.Config{Addr: addr})
		if err != nil {
			t.Errorf("New on %s: %v", addr, err)
			continue
		}
		srv.Close()
	}
	srv, err := mock.New(context.Background(), mock.Config{Addr: "0.0.0.0:0", AdminToken: adminToken})
	if err != nil {
		t.Fatalf("New on 0.0.0.0 with a token: %v", err)
	}
	srv.Close()
}

func TestControlAPIClientReportsAMissingToken(t *testing.T) {
	srv, _ := newServer(t, nil, withToken)
	_, err := (&controlapi.Client{BaseURL: srv.URL()}).Settings(context.Background())
	if controlapi.ErrorCode(err) != controlapi.CodeUnauthorized {
		t.Errorf("a client without the token: %v", err)
	}
}
