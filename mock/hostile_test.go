package mock_test

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/protocol"
)

// routeParam matches a chi URL parameter, with or without a pattern.
var routeParam = regexp.MustCompile(`\{[^}]*\}`)

// TestHostileInputNeverCrashes sends every route koomock serves the input a broken client sends: no
// body, half a JSON document, JSON of the wrong shape, a form where JSON belongs, and IDs that do not
// exist. Each must get an answer in the protocol's own error format, never a 500, a panic or a stack
// trace.
func TestHostileInputNeverCrashes(t *testing.T) {
	srv, _ := newTestServer(t, func(c *mock.Config) {
		c.Joint.KitKey, c.Joint.LoginCallbackURL = fixtures.DemoKitKey, "https://seller.example/login/callback"
	})
	type route struct{ method, path string }
	var routes []route
	err := chi.Walk(srv.Handler().(chi.Routes), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		path := strings.ReplaceAll(pattern, "/*/", "/")
		path = strings.TrimSuffix(path, "/*")
		// Event streams and run leases never end by themselves; they are tested on their own.
		if strings.HasSuffix(path, "/events") || (method == http.MethodPost && path == "/_mock/runs") || path == "" {
			return nil
		}
		routes = append(routes, route{method, routeParam.ReplaceAllString(path, "no-such-1")})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d routes", len(routes))
	if len(routes) < 50 {
		t.Fatalf("walked only %d routes", len(routes))
	}
	bodies := []struct{ name, contentType, body string }{
		{"no body", "", ""},
		{"half a JSON document", "application/json", `{"orderId": "CS1", `},
		{"JSON of the wrong shape", "application/json", `[1, "two", null]`},
		{"wrong field types", "application/json", `{"periodNumber": "many", "count": {}, "codes": 7, "by": []}`},
		{"a form where JSON belongs", "application/x-www-form-urlencoded", "grant_type=%ZZ&a=1"},
	}
	trace := regexp.MustCompile(`goroutine \d+|panic:|\.go:\d+`)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, rt := range routes {
		// The open APIs check AK/SK first: send the bodies signed as well, so they reach the handlers.
		signings := []bool{false}
		if strings.HasPrefix(rt.path, "/api/") || strings.HasPrefix(rt.path, "/rest/") {
			signings = append(signings, true)
		}
		for _, signed := range signings {
			for _, b := range bodies {
				req, err := http.NewRequest(rt.method, srv.URL()+rt.path, bytes.NewBufferString(b.body))
				if err != nil {
					t.Fatal(err)
				}
				if b.contentType != "" {
					req.Header.Set("Content-Type", b.contentType)
				}
				if signed {
					protocol.SignAPIGRequest(req, []byte(b.body), fixtures.DemoAK, fixtures.DemoSK, time.Now())
				}
				resp, err := client.Do(req)
				if err != nil {
					t.Errorf("%s %s with %s (signed %v): %v", rt.method, rt.path, b.name, signed, err)
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode >= 500 || trace.Match(body) {
					t.Errorf("%s %s with %s (signed %v): HTTP %d %.300s", rt.method, rt.path, b.name, signed, resp.StatusCode, body)
				}
			}
		}
	}
}
