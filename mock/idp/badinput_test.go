package idp_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestBadInputNeverFails500 sends malformed requests to every identity-provider route: each gets its
// protocol's own error, never a 500, never a trace of koomock's internals.
func TestBadInputNeverFails500(t *testing.T) {
	e := newEnv(t, nil)
	base := e.srv.URL()
	tests := []struct {
		method, path, ctype, body string
		want                      int
		contains                  string
	}{
		{"POST", "/api/v1/oauth2/token", "application/json", `{"grant_type":"refresh_token"}`, 400, `"error":"invalid_request"`},
		{"POST", "/api/v1/oauth2/token", "application/x-www-form-urlencoded", "%zz", 400, `"error"`},
		{"POST", "/api/v1/oauth2/token", "application/x-www-form-urlencoded", "grant_type=refresh_token&client_id=koomock-demo-client&client_secret=koomock-demo-client-secret", 400, "Invalid refresh token"},
		{"GET", "/api/v1/oauth2/authorize", "", "", 400, "invalid_request"},
		{"GET", "/api/v1/oauth2/userinfo", "", "", 401, "Full authentication is required"},
		{"GET", "/api/v1/cas/validate", "", "", 200, "no"},
		{"GET", "/api/v1/cas/p3/serviceValidate?format=JSON", "", "", 200, `"INVALID_REQUEST"`},
		{"GET", "/api/v1/cas/serviceValidate?ticket=ST-1&service=x&format=bogus", "", "", 200, "INVALID_REQUEST"},
		{"GET", "/api/v1/cas/login", "", "", 400, "Bad request"},
		{"POST", "/unified-login/portal-login", "application/x-www-form-urlencoded", "", 400, "Bad request"},
		{"POST", "/unified-login/portal-login", "text/plain", "username=a", 400, "Bad request"},
		{"GET", "/t/nosuch/api/v1/oauth2/authorize?response_type=code&client_id=x&redirect_uri=y", "", "", 403, "Client ID mismatch"},
		{"GET", "/t/nosuch/api/v1/cas/login?service=x", "", "", 404, "Unknown domain"},
		{"GET", "/api/v1/logout?redirect_url=javascript:alert(1)", "", "", 302, ""},
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, base+tt.path, strings.NewReader(tt.body))
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body := string(b)
			if resp.StatusCode != tt.want || !strings.Contains(body, tt.contains) {
				t.Errorf("HTTP %d %s, want %d with %q", resp.StatusCode, body, tt.want, tt.contains)
			}
			for _, leak := range []string{".go:", "panic", "goroutine", "sqlite", "runtime error"} {
				if strings.Contains(body, leak) {
					t.Errorf("answer leaks %q: %s", leak, body)
				}
			}
			if loc := resp.Header.Get("Location"); strings.HasPrefix(loc, "javascript:") {
				t.Errorf("redirected to %s", loc)
			}
		})
	}
}
