package idp

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
	"github.com/koomock/koomock/openapi"
	"github.com/koomock/koomock/store"
)

// CAS failure codes (Apereo CAS protocol; KooGallery documents INVALID_TICKET).
const (
	casInvalidRequest = "INVALID_REQUEST"
	casInvalidTicket  = "INVALID_TICKET"
	casInvalidService = "INVALID_SERVICE"
	casTicketPrefix   = "ST-"
)

// sameService reports whether a service is the registered one: the same URL, or the same URL with
// a query added (KooGallery's example carries &tenant=... in the service).
func sameService(service, registered string) bool {
	if registered == "" {
		return false
	}
	base, _, _ := strings.Cut(service, "?")
	regBase, _, _ := strings.Cut(registered, "?")
	return service == registered || base == regBase
}

// casApp is the tenant's app whose registered CAS service the service is.
func (p *IdP) casApp(r *http.Request, t koomock.Tenant, service string) (koomock.App, bool) {
	apps, err := p.Store.Apps(r.Context(), t.ID)
	if err != nil {
		return koomock.App{}, false
	}
	for _, a := range apps {
		if sameService(service, a.CASServiceURL) {
			return a, true
		}
	}
	return koomock.App{}, false
}

// handleCASLogin sends a logged-in browser to the service with a new service ticket, and any other to
// the login form first.
func (p *IdP) handleCASLogin(w http.ResponseWriter, r *http.Request) {
	t, err := p.domainTenant(r)
	if err != nil {
		p.page(w, http.StatusNotFound, "message.html", message{Title: "Unknown domain", Text: "no tenant has this domain: use the domainName tenantSync delivered"})
		return
	}
	correlate(r, t.ID)
	service := r.URL.Query().Get("service")
	app, ok := p.casApp(r, t, service)
	if !ok {
		judge(r, koomock.RuleCASTicket, koomock.Fail, "verdict.cas.unregisteredService", fmt.Sprintf("%q", service))
		p.page(w, http.StatusBadRequest, "message.html", message{Title: "Unauthorized service", Text: "the service is not registered for this tenant's app"})
		return
	}
	sess, ok := p.session(r, t)
	if !ok {
		p.loginRedirect(w, r)
		return
	}
	st, err := p.issue(r.Context(), koomock.Grant{Kind: koomock.GrantTicket, TenantID: t.ID, UserName: sess.UserName, ClientID: app.ClientID,
		RedirectURI: service, AuthAt: sess.AuthAt, NewLogin: sess.NewLogin}, casTicketPrefix, p.codeTTL(), p.now(t))
	if err != nil {
		p.internal(w, err)
		return
	}
	if sess.NewLogin {
		sess.NewLogin = false
		p.Store.PutGrant(r.Context(), sess)
	}
	http.Redirect(w, r, withQuery(service, url.Values{"ticket": {st.Token}}), http.StatusFound)
}

// casFailure is a failed validation.
type casFailure struct {
	Code, Description string
	// Ticket is the ticket an INVALID_TICKET is about.
	Ticket string
}

// validateTicket redeems a ticket for a service on the domain's tenant.
func (p *IdP) validateTicket(r *http.Request) (koomock.Grant, koomock.Tenant, *casFailure) {
	q := r.URL.Query()
	service, ticket := q.Get("service"), q.Get("ticket")
	if service == "" || ticket == "" {
		judge(r, koomock.RuleCASTicket, koomock.Fail, "verdict.cas.bothRequired")
		return koomock.Grant{}, koomock.Tenant{}, &casFailure{Code: casInvalidRequest, Description: "'service' and 'ticket' parameters are both required"}
	}
	notValid := &casFailure{casInvalidTicket, "the ticket provided was not valid, ticket is " + ticket, ticket}
	t, err := p.domainTenant(r)
	if err != nil {
		judge(r, koomock.RuleOAuthDomain, koomock.Fail, "verdict.idp.noTenantDomain")
		return koomock.Grant{}, t, notValid
	}
	correlate(r, t.ID)
	if !strings.HasPrefix(ticket, casTicketPrefix) {
		judge(r, koomock.RuleCASTicket, koomock.Fail, "verdict.cas.prefix")
		return koomock.Grant{}, t, notValid
	}
	g, err := p.Store.RedeemGrant(r.Context(), koomock.GrantTicket, ticket)
	var why string
	switch {
	case errors.Is(err, store.ErrNotFound):
		why = i18n.Phrase("cas.neverIssued")
	case errors.Is(err, store.ErrUsed):
		why = i18n.Phrase("cas.reused")
	case err != nil:
		why = i18n.Phrase("cas.unreadable")
	case g.TenantID != t.ID:
		judge(r, koomock.RuleOAuthDomain, koomock.Fail, "verdict.cas.otherDomain", g.TenantID, p.domainOf(t))
		return g, t, notValid
	case g.Revoked:
		why = i18n.Phrase("cas.revoked")
	case !p.now(t).Before(g.ExpiresAt):
		why = i18n.Phrase("cas.expired", p.codeTTL())
	case service != g.RedirectURI:
		judge(r, koomock.RuleCASTicket, koomock.Fail, "verdict.cas.otherService", fmt.Sprintf("%q", g.RedirectURI), fmt.Sprintf("%q", service))
		return g, t, &casFailure{Code: casInvalidService, Description: fmt.Sprintf("Ticket %s does not match supplied service. The original service was %s and the supplied service was %s.", ticket, g.RedirectURI, service)}
	}
	if why != "" {
		judge(r, koomock.RuleCASTicket, koomock.Fail, "verdict.idp.why", why)
		return g, t, notValid
	}
	judge(r, koomock.RuleCASTicket, koomock.Pass, "verdict.cas.pass")
	return g, t, nil
}

