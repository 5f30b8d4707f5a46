package idp

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/i18n"
)

// msgUnregisteredRedirect is what the browser is told when a logout names a URL no app of the tenant
// registered.
const msgUnregisteredRedirect = "the URL to return to after logging out is not registered for this tenant's app"

// handleLogout ends the browser's login session (spec license-login §2.7) and sends it on to
// redirect_url, or to the login page.
func (p *IdP) handleLogout(w http.ResponseWriter, r *http.Request) {
	t, err := p.domainTenant(r)
	if err == nil {
		correlate(r, t.ID)
	}
	user, had := p.endSession(w, r)
	if had {
		judge(r, koomock.RuleLoginLogout, koomock.Pass, "verdict.logout.pass", user)
	} else {
		judge(r, koomock.RuleLoginLogout, koomock.Warn, "verdict.logout.noCookieServer")
	}
	p.redirectAfterLogout(w, r, t, err == nil, "redirect_url")
}

// handleCASLogout ends the login session and sends the browser to service, or the login page.
func (p *IdP) handleCASLogout(w http.ResponseWriter, r *http.Request) {
	t, err := p.domainTenant(r)
	if err == nil {
		correlate(r, t.ID)
	}
	if user, had := p.endSession(w, r); had {
		judge(r, koomock.RuleLoginLogout, koomock.Pass, "verdict.logout.pass", user)
	} else {
		judge(r, koomock.RuleLoginLogout, koomock.Warn, "verdict.logout.noCookie")
	}
	p.redirectAfterLogout(w, r, t, err == nil, "service")
}

// redirectAfterLogout sends the browser to the URL in query parameter param when it is on a URL
// registered for one of the tenant's apps, to the login page when none is named, and otherwise shows
// an error page: a logout that redirects anywhere is an open redirect, which a phishing link could
// route through the tenant's trusted domain. KooGallery does not document its rule; koomock admits
// the scheme and host (with port) of an app's login callback or CAS service, the seller's own site.
func (p *IdP) redirectAfterLogout(w http.ResponseWriter, r *http.Request, t koomock.Tenant, known bool, param string) {
	raw := r.URL.Query().Get(param)
	u, err := url.Parse(raw)
	if raw == "" || err != nil || !absoluteHTTP(raw) {
		http.Redirect(w, r, "/unified-login/", http.StatusFound)
		return
	}
	var registered []string
	if known {
		apps, err := p.Store.Apps(r.Context(), t.ID)
		if err != nil {
			p.internal(w, err)
			return
		}
		for _, a := range apps {
			for _, reg := range []string{a.LoginCallbackURL, a.CASServiceURL} {
				if reg == "" {
					continue
				}
				registered = append(registered, reg)
				if sameOrigin(u, reg) {
					judge(r, koomock.RuleLoginLogout, koomock.Pass, "verdict.logout.redirectOK", param, raw, reg, a.AppID)
					// The parsed URL, re-encoded: what the browser is sent to is what was checked.
					http.Redirect(w, r, u.String(), http.StatusFound)
					return
				}
			}
		}
	}
	why := i18n.Phrase("logout.noTenant")
	if known {
		why = i18n.Phrase("logout.registered", strings.Join(registered, ", "))
		if len(registered) == 0 {
			why = i18n.Phrase("logout.registeredNone")
		}
	}
	judge(r, koomock.RuleLoginLogout, koomock.Fail, "verdict.logout.openRedirect", param, fmt.Sprintf("%q", raw), why)
	p.page(w, http.StatusBadRequest, "message.html", message{Title: "Unauthorized redirect", Text: msgUnregisteredRedirect})
}

// sameOrigin reports whether u has the scheme and host (port included) of the registered URL.
func sameOrigin(u *url.URL, registered string) bool {
	reg, err := url.Parse(registered)
	return err == nil && reg.Host != "" && strings.EqualFold(u.Scheme, reg.Scheme) && strings.EqualFold(u.Host, reg.Host)
}
