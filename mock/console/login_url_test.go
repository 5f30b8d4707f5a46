package console_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestLoginURLCarriesTheToken: the URL koomock serve prints with a token it generated logs the
// browser in at one click, and sends it on without the token in its address bar.
func TestLoginURLCarriesTheToken(t *testing.T) {
	srv, _ := newServer(t, nil, withToken)
	b := newBrowser(t, srv.URL())
	if got := b.get("/console/login?token=guess"); got.status != http.StatusUnauthorized {
		t.Errorf("a wrong token in the URL: HTTP %d", got.status)
	}
	if got := b.get("/console/orders"); got.status != http.StatusSeeOther {
		t.Fatalf("a wrong token logged in: HTTP %d", got.status)
	}
	got := b.get("/console/login?token=" + url.QueryEscape(adminToken) + "&next=/console/orders")
	if got.status != http.StatusSeeOther || got.location != "/console/orders" {
		t.Fatalf("the login URL: HTTP %d to %q; want 303 to /console/orders", got.status, got.location)
	}
	if got := b.get("/console/orders"); got.status != http.StatusOK {
		t.Errorf("after the login URL: HTTP %d", got.status)
	}
	if got := b.get("/console/login?token=" + url.QueryEscape(adminToken) + "&next=//evil.example/"); got.location != "/console/" {
		t.Errorf("the login URL followed next off the console: %q", got.location)
	}
}
