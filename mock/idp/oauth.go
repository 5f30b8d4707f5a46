package idp

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/store"
)

// OAuth error bodies, worded as KooGallery's docs show them (spec license-login §2.3-§2.6).
const (
	msgBadClient      = "Bad client credentials"
	msgClientMismatch = "Client ID mismatch"
	msgInvalidCode    = "Invalid authorization code"
	msgInvalidRefresh = "Invalid refresh token"
	msgUnauthorized   = "Full authentication is required to access this resource"
)

// oauthError is an RFC 6749 error body.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="oauth2/client"`)
	}
	writeJSON(w, status, oauthError{Error: code, Description: desc})
}

func (p *IdP) rejectOAuth(w http.ResponseWriter, r *http.Request, v []openapi.Violation) {
	writeOAuthError(w, http.StatusBadRequest, "invalid_request", describe(v))
}

// handleAuthorize is the code flow's first leg (spec license-login §2.3): the client and redirect URI
// are checked before anything is redirected, then a browser without a session logs in first.
func (p *IdP) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	t, err := p.domainTenant(r)
	if err != nil {
		p.domainError(w, r, err)
		return
	}
	correlate(r, t.ID)
	app, err := p.Store.AppByClient(r.Context(), q.Get("client_id"))
	if err != nil || app.TenantID != t.ID {
		if err == nil {
			correlate(r, app.TenantID)
			judge(r, koomock.RuleOAuthDomain, koomock.Fail, "verdict.oauth.authorizeOtherDomain",
				app.ClientID, app.TenantID, t.ID, p.domainOf(t))
		} else {
			judge(r, koomock.RuleOAuthClient, koomock.Fail, "verdict.oauth.unknownClient", fmt.Sprintf("%q", q.Get("client_id")))
		}
		writeOAuthError(w, http.StatusBadRequest, "invalid_client", msgClientMismatch)
		return
	}
	redirect := q.Get("redirect_uri")
	if redirect != app.LoginCallbackURL {
		judge(r, koomock.RuleOAuthRedirectURI, koomock.Fail, "verdict.oauth.redirectMismatch", fmt.Sprintf("%q", redirect), fmt.Sprintf("%q", app.LoginCallbackURL))
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "redirect_uri does not match the registered callback")
		return
	}
	judge(r, koomock.RuleOAuthRedirectURI, koomock.Pass, "verdict.oauth.redirectPass")
	scope := q.Get("scope")
	if scope == "" {
		scope = DefaultScope
	}
	back := url.Values{}
	if s := q.Get("state"); s != "" {
		back.Set("state", s)
	}
	switch {
	case q.Get("response_type") != "code":
		back.Set("error", "unsupported_response_type")
		http.Redirect(w, r, withQuery(redirect, back), http.StatusFound)
		return
	case !slices.Contains(strings.Fields(scope), DefaultScope):
		back.Set("error", "invalid_scope")
		http.Redirect(w, r, withQuery(redirect, back), http.StatusFound)
		return
	}
	sess, ok := p.session(r, t)
	if !ok {
		p.loginRedirect(w, r)
		return
	}
	code, err := p.issueCode(r.Context(), t, &sess, app, redirect, scope)
	if err != nil {
		p.internal(w, err)
		return
	}
	// tenant beside code, as after the unified login: when the 开天 workbench starts the authorization
	// (workbench.go), the app learns its tenant only from the callback.
	back.Set("code", code.Token)
	back.Set("tenant", t.ID)
	http.Redirect(w, r, withQuery(redirect, back), http.StatusFound)
}

// domainError answers a call to a /t/{code} domain no tenant has, or a store failure.
func (p *IdP) domainError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errUnknownDomain) {
		judge(r, koomock.RuleOAuthDomain, koomock.Fail, "verdict.idp.noTenantDomain")
		writeOAuthError(w, http.StatusForbidden, "invalid_client", msgClientMismatch)
		return
	}
	p.internal(w, err)
}

