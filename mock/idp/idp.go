package idp

import (
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/ids"
	"github.com/koomock/koomock/mock/faults"
	"github.com/koomock/koomock/mock/inbound"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/protocol"
	"github.com/koomock/koomock/store"
)

// Lifetimes of what the identity provider issues (spec license-login §2.4, §2.5, §3).
const (
	// AccessTTL: access tokens live 2 hours ("expires_in": 7200).
	AccessTTL = 7200 * time.Second
	// RefreshTTL: refresh tokens live 30 days.
	RefreshTTL = 30 * 24 * time.Hour
	// DefaultCodeTTL: authorization codes and service tickets live 5 minutes unless configured; the
	// docs give no number, and 5 minutes is the usual bound (RFC 6749 §4.1.2 recommends at most 10).
	DefaultCodeTTL = 5 * time.Minute
	// DefaultScope is the scope when authorize names none.
	DefaultScope = "get_user_info"
	// SessionCookie carries the browser's login session.
	SessionCookie = "koomock_idp_session"
)

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// IdP serves the identity provider. Store, Recorder, Spec, Now and IDs are required.
type IdP struct {
	Store    *store.DB
	Recorder *inbound.Recorder
	// Spec is openapi/marketplace.yaml: every request is validated against it.
	Spec *openapi.Spec
	Now  func() time.Time
	IDs  *ids.Source
	// TenantPrefix precedes a tenant's code in its domain (kit.TenantPrefix).
	TenantPrefix string
	// CodeTTL bounds authorization codes and service tickets; DefaultCodeTTL when zero.
	CodeTTL time.Duration
	// RotateRefresh issues a new refresh token on every refresh and revokes the old one; by default
	// the same refresh token comes back and lives its 30 days (spec license-login §2.5, uncertain).
	RotateRefresh bool
	// CASJSONDefault answers CAS validation in JSON unless format=XML (KooGallery's page says JSON is
	// the default; the CAS protocol's default is XML).
	CASJSONDefault bool
	// Faults, when set, offers the identity provider's scripted faults (DeclareFaults).
	Faults *faults.Registry
	Logger *slog.Logger
}

// domainKey carries the tenant code of the domain a request came to ("" for the public URL itself).
type domainKey struct{}

// TenantDomains routes /t/{code}/api/v1/... as /api/v1/... on that tenant's domain. It must run before
// routing; the original request target stays in r.RequestURI, which the journal records.
func (p *IdP) TenantDomains(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, p.TenantPrefix)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		code, path, _ := strings.Cut(rest, "/")
		if code == "" || !strings.HasPrefix("/"+path, "/api/v1/") {
			next.ServeHTTP(w, r)
			return
		}
		u := *r.URL
		u.Path, u.RawPath = "/"+path, ""
		r2 := r.WithContext(context.WithValue(r.Context(), domainKey{}, code))
		r2.URL = &u
		next.ServeHTTP(w, r2)
	})
}

// apiRoutes are the OAuth and CAS routes, mounted at /api/v1.
func (p *IdP) apiRoutes() chi.Router {
	r := chi.NewRouter()
	r.With(p.api(protocol.OAuthAuthorize, p.rejectOAuth)).Get("/oauth2/authorize", p.handleAuthorize)
	r.With(p.api(protocol.OAuthToken, p.rejectOAuth)).Post("/oauth2/token", p.handleToken)
	r.With(p.api(protocol.OAuthUserinfo, p.rejectUserinfo)).Get("/oauth2/userinfo", p.handleUserinfo)
	r.With(p.api(protocol.OAuthLogout, p.rejectOAuth)).Get("/logout", p.handleLogout)
	r.With(p.api(protocol.CASLogin, p.rejectPage)).Get("/cas/login", p.handleCASLogin)
	r.With(p.api(protocol.CASValidate, p.rejectCAS1)).Get("/cas/validate", p.handleCASValidate)
	r.With(p.api(protocol.CASServiceValidate, p.rejectCAS)).Get("/cas/serviceValidate", p.handleServiceValidate(false))
	r.With(p.api(protocol.CASP3ServiceValidate, p.rejectCAS)).Get("/cas/p3/serviceValidate", p.handleServiceValidate(true))
	r.With(p.api(protocol.CASLogout, p.rejectPage)).Get("/cas/logout", p.handleCASLogout)
	return r
}

