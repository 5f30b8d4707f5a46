package console_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/koomock/koomock/controlapi"
)

// TestBrowserPagesFitDesktopWidths opens every console page, filled with real data (orders of every
// kind, their instances, callbacks and deliveries, a probe, a tenant, license codes, a debug case),
// at 1024, 1440 and 1920 px, in English and in Chinese (the language switch's cookie): no table may
// make a page wider than its window, at any of them, in either language.
func TestBrowserPagesFitDesktopWidths(t *testing.T) {
	srv, api := jointServer(t)
	ctx := context.Background()
	var orderID, instanceID string
	for _, req := range []controlapi.BuyRequest{{}, {ChargingMode: "ON_DEMAND"}, {PeriodType: "month", PeriodNumber: 3}} {
		p, err := api.Buy(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		orderID, instanceID = p.Order.ID, p.Instance.ID
	}
	e, err := api.Probe(ctx, controlapi.ProbeRequest{Activity: "refreshInstance", Probe: "tampered-signature", InstanceID: instanceID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.SaveCase(ctx, controlapi.SaveCaseRequest{ExchangeID: e.ID - 1}); err != nil {
		t.Logf("no debug case saved (%v): the cases page is checked empty", err)
	}
	tenant, err := api.CreateTenant(ctx, controlapi.TenantRequest{Name: strings.Repeat("一家名字很长的企业", 4)})
	if err != nil {
		t.Fatal(err)
	}
	codes, err := api.TestCodes(ctx, controlapi.TestCodesRequest{Count: 3})
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"/console/", "/console/orders", "/console/orders/" + url.PathEscape(orderID), "/console/instances",
		"/console/instances/" + url.PathEscape(instanceID), "/console/deliveries?status=all", "/console/journal",
		fmt.Sprintf("/console/journal/%d", e.ID), "/console/licenses", "/console/licenses/" + codes.Codes[0].Code,
		"/console/cases", "/console/tenants", "/console/tenants/" + url.PathEscape(tenant.TenantState.Tenant.ID),
		"/console/clock", "/console/faults", "/console/assets"}
	tab := newBrowserTab(t)
	for _, lang := range []string{"en", "zh-CN"} {
		// The cookie the page's language switch sets.
		tab.do("open the overview", chromedp.Navigate(srv.URL()+"/console/"))
		eval[string](tab, `document.cookie = "koomock_lang=`+lang+`; path=/"`)
		for _, width := range []int64{1024, 1440, 1920} {
			for _, path := range paths {
				tab.do(fmt.Sprintf("open %s at %d px in %s", path, width, lang),
					chromedp.EmulateViewport(width, 900),
					chromedp.Navigate(srv.URL()+path),
					chromedp.WaitVisible(chromedp.CSS("main h1")))
				if tab.spillsSideways() {
					t.Errorf("at %d px in %s %s is wider than the window", width, lang, path)
				}
			}
			tab.shot(fmt.Sprintf("assets-%d-%s", width, lang)) // the last page opened
		}
	}
}