// clientCredentials reads the client's credentials from HTTP Basic (form-urlencoded inside, RFC 6749
// §2.3.1) or the form fields.
func clientCredentials(r *http.Request) (id, secret, how string, ok bool) {
	if user, pass, basic := r.BasicAuth(); basic {
		id, errID := url.QueryUnescape(user)
		secret, errSecret := url.QueryUnescape(pass)
		if errID != nil || errSecret != nil {
			return user, pass, "HTTP Basic", true
		}
		return id, secret, "HTTP Basic", true
	}
	id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	return id, secret, "form fields", id != ""
}

// handleToken redeems an authorization code or a refresh token (spec license-login §2.4, §2.5).
func (p *IdP) handleToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "the form could not be read")
		return
	}
	t, err := p.domainTenant(r)
	if err != nil {
		p.domainError(w, r, err)
		return
	}
	correlate(r, t.ID)
	app, ok := p.authenticateClient(w, r, t)
	if !ok || p.tokenFault(w, r) {
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		p.redeemCode(w, r, t, app)
	case "refresh_token":
		p.refresh(w, r, t, app)
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
	}
}

// authenticateClient checks the client's credentials and that the client belongs to the domain's
// tenant, answering the error itself when not.
func (p *IdP) authenticateClient(w http.ResponseWriter, r *http.Request, t koomock.Tenant) (koomock.App, bool) {
	id, secret, how, ok := clientCredentials(r)
	if !ok {
		judge(r, koomock.RuleOAuthClient, koomock.Fail, "verdict.oauth.noCredentials")
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", msgBadClient)
		return koomock.App{}, false
	}
	app, err := p.Store.AppByClient(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		judge(r, koomock.RuleOAuthClient, koomock.Fail, "verdict.oauth.unknownClientBy", fmt.Sprintf("%q", id), how)
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", msgBadClient)
		return koomock.App{}, false
	} else if err != nil {
		p.internal(w, err)
		return koomock.App{}, false
	}
	correlate(r, app.TenantID)
	if !equalSecret(secret, app.ClientSecret) {
		hint := i18n.Phrase("oauth.notTheSecret")
		if _, err := base64.StdEncoding.DecodeString(secret); err == nil && len(secret) > 300 {
			hint = i18n.Phrase("oauth.encryptedSecret")
		}
		judge(r, koomock.RuleOAuthClient, koomock.Fail, "verdict.oauth.badSecret", id, how, hint)
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", msgBadClient)
		return koomock.App{}, false
	}
	if app.TenantID != t.ID {
		judge(r, koomock.RuleOAuthDomain, koomock.Fail, "verdict.oauth.tokenOtherDomain",
			id, app.TenantID, t.ID, p.domainOf(t))
		writeOAuthError(w, http.StatusForbidden, "invalid_client", msgClientMismatch)
		return koomock.App{}, false
	}
	judge(r, koomock.RuleOAuthClient, koomock.Pass, "verdict.oauth.clientPass", id, app.TenantID, how)
	judge(r, koomock.RuleOAuthDomain, koomock.Pass, "verdict.oauth.domainPass")
	return app, true
}

