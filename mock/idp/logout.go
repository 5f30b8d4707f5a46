package idp

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/koomock/koomock"
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
		judge(r, koomock.RuleLoginLogout, koomock.Pass, "ended the login session of user "+user)
	} else {
		judge(r, koomock.RuleLoginLogout, koomock.Warn, "no login session cookie came with the call: logout is opened in the user's browser, not called from the seller's server")
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
		judge(r, koomock.RuleLoginLogout, koomock.Pass, "ended the login session of user "+user)
	} else {
		judge(r, koomock.RuleLoginLogout, koomock.Warn, "no login session cookie came with the call")
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
					judge(r, koomock.RuleLoginLogout, koomock.Pass, fmt.Sprintf("%s %s is on %s, registered for app %s", param, raw, reg, a.AppID))
					// The parsed URL, re-encoded: what the browser is sent to is what was checked.
					http.Redirect(w, r, u.String(), http.StatusFound)
					return
				}
			}
		}
	}
	why := "the domain is no tenant's"
	if known {
		why = "the tenant's apps registered " + strings.Join(registered, ", ")
		if len(registered) == 0 {
			why = "the tenant's apps registered no login callback or CAS service"
		}
	}
	judge(r, koomock.RuleLoginLogout, koomock.Fail, fmt.Sprintf("refused to redirect to %s %q: it is not on a URL registered for the tenant's app (%s); koomock answered an error page rather than be an open redirect", param, raw, why))
	p.page(w, http.StatusBadRequest, "message.html", message{Title: "Unauthorized redirect", Text: msgUnregisteredRedirect})
}

// sameOrigin reports whether u has the scheme and host (port included) of the registered URL.
func sameOrigin(u *url.URL, registered string) bool {
	reg, err := url.Parse(registered)
	return err == nil && reg.Host != "" && strings.EqualFold(u.Scheme, reg.Scheme) && strings.EqualFold(u.Host, reg.Host)
}
