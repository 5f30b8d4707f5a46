package seller

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The login web app of the reference seller (spec license-login §2.8): the login starts at KooGallery's
// unified login page (or the tenant's CAS login), comes back with code and tenant (or a ticket), and
// the seller looks the tenant's domain and client up from the kit syncs, never hard-coded, redeems the
// code once, reads userinfo and keeps a session of its own, refreshing the access token before it
// expires.
const (
	// LoginPath starts the login; CallbackPath is the registered OAuth callback and CAS service.
	LoginPath    = "/login"
	CallbackPath = "/login/callback"
	CASLoginPath = "/cas/login"
	MePath       = "/me"
	LogoutPath   = "/logout"
	// SessionCookie carries the seller's own session.
	SessionCookie = "seller_session"
)

// session is a logged-in user of the seller's web app.
type session struct {
	TenantID     string
	UserName     string
	Name         string
	AccessToken  string
	RefreshToken string
	// Expires is when the access token expires, on the seller's clock.
	Expires time.Time
	// CAS sessions carry no tokens.
	CAS bool
}

var mePage = template.Must(template.New("me").Parse(`<!doctype html><html><head><meta charset="utf-8"><title>Reference seller</title></head><body>
<h1>Logged in as <span id="user">{{.UserName}}</span></h1><p>{{.Name}} of tenant {{.TenantID}}</p>
<p><a href="/logout">Log out</a></p></body></html>`))

// loggedOutPage tells the user why the web app has no session for them, with the way back in: a
// refused code or refresh token is the identity provider's answer, not an error of the web app.
var loggedOutPage = template.Must(template.New("out").Parse(`<!doctype html><html><head><meta charset="utf-8"><title>Reference seller</title></head><body>
<h1>{{.Title}}</h1><p id="reason">{{.Reason}}</p>
<p><a href="/login">Log in again</a></p></body></html>`))

// notLoggedIn answers the browser with loggedOutPage.
func notLoggedIn(w http.ResponseWriter, title, reason string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	loggedOutPage.Execute(w, struct{ Title, Reason string }{title, reason})
}

func (j *joint) mountLogin(mux *http.ServeMux) {
	mux.HandleFunc("GET "+LoginPath, j.handleLogin)
	mux.HandleFunc("GET "+CallbackPath, j.handleCallback)
	mux.HandleFunc("GET "+CASLoginPath, j.handleCASLogin)
	mux.HandleFunc("GET "+MePath, j.handleMe)
	mux.HandleFunc("GET "+LogoutPath, j.handleLogout)
	mux.HandleFunc("GET /logged-out", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<!doctype html><p>Logged out.</p>")
	})
}

// origin is the seller's own base URL as the browser reached it.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (j *joint) handleLogin(w http.ResponseWriter, r *http.Request) {
	base := ""
	if j.cfg.Joint.LoginURL != nil {
		base = j.cfg.Joint.LoginURL()
	}
	if base == "" {
		// koomock serves the unified login page where it serves the tenants' domains.
		j.mu.Lock()
		base = j.idpOrigin
		j.mu.Unlock()
	}
	if base == "" {
		http.Error(w, "no unified login URL configured, and no tenantSync seen yet", http.StatusServiceUnavailable)
		return
	}
	u := strings.TrimSuffix(base, "/") + "/unified-login/portal-login?" +
		url.Values{"ind": {"UNOP"}, "appId": {j.cfg.Joint.AppID}}.Encode()
	http.Redirect(w, r, u, http.StatusFound)
}

// casService is the service URL of a tenant: the registered callback, with the tenant in the query.
func casService(r *http.Request, tenantID string) string {
	return origin(r) + CallbackPath + "?" + url.Values{"tenant": {tenantID}}.Encode()
}

func (j *joint) handleCASLogin(w http.ResponseWriter, r *http.Request) {
	t, ok := j.tenant(r.URL.Query().Get("tenant"))
	if !ok {
		http.Error(w, "unknown tenant: no tenantSync for it", http.StatusNotFound)
		return
	}
	http.Redirect(w, r, t.Domain+"/api/v1/cas/login?"+url.Values{"service": {casService(r, t.ID)}}.Encode(), http.StatusFound)
}