func (p *IdP) handleCASValidate(w http.ResponseWriter, r *http.Request) {
	g, _, fail := p.validateTicket(r)
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	if fail != nil {
		fmt.Fprint(w, "no\n\n")
		return
	}
	fmt.Fprintf(w, "yes\n%s\n", g.UserName)
}

func (p *IdP) rejectCAS1(w http.ResponseWriter, r *http.Request, _ []openapi.Violation) {
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	fmt.Fprint(w, "no\n\n")
}

// wantJSON tells the format of a CAS validation answer.
func (p *IdP) wantJSON(r *http.Request) bool {
	switch strings.ToUpper(r.URL.Query().Get("format")) {
	case "JSON":
		return true
	case "XML":
		return false
	}
	return p.CASJSONDefault
}

func (p *IdP) rejectCAS(w http.ResponseWriter, r *http.Request, v []openapi.Violation) {
	p.writeCASFailure(w, p.wantJSON(r), casFailure{Code: casInvalidRequest, Description: describe(v)})
}

// handleServiceValidate answers CAS 2.0 (attributes false) and 3.0 (attributes true) validation.
func (p *IdP) handleServiceValidate(attributes bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		g, t, fail := p.validateTicket(r)
		if fail != nil {
			p.writeCASFailure(w, p.wantJSON(r), *fail)
			return
		}
		u, err := p.Store.User(r.Context(), t.ID, g.UserName)
		if err != nil {
			p.writeCASFailure(w, p.wantJSON(r), casFailure{Code: casInvalidTicket, Description: "the ticket's user no longer exists"})
			return
		}
		var attrs []casAttr
		if attributes {
			attrs = []casAttr{
				{"authenticationDate", g.AuthAt.UTC().Format("2006-01-02T15:04:05.000Z")},
				{"longTermAuthenticationRequestTokenUsed", "false"},
				{"isFromNewLogin", strconv.FormatBool(g.NewLogin)},
				{"role", u.Role},
				{"organizationCode", u.OrgCode},
				{"name", u.Name},
				{"userName", u.UserName},
				{"tenant", t.ID},
			}
		}
		p.writeCASSuccess(w, p.wantJSON(r), u.UserName, attrs)
	}
}

type casAttr struct{ Name, Value string }

func xmlText(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (p *IdP) writeCASSuccess(w http.ResponseWriter, asJSON bool, user string, attrs []casAttr) {
	if asJSON {
		success := map[string]any{"user": user}
		if attrs != nil {
			m := map[string]string{}
			for _, a := range attrs {
				m[a.Name] = a.Value
			}
			success["attributes"] = m
		}
		writeJSON(w, http.StatusOK, map[string]any{"serviceResponse": map[string]any{"authenticationSuccess": success}})
		return
	}
	var b strings.Builder
	b.WriteString("<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n <cas:authenticationSuccess>\n")
	fmt.Fprintf(&b, "  <cas:user>%s</cas:user>\n", xmlText(user))
	if attrs != nil {
		b.WriteString("  <cas:attributes>\n")
		for _, a := range attrs {
			fmt.Fprintf(&b, "   <cas:%s>%s</cas:%s>\n", a.Name, xmlText(a.Value), a.Name)
		}
		b.WriteString("  </cas:attributes>\n")
	}
	b.WriteString(" </cas:authenticationSuccess>\n</cas:serviceResponse>\n")
	w.Header().Set("Content-Type", "application/xml;charset=UTF-8")
	fmt.Fprint(w, b.String())
}

// writeCASFailure answers a failed validation with HTTP 200, as CAS does.
func (p *IdP) writeCASFailure(w http.ResponseWriter, asJSON bool, f casFailure) {
	if asJSON {
		writeJSON(w, http.StatusOK, map[string]any{"serviceResponse": map[string]any{
			"authenticationFailure": map[string]string{"code": f.Code, "description": f.Description}}})
		return
	}
	w.Header().Set("Content-Type", "application/xml;charset=UTF-8")
	desc := f.Description
	if f.Code == casInvalidTicket && f.Ticket != "" {
		desc = "Ticket " + f.Ticket + " not recognized" // KooGallery's documented XML wording
	}
	fmt.Fprintf(w, "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n <cas:authenticationFailure code=\"%s\">%s</cas:authenticationFailure>\n</cas:serviceResponse>\n",
		xmlText(f.Code), xmlText(desc))
}
