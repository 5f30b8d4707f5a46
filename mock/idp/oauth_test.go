package idp_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/controlapi"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock"
	"github.com/koomock/koomock/runner/browser"
)

func oauthConfig(e *env, domain, clientID, secret string, style oauth2.AuthStyle) *oauth2.Config {
	return &oauth2.Config{
		ClientID: clientID, ClientSecret: secret, RedirectURL: e.cbURL, Scopes: []string{"get_user_info"},
		Endpoint: oauth2.Endpoint{AuthURL: domain + "/api/v1/oauth2/authorize", TokenURL: domain + "/api/v1/oauth2/token", AuthStyle: style},
	}
}

// TestStandardOAuthClient proves that golang.org/x/oauth2, unchanged, logs in, reads userinfo and
// refreshes against koomock's demo tenant with only the demo settings.
func TestStandardOAuthClient(t *testing.T) {
	for name, style := range map[string]oauth2.AuthStyle{"basic": oauth2.AuthStyleInHeader, "form": oauth2.AuthStyleInParams, "autodetect": oauth2.AuthStyleAutoDetect} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, nil)
			conf := oauthConfig(e, e.srv.URL(), fixtures.DemoClientID, fixtures.DemoClientSecret, style)
			page := e.login(t, browser.New(nil), conf.AuthCodeURL("st-42"), fixtures.DemoUser, fixtures.DemoPassword)
			if page.Status != 200 || !strings.Contains(page.Body, "callback reached") {
				t.Fatalf("login ended at %s HTTP %d: %s", page.URL, page.Status, page.Body)
			}
			q := e.cb.last(t)
			if q.Get("state") != "st-42" || q.Get("code") == "" {
				t.Fatalf("callback query %v: want the state echoed and a code", q)
			}
			tok, err := conf.Exchange(e.ctx, q.Get("code"))
			if err != nil {
				t.Fatal(err)
			}
			if tok.TokenType != "Bearer" || tok.RefreshToken == "" || tok.ExpiresIn != 7200 || tok.Extra("scope") != "get_user_info" {
				t.Fatalf("token %+v (scope %v)", tok, tok.Extra("scope"))
			}
			status, body := get(t, e.srv.URL()+"/api/v1/oauth2/userinfo", tok.AccessToken)
			var info map[string]string
			json.Unmarshal([]byte(body), &info)
			if status != 200 || info["userName"] != fixtures.DemoUser || info["name"] != fixtures.DemoUserName || info["tenant"] != fixtures.DemoTenantID ||
				info["organizationCode"] != fixtures.DemoOrgCode || info["organizationName"] != fixtures.DemoOrgName || info["projectName"] != fixtures.DemoTenantName || info["role"] != "admin" || info["id"] == "" {
				t.Fatalf("userinfo HTTP %d %s", status, body)
			}
			// The aPaaS variant's names for the login name (license-login §2.6) come too.
			if info["loginName"] != fixtures.DemoUser || info["accName"] != fixtures.DemoUser {
				t.Errorf("userinfo loginName %q accName %q, want both %q", info["loginName"], info["accName"], fixtures.DemoUser)
			}

			// Two hours of clock time: the access token expires on koomock's clock, the refresh works.
			e.clk.Advance(7200 * time.Second)
			if status, body := get(t, e.srv.URL()+"/api/v1/oauth2/userinfo", tok.AccessToken); status != 401 ||
				body != `{"error":"unauthorized","error_description":"Full authentication is required to access this resource"}` {
				t.Fatalf("userinfo with an expired token: HTTP %d %s", status, body)
			}
			tok.Expiry = time.Now().Add(-time.Second) // x/oauth2 judges expiry on the real clock
			fresh, err := conf.TokenSource(e.ctx, tok).Token()
			if err != nil || fresh.AccessToken == tok.AccessToken {
				t.Fatalf("refresh: %v", err)
			}
			if fresh.RefreshToken != tok.RefreshToken {
				t.Errorf("refresh rotated the refresh token by default")
			}
			if status, body := get(t, e.srv.URL()+"/api/v1/oauth2/userinfo", fresh.AccessToken); status != 200 {
				t.Fatalf("userinfo after refresh: HTTP %d %s", status, body)
			}

			// The journal shows the token calls with the client, the secret masked.
			calls := e.journal(t, "oauth2.token")
			if len(calls) < 2 {
				t.Fatalf("%d token calls journalled", len(calls))
			}
			for _, c := range calls {
				if strings.Contains(c.Request.Body, fixtures.DemoClientSecret) || strings.Contains(c.Request.Header.Get("Authorization"), "Basic a29v") {
					t.Errorf("journal shows the client secret: %s %v", c.Request.Body, c.Request.Header)
				}
				if c.TenantID != fixtures.DemoTenantID || (c.Response.Status == 200 && verdict(c, koomock.RuleOAuthClient) != koomock.Pass) {
					t.Errorf("token exchange %d: tenant %q verdicts %+v", c.ID, c.TenantID, c.Verdicts)
				}
			}
		})
	}
}

