package mock

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock/openapi"
)

// TestRoutesMatchMarketplaceDocument walks the router and checks, both ways, that every route a
// seller calls (everything but the control API and the console) is an operation of
// openapi/marketplace.yaml, and that every operation there is served.
func TestRoutesMatchMarketplaceDocument(t *testing.T) {
	srv, err := New(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	served := map[string]bool{}
	err = chi.Walk(srv.handler.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		route = strings.TrimSuffix(strings.ReplaceAll(route, "/*/", "/"), "/*")
		if route == "" || strings.HasPrefix(route, "/_mock") || !strings.HasPrefix(route, "/") {
			return nil
		}
		if !isSellerFacing(route) {
			return nil
		}
		served[method+" "+route] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, op := range srv.marketplace.Operations() {
		documented[op] = true
	}
	for op := range served {
		if !documented[op] {
			t.Errorf("%s is served but not in %s", op, openapi.MarketplaceFile)
		}
	}
	for op := range documented {
		if !served[op] {
			t.Errorf("%s is in %s but not served", op, openapi.MarketplaceFile)
		}
	}
}

// isSellerFacing tells the routes a seller's service, software or browser calls from koomock's own.
func isSellerFacing(route string) bool {
	return route == "/healthz" || strings.HasPrefix(route, "/api/") || strings.HasPrefix(route, "/rest/") ||
		strings.HasPrefix(route, "/unified-login")
}
