package idp_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner/browser"
)

// signIn opens the workbench in b, signs in, and returns the home page.
func (e *env) signIn(t *testing.T, b *browser.Browser, user, password, tenant string) *browser.Page {
	t.Helper()
	st, err := e.api.Settings(e.ctx)
	if err != nil || st.Joint == nil || st.Joint.WorkbenchURL != e.srv.URL()+"/workbench/" {
		t.Fatalf("settings: %v, joint %+v", err, st.Joint)
	}
	page, err := b.Open(e.ctx, st.Joint.WorkbenchURL)
	if err != nil || page.URL.Path != "/workbench/login" {
		t.Fatalf("the workbench without a session: %v, ended at %v", err, page.URL)
	}
	form, err := page.Form()
	if err != nil || !form.Has("password") {
		t.Fatalf("no sign-in form: %v\n%s", err, page.Body)
	}
	page, err = b.Submit(e.ctx, form, map[string]string{"username": user, "password": password, "tenant": tenant})
	if err != nil {
		t.Fatal(err)
	}
	return page
}

// TestWorkbenchLaunchesTheApp is issue 18's "done when": a plain HTML-form client signs in at
// joint.workbenchUrl as the demo user, finds the demo app, follows its iframe to the seller's callback
// with code and tenant, redeems the code and reads userinfo with accName.
func TestWorkbenchLaunchesTheApp(t *testing.T) {
	e := newEnv(t, nil)
	b := browser.New(nil)
	home := e.signIn(t, b, fixtures.DemoUser, fixtures.DemoPassword, "")
	if home.Status != 200 || home.URL.Path != "/workbench/" || !strings.Contains(home.Body, `id="user">`+fixtures.DemoUser) {
		t.Fatalf("after sign-in: HTTP %d at %v\n%s", home.Status, home.URL, home.Body)
	}
	link, ok := home.Link(fixtures.DemoAppID)
	if !ok {
		t.Fatalf("the home page does not offer the demo app:\n%s", home.Body)
	}
	app, err := b.Open(e.ctx, link)
	if err != nil || app.Status != 200 {
		t.Fatalf("the app page: %v HTTP %d", err, app.Status)
	}
	frames := app.Frames()
	if len(frames) != 1 || !strings.Contains(frames[0], "/api/v1/oauth2/authorize?") {
		t.Fatalf("the app page frames %v, want one iframe started at authorize", frames)
	}
	inner, err := b.Open(e.ctx, frames[0])
	if err != nil || !strings.Contains(inner.Body, "callback reached") {
		t.Fatalf("the iframe ended at %v: %v", inner.URL, err)
	}
	q := e.cb.last(t)
	if q.Get("code") == "" || q.Get("tenant") != fixtures.DemoTenantID || q.Has("state") {
		t.Fatalf("the callback got %v, want code and tenant, and no state the app never sent", q)
	}
	conf := oauthConfig(e, e.srv.URL(), fixtures.DemoClientID, fixtures.DemoClientSecret, oauth2.AuthStyleInParams)
	tok, err := conf.Exchange(e.ctx, q.Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	status, body := get(t, e.srv.URL()+"/api/v1/oauth2/userinfo", tok.AccessToken)
	var info map[string]string
	json.Unmarshal([]byte(body), &info)
	if status != 200 || info["accName"] != fixtures.DemoUser || info["loginName"] != fixtures.DemoUser || info["tenant"] != fixtures.DemoTenantID {
		t.Fatalf("userinfo HTTP %d %s", status, body)
	}

	// Signing out of the workbench ends the identity provider's session: the app's next launch asks
	// for a login again.
	form, err := home.Form()
	if err != nil {
		t.Fatal(err)
	}
	out, err := b.Submit(e.ctx, form, nil)
	if err != nil || out.URL.Path != "/workbench/login" {
		t.Fatalf("sign out ended at %v: %v", out.URL, err)
	}
	again, err := b.Open(e.ctx, frames[0])
	if err != nil || !strings.Contains(again.Body, `name="password"`) {
		t.Fatalf("after signing out the iframe should meet the login form: %v\n%s", err, again.Body)
	}
}

// TestWorkbenchMobileView serves the H5 view to a mobile browser (or ?view=h5) with the same launch.
func TestWorkbenchMobileView(t *testing.T) {
	e := newEnv(t, nil)
	b := browser.New(nil)
	e.signIn(t, b, fixtures.DemoUser, fixtures.DemoPassword, "")
	for _, q := range []string{"?view=h5", ""} {
		page, err := b.Open(e.ctx, e.srv.URL()+"/workbench/apps/"+fixtures.DemoAppID+q)
		if err != nil || page.Status != 200 || len(page.Frames()) != 1 {
			t.Fatalf("app page %q: %v HTTP %d", q, err, page.Status)
		}
		if h5 := strings.Contains(page.Body, `class="h5"`); h5 != (q != "") {
			t.Errorf("app page %q: H5 layout %v", q, h5)
		}
	}
}

// TestWorkbenchTenantsAndBadInput signs a new tenant's user in with the enterprise code, launches the
// app on the tenant's own domain, and answers bad input with clear pages, never a 5xx.
func TestWorkbenchTenantsAndBadInput(t *testing.T) {
	e := newEnv(t, nil)
	res, err := e.api.CreateTenant(e.ctx, controlapi.TenantRequest{Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	ten := res.Tenant
	added, err := e.api.AuthorizeUsers(e.ctx, ten.ID, []koomock.User{{UserName: "lisi", Name: "李四"}})
	if err != nil {
		t.Fatal(err)
	}
	b := browser.New(nil)
	home := e.signIn(t, b, "lisi", added.Users[0].Password, ten.Code)
	link, ok := home.Link(fixtures.DemoAppID)
	if !ok {
		t.Fatalf("no app on the tenant's home page:\n%s", home.Body)
	}
	app, err := b.Open(e.ctx, link)
	if err != nil || len(app.Frames()) != 1 || !strings.Contains(app.Frames()[0], "/t/"+ten.Code+"/api/v1/oauth2/authorize?") {
		t.Fatalf("the app's iframe %v: want authorize on the tenant's domain (%v)", app.Frames(), err)
	}
	if _, err := b.Open(e.ctx, app.Frames()[0]); err != nil || e.cb.last(t).Get("tenant") != ten.ID {
		t.Fatalf("launch on the tenant's domain: %v, callback %v", err, e.cb.last(t))
	}
	if p, _ := b.Open(e.ctx, e.srv.URL()+"/workbench/apps/nosuch"); p.Status != http.StatusNotFound || !strings.Contains(p.Body, "No such app") {
		t.Errorf("unknown app: HTTP %d\n%s", p.Status, p.Body)
	}

	// A tenant whose app was removed shows no app; its launch page says so.
	if _, err := e.api.DeleteApp(e.ctx, ten.ID); err != nil {
		t.Fatal(err)
	}
	if p, _ := b.Open(e.ctx, e.srv.URL()+"/workbench/"); p.Status != 200 || !strings.Contains(p.Body, `id="no-apps"`) {
		t.Errorf("tenant with no app: HTTP %d\n%s", p.Status, p.Body)
	}
	if p, _ := b.Open(e.ctx, link); p.Status != http.StatusNotFound {
		t.Errorf("launching a removed app: HTTP %d", p.Status)
	}

	// A disabled user cannot sign in; a page without a session sends the browser to the sign-in form.
	if _, err := e.api.UpdateUser(e.ctx, ten.ID, koomock.User{UserName: "lisi", Name: "李四", Disabled: true}); err != nil {
		t.Fatal(err)
	}
	fresh := browser.New(nil)
	if p, _ := fresh.Open(e.ctx, link); p.URL.Path != "/workbench/login" {
		t.Errorf("app page without a session ended at %v", p.URL)
	}
	p := e.signIn(t, fresh, "lisi", added.Users[0].Password, ten.Code)
	if p.Status != http.StatusUnauthorized || !strings.Contains(p.Body, `role="alert"`) {
		t.Errorf("disabled user's sign-in: HTTP %d\n%s", p.Status, p.Body)
	}
	if list := e.journal(t, "workbench.login"); len(list) == 0 || verdict(list[0], koomock.RuleLoginSession) != koomock.Warn {
		t.Errorf("the refused sign-in's journal entry: %+v", list)
	}
}

// TestWorkbenchShowsAnUnlaunchableApp: an app without a registered callback is listed as unavailable,
// with the reason, and its page refuses to launch it.
func TestWorkbenchShowsAnUnlaunchableApp(t *testing.T) {
	e := newEnv(t, func(c *mock.Config) { c.Joint.LoginCallbackURL = "" })
	b := browser.New(nil)
	home := e.signIn(t, b, fixtures.DemoUser, fixtures.DemoPassword, "")
	if _, ok := home.Link("/workbench/apps/"); ok || !strings.Contains(home.Body, "Unavailable: the app has no registered login callback") {
		t.Fatalf("the home page should list the app as unavailable, without a link:\n%s", home.Body)
	}
	p, err := b.Open(e.ctx, e.srv.URL()+"/workbench/apps/"+fixtures.DemoAppID)
	if err != nil || p.Status != http.StatusForbidden || len(p.Frames()) != 0 || !strings.Contains(p.Body, "App unavailable") {
		t.Fatalf("launching an unavailable app: %v HTTP %d\n%s", err, p.Status, p.Body)
	}
	if list := e.journal(t, "workbench.app"); len(list) == 0 || verdict(list[0], koomock.RuleLoginSession) != koomock.Warn {
		t.Errorf("the refused launch's journal entry: %+v", list)
	}
}