// handleCallback finishes either login: OAuth (code and tenant) or CAS (ticket, tenant in the service).
func (j *joint) handleCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	t, ok := j.tenant(q.Get("tenant"))
	if !ok {
		http.Error(w, "unknown tenant: no tenantSync for it", http.StatusForbidden)
		return
	}
	var s *session
	var err error
	if ticket := q.Get("ticket"); ticket != "" {
		s, err = j.validateTicket(r.Context(), t, casService(r, t.ID), ticket)
	} else {
		s, err = j.redeem(r.Context(), t, q.Get("code"))
	}
	if err != nil {
		j.cfg.Logger.Info("login failed", "tenant", t.ID, "err", err)
		notLoggedIn(w, "Login failed", err.Error())
		return
	}
	token := j.newSessionID()
	j.mu.Lock()
	j.sessions[token] = s
	j.mu.Unlock()
	// SameSite=None; Secure: in the 开天 workbench the web app runs in an iframe on KooGallery's site,
	// where the browser keeps no Lax cookie of a third party (browsers accept Secure over plain HTTP on
	// localhost, where the app is tested).
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteNoneMode})
	http.Redirect(w, r, MePath, http.StatusFound)
}

// tokens is the token endpoint's answer.
type tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int64  `json:"expires_in"`
}

// token calls the tenant's token endpoint with its client credentials as form fields.
func (j *joint) token(ctx context.Context, t tenantRecord, form url.Values) (tokens, error) {
	form.Set("client_id", t.ClientID)
	form.Set("client_secret", t.ClientSecret)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.Domain+"/api/v1/oauth2/token", strings.NewReader(form.Encode()))
	if err != nil {
		return tokens{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var tk tokens
	if err := j.call(req, &tk); err != nil {
		return tk, err
	}
	return tk, nil
}

// call sends a request to the identity provider and decodes its JSON answer.
func (j *joint) call(req *http.Request, out any) error {
	req.Header.Set("Accept", "application/json")
	resp, err := j.cfg.Joint.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return &idpError{Status: resp.StatusCode, Body: string(body)}
	}
	return json.Unmarshal(body, out)
}

// idpError is a refusal of the identity provider.
type idpError struct {
	Status int
	Body   string
}

func (e *idpError) Error() string {
	return fmt.Sprintf("identity provider HTTP %d: %s", e.Status, e.Body)
}

func (j *joint) redeem(ctx context.Context, t tenantRecord, code string) (*session, error) {
	if code == "" {
		return nil, errors.New("no code")
	}
	tk, err := j.token(ctx, t, url.Values{"grant_type": {"authorization_code"}, "code": {code}})
	if err != nil {
		return nil, err
	}
	s := &session{TenantID: t.ID, AccessToken: tk.AccessToken, RefreshToken: tk.RefreshToken,
		Expires: j.cfg.Now().Add(time.Duration(tk.ExpiresIn) * time.Second)}
	return s, j.readUser(ctx, t, s)
}

// readUser calls userinfo with the session's access token.
func (j *joint) readUser(ctx context.Context, t tenantRecord, s *session) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.Domain+"/api/v1/oauth2/userinfo", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+s.AccessToken)
	var info struct {
		UserName string `json:"userName"`
		Name     string `json:"name"`
		Tenant   string `json:"tenant"`
	}
	if err := j.call(req, &info); err != nil {
		return err
	}
	s.UserName, s.Name = info.UserName, info.Name
	return nil
}

// refresh renews the session's access token with its refresh token, keeping a new refresh token when
// one comes back.
func (j *joint) refresh(ctx context.Context, t tenantRecord, s *session) error {
	tk, err := j.token(ctx, t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {s.RefreshToken}})
	if err != nil {
		return err
	}
	s.AccessToken, s.Expires = tk.AccessToken, j.cfg.Now().Add(time.Duration(tk.ExpiresIn)*time.Second)
	if tk.RefreshToken != "" {
		s.RefreshToken = tk.RefreshToken
	}
	return nil
}