func TestTokenErrors(t *testing.T) {
	e := newEnv(t, func(c *mock.Config) { c.Joint.RotateRefreshTokens = true })
	conf := oauthConfig(e, e.srv.URL(), fixtures.DemoClientID, fixtures.DemoClientSecret, oauth2.AuthStyleInParams)
	e.login(t, browser.New(nil), conf.AuthCodeURL("s"), fixtures.DemoUser, fixtures.DemoPassword)
	code := e.cb.last(t).Get("code")

	bad := oauthConfig(e, e.srv.URL(), fixtures.DemoClientID, "wrong", oauth2.AuthStyleInParams)
	_, err := bad.Exchange(e.ctx, code)
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response.StatusCode != 401 || string(re.Body) != `{"error":"invalid_client","error_description":"Bad client credentials"}`+"\n" {
		t.Fatalf("wrong secret: %v", err)
	}
	tok, err := conf.Exchange(e.ctx, code)
	if err != nil {
		t.Fatalf("a refused client must not burn the code: %v", err)
	}
	// A reused code is refused, and the tokens issued from it are revoked.
	_, err = conf.Exchange(e.ctx, code)
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" || re.ErrorDescription != "Invalid authorization code" || re.Response.StatusCode != 400 {
		t.Fatalf("reused code: %v", err)
	}
	if status, _ := get(t, e.srv.URL()+"/api/v1/oauth2/userinfo", tok.AccessToken); status != 401 {
		t.Errorf("the token of a reused code still works: HTTP %d", status)
	}
	if reuse := e.journal(t, "oauth2.token")[0]; verdict(reuse, koomock.RuleOAuthCodeReuse) != koomock.Fail {
		t.Errorf("reuse verdicts %+v", reuse.Verdicts)
	}
	// A code expires after 5 minutes of clock time.
	e.login(t, browser.New(nil), conf.AuthCodeURL("s"), fixtures.DemoUser, fixtures.DemoPassword)
	late := e.cb.last(t).Get("code")
	e.clk.Advance(5*time.Minute + time.Second)
	if _, err := conf.Exchange(e.ctx, late); !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("expired code: %v", err)
	}
	// With rotation on, a used refresh token is refused.
	e.login(t, browser.New(nil), conf.AuthCodeURL("s"), fixtures.DemoUser, fixtures.DemoPassword)
	tok, err = conf.Exchange(e.ctx, e.cb.last(t).Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	old := tok.RefreshToken
	tok.Expiry = time.Now().Add(-time.Second)
	fresh, err := conf.TokenSource(e.ctx, tok).Token()
	if err != nil || fresh.RefreshToken == old {
		t.Fatalf("rotation: %v (same token %v)", err, fresh != nil && fresh.RefreshToken == old)
	}
	stale := &oauth2.Token{RefreshToken: old, Expiry: time.Now().Add(-time.Second)}
	if _, err := conf.TokenSource(e.ctx, stale).Token(); !errors.As(err, &re) || re.ErrorDescription != "Invalid refresh token" {
		t.Fatalf("rotated-out refresh token: %v", err)
	}
	// Bad input gets OAuth errors, never a 500.
	for _, form := range []url.Values{
		{},
		{"grant_type": {"password"}, "client_id": {fixtures.DemoClientID}, "client_secret": {fixtures.DemoClientSecret}},
		{"grant_type": {"authorization_code"}},
	} {
		resp, err := http.PostForm(e.srv.URL()+"/api/v1/oauth2/token", form)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]string
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode >= 500 || body["error"] == "" {
			t.Errorf("form %v: HTTP %d %v", form, resp.StatusCode, body)
		}
	}
}

