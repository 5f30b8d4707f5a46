package console_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/examples/seller"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
)

// jointServer starts koomock with the kit configured, against the reference seller with its kit
// interfaces on: kit syncs are signed with the demo kit key and answered.
func jointServer(t *testing.T) (*mock.Server, *controlapi.Client) {
	t.Helper()
	ref := seller.New(seller.Config{AccessKey: fixtures.DemoAccessKey, Joint: seller.DemoJoint(nil)})
	return newServer(t, ref, func(c *mock.Config) {
		c.Joint.KitKey, c.Joint.LoginCallbackURL = fixtures.DemoKitKey, "https://seller.example/login/callback"
	})
}

var sentParam = regexp.MustCompile(`^/console/tenants/([^?]+)\?sent=([0-9%C,]+)$`)

// change posts a tenant action and returns the tenant's page it leads to, failing unless it redirected
// there with the exchanges it sent.
func change(t *testing.T, b *browser, action string, form url.Values) page {
	t.Helper()
	got := b.post("/console/actions/"+action, form)
	if got.status != http.StatusSeeOther || !sentParam.MatchString(got.location) {
		t.Fatalf("%s: HTTP %d to %q, want the tenant's page with what it sent\n%s", action, got.status, got.location, got.body)
	}
	p := b.get(got.location)
	if p.status != http.StatusOK {
		t.Fatalf("%s: the tenant's page: HTTP %d\n%s", action, p.status, p.body)
	}
	return p
}

// sentSection is the "What the change sent" card of a page.
func sentSection(t *testing.T, p page) string {
	t.Helper()
	_, rest, ok := strings.Cut(p.body, `id="kit-change"`)
	if !ok {
		t.Fatal("the page does not show what the change sent")
	}
	s, _, _ := strings.Cut(rest, "</section>")
	return s
}