// tokenAnswer is the token endpoint's success body.
type tokenAnswer struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	Scope        string `json:"scope"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

func (p *IdP) redeemCode(w http.ResponseWriter, r *http.Request, t koomock.Tenant, app koomock.App) {
	codeText := r.PostForm.Get("code")
	code, err := p.Store.RedeemGrant(r.Context(), koomock.GrantCode, codeText)
	switch {
	case errors.Is(err, store.ErrUsed):
		n, _ := p.Store.RevokeFamily(r.Context(), code.Family)
		judge(r, koomock.RuleOAuthCodeReuse, koomock.Fail, "verdict.oauth.codeReused", n)
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", msgInvalidCode)
		return
	case errors.Is(err, store.ErrNotFound):
		judge(r, koomock.RuleOAuthCode, koomock.Fail, "verdict.oauth.codeNeverIssued")
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", msgInvalidCode)
		return
	case err != nil:
		p.internal(w, err)
		return
	}
	now := p.now(t)
	var why string
	switch {
	case code.Revoked:
		why = i18n.Phrase("oauth.codeRevoked")
	case !now.Before(code.ExpiresAt):
		why = i18n.Phrase("oauth.codeExpired", p.codeTTL())
	case code.ClientID != app.ClientID:
		why = i18n.Phrase("oauth.codeOtherClient", code.ClientID, app.ClientID)
	case code.TenantID != t.ID:
		why = i18n.Phrase("oauth.codeOtherDomain")
	}
	if why != "" {
		judge(r, koomock.RuleOAuthCode, koomock.Fail, "verdict.idp.why", why)
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", msgInvalidCode)
		return
	}
	if ru := r.PostForm.Get("redirect_uri"); ru != "" && ru != code.RedirectURI {
		judge(r, koomock.RuleOAuthRedirectURI, koomock.Fail, "verdict.oauth.codeRedirect", fmt.Sprintf("%q", ru), fmt.Sprintf("%q", code.RedirectURI))
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", msgInvalidCode)
		return
	}
	judge(r, koomock.RuleOAuthCode, koomock.Pass, "verdict.oauth.codePass")
	base := koomock.Grant{TenantID: t.ID, UserName: code.UserName, ClientID: app.ClientID, Scope: code.Scope, Family: code.Family, AuthAt: code.AuthAt}
	p.answerTokens(w, r, t, base, "")
}

// answerTokens issues an access token (and a refresh token unless one is given) and writes them.
func (p *IdP) answerTokens(w http.ResponseWriter, r *http.Request, t koomock.Tenant, base koomock.Grant, refresh string) {
	now := p.now(t)
	access := base
	access.Kind = koomock.GrantAccess
	access, err := p.issue(r.Context(), access, "", AccessTTL, now)
	if err != nil {
		p.internal(w, err)
		return
	}
	if refresh == "" {
		rg := base
		rg.Kind = koomock.GrantRefresh
		if rg, err = p.issue(r.Context(), rg, "", RefreshTTL, now); err != nil {
			p.internal(w, err)
			return
		}
		refresh = rg.Token
	}
	writeJSON(w, http.StatusOK, tokenAnswer{AccessToken: access.Token, TokenType: "Bearer", ExpiresIn: int64(AccessTTL.Seconds()),
		Scope: base.Scope, RefreshToken: refresh})
}

func (p *IdP) refresh(w http.ResponseWriter, r *http.Request, t koomock.Tenant, app koomock.App) {
	g, err := p.Store.Grant(r.Context(), koomock.GrantRefresh, r.PostForm.Get("refresh_token"))
	var why string
	switch {
	case errors.Is(err, store.ErrNotFound):
		why = i18n.Phrase("oauth.refreshNeverIssued")
	case err != nil:
		p.internal(w, err)
		return
	case g.Revoked:
		why = i18n.Phrase("oauth.refreshRevoked")
	case !p.now(t).Before(g.ExpiresAt):
		why = i18n.Phrase("oauth.refreshExpired")
	case g.ClientID != app.ClientID:
		why = i18n.Phrase("oauth.refreshOtherClient", g.ClientID, app.ClientID)
	}
	if why != "" {
		judge(r, koomock.RuleOAuthRefresh, koomock.Fail, "verdict.idp.why", why)
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", msgInvalidRefresh)
		return
	}
	judge(r, koomock.RuleOAuthRefresh, koomock.Pass, "verdict.oauth.refreshPass", g.UserName)
	keep := g.Token
	if p.RotateRefresh {
		g.Revoked = true
		if err := p.Store.PutGrant(r.Context(), g); err != nil {
			p.internal(w, err)
			return
		}
		keep = ""
	}
	base := koomock.Grant{TenantID: t.ID, UserName: g.UserName, ClientID: app.ClientID, Scope: g.Scope, Family: g.Family, AuthAt: g.AuthAt}
	p.answerTokens(w, r, t, base, keep)
}

// userinfoAnswer is userinfo's body (spec license-login §2.6).
type userinfoAnswer struct {
	ID       string `json:"id"`
	UserID   string `json:"userId"`
	UserName string `json:"userName"`
	// LoginName and AccName are the aPaaS variant's names for the login name (§2.6); both are sent,
	// so a seller written against either reads it.
	LoginName        string `json:"loginName"`
	AccName          string `json:"accName"`
	Name             string `json:"name"`
	Email            string `json:"email"`
	Mobile           string `json:"mobile"`
	Role             string `json:"role"`
	OrganizationName string `json:"organizationName"`
	OrganizationCode string `json:"organizationCode"`
	ProjectName      string `json:"projectName"`
	Tenant           string `json:"tenant"`
}

func (p *IdP) unauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="oauth2/userinfo", error="invalid_token"`)
	writeJSON(w, http.StatusUnauthorized, oauthError{Error: "unauthorized", Description: msgUnauthorized})
}