// loginRoutes are the unified login page, mounted at /unified-login.
func (p *IdP) loginRoutes() chi.Router {
	r := chi.NewRouter()
	r.With(p.api(protocol.UnifiedLoginIndex, p.rejectPage)).Get("/", p.handleIndex)
	r.With(p.api(protocol.UnifiedLoginForm, p.rejectPage)).Get("/portal-login", p.handleLoginForm)
	r.With(p.api(protocol.UnifiedLoginSubmit, p.rejectPage)).Post("/portal-login", p.handleLoginSubmit)
	return r
}

// api is the chain of every identity-provider route: journal, then validation against the document
// (rejects in the protocol's own format), then the handler.
func (p *IdP) api(activity protocol.Activity, reject func(http.ResponseWriter, *http.Request, []openapi.Violation)) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return p.Recorder.Middleware(activity, inbound.TooLarge(reject))(inbound.Validate(p.Spec, reject)(h))
	}
}

func (p *IdP) codeTTL() time.Duration {
	if p.CodeTTL > 0 {
		return p.CodeTTL
	}
	return DefaultCodeTTL
}

// now is the identity provider's time for a tenant: koomock's clock plus the tenant's offset.
func (p *IdP) now(t koomock.Tenant) time.Time {
	return p.Now().Add(t.ClockOffset)
}

// errUnknownDomain is returned for a /t/{code} prefix that names no tenant.
var errUnknownDomain = errors.New("no tenant has this domain")

// domainTenant returns the tenant whose domain the request came to.
func (p *IdP) domainTenant(r *http.Request) (koomock.Tenant, error) {
	code, _ := r.Context().Value(domainKey{}).(string)
	if code == "" {
		code = fixtures.DemoTenantCode
	}
	t, err := p.Store.TenantByCode(r.Context(), code)
	if errors.Is(err, store.ErrNotFound) {
		return t, errUnknownDomain
	}
	return t, err
}

// domainOf names the domain of a tenant for messages: its path on koomock.
func (p *IdP) domainOf(t koomock.Tenant) string {
	if t.Code == fixtures.DemoTenantCode {
		return i18n.Phrase("idp.demoDomain")
	}
	return p.TenantPrefix + t.Code
}

// judge records a verdict on the call: the catalog's key with its arguments (package i18n).
func judge(r *http.Request, rule koomock.Rule, outcome koomock.Outcome, key string, args ...any) {
	inbound.Judge(r.Context(), i18n.Verdict(rule, outcome, key, args...))
}

// correlate ties the exchange to a tenant.
func correlate(r *http.Request, tenantID string) {
	inbound.CorrelateTenant(r.Context(), tenantID)
}

// equalSecret compares secrets in constant time.
func equalSecret(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// absoluteHTTP reports whether s is an absolute http(s) URL, the only redirect targets koomock
// follows from a query parameter.
func absoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// withQuery appends parameters to a URL that may already carry a query.
func withQuery(raw string, params url.Values) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// issue stores a new grant with a fresh token.
func (p *IdP) issue(ctx context.Context, g koomock.Grant, prefix string, ttl time.Duration, now time.Time) (koomock.Grant, error) {
	g.Token = prefix + p.IDs.Token(20)
	g.IssuedAt, g.ExpiresAt = now, now.Add(ttl)
	if g.Kind == koomock.GrantCode {
		g.Family = g.Token
	}
	return g, p.Store.PutGrant(ctx, g)
}

// page renders an HTML page; every value is escaped by html/template.
func (p *IdP) page(w http.ResponseWriter, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, name, data); err != nil && p.Logger != nil {
		p.Logger.Error("render page", "page", name, "err", err)
	}
}

// message is the data of the message page.
type message struct {
	Title, Text string
}

func (p *IdP) rejectPage(w http.ResponseWriter, r *http.Request, v []openapi.Violation) {
	p.page(w, http.StatusBadRequest, "message.html", message{Title: "Bad request", Text: describe(v)})
}

func describe(v []openapi.Violation) string {
	if len(v) == 0 {
		return "the request does not match the API"
	}
	where := v[0].Pointer
	if v[0].In != "" && where != "" {
		where = v[0].In + " " + strings.TrimPrefix(where, "/")
	}
	return strings.TrimSpace(where + ": " + v[0].Message)
}
