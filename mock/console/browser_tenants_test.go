package console_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCreateTenantAndAuthoriseUser is a joint-operation seller's first minutes: create a
// tenant, see the tenantSync, applicationSync and allOrgSync it sent pass against the reference
// seller, open one, come back, add a department and authorise a user in it.
func TestBrowserCreateTenantAndAuthoriseUser(t *testing.T) {
	srv, _ := jointServer(t)
	b := newBrowserTab(t)
	b.do("open the tenants page",
		chromedp.Navigate(srv.URL()+"/console/tenants"),
		chromedp.WaitVisible(chromedp.ID("create-tenant")))
	b.shot("tenants")
	b.do("create a tenant",
		chromedp.SendKeys(chromedp.ID("tenant-name"), "Acme <Widgets>"),
		chromedp.Click(chromedp.ID("create-tenant-button")),
		chromedp.WaitVisible(chromedp.CSS(`#kit-change tr[data-outcome="pass"]`)))
	sent := b.text("#kit-change tbody")
	for _, sync := range []string{"tenantSync", "applicationSync", "allOrgSync"} {
		if !strings.Contains(sent, sync) {
			t.Errorf("the change's exchanges %q lack %s", sent, sync)
		}
	}
	if n := eval[int](b, `document.querySelectorAll('#kit-change tr[data-outcome="pass"]').length`); n != 3 {
		t.Errorf("%d passing kit syncs, want 3", n)
	}
	if h1 := b.text("h1"); !strings.Contains(h1, "Acme <Widgets>") {
		t.Errorf("the tenant's heading %q", h1)
	}
	b.shot("tenant-created")

	// The change's exchanges are listed in the order they were sent: tenantSync first.
	tenantPage := eval[string](b, `location.pathname`)
	b.do("open the tenantSync exchange",
		chromedp.Click(chromedp.CSS(`#kit-change tbody tr:first-child a`)),
		chromedp.WaitVisible(chromedp.ID("request-body")))
	if body := b.text("#request-body"); !strings.Contains(body, "Acme <Widgets>") {
		t.Errorf("the first sync's body %q does not carry the tenant's name", body)
	}
	b.do("go back to the tenant", chromedp.Navigate(srv.URL()+tenantPage), chromedp.WaitVisible(chromedp.ID("add-org")))

	b.do("add a department",
		chromedp.SendKeys(chromedp.CSS(`#add-org input[name="orgCode"]`), "SALES"),
		chromedp.SendKeys(chromedp.CSS(`#add-org input[name="orgName"]`), "Sales"),
		chromedp.Submit(chromedp.ID("add-org")),
		chromedp.WaitVisible(chromedp.CSS(`#org-tree li[data-org="SALES"]`)))

	b.do("authorise a user",
		chromedp.SendKeys(chromedp.ID("new-user"), "lisi"),
		chromedp.SetValue(chromedp.CSS(`#authorize select[name="orgCode"]`), "SALES"),
		chromedp.Click(chromedp.ID("authorize-button")),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-user="lisi"]`)))
	if row := b.text(`tr[data-user="lisi"]`); !strings.Contains(row, "authorised") || !strings.Contains(row, "SALES") {
		t.Errorf("the user's row %q", row)
	}
	if sent := b.text("#kit-change tbody"); !strings.Contains(sent, "authSync") || !strings.Contains(sent, "pass") {
		t.Errorf("authorising sent %q", sent)
	}
	b.shot("user-authorised")

	b.fitsNarrow(srv.URL(), strings.TrimPrefix(b.location(), srv.URL()), "/console/tenants", "/console/",
		"/console/cases", "/console/faults", "/console/clock", "/console/journal")
	b.shot("narrow")
}