// TestTenantPagesDriveTheKit creates a tenant from the console and changes everything the tenant page
// offers, each change showing the kit syncs it sent with their verdicts.
func TestTenantPagesDriveTheKit(t *testing.T) {
	srv, api := jointServer(t)
	ctx := context.Background()
	b := newBrowser(t, srv.URL())
	mustContain(t, "the tenants page", b.get("/console/tenants").body, "Create the tenant", fixtures.DemoTenantID)

	got := b.post("/console/actions/tenant-create", url.Values{"name": {"Acme <b>Corp</b>"}, "tenantCode": {"acme"}, "testFlag": {"1"}})
	m := sentParam.FindStringSubmatch(got.location)
	if got.status != http.StatusSeeOther || m == nil {
		t.Fatalf("create: HTTP %d to %q\n%s", got.status, got.location, got.body)
	}
	id, _ := url.PathUnescape(m[1])
	st, err := api.Tenant(ctx, id)
	if err != nil || st.Tenant.Name != "Acme <b>Corp</b>" || st.Tenant.Code != "acme" || st.Tenant.TestFlag != 1 || st.App == nil {
		t.Fatalf("the tenant created: %+v, %v", st, err)
	}
	p := b.get(got.location)
	sent := sentSection(t, p)
	mustContain(t, "what creating sent", sent, "tenantSync", "applicationSync", "allOrgSync", `data-outcome="pass"`, `href="/console/journal/`)
	if strings.Contains(sent, `data-outcome="fail"`) {
		t.Errorf("a kit sync failed against the reference seller:\n%s", sent)
	}
	mustContain(t, "the tenant page", p.body, "Acme &lt;b&gt;Corp&lt;/b&gt;", st.App.ClientID, "/t/acme", "Exchanges about this tenant")
	if strings.Contains(p.body, "<b>Corp</b>") {
		t.Error("the tenant's name is not escaped")
	}
	root := st.Orgs[0].Code

	p = change(t, b, "org-put", url.Values{"tenantId": {id}, "orgCode": {"SALES"}, "orgName": {"Sales"}, "parentCode": {root}})
	mustContain(t, "adding a department", sentSection(t, p), "singleOrgSync")
	if !regexp.MustCompile(`data-org="` + root + `"[\s\S]*<ul>\s*<li data-org="SALES">`).MatchString(p.body) {
		t.Error("the new department is not under its parent in the tree")
	}
	change(t, b, "org-put", url.Values{"tenantId": {id}, "orgCode": {"SALES"}, "orgName": {"Sales and marketing"}, "parentCode": {root}})

	p = change(t, b, "user-authorize", url.Values{"tenantId": {id}, "userName": {"lisi"}, "name": {"李四"}, "orgCode": {"SALES"},
		"role": {"admin"}, "password": {"pw-lisi-123"}, "employeeType": {"2"}, "email": {"lisi@example.com"}})
	mustContain(t, "authorising", sentSection(t, p), "authSync", `data-outcome="pass"`)
	mustContain(t, "the users", p.body, `data-user="lisi"`, "李四", "authorised")
	if st, _ = api.Tenant(ctx, id); len(st.Users) != 1 || st.Users[0].OrgCode != "SALES" || st.Users[0].Role != "admin" || st.Users[0].EmployeeType != 2 || !st.Users[0].Authorized {
		t.Errorf("users after authorising: %+v", st.Users)
	}

	p = change(t, b, "user-update", url.Values{"tenantId": {id}, "userName": {"lisi"}, "name": {"Li Si"}, "orgCode": {"SALES"}, "role": {"user"}, "disabled": {"true"}})
	mustContain(t, "disabling", p.body, "Li Si", "disabled")
	change(t, b, "user-deauthorize", url.Values{"tenantId": {id}, "userName": {"lisi"}})
	if st, _ = api.Tenant(ctx, id); len(st.Users) != 1 || st.Users[0].Authorized {
		t.Errorf("after deauthorising: %+v", st.Users)
	}
	change(t, b, "user-delete", url.Values{"tenantId": {id}, "userName": {"lisi"}})
	change(t, b, "org-delete", url.Values{"tenantId": {id}, "orgCode": {"SALES"}})
	if st, _ = api.Tenant(ctx, id); len(st.Users) != 0 || len(st.Orgs) != 1 {
		t.Errorf("after deleting the user and the department: %+v", st)
	}

	secret := st.App.ClientSecret
	p = change(t, b, "app-update", url.Values{"tenantId": {id}, "rotateSecret": {"true"}, "casServiceUrl": {"https://seller.example/cas"}})
	mustContain(t, "updating the app", sentSection(t, p), "applicationSync")
	if st, _ = api.Tenant(ctx, id); st.App.CASServiceURL != "https://seller.example/cas" {
		t.Errorf("app after the update: %+v (secret was %s)", st.App, secret)
	}
	p = change(t, b, "tenant-rename", url.Values{"tenantId": {id}, "name": {"Acme"}})
	mustContain(t, "renaming", p.body, "Tenant Acme")
	p = change(t, b, "tenant-resync", url.Values{"tenantId": {id}})
	mustContain(t, "resyncing", sentSection(t, p), "tenantSync", "applicationSync", "allOrgSync")
	change(t, b, "app-delete", url.Values{"tenantId": {id}})
	mustContain(t, "the app unbound", b.get("/console/tenants/"+id).body, "No app is bound")

	got = b.post("/console/actions/tenant-delete", url.Values{"tenantId": {id}})
	if got.status != http.StatusSeeOther || !strings.HasPrefix(got.location, "/console/tenants?sent=") {
		t.Fatalf("delete: HTTP %d to %q", got.status, got.location)
	}
	p = b.get(got.location)
	mustContain(t, "the tenants page after deleting", sentSection(t, p), "tenantSync")
	if strings.Contains(p.body, `data-tenant="`+id+`"`) {
		t.Error("the deleted tenant is still listed")
	}
	if list, _ := api.Exchanges(ctx, koomock.ExchangeFilter{FailedOnly: true}); len(list) != 0 {
		t.Errorf("%d failed exchanges against the reference seller, first %+v", len(list), list[0].Verdicts)
	}
}

