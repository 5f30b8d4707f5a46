package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
)

func TestEveryPageRenders(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	ctx := context.Background()
	p, err := api.Buy(ctx, controlapi.BuyRequest{PeriodType: koomock.PeriodMonth})
	if err != nil {
		t.Fatal(err)
	}
	probe, err := api.Probe(ctx, controlapi.ProbeRequest{Activity: "newInstance", Probe: "stale-timestamp"})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL())
	if got := b.get("/"); got.status != http.StatusSeeOther || got.location != "/console/" {
		t.Errorf("GET / answers %d to %q, want a redirect to the console", got.status, got.location)
	}
	pages := []struct {
		path string
		want []string
	}{
		{"/console/", []string{"Paste into your service", "&lt;key:", p.Order.ID, "newInstance"}},
		{"/console/orders", []string{"Buy", "Tampered signature", p.Order.ID, p.Instance.ID, "delivered"}},
		{"/console/orders/" + p.Order.ID, []string{p.Instance.ID, "active", "Resend newInstance", fmt.Sprintf("#%d", p.Exchange.ID)}},
		{"/console/instances", []string{p.Instance.ID, "active", "Query the checked instances"}},
		{"/console/instances/" + p.Instance.ID, []string{"State", p.Order.ID, `id="act-renew"`, `id="act-release"`, `id="act-query"`, fmt.Sprintf("#%d", p.Exchange.ID)}},
		{fmt.Sprintf("/console/instances/%s?done=query&x=%d", p.Instance.ID, p.Exchange.ID), []string{"Query the instance: what happened", "Your service's answer"}},
		{"/console/deliveries", []string{"Deliveries and retries", "No delivery here."}},
		{"/console/deliveries?status=all", []string{"newInstance", "delivered"}},
		{"/console/journal", []string{fmt.Sprintf("#%d", p.Exchange.ID), fmt.Sprintf("#%d", probe.ID), "probe: stale-timestamp"}},
		{"/console/journal?direction=outbound&activity=newInstance&failed=true&order=" + p.Order.ID, []string{"No exchange matches."}},
		{fmt.Sprintf("/console/journal/%d", p.Exchange.ID), []string{
			"curl -sS", "String to sign", "&lt;key:", "newInstance.instanceId", "resultCode", "Resend newInstance for this order",
		}},
		{fmt.Sprintf("/console/journal/%d", probe.ID), []string{"probe.refused", "curl -sS"}},
		{"/console/clock", []string{"virtual", "2026-11-27 08:00:00.000 UTC", "+30d"}},
		{"/console/faults", []string{"No fault is on", "seller-unreachable", "callback-duplicate", "oauth-token-error"}},
		{"/console/tenants", []string{"Create the tenant", fixtures.DemoTenantID}},
		{"/console/tenants/" + fixtures.DemoTenantID, []string{fixtures.DemoClientID, fixtures.DemoUser, fixtures.DemoOrgName, "Authorise"}},
	}
	pages = append(pages, caseAndLicensePages(t, api, p)...)
	for _, pg := range pages {
		t.Run(pg.path, func(t *testing.T) {
			got := b.get(pg.path)
			if got.status != http.StatusOK || !strings.HasPrefix(got.header.Get("Content-Type"), "text/html") {
				t.Fatalf("HTTP %d %s:\n%s", got.status, got.header.Get("Content-Type"), got.body)
			}
			mustContain(t, pg.path, got.body, pg.want...)
			// html/template writes ZgotmplZ where it refused an unsafe value: a template bug.
			if strings.Contains(got.body, "ZgotmplZ") {
				t.Errorf("%s has a value html/template refused (ZgotmplZ)", pg.path)
			}
			if csp := got.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("Content-Security-Policy %q", csp)
			}
		})
	}
	for path, status := range map[string]int{
		"/console/orders/CSNOPE":                                     http.StatusNotFound,
		"/console/instances/NOPE":                                    http.StatusNotFound,
		"/console/deliveries?status=lost":                            http.StatusBadRequest,
		"/console/instances/" + p.Instance.ID + "?done=renew&x=many": http.StatusBadRequest,
		"/console/journal/999":                                       http.StatusNotFound,
		"/console/nothing":                                           http.StatusNotFound,
		"/console/journal?limit=x":                                   http.StatusBadRequest,
	} {
		if got := b.get(path); got.status != status || !strings.Contains(got.body, "That did not work") {
			t.Errorf("GET %s: HTTP %d, want %d with an error page:\n%s", path, got.status, status, got.body)
		}
	}
}

