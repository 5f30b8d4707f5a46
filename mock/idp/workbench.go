package idp

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// WorkbenchPath is where the 开天 aPaaS enterprise workbench is mounted (spec license-login §2.8).
const WorkbenchPath = "/workbench"

// workbenchRoutes are the workbench's pages, mounted at WorkbenchPath. They are the enterprise
// user's pages, not an API a seller calls, so openapi/marketplace.yaml does not describe them; they
// are journalled like the unified login page.
func (p *IdP) workbenchRoutes() chi.Router {
	r := chi.NewRouter()
	r.With(p.journalPage(protocol.WorkbenchHome)).Get("/", p.handleWorkbenchHome)
	r.With(p.journalPage(protocol.WorkbenchForm)).Get("/login", p.handleWorkbenchForm)
	r.With(p.journalPage(protocol.WorkbenchLogin)).Post("/login", p.handleWorkbenchLogin)
	r.With(p.journalPage(protocol.WorkbenchApp)).Get("/apps/{appId}", p.handleWorkbenchApp)
	r.With(p.journalPage(protocol.WorkbenchLogout)).Post("/logout", p.handleWorkbenchLogout)
	return r
}

// journalPage journals a workbench page (not validated: it is in no OpenAPI document); an oversized
// form is answered with the message page.
func (p *IdP) journalPage(activity protocol.Activity) func(http.Handler) http.Handler {
	return p.Recorder.Middleware(activity, inbound.TooLarge(p.rejectPage))
}

// workbenchLogin is the data of the workbench's sign-in page.
type workbenchLogin struct {
	Username, Tenant, Error string
	Mobile                  bool
}

// workbenchApp is one tile of the home page: an app of the tenant, launchable or not, and why not.
type workbenchApp struct {
	AppID       string
	Unavailable string
}

// workbenchHome is the data of the home page and of the app page.
type workbenchHome struct {
	User   koomock.User
	Tenant koomock.Tenant
	Apps   []workbenchApp
	Mobile bool
	// App and Launch are the app page's: the app opened, and the authorize URL its iframe starts at.
	App    workbenchApp
	Launch string
}

// mobileView tells the H5 view (KooGallery's mobile workbench) from the PC one: a mobile user agent,
// or ?view=h5 to force it. The two differ only in layout, as KooGallery's do: the launch (authorize,
// code and tenant at the app's callback, inside an iframe) is the same.
func mobileView(r *http.Request) bool {
	if v := r.URL.Query().Get("view"); v != "" {
		return v == "h5"
	}
	ua := r.UserAgent()
	return strings.Contains(ua, "Mobile") || strings.Contains(ua, "Android") || strings.Contains(ua, "iPhone")
}

func (p *IdP) handleWorkbenchForm(w http.ResponseWriter, r *http.Request) {
	p.page(w, http.StatusOK, "workbench-login.html", workbenchLogin{Tenant: r.URL.Query().Get("tenant"), Mobile: mobileView(r)})
}

// handleWorkbenchLogin signs an enterprise user in: the identity provider's own login session, so that
// the apps the workbench launches find the user logged in, and the workbench's logout ends it.
func (p *IdP) handleWorkbenchLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		p.page(w, http.StatusBadRequest, "message.html", message{Title: "Bad request", Text: "the form could not be read"})
		return
	}
	f := workbenchLogin{Username: r.PostForm.Get("username"), Tenant: r.PostForm.Get("tenant"), Mobile: mobileView(r)}
	u, _, err := p.authenticate(r.Context(), f.Username, r.PostForm.Get("password"), "", f.Tenant)
	if err != nil {
		f.Error = err.Error()
		judge(r, koomock.RuleLoginSession, koomock.Warn, "verdict.workbench.refused", err.Error())
		p.page(w, http.StatusUnauthorized, "workbench-login.html", f)
		return
	}
	t, _, ok := p.startSession(w, r, u)
	if !ok {
		return
	}
	judge(r, koomock.RuleLoginSession, koomock.Pass, "verdict.workbench.pass", u.UserName, t.ID)
	http.Redirect(w, r, WorkbenchPath+"/", http.StatusSeeOther)
}

// workbenchSession is the signed-in user of the request, on the tenant its login session belongs to.
func (p *IdP) workbenchSession(r *http.Request) (koomock.User, koomock.Tenant, bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return koomock.User{}, koomock.Tenant{}, false
	}
	g, err := p.Store.Grant(r.Context(), koomock.GrantSession, c.Value)
	if err != nil {
		return koomock.User{}, koomock.Tenant{}, false
	}
	t, err := p.Store.Tenant(r.Context(), g.TenantID)
	if err != nil {
		return koomock.User{}, koomock.Tenant{}, false
	}
	if _, ok := p.session(r, t); !ok {
		return koomock.User{}, koomock.Tenant{}, false
	}
	u, err := p.Store.User(r.Context(), t.ID, g.UserName)
	if err != nil {
		return koomock.User{}, koomock.Tenant{}, false
	}
	correlate(r, t.ID)
	return u, t, true
}