func (p *IdP) rejectUserinfo(w http.ResponseWriter, r *http.Request, _ []openapi.Violation) {
	p.unauthorized(w)
}

// handleUserinfo returns the user behind a bearer token.
func (p *IdP) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	t, err := p.domainTenant(r)
	if err != nil {
		if errors.Is(err, errUnknownDomain) {
			judge(r, koomock.RuleOAuthDomain, koomock.Fail, "verdict.idp.noTenantDomain")
			p.unauthorized(w)
			return
		}
		p.internal(w, err)
		return
	}
	correlate(r, t.ID)
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		judge(r, koomock.RuleOAuthAccessToken, koomock.Fail, "verdict.oauth.noBearer")
		p.unauthorized(w)
		return
	}
	g, err := p.Store.Grant(r.Context(), koomock.GrantAccess, strings.TrimSpace(token))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		p.internal(w, err)
		return
	}
	if err == nil {
		correlate(r, g.TenantID)
	}
	var why string
	switch {
	case err != nil:
		why = i18n.Phrase("oauth.accessNeverIssued")
	case g.TenantID != t.ID:
		judge(r, koomock.RuleOAuthDomain, koomock.Fail, "verdict.oauth.userinfoOtherDomain", g.TenantID, t.ID, p.domainOf(t))
		p.unauthorized(w)
		return
	case g.Revoked:
		why = i18n.Phrase("oauth.accessRevoked")
	case !p.now(t).Before(g.ExpiresAt):
		why = i18n.Phrase("oauth.accessExpired", g.ExpiresAt.Format("2006-01-02 15:04:05Z07:00"))
	}
	if why != "" {
		outcome := koomock.Fail
		if err == nil && !g.Revoked && g.TenantID == t.ID {
			// Tokens expire; a seller that then refreshes is doing what it should.
			outcome = koomock.Warn
		}
		judge(r, koomock.RuleOAuthAccessToken, outcome, "verdict.idp.why", why)
		p.unauthorized(w)
		return
	}
	u, err := p.Store.User(r.Context(), t.ID, g.UserName)
	if err != nil || !u.Authorized || u.Disabled {
		judge(r, koomock.RuleOAuthAccessToken, koomock.Fail, "verdict.oauth.userGone")
		p.unauthorized(w)
		return
	}
	judge(r, koomock.RuleOAuthAccessToken, koomock.Pass, "verdict.oauth.accessPass", g.ClientID, u.UserName)
	orgName := ""
	if o, err := p.Store.Org(r.Context(), t.ID, u.OrgCode); err == nil {
		orgName = o.Name
	}
	writeJSON(w, http.StatusOK, userinfoAnswer{ID: u.ID, UserID: u.ID, UserName: u.UserName, LoginName: u.UserName, AccName: u.UserName, Name: u.Name,
		Email: u.Email, Mobile: u.Mobile, Role: u.Role, OrganizationName: orgName, OrganizationCode: u.OrgCode,
		ProjectName: t.Name, Tenant: t.ID})
}
