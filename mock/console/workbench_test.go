package console_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
)

// TestTenantsPageLinksTheWorkbench: each tenant's row opens the 开天 workbench with its enterprise code
// filled in, and the overview shows the workbench's URL; the link leads to a working sign-in form.
func TestTenantsPageLinksTheWorkbench(t *testing.T) {
	srv, api := jointServer(t)
	res, err := api.CreateTenant(context.Background(), controlapi.TenantRequest{Name: "Acme", TenantCode: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL())
	body := b.get("/console/tenants").body
	mustContain(t, "the tenants page", body, `href="/workbench/login?tenant=`+res.Tenant.Code+`"`,
		`href="/workbench/login?tenant=`+fixtures.DemoTenantCode+`"`)
	mustContain(t, "the overview", b.get("/console/").body, srv.URL()+"/workbench/")
	if p := b.get("/workbench/login?tenant=acme"); p.status != http.StatusOK {
		t.Fatalf("the workbench link: HTTP %d\n%s", p.status, p.body)
	} else {
		mustContain(t, "the workbench sign-in", p.body, `name="tenant" value="acme"`)
	}
}