// toSignIn sends a browser without a workbench session to the sign-in page.
func toSignIn(w http.ResponseWriter, r *http.Request) {
	target := WorkbenchPath + "/login"
	if mobileView(r) && r.URL.Query().Get("view") == "h5" {
		target += "?view=h5"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func (p *IdP) handleWorkbenchHome(w http.ResponseWriter, r *http.Request) {
	u, t, ok := p.workbenchSession(r)
	if !ok {
		toSignIn(w, r)
		return
	}
	apps, err := p.workbenchApps(r.Context(), t, u)
	if err != nil {
		p.internal(w, err)
		return
	}
	p.page(w, http.StatusOK, "workbench-home.html", workbenchHome{User: u, Tenant: t, Apps: apps, Mobile: mobileView(r)})
}

// handleWorkbenchApp opens an app in an iframe whose navigation starts the authorization on the
// tenant's domain, as KooGallery's workbench does: authorize finds the workbench's session and sends
// the frame to the app's registered callback with code and tenant. An app the user may not open is
// shown as unavailable and never launched.
func (p *IdP) handleWorkbenchApp(w http.ResponseWriter, r *http.Request) {
	u, t, ok := p.workbenchSession(r)
	if !ok {
		toSignIn(w, r)
		return
	}
	apps, err := p.workbenchApps(r.Context(), t, u)
	if err != nil {
		p.internal(w, err)
		return
	}
	h := workbenchHome{User: u, Tenant: t, Apps: apps, Mobile: mobileView(r)}
	id := chi.URLParam(r, "appId")
	for _, a := range apps {
		if a.AppID == id {
			h.App = a
		}
	}
	switch {
	case h.App.AppID == "":
		judge(r, koomock.RuleLoginSession, koomock.Warn, "verdict.workbench.noApp", id, t.ID)
		p.page(w, http.StatusNotFound, "message.html", message{Title: "No such app",
			Text: "the enterprise has no app " + id + ": its administrator has not bound it, or applicationSync removed it"})
		return
	case h.App.Unavailable != "":
		judge(r, koomock.RuleLoginSession, koomock.Warn, "verdict.workbench.unavailable", id, u.UserName, h.App.Unavailable)
		p.page(w, http.StatusForbidden, "message.html", message{Title: "App unavailable", Text: h.App.Unavailable})
		return
	}
	app, err := p.appOf(r.Context(), t, id)
	if err != nil {
		p.internal(w, err)
		return
	}
	h.Launch = p.domainPath(t) + "/api/v1/oauth2/authorize?" + url.Values{"response_type": {"code"},
		"client_id": {app.ClientID}, "redirect_uri": {app.LoginCallbackURL}, "scope": {DefaultScope}}.Encode()
	p.page(w, http.StatusOK, "workbench-app.html", h)
}

func (p *IdP) handleWorkbenchLogout(w http.ResponseWriter, r *http.Request) {
	if user, had := p.endSession(w, r); had {
		judge(r, koomock.RuleLoginLogout, koomock.Pass, "verdict.workbench.signedOut", user)
	}
	toSignIn(w, r)
}

// domainPath is the path of the tenant's domain on koomock, relative so that the iframe stays on the
// origin the browser reached the workbench at, where its session cookie is.
func (p *IdP) domainPath(t koomock.Tenant) string {
	if t.Code == fixtures.DemoTenantCode {
		return ""
	}
	return p.TenantPrefix + t.Code
}

func (p *IdP) appOf(ctx context.Context, t koomock.Tenant, appID string) (koomock.App, error) {
	apps, err := p.Store.Apps(ctx, t.ID)
	if err != nil {
		return koomock.App{}, err
	}
	for _, a := range apps {
		if a.AppID == appID {
			return a, nil
		}
	}
	return koomock.App{}, store.ErrNotFound
}

// workbenchApps lists the tenant's apps for the user. An app is launchable once its applicationSync
// and the user's authSync succeeded: the latest of each in the journal did not fail (a seeded demo
// tenant has none, and its app is launchable), and the app has a registered callback.
func (p *IdP) workbenchApps(ctx context.Context, t koomock.Tenant, u koomock.User) ([]workbenchApp, error) {
	apps, err := p.Store.Apps(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	appSync, err := p.lastSyncFailed(ctx, t.ID, protocol.ApplicationSync, "")
	if err != nil {
		return nil, err
	}
	authSync, err := p.lastSyncFailed(ctx, t.ID, protocol.AuthSync, u.UserName)
	if err != nil {
		return nil, err
	}
	var list []workbenchApp
	for _, a := range apps {
		wa := workbenchApp{AppID: a.AppID}
		switch {
		case !u.Authorized:
			wa.Unavailable = "the enterprise administrator has not authorised you for this app"
		case appSync:
			wa.Unavailable = "the seller did not accept the app's applicationSync: the app has no working credentials yet"
		case authSync:
			wa.Unavailable = "the seller did not accept the authSync that authorised you: it does not know your account yet"
		case a.LoginCallbackURL == "":
			wa.Unavailable = "the app has no registered login callback (start koomock with --login-callback-url)"
		}
		list = append(list, wa)
	}
	return list, nil
}

// lastSyncFailed reports whether the tenant's latest kit sync of an activity (naming the user, when
// given) failed.
func (p *IdP) lastSyncFailed(ctx context.Context, tenantID string, activity protocol.Activity, userName string) (bool, error) {
	list, err := p.Store.Exchanges(ctx, koomock.ExchangeFilter{Direction: koomock.Outbound, Activity: activity, TenantID: tenantID, Limit: 50})
	if err != nil {
		return false, err
	}
	for _, e := range list {
		// authSync's userList is a JSON string inside the body: the name appears with escaped quotes.
		if userName != "" && !strings.Contains(e.Request.Body, `\"`+userName+`\"`) && !strings.Contains(e.Request.Body, `"`+userName+`"`) {
			continue
		}
		return e.Failed(), nil
	}
	return false, nil
}