func TestRevealShowsTheKeyOnlyWhenAsked(t *testing.T) {
	srv, _ := newServer(t, nil, func(c *mock.Config) {
		c.Market.AccessKey, c.Market.AK, c.Market.SK = "my-very-own-secret-key", "MYAKID", "my-very-own-secret-sk"
	})
	b := newBrowser(t, srv.URL())
	if got := b.get("/console/"); strings.Contains(got.body, "my-very-own-secret") || !strings.Contains(got.body, "MYAKID") {
		t.Error("the overview shows a secret before anyone asked, or not the AK")
	}
	mustContain(t, "the revealed overview", b.get("/console/?reveal=true").body, "my-very-own-secret-key", "my-very-own-secret-sk")
}

func TestActionsDriveKoomock(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	b := newBrowser(t, srv.URL())
	b.get("/console/orders")
	ctx := context.Background()

	got := b.post("/console/actions/buy", url.Values{"chargingMode": {"PERIOD"}, "periodType": {"day"}, "periodNumber": {"3"}, "testFlag": {"1"}})
	orders, err := api.Orders(ctx, 0)
	if err != nil || len(orders) != 1 {
		t.Fatalf("orders after buying: %+v, %v", orders, err)
	}
	o := orders[0]
	if got.status != http.StatusSeeOther || got.location != "/console/orders/"+o.ID {
		t.Fatalf("buy answered %d to %q", got.status, got.location)
	}
	if o.PeriodType != koomock.PeriodDay || o.PeriodNumber != 3 || o.TestFlag != "1" || o.Status != koomock.OrderDelivered {
		t.Errorf("bought %+v", o)
	}
	b.post("/console/actions/buy", url.Values{"chargingMode": {"ON_DEMAND"}, "periodType": {"year"}, "periodNumber": {"1"}})
	if orders, _ = api.Orders(ctx, 0); len(orders) != 2 || orders[0].ChargingMode != koomock.ChargingOnDemand || orders[0].PeriodType != "" {
		t.Errorf("an on-demand order from the form, whose period fields are always sent: %+v", orders[0])
	}

	if got := b.post("/console/actions/resend", url.Values{"orderId": {o.ID}}); got.location != "/console/orders/"+o.ID {
		t.Errorf("resend answered %d to %q", got.status, got.location)
	}
	if list, _ := api.Exchanges(ctx, koomock.ExchangeFilter{OrderID: o.ID}); len(list) != 2 {
		t.Errorf("%d exchanges for the order after a resend, want 2", len(list))
	}

	got = b.post("/console/actions/replay", url.Values{"exchangeId": {"1"}})
	replayed, _ := api.Exchanges(ctx, koomock.ExchangeFilter{Limit: 1})
	if len(replayed) != 1 || replayed[0].ID != 4 || replayed[0].OrderID != o.ID || got.location != "/console/journal/4" {
		t.Errorf("replay: %d to %q, journal %+v", got.status, got.location, replayed)
	}

	got = b.post("/console/actions/probe", url.Values{"activity": {"newInstance"}, "probe": {"missing-field:"}, "field": {"orderId"}})
	last, _ := api.Exchanges(ctx, koomock.ExchangeFilter{Limit: 1})
	if len(last) != 1 || last[0].Probe != "missing-field:orderId" || got.location != fmt.Sprintf("/console/journal/%d", last[0].ID) {
		t.Errorf("probe: %d to %q, journal %+v", got.status, got.location, last)
	}

	b.post("/console/actions/clock", url.Values{"mode": {"real"}})
	if c, _ := api.Clock(ctx); c.Virtual {
		t.Error("the clock is still virtual")
	}
	b.post("/console/actions/clock", url.Values{"mode": {"virtual"}, "now": {"2027-01-01T00:00:00Z"}})
	got = b.post("/console/actions/advance", url.Values{"by": {"30d"}, "back": {"/console/"}})
	if c, _ := api.Clock(ctx); !c.Virtual || c.Now.Format("2006-01-02") != "2027-01-31" || got.location != "/console/" {
		t.Errorf("clock %+v after advancing; redirect to %q", c, got.location)
	}
	if got := b.post("/console/actions/advance", url.Values{"by": {"1d"}, "back": {"https://evil.example/"}}); got.location != "/console/clock" {
		t.Errorf("an action followed a back link off the console: %q", got.location)
	}
}

