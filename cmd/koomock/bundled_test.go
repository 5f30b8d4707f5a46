package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/koomock/koomock/controlapi"
)

// TestServeWithoutSellerURLRunsTheBundledSeller: `koomock serve` with no --seller-url sends its
// callbacks to the bundled reference seller, so a newcomer's first buy, a plain `curl -d`, passes at
// once; the banner, the settings and the console's overview say whose answers those are.
func TestServeWithoutSellerURLRunsTheBundledSeller(t *testing.T) {
	api, out, stop := startServe(t, "--db", ":memory:")
	defer stop()
	if !strings.Contains(out.String(), "seller URL       http://127.0.0.1:") || !strings.Contains(out.String(), "(the bundled reference seller; set --seller-url to test yours)") {
		t.Errorf("the banner does not name the bundled seller:\n%s", out)
	}
	ctx := context.Background()
	s, err := api.Settings(ctx)
	if err != nil || !s.BundledSeller || !strings.HasPrefix(s.SellerURL, "http://127.0.0.1:") {
		t.Errorf("settings: bundledSeller %v, sellerUrl %q, %v", s.BundledSeller, s.SellerURL, err)
	}

	// The README's first buy, as curl sends it (a form Content-Type).
	resp, err := http.Post(api.BaseURL+"/_mock/orders", "application/x-www-form-urlencoded", strings.NewReader(`{"periodType":"year"}`))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var p controlapi.Purchase
	if err := json.Unmarshal(raw, &p); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("first buy: HTTP %d %s", resp.StatusCode, raw)
	}
	if p.Exchange == nil || p.Exchange.Failed() || p.Instance == nil {
		t.Errorf("first buy against the bundled seller did not pass: %s", raw)
	}
	// The kit syncs go to the bundled seller too: binding a tenant passes.
	kit, err := api.CreateTenant(ctx, controlapi.TenantRequest{Name: "Acme"})
	if err != nil || len(kit.Exchanges) == 0 {
		t.Errorf("tenant against the bundled seller: %+v, %v", kit, err)
	}
	for _, e := range kit.Exchanges {
		if e.Failed() {
			t.Errorf("kit sync %s against the bundled seller failed: %+v", e.Activity, e.Failures())
		}
	}

	resp, err = http.Get(api.BaseURL + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "Seller: the bundled reference seller; set <code>--seller-url</code>") || strings.Contains(string(page), "No seller URL yet") {
		t.Errorf("the console's overview does not name the bundled seller:\n%s", page)
	}
}

// TestServeWithASellerURLRunsNoBundledSeller: a seller URL of the user's is used as given.
func TestServeWithASellerURLRunsNoBundledSeller(t *testing.T) {
	sellerURL := referenceSeller(t, nil)
	api, out, stop := startServe(t, "--db", ":memory:", "--seller-url", sellerURL)
	defer stop()
	s, err := api.Settings(context.Background())
	if err != nil || s.BundledSeller || s.SellerURL != sellerURL || strings.Contains(out.String(), "bundled") {
		t.Errorf("settings: bundledSeller %v, sellerUrl %q (want %q), %v; banner:\n%s", s.BundledSeller, s.SellerURL, sellerURL, err, out)
	}
}
