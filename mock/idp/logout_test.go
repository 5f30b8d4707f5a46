package idp_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// TestLogoutRedirectsOnlyToTheAppsURLs: logout and CAS logout send the browser back only to the
// seller's own site (the scheme and host of a URL registered for the tenant's app); any other
// absolute URL gets the identity provider's error page and a failed verdict naming it, never a
// redirect.
func TestLogoutRedirectsOnlyToTheAppsURLs(t *testing.T) {
	e := newEnv(t, nil)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	open := func(path, param, target string) (int, string, string) {
		t.Helper()
		resp, err := noRedirect.Get(e.srv.URL() + path + "?" + url.Values{param: {target}}.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Location"), string(b)
	}
	cbHost := strings.TrimPrefix(e.cb.srv.URL, "http://")
	cbURL, _ := url.Parse(e.cb.srv.URL)
	for _, c := range []struct{ path, param, activity string }{
		{"/api/v1/logout", "redirect_url", "oauth2.logout"},
		{"/api/v1/cas/logout", "service", "cas.logout"},
	} {
		// The seller's own site: any page on the host of the registered callback.
		if status, loc, _ := open(c.path, c.param, e.cb.srv.URL+"/logged-out?x=1"); status != http.StatusFound || loc != e.cb.srv.URL+"/logged-out?x=1" {
			t.Errorf("%s to the seller's site: HTTP %d to %q", c.path, status, loc)
		}
		for _, evil := range []string{
			"https://evil.example/phish",
			"http://" + cbHost + "@evil.example/",                                // the seller's host as user info
			"https://" + cbHost + "/logged-out",                                  // another scheme
			"http://" + cbURL.Hostname() + ".evil.example:" + cbURL.Port() + "/", // the seller's host as a prefix
		} {
			status, loc, body := open(c.path, c.param, evil)
			if status != http.StatusBadRequest || loc != "" || !strings.Contains(body, "not registered for this tenant") {
				t.Errorf("%s to %s: HTTP %d, Location %q; want the error page\n%s", c.path, evil, status, loc, body)
			}
		}
		// None named: the login page, as before.
		if status, loc, _ := open(c.path, c.param, ""); status != http.StatusFound || loc != "/unified-login/" {
			t.Errorf("%s without a target: HTTP %d to %q", c.path, status, loc)
		}
		refused := e.journal(t, protocol.Activity(c.activity))[1] // newest first: the one without a target, then the last refused
		if !strings.Contains(journalVerdicts(refused), "evil.example") {
			t.Errorf("%s: the journal does not name the refused URL: %+v", c.path, refused.Verdicts)
		}
	}
}

// journalVerdicts joins the messages of an exchange's failed verdicts.
func journalVerdicts(e koomock.Exchange) string {
	var b strings.Builder
	for _, v := range e.Verdicts {
		if v.Outcome == koomock.Fail {
			b.WriteString(v.Message + "\n")
		}
	}
	return b.String()
}
