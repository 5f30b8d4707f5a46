package mock

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock/openapi"
)

// TestControlRoutesMatchControlDocument walks the router and checks, both ways, that every control-API
// route (/_mock/...) is an operation of openapi/control.yaml and every operation there is served.
func TestControlRoutesMatchControlDocument(t *testing.T) {
	srv, err := New(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	served := map[string]bool{}
	err = chi.Walk(srv.handler.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		route = strings.TrimSuffix(strings.ReplaceAll(route, "/*/", "/"), "/*")
		if !strings.HasPrefix(route, "/_mock/") {
			return nil
		}
		// A mounted router's root answers with and without its slash; the document names it without.
		served[method+" "+strings.TrimSuffix(route, "/")] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := openapi.Load(nil, openapi.ControlFile)
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, op := range spec.Operations() {
		documented[op] = true
	}
	for op := range served {
		if !documented[op] {
			t.Errorf("%s is served but not in openapi/%s", op, openapi.ControlFile)
		}
	}
	for op := range documented {
		if !served[op] {
			t.Errorf("%s is in openapi/%s but not served", op, openapi.ControlFile)
		}
	}
	if len(served) < 60 {
		t.Errorf("the walk found only %d control routes", len(served))
	}
}

// TestControlDocumentIsServed: GET /_mock/openapi.yaml answers the embedded document, a valid
// OpenAPI 3 document, as YAML.
func TestControlDocumentIsServed(t *testing.T) {
	srv, err := New(context.Background(), Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Open(); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get(srv.URL() + "/_mock/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	want, _ := openapi.FS.ReadFile(openapi.ControlFile)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/yaml" || string(got) != string(want) {
		t.Fatalf("GET /_mock/openapi.yaml: HTTP %d %s, %d bytes (want the %d of openapi/%s)", resp.StatusCode, resp.Header.Get("Content-Type"), len(got), len(want), openapi.ControlFile)
	}
	if _, err := openapi.Load(fstest.MapFS{"served.yaml": {Data: got}}, "served.yaml"); err != nil {
		t.Errorf("the served document does not load: %v", err)
	}
}

// TestControlRequestsAreValidatedByTheDocument: a body the operation's schema refuses gets a 400
// naming the document and the offending pointer, whatever the Content-Type; a body it allows goes on.
func TestControlRequestsAreValidatedByTheDocument(t *testing.T) {
	srv, err := New(context.Background(), Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Open(); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, tc := range []struct{ path, contentType, body, pointer string }{
		{"/_mock/orders", "application/json", `{"periodType":7}`, "/periodType"},
		{"/_mock/orders", "application/x-www-form-urlencoded", `{"trial":"yes"}`, "/trial"},
		{"/_mock/clock", "application/x-www-form-urlencoded", `{"mode":"sideways"}`, "/mode"},
		{"/_mock/clock/advance", "text/plain", `{"by":30}`, "/by"},
		{"/_mock/probes", "application/json", `{"activity":"newInstance"}`, ""},
	} {
		resp, err := http.Post(srv.URL()+tc.path, tc.contentType, strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(raw), "openapi/control.yaml") || !strings.Contains(string(raw), tc.pointer) {
			t.Errorf("POST %s %s: HTTP %d %s; want 400 from the document naming %q", tc.path, tc.body, resp.StatusCode, raw, tc.pointer)
		}
	}
	// Allowed by the document, with curl's form Content-Type: the handler answers.
	resp, err := http.Post(srv.URL()+"/_mock/clock", "application/x-www-form-urlencoded", strings.NewReader(`{"mode":"virtual"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("POST /_mock/clock virtual: HTTP %d", resp.StatusCode)
	}
}
