package idp

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/store"
)

// loginForm is the data of the login page.
type loginForm struct {
	Ind, AppID, ReturnTo string
	Username, Tenant     string
	Error                string
}

func (p *IdP) handleIndex(w http.ResponseWriter, r *http.Request) {
	p.page(w, http.StatusOK, "index.html", nil)
}

// handleLoginForm shows the form for the unified login (ind=UNOP, appId) or for a protocol request
// waiting for a login (return_to).
func (p *IdP) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := loginForm{Ind: q.Get("ind"), AppID: q.Get("appId"), ReturnTo: q.Get("return_to")}
	if err := checkLoginTarget(f); err != nil {
		p.page(w, http.StatusBadRequest, "message.html", message{Title: "Bad login link", Text: err.Error()})
		return
	}
	p.page(w, http.StatusOK, "login.html", f)
}

var (
	errNoTarget = errors.New("the login link names neither an app (ind=UNOP&appId=...) nor a request to return to (return_to)")
	errBadInd   = errors.New("ind must be UNOP")
	errReturnTo = errors.New("return_to must be a path on this identity provider")
)

func checkLoginTarget(f loginForm) error {
	switch {
	case f.ReturnTo != "":
		if !strings.HasPrefix(f.ReturnTo, "/") || strings.HasPrefix(f.ReturnTo, "//") || strings.Contains(f.ReturnTo, `\`) {
			return errReturnTo
		}
		return nil
	case f.AppID == "":
		return errNoTarget
	case f.Ind != "UNOP":
		return errBadInd
	}
	return nil
}

// handleLoginSubmit checks the account and password, starts the login session, and sends the browser
// on: to the app's registered callback with code and tenant (unified login), or back to the protocol
// request that asked for the login.
func (p *IdP) handleLoginSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		p.page(w, http.StatusBadRequest, "message.html", message{Title: "Bad request", Text: "the form could not be read"})
		return
	}
	f := loginForm{Ind: r.PostForm.Get("ind"), AppID: r.PostForm.Get("appId"), ReturnTo: r.PostForm.Get("return_to"),
		Username: r.PostForm.Get("username"), Tenant: r.PostForm.Get("tenant")}
	if err := checkLoginTarget(f); err != nil {
		p.page(w, http.StatusBadRequest, "message.html", message{Title: "Bad login link", Text: err.Error()})
		return
	}
	onlyTenant := f.Tenant
	if f.ReturnTo != "" {
		// The request waiting for the login is on one tenant's domain: only its users may log in.
		onlyTenant = p.returnToTenant(r.Context(), f.ReturnTo)
	}
	u, app, err := p.authenticate(r.Context(), f.Username, r.PostForm.Get("password"), f.AppID, onlyTenant)
	if err != nil {
		f.Error = err.Error()
		judge(r, koomock.RuleLoginSession, koomock.Warn, "verdict.login.refused", err.Error())
		p.page(w, http.StatusUnauthorized, "login.html", f)
		return
	}
	t, sess, ok := p.startSession(w, r, u)
	if !ok {
		return
	}
	judge(r, koomock.RuleLoginSession, koomock.Pass, "verdict.login.pass", u.UserName, t.ID)
	if f.ReturnTo != "" {
		http.Redirect(w, r, f.ReturnTo, http.StatusFound)
		return
	}
	if app.LoginCallbackURL == "" {
		p.page(w, http.StatusBadRequest, "message.html", message{Title: "No login callback",
			Text: "the app has no registered login callback; start koomock with --login-callback-url"})
		return
	}
	code, err := p.issueCode(r.Context(), t, &sess, app, app.LoginCallbackURL, DefaultScope)
	if err != nil {
		p.internal(w, err)
		return
	}
	http.Redirect(w, r, withQuery(app.LoginCallbackURL, url.Values{"code": {code.Token}, "tenant": {t.ID}}), http.StatusFound)
}

// errBadLogin is deliberately vague about which part was wrong, as login pages are.
var errBadLogin = errors.New("the account or password is wrong, or the account is not authorised for this app")

// startSession gives an authenticated user the identity provider's login session (the cookie the
// unified login page and the workbench share) and returns the user's tenant and the session; false
// when an internal error has been answered.
func (p *IdP) startSession(w http.ResponseWriter, r *http.Request, u koomock.User) (koomock.Tenant, koomock.Grant, bool) {
	correlate(r, u.TenantID)
	t, err := p.Store.Tenant(r.Context(), u.TenantID)
	if err != nil {
		p.internal(w, err)
		return t, koomock.Grant{}, false
	}
	sess, err := p.issue(r.Context(), koomock.Grant{Kind: koomock.GrantSession, TenantID: t.ID, UserName: u.UserName,
		AuthAt: p.now(t), NewLogin: true}, "", RefreshTTL, p.now(t))
	if err != nil {
		p.internal(w, err)
		return t, sess, false
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: sess.Token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return t, sess, true
}

// authenticate finds the one user the account and password name: authorised and enabled, in a tenant
// the app (appID, when given) is bound to, and in onlyTenant (ID or code) when given.
func (p *IdP) authenticate(ctx context.Context, userName, password, appID, onlyTenant string) (koomock.User, koomock.App, error) {
	users, err := p.Store.UsersNamed(ctx, userName)
	if err != nil {
		return koomock.User{}, koomock.App{}, err
	}
	type match struct {
		u koomock.User
		a koomock.App
	}
	var found []match
	for _, u := range users {
		if !u.Authorized || u.Disabled || u.Password == "" || !equalSecret(u.Password, password) {
			continue
		}
		t, err := p.Store.Tenant(ctx, u.TenantID)
		if err != nil || (onlyTenant != "" && onlyTenant != t.ID && onlyTenant != t.Code) {
			continue
		}
		apps, err := p.Store.Apps(ctx, u.TenantID)
		if err != nil {
			return koomock.User{}, koomock.App{}, err
		}
		i := slices.IndexFunc(apps, func(a koomock.App) bool { return appID == "" || a.AppID == appID })
		if i < 0 {
			continue
		}
		found = append(found, match{u, apps[i]})
	}
	switch len(found) {
	case 0:
		return koomock.User{}, koomock.App{}, errBadLogin
	case 1:
		return found[0].u, found[0].a, nil
	}
	return koomock.User{}, koomock.App{}, errors.New("this account exists in several enterprises: enter the enterprise code")
}

// returnToTenant is the tenant code of the domain a return_to path is on.
func (p *IdP) returnToTenant(ctx context.Context, returnTo string) string {
	path, _, _ := strings.Cut(returnTo, "?")
	if rest, ok := strings.CutPrefix(path, p.TenantPrefix); ok {
		code, _, _ := strings.Cut(rest, "/")
		return code
	}
	t, err := p.domainTenantCode(ctx, "")
	if err != nil {
		return "-" // matches no tenant
	}
	return t.Code
}

func (p *IdP) domainTenantCode(ctx context.Context, code string) (koomock.Tenant, error) {
	r, _ := http.NewRequestWithContext(context.WithValue(ctx, domainKey{}, code), http.MethodGet, "/", nil)
	return p.domainTenant(r)
}

// session returns the browser's login session on tenant t, if it has a live one.
func (p *IdP) session(r *http.Request, t koomock.Tenant) (koomock.Grant, bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return koomock.Grant{}, false
	}
	g, err := p.Store.Grant(r.Context(), koomock.GrantSession, c.Value)
	if err != nil || g.Revoked || g.TenantID != t.ID || !p.now(t).Before(g.ExpiresAt) {
		return koomock.Grant{}, false
	}
	u, err := p.Store.User(r.Context(), t.ID, g.UserName)
	if err != nil || !u.Authorized || u.Disabled {
		return koomock.Grant{}, false
	}
	return g, true
}

// endSession deletes the browser's login session and its cookie; it reports the user it belonged to.
func (p *IdP) endSession(w http.ResponseWriter, r *http.Request) (string, bool) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return "", false
	}
	g, err := p.Store.Grant(r.Context(), koomock.GrantSession, c.Value)
	if errors.Is(err, store.ErrNotFound) || err != nil {
		return "", false
	}
	p.Store.DeleteGrant(r.Context(), c.Value)
	return g.UserName, true
}

// loginRedirect sends a browser without a session to the login form, to come back to this request.
func (p *IdP) loginRedirect(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/unified-login/portal-login?"+url.Values{"return_to": {r.RequestURI}}.Encode(), http.StatusFound)
}

// issueCode issues an authorization code for the session's user; the session stops counting as a new
// login.
func (p *IdP) issueCode(ctx context.Context, t koomock.Tenant, sess *koomock.Grant, app koomock.App, redirectURI, scope string) (koomock.Grant, error) {
	code, err := p.issue(ctx, koomock.Grant{Kind: koomock.GrantCode, TenantID: t.ID, UserName: sess.UserName, ClientID: app.ClientID,
		RedirectURI: redirectURI, Scope: scope, AuthAt: sess.AuthAt}, "", p.codeTTL(), p.now(t))
	if err != nil {
		return code, err
	}
	if sess.NewLogin {
		sess.NewLogin = false
		err = p.Store.PutGrant(ctx, *sess)
	}
	return code, err
}

func (p *IdP) internal(w http.ResponseWriter, err error) {
	if p.Logger != nil {
		p.Logger.Error("identity provider", "err", err)
	}
	p.page(w, http.StatusInternalServerError, "message.html", message{Title: "Error", Text: "koomock failed to handle the request; its log has the details"})
}