// TestRefusedActionsShowTheControlAPIMessage checks a bad form gets the control API's own message as
// an error page with its status, and changes nothing.
func TestRefusedActionsShowTheControlAPIMessage(t *testing.T) {
	srv, api := newServer(t, nil, nil)
	b := newBrowser(t, srv.URL())
	b.get("/console/orders")
	tests := []struct {
		action string
		form   url.Values
		status int
		want   string
	}{
		{"buy", url.Values{"periodType": {"century"}}, 400, "periodType must be year, month or day"},
		{"buy", url.Values{"periodNumber": {"many"}}, 400, "periodNumber must be a whole number"},
		{"resend", url.Values{"orderId": {"CSNOPE"}}, 404, "order CSNOPE does not exist"},
		{"probe", url.Values{"activity": {"newInstance"}, "probe": {"gremlins"}}, 400, "unknown probe"},
		{"advance", url.Values{"by": {"soon"}}, 400, "duration must be"},
		{"clock", url.Values{"mode": {"virtual"}, "now": {"tomorrow"}}, 400, "the time must look like"},
		{"replay", url.Values{"exchangeId": {"x"}}, 400, "exchangeId must be an ID"},
		{"replay", url.Values{"exchangeId": {"99"}}, 404, "exchange 99 does not exist"},
		{"launch", nil, 404, "no action"},
	}
	for _, tt := range tests {
		got := b.post("/console/actions/"+tt.action, tt.form)
		if got.status != tt.status || !strings.Contains(got.body, tt.want) {
			t.Errorf("%s %v: HTTP %d, want %d with %q:\n%s", tt.action, tt.form, got.status, tt.status, tt.want, got.body)
		}
	}
	if orders, _ := api.Orders(context.Background(), 0); len(orders) != 0 {
		t.Errorf("refused forms placed orders: %+v", orders)
	}
}

func TestOverviewAndOrderPageShowAFailingSeller(t *testing.T) {
	srv, api := newServer(t, noInstanceSeller, nil)
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	// KooGallery retries the purchase for 3 hours, then cancels the order.
	if _, err := api.Advance(context.Background(), "4h"); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL())
	mustContain(t, "the overview", b.get("/console/").body, "of the last exchanges broke a KooGallery rule", "newInstance.instanceId")
	mustContain(t, "the order page", b.get("/console/orders/"+p.Order.ID).body, "has not created an instance", "failed")
}

// TestExchangeViewShowsTheSignatureDiagnosis: a seller refusing a correct callback with 000001 and
// signing its answer wrongly gets both diagnoses on the exchange's page, with no key in sight.
func TestExchangeViewShowsTheSignatureDiagnosis(t *testing.T) {
	srv, api := newServer(t, refusingSeller, nil)
	p, err := api.Buy(context.Background(), controlapi.BuyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	body := newBrowser(t, srv.URL()).get(fmt.Sprintf("/console/journal/%d", p.Exchange.ID)).body
	mustContain(t, "the exchange page", body, "Why the signature does not match (v2-basic)",
		"Likely causes in your verifier", "comparing case-sensitively",
		"Why the signature does not match (body-sign)", `data-mistake="body-sign-mismatch"`, "What koomock expected")
	if strings.Contains(body, fixtures.DemoAccessKey) {
		t.Error("the exchange page shows the access key")
	}
}