func TestAuthorizeChecksClientAndRedirect(t *testing.T) {
	e := newEnv(t, nil)
	base := e.srv.URL() + "/api/v1/oauth2/authorize?"
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		name   string
		q      url.Values
		status int
		want   string
	}{
		{"unknown client", url.Values{"response_type": {"code"}, "client_id": {"nope"}, "redirect_uri": {e.cbURL}}, 400, `"invalid_client"`},
		{"redirect not registered", url.Values{"response_type": {"code"}, "client_id": {fixtures.DemoClientID}, "redirect_uri": {e.cbURL + "/x"}}, 400, "registered callback"},
		{"missing client_id", url.Values{"response_type": {"code"}, "redirect_uri": {e.cbURL}}, 400, `"invalid_request"`},
		{"token response type", url.Values{"response_type": {"token"}, "client_id": {fixtures.DemoClientID}, "redirect_uri": {e.cbURL}, "state": {"x"}}, 302, "error=unsupported_response_type"},
		{"not logged in", url.Values{"response_type": {"code"}, "client_id": {fixtures.DemoClientID}, "redirect_uri": {e.cbURL}}, 302, "/unified-login/portal-login?return_to="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := noRedirect.Get(base + tt.q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			buf := make([]byte, 4096)
			n, _ := resp.Body.Read(buf)
			b.Write(buf[:n])
			resp.Body.Close()
			got := b.String() + resp.Header.Get("Location")
			if resp.StatusCode != tt.status || !strings.Contains(got, tt.want) {
				t.Errorf("HTTP %d %s, want %d with %q", resp.StatusCode, got, tt.status, tt.want)
			}
		})
	}
}

