package console_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
)

// areaRow returns the overview's health row of an area.
func areaRow(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr data-area="` + regexp.QuoteMeta(name) + `".*?</tr>`).FindString(body)
	if m == "" {
		t.Fatalf("the overview has no health row for %s", name)
	}
	return m
}

// TestOverviewShowsWhatToPasteAndHealthPerArea: the overview gives each product kind's configuration,
// the seller's own secrets masked until revealed, and sums up each area's last exchanges.
func TestOverviewShowsWhatToPasteAndHealthPerArea(t *testing.T) {
	// The seller's own kit key differs from the one the reference seller checks: kit syncs fail.
	ref := seller.New(seller.Config{AccessKey: fixtures.DemoAccessKey, Joint: seller.DemoJoint(nil)})
	srv, api := newServer(t, ref, func(c *mock.Config) {
		c.Market.AK, c.Market.SK = "MYAKID", "my-own-sk-secret"
		c.Joint.KitKey, c.Joint.LoginCallbackURL = "my-own-kit-key", "https://seller.example/login/callback"
		c.Joint.ClientID, c.Joint.ClientSecret, c.Joint.DemoPassword = "my-client", "my-own-client-secret", "my-own-password"
		c.License.Key = "my-own-license-key"
	})
	b := newBrowser(t, srv.URL())
	body := b.get("/console/").body
	mustContain(t, "the overview", body,
		"SaaS (basic interfaces)", "Joint operation (kit interfaces)", "Login (OAuth 2.0, CAS)", "License 2.0",
		"MYAKID", "my-client", fixtures.DemoTenantID, fixtures.DemoUser, "/produceAPI/v2/",
		srv.PublicURL()+"/api/v1/oauth2/token", srv.PublicURL()+"/api/v1/oauth2/authorize", "/cas/p3/serviceValidate",
		"https://seller.example/login/callback", fixtures.DemoLicenseCodes[0], fixtures.DemoLicenseCodes[2])
	if strings.Contains(body, "my-own") {
		t.Error("the overview shows a secret of the seller's own before anyone asked")
	}
	for _, name := range []string{"SaaS callbacks", "Kit syncs", "Login (OAuth, CAS)", "License"} {
		mustContain(t, name, areaRow(t, body, name), `data-outcome="none"`, "none yet")
	}
	mustContain(t, "the revealed overview", b.get("/console/?reveal=true").body,
		"my-own-sk-secret", "my-own-kit-key", "my-own-client-secret", "my-own-password", "my-own-license-key", fixtures.DemoAccessKey)

	ctx := context.Background()
	if _, err := api.Buy(ctx, controlapi.BuyRequest{}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateTenant(ctx, controlapi.TenantRequest{Name: "Acme"}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.PostForm(srv.URL()+"/api/v1/oauth2/token", url.Values{"grant_type": {"refresh_token"},
		"client_id": {"my-client"}, "client_secret": {"wrong"}, "refresh_token": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	body = b.get("/console/").body
	mustContain(t, "SaaS callbacks", areaRow(t, body, "SaaS callbacks"), `data-outcome="pass"`, "newInstance")
	mustContain(t, "Kit syncs", areaRow(t, body, "Kit syncs"), `data-outcome="fail"`, "3 of the last 3 failed", `href="/console/journal/`)
	mustContain(t, "Login", areaRow(t, body, "Login (OAuth, CAS)"), `data-outcome="fail"`, "oauth2.token")
	mustContain(t, "License", areaRow(t, body, "License"), `data-outcome="none"`)
}