// TestRefusedTenantActionsShowTheControlAPIMessage: the kit's refusals reach the person as an error
// page with the control API's message and status.
func TestRefusedTenantActionsShowTheControlAPIMessage(t *testing.T) {
	srv, _ := jointServer(t)
	b := newBrowser(t, srv.URL())
	b.get("/console/tenants")
	demo := fixtures.DemoTenantID
	tests := []struct {
		action string
		form   url.Values
		status int
		want   string
	}{
		{"user-authorize", url.Values{"tenantId": {demo}, "userName": {"x"}, "role": {"boss"}}, 400, "role is user or admin"},
		{"user-authorize", url.Values{"tenantId": {demo}, "userName": {"x"}, "employeeType": {"many"}}, 400, "employeeType must be a whole number"},
		{"user-authorize", url.Values{"tenantId": {demo}, "userName": {"x"}, "orgCode": {"NOPE"}}, 400, "department NOPE does not exist"},
		{"user-delete", url.Values{"tenantId": {demo}, "userName": {"nobody"}}, 404, "has no user nobody"},
		{"org-put", url.Values{"tenantId": {demo}, "orgCode": {"A"}, "orgName": {"A"}, "parentCode": {"NOPE"}}, 400, "parent department NOPE does not exist"},
		{"org-delete", url.Values{"tenantId": {demo}, "orgCode": {"NOPE"}}, 404, "has no department NOPE"},
		{"tenant-rename", url.Values{"tenantId": {demo}, "name": {""}}, 400, "name is 1 to 255 characters"},
		{"tenant-rename", url.Values{"name": {"x"}}, 400, "name the tenant"},
		{"tenant-resync", url.Values{"tenantId": {"T-NOPE"}}, 404, "T-NOPE"},
		{"app-update", url.Values{"tenantId": {demo}, "loginCallbackUrl": {"not a url"}}, 400, "is not an absolute http(s) URL"},
	}
	for _, tt := range tests {
		got := b.post("/console/actions/"+tt.action, tt.form)
		if got.status != tt.status || !strings.Contains(got.body, tt.want) {
			t.Errorf("%s %v: HTTP %d, want %d with %q:\n%s", tt.action, tt.form, got.status, tt.status, tt.want, got.body)
		}
	}
	for path, status := range map[string]int{"/console/tenants/T-NOPE": 404, "/console/tenants?sent=x": 400, "/console/tenants?sent=999": 404} {
		if got := b.get(path); got.status != status || !strings.Contains(got.body, "That did not work") {
			t.Errorf("GET %s: HTTP %d, want %d with an error page", path, got.status, status)
		}
	}

	// Without a kit key koomock cannot sign kit syncs: creating a tenant is refused, and says why.
	plain, _ := newServer(t, nil, nil)
	b = newBrowser(t, plain.URL())
	b.get("/console/tenants")
	if got := b.post("/console/actions/tenant-create", url.Values{"name": {"Acme"}}); got.status != http.StatusConflict || !strings.Contains(got.body, "no kit key") {
		t.Errorf("create without a kit key: HTTP %d\n%s", got.status, got.body)
	}
}

// paritySetup makes what the tenant actions' sample forms in TestEveryActionHasItsControlAPITwin
// change: a tenant with a user and a department to delete, and a tenant to delete. It returns the
// first tenant's ID.
func paritySetup(t *testing.T, api *controlapi.Client) string {
	t.Helper()
	ctx := context.Background()
	res, err := api.CreateTenant(ctx, controlapi.TenantRequest{TenantID: "T-PARITY", Name: "Parity"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateTenant(ctx, controlapi.TenantRequest{TenantID: "T-PARITY-DELETE", Name: "Parity, deleted"}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.AuthorizeUsers(ctx, res.Tenant.ID, []koomock.User{{UserName: "zhaoliu"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.PutOrg(ctx, res.Tenant.ID, koomock.Org{Code: "OLD", Name: "Old"}); err != nil {
		t.Fatal(err)
	}
	return res.Tenant.ID
}