// TestTenantDomainsAndKit creates a tenant (the kit syncs fire), logs its user in on its own domain,
// and refuses its client on another tenant's domain.
func TestTenantDomainsAndKit(t *testing.T) {
	e := newEnv(t, nil)
	res, err := e.api.CreateTenant(e.ctx, controlapi.TenantRequest{Name: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	ten := res.Tenant
	if len(res.Exchanges) != 3 || ten.DomainName != e.srv.URL()+"/t/"+ten.Code {
		t.Fatalf("create tenant: %d syncs, domain %s", len(res.Exchanges), ten.DomainName)
	}
	for _, x := range res.Exchanges {
		if x.Failed() || x.TenantID != ten.ID {
			t.Errorf("%s: %+v", x.Activity, x.Verdicts)
		}
	}
	added, err := e.api.AuthorizeUsers(e.ctx, ten.ID, []koomock.User{{UserName: "lisi", Name: "李四"}})
	if err != nil || added.Users[0].Password == "" {
		t.Fatalf("authorize: %v %+v", err, added.Users)
	}
	clientID, secret := e.kit.secretOf(t, ten.ID)
	conf := oauthConfig(e, ten.DomainName, clientID, secret, oauth2.AuthStyleAutoDetect)
	if p := e.login(t, browser.New(nil), conf.AuthCodeURL("a"), "lisi", added.Users[0].Password); p.Status != 200 {
		t.Fatalf("login ended at %s HTTP %d hops %v: %s", p.URL, p.Status, p.Hops, p.Body)
	}
	tok, err := conf.Exchange(context.Background(), e.cb.last(t).Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	if status, body := get(t, ten.DomainName+"/api/v1/oauth2/userinfo", tok.AccessToken); status != 200 || !strings.Contains(body, `"tenant":"`+ten.ID+`"`) {
		t.Fatalf("userinfo on the tenant's domain: HTTP %d %s", status, body)
	}
	// The same client on the demo tenant's domain (a hard-coded domain) is refused.
	wrong := oauthConfig(e, e.srv.URL(), clientID, secret, oauth2.AuthStyleInParams)
	e.login(t, browser.New(nil), conf.AuthCodeURL("b"), "lisi", added.Users[0].Password)
	_, err = wrong.Exchange(e.ctx, e.cb.last(t).Get("code"))
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response.StatusCode != 403 || re.ErrorDescription != "Client ID mismatch" {
		t.Fatalf("client on another domain: %v", err)
	}
	last := e.journal(t, "oauth2.token")[0]
	if verdict(last, koomock.RuleOAuthDomain) != koomock.Fail || last.TenantID != ten.ID || !strings.HasPrefix(last.Request.URL, "/api/v1/oauth2/token") {
		t.Errorf("journal of the misdirected call: tenant %s url %s verdicts %+v", last.TenantID, last.Request.URL, last.Verdicts)
	}
	ok := e.journal(t, "oauth2.userinfo")[0]
	if !strings.HasPrefix(ok.Request.URL, "/t/"+ten.Code+"/api/v1/oauth2/userinfo") {
		t.Errorf("journal shows %s, not the tenant's domain", ok.Request.URL)
	}
	// Deauthorising the user revokes the token (authSync flag 3).
	if _, err := e.api.DeauthorizeUser(e.ctx, ten.ID, "lisi"); err != nil {
		t.Fatal(err)
	}
	if status, _ := get(t, ten.DomainName+"/api/v1/oauth2/userinfo", tok.AccessToken); status != 401 {
		t.Errorf("token of a deauthorised user: HTTP %d", status)
	}
	if status, _ := get(t, e.srv.URL()+"/t/nosuch/api/v1/oauth2/userinfo", tok.AccessToken); status != 401 {
		t.Errorf("unknown tenant domain: HTTP %d", status)
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	e := newEnv(t, nil)
	b := browser.New(nil)
	conf := oauthConfig(e, e.srv.URL(), fixtures.DemoClientID, fixtures.DemoClientSecret, oauth2.AuthStyleInParams)
	e.login(t, b, conf.AuthCodeURL("s"), fixtures.DemoUser, fixtures.DemoPassword)
	// Logged in: authorize goes straight to the callback.
	page, err := b.Open(e.ctx, conf.AuthCodeURL("again"))
	if err != nil || e.cb.last(t).Get("state") != "again" || strings.Contains(page.Body, "<form") {
		t.Fatalf("second authorize with a session: %v %s", err, page.Body)
	}
	page, err = b.Open(e.ctx, e.srv.URL()+"/api/v1/logout?redirect_url="+url.QueryEscape(e.cb.srv.URL+"/bye"))
	if err != nil || page.URL.Path != "/bye" {
		t.Fatalf("logout ended at %v: %v", page.URL, err)
	}
	page, err = b.Open(e.ctx, conf.AuthCodeURL("after"))
	if err != nil || !strings.Contains(page.Body, `name="password"`) {
		t.Fatalf("after logout authorize should show the login form: %v\n%s", err, page.Body)
	}
	if out := e.journal(t, "oauth2.logout")[0]; verdict(out, koomock.RuleLoginLogout) != koomock.Pass {
		t.Errorf("logout verdicts %+v", out.Verdicts)
	}
}