func (j *joint) validateTicket(ctx context.Context, t tenantRecord, service, ticket string) (*session, error) {
	u := t.Domain + "/api/v1/cas/p3/serviceValidate?" + url.Values{"service": {service}, "ticket": {ticket}, "format": {"JSON"}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	var answer struct {
		ServiceResponse struct {
			Success *struct {
				User       string            `json:"user"`
				Attributes map[string]string `json:"attributes"`
			} `json:"authenticationSuccess"`
			Failure *struct {
				Code        string `json:"code"`
				Description string `json:"description"`
			} `json:"authenticationFailure"`
		} `json:"serviceResponse"`
	}
	if err := j.call(req, &answer); err != nil {
		return nil, err
	}
	if f := answer.ServiceResponse.Failure; f != nil || answer.ServiceResponse.Success == nil {
		return nil, fmt.Errorf("ticket refused: %+v", f)
	}
	ok := answer.ServiceResponse.Success
	return &session{TenantID: t.ID, UserName: ok.User, Name: ok.Attributes["name"], CAS: true}, nil
}

func (j *joint) currentSession(r *http.Request) (string, *session) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return "", nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return c.Value, j.sessions[c.Value]
}

// handleMe shows the logged-in user. The access token is refreshed when it is about to expire on the
// seller's clock, or when userinfo refuses it (the identity provider's clock is the one that counts).
func (j *joint) handleMe(w http.ResponseWriter, r *http.Request) {
	id, s := j.currentSession(r)
	if s == nil {
		notLoggedIn(w, "Not logged in", "Log in through KooGallery to use the app.")
		return
	}
	j.mu.Lock()
	cp := *s
	j.mu.Unlock()
	t, ok := j.tenant(cp.TenantID)
	if !ok {
		http.Error(w, "the tenant is gone", http.StatusUnauthorized)
		return
	}
	if !cp.CAS {
		if err := j.keepFresh(r.Context(), t, &cp); err != nil {
			j.mu.Lock()
			delete(j.sessions, id)
			j.mu.Unlock()
			notLoggedIn(w, "Session ended", "The identity provider no longer accepts this session: "+err.Error())
			return
		}
		j.mu.Lock()
		j.sessions[id] = &cp
		j.mu.Unlock()
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	mePage.Execute(w, cp)
}

func (j *joint) keepFresh(ctx context.Context, t tenantRecord, s *session) error {
	if !j.cfg.Now().Before(s.Expires.Add(-j.cfg.Joint.RefreshBefore)) {
		if err := j.refresh(ctx, t, s); err != nil {
			return err
		}
	}
	err := j.readUser(ctx, t, s)
	var ie *idpError
	if errors.As(err, &ie) && ie.Status == http.StatusUnauthorized {
		if err := j.refresh(ctx, t, s); err != nil {
			return err
		}
		err = j.readUser(ctx, t, s)
	}
	return err
}

// handleLogout ends the seller's session, then the identity provider's in the user's browser.
func (j *joint) handleLogout(w http.ResponseWriter, r *http.Request) {
	id, s := j.currentSession(r)
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1})
	back := origin(r) + "/logged-out"
	if s == nil {
		http.Redirect(w, r, back, http.StatusFound)
		return
	}
	j.mu.Lock()
	delete(j.sessions, id)
	j.mu.Unlock()
	t, ok := j.tenant(s.TenantID)
	if !ok {
		http.Redirect(w, r, back, http.StatusFound)
		return
	}
	if s.CAS {
		http.Redirect(w, r, t.Domain+"/api/v1/cas/logout?"+url.Values{"service": {back}}.Encode(), http.StatusFound)
		return
	}
	http.Redirect(w, r, t.Domain+"/api/v1/logout?"+url.Values{"redirect_url": {back}}.Encode(), http.StatusFound)
}
